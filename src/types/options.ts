/**
 * Option types: `initOptions` (constructor), `joinRoom`, `getUserMedia`, `shareScreen`, `muteStreams`,
 * `refreshConnection` options. Field names and meanings follow Skylink 2.x.
 * @module
 */
import type { AudioCodec, TurnTransport, VideoCodec } from '../constants';

/** Maximum send bandwidth in kbps (SDP `b=AS`). See `SkylinkConstants.VIDEO_QUALITY` for presets. */
export interface BandwidthOptions {
  /** Audio kbps. */
  audio?: number;
  /** Video kbps. */
  video?: number;
  /** Data channel kbps. */
  data?: number;
}

/** Credential-based authentication (scheduled / persistent rooms). */
export interface CredentialsOptions {
  /** Start of the meeting, ISO 8601 string. */
  startDateTime: string;
  /** Duration of the meeting in hours. */
  duration: number;
  /**
   * `encodeURIComponent(base64(HMAC-SHA1(appKeySecret, roomName + '_' + duration + '_' + startDateTime)))`.
   * Never logged by the SDK.
   */
  credentials: string;
}

/** Debug override of the signaling server. */
export interface SocketServerOptions {
  /** Server URL or host (e.g. `'//127.0.0.1:3000'` or `'https://sig.example.com'`). */
  url: string;
  /** Ports to try, in order. */
  ports?: number[];
  /** `'http:'` or `'https:'`. */
  protocol?: string;
}

/** ICE server override (`initOptions.iceServer`). */
export interface IceServerOptions {
  /** STUN/TURN URLs. */
  urls: string | string[];
  /** Optional TURN username (else the server-provided one is reused). */
  username?: string;
  /** Optional TURN credential (else the server-provided one is reused). Never logged. */
  credential?: string;
}

/** Received ICE candidate types to drop (`true` = drop). */
export interface FilterCandidatesType {
  host?: boolean;
  srflx?: boolean;
  relay?: boolean;
}

/** Legacy codec parameters (kept for 2.x compatibility; not used). */
export interface CodecParams {
  audio?: {
    opus?: {
      stereo?: boolean | null;
      'sprop-stereo'?: boolean | null;
      usedtx?: boolean | null;
      useinbandfec?: boolean | null;
      maxplaybackrate?: number | null;
      minptime?: number | null;
    };
  };
  video?: {
    h264?: { profileLevelId?: string | null; levelAsymmetryAllowed?: boolean | null; packetizationMode?: boolean | null };
    vp8?: { maxFs?: number | null; maxFr?: number | null };
    vp9?: { maxFs?: number | null; maxFr?: number | null };
  };
}

/**
 * Constructor options (`new Skylink(initOptions)`), Skylink 2.x `initOptions`.
 *
 * Only `appKey` is required. Unknown keys are ignored.
 *
 * @example
 * ```ts
 * const skylink = new Skylink({ appKey: 'my-app-key', defaultRoom: 'lobby', roomServer: '//127.0.0.1:3000', forceSSL: false });
 * ```
 */
export interface SkylinkInitOptions {
  /** App key (required, non-empty). */
  appKey: string;
  /** Room used when `joinRoom` is called without `roomName`. Default `null`. */
  defaultRoom?: string | null;
  /** Room/auth API server, e.g. `'//api.example.com'` or `'//127.0.0.1:3000'`. Default `'//api.temasys.io'`. */
  roomServer?: string;
  /** Create data channels (P2P messages, blob transfers). Default `true`. */
  enableDataChannel?: boolean;
  /** Include STUN servers in the ICE configuration. Default `true`. */
  enableSTUNServer?: boolean;
  /** Include TURN servers. Default `true`. */
  enableTURNServer?: boolean;
  /** Relay-only connections (forces TURN on, STUN off). Default `false`. */
  forceTURN?: boolean;
  /** Use TURNS (TLS, port 443). Default `false`. */
  forceTURNSSL?: boolean;
  /** `?transport=` of TURN URLs. Default `'any'`. */
  TURNServerTransport?: TurnTransport;
  /** Also add public STUN servers. Default `false`. */
  usePublicSTUN?: boolean;
  /** Drop received ICE candidates of these types. Default all `false`. */
  filterCandidatesType?: FilterCandidatesType;
  /** Debug override of ICE servers. Default `null`. */
  iceServer?: IceServerOptions | null;
  /** Debug override of the signaling server. Default `null`. */
  socketServer?: string | SocketServerOptions | null;
  /** socket.io `path`. Default `null` (from the room server response). */
  socketServerPath?: string | null;
  /** socket.io connect timeout in ms. Default `7000`. */
  socketTimeout?: number;
  /** Use `https:`/`wss:` even on `http:` pages. Default `true`. */
  forceSSL?: boolean;
  /** Credential-based authentication. Default `null`. */
  credentials?: CredentialsOptions | null;
  /** Retry audio-only when an audio+video request fails. Default `true`. */
  audioFallback?: boolean;
  /** Collect stats (also gates `getConnectionStatus`). Default `true`. */
  enableStatsGathering?: boolean;
  /** Silence stats-module logs. Default `false`. */
  beSilentOnStatsLogs?: boolean;
  /** Silence SDP/codec parsing logs. Default `false`. */
  beSilentOnParseLogs?: boolean;
  /** Stats posting interval in seconds. Default `20`. */
  statsInterval?: number;
  /** Allow renegotiation-based restart of the MCU connection. Default `true`. */
  mcuUseRenegoRestart?: boolean;
  /** Legacy, unused. Default `false`. */
  useEdgeWebRTC?: boolean;
  /** Legacy, unused. Default `true`. */
  enableSimultaneousTransfers?: boolean;
  /** Legacy, unused. Default `'auto'`. */
  audioCodec?: AudioCodec;
  /** Legacy, unused. Default `'auto'`. */
  videoCodec?: VideoCodec;
  /** Legacy, unused. */
  codecParams?: CodecParams;
}

/** `initOptions` after defaults are applied (plus the generated `clientId`). */
export type ResolvedInitOptions = Required<Omit<SkylinkInitOptions, 'codecParams'>> & {
  codecParams: CodecParams;
  /** Generated per Skylink instance. */
  clientId: string;
};

/** `{ width, height }` where each side is a number (max / exact) or a raw constraint. */
export interface VideoResolutionOption {
  width: number | ConstrainULong;
  height: number | ConstrainULong;
}

/** Audio settings of {@link GetUserMediaOptions}. */
export interface AudioMediaOptions {
  /** OPUS stereo flag (advertised to peers). Default `false`. */
  stereo?: boolean;
  /** gUM `echoCancellation`. Default `true`. */
  echoCancellation?: boolean;
  /** Beyond 2.x: gUM `noiseSuppression`. Default: the browser's. */
  noiseSuppression?: boolean;
  /** Beyond 2.x: gUM `autoGainControl`. Default: the browser's. */
  autoGainControl?: boolean;
  /** Microphone device id. */
  deviceId?: string;
  /** Acquire then mute immediately. Default `false`. */
  mute?: boolean;
}

/** Video settings of {@link GetUserMediaOptions}. */
export interface VideoMediaOptions {
  /** Default `SkylinkConstants.VIDEO_RESOLUTION.VGA`. */
  resolution?: VideoResolutionOption;
  /** Frames per second (number → max / exact) or a raw constraint. Default `30`. */
  frameRate?: number | ConstrainDouble;
  /** Camera device id. */
  deviceId?: string;
  /** Camera facing mode (`'user'`, `'environment'`...). */
  facingMode?: string | ConstrainDOMString;
  /** Acquire then mute immediately. Default `false`. */
  mute?: boolean;
}

/** Skylink media options (`getUserMedia(roomName, options)`, `sendStream`, `joinRoom`). */
export interface GetUserMediaOptions {
  /** Use `exact` constraints instead of `max`/`ideal`. Default `false`. */
  useExactConstraints?: boolean;
  /** `true` → default audio settings. Default `false`. */
  audio?: boolean | AudioMediaOptions;
  /** `true` → VGA at 30 fps. Default `false`. */
  video?: boolean | VideoMediaOptions;
}

/** `shareScreen(roomName, options)` options. */
export interface GetDisplayMediaOptions {
  /** Use `exact` constraints. Default `false`. */
  useExactConstraints?: boolean;
  /** Default `true`. */
  video?:
    | boolean
    | { resolution?: VideoResolutionOption; frameRate?: number | ConstrainDouble; deviceId?: string };
  /** Also capture system/tab audio when the browser allows. */
  audio?: boolean | AudioMediaOptions;
}

/**
 * `joinRoom(options)` options.
 *
 * @example
 * ```ts
 * await skylink.joinRoom({ roomName: 'lobby', userData: { name: 'Ada' }, audio: true, video: true });
 * ```
 */
export interface JoinRoomOptions extends GetUserMediaOptions {
  /** Room to join. Default `initOptions.defaultRoom`. */
  roomName?: string;
  /** Initial custom user data (any JSON value), exposed to peers as `peerInfo.userData`. */
  userData?: unknown;
  /** Voice activity detection. Default `true`. */
  voiceActivityDetection?: boolean;
  /** Max send bandwidth (kbps). */
  bandwidth?: BandwidthOptions;
  /** Deprecated in 2.x: only logs a warning. */
  autoBandwidthAdjustment?: unknown;
}

/** `muteStreams(roomName, options)` options: `true`/`0` = muted, `false`/`1` = unmuted; missing = muted. */
export interface MuteStreamsOptions {
  audioMuted?: boolean | 0 | 1;
  videoMuted?: boolean | 0 | 1;
}

/** `refreshConnection(..., options)` options. */
export interface RefreshConnectionOptions {
  /** Replaces the room's send bandwidth (kbps). */
  bandwidth?: BandwidthOptions;
}
