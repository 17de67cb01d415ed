/**
 * The one seam between the SDK and the browser: every RTCPeerConnection, media capture, socket and
 * HTTP request goes through a {@link SkylinkPlatform}. The browser implementation lives in
 * `browserPlatform.ts`; tests inject an in-memory fake (tests/fakes/fakePlatform.ts), as
 * mediasoup-client does with its `handlerFactory`.
 *
 * The `*Like` interfaces are the narrow subset of the DOM types the SDK uses, so a fake only has to
 * implement what is really called.
 * @internal
 */

/** An ICE candidate as carried by `icecandidate` events and the `candidate` signalling message. */
export interface IceCandidateLike {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
}

export interface SessionDescriptionLike {
  readonly type: RTCSdpType;
  readonly sdp: string;
}

/** Events of a data channel the SDK listens to. */
export interface DataChannelEventMap {
  open: Event;
  close: Event;
  closing: Event;
  error: Event;
  bufferedamountlow: Event;
  message: { readonly data: unknown };
}

export interface DataChannelLike {
  readonly label: string;
  readonly readyState: RTCDataChannelState;
  readonly id: number | null;
  readonly ordered: boolean;
  readonly protocol: string;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: BinaryType;
  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void;
  close(): void;
  addEventListener<K extends keyof DataChannelEventMap>(type: K, listener: (ev: DataChannelEventMap[K]) => void): void;
  removeEventListener<K extends keyof DataChannelEventMap>(type: K, listener: (ev: DataChannelEventMap[K]) => void): void;
}

/** The subset of `RTCTrackEvent` the SDK reads. */
export interface TrackEventLike {
  readonly track: MediaStreamTrack;
  readonly streams: readonly MediaStream[];
  readonly transceiver: RTCRtpTransceiver | null;
}

/** Events of a peer connection the SDK listens to. */
export interface PeerConnectionEventMap {
  icecandidate: { readonly candidate: IceCandidateLike | null };
  iceconnectionstatechange: Event;
  connectionstatechange: Event;
  signalingstatechange: Event;
  icegatheringstatechange: Event;
  negotiationneeded: Event;
  datachannel: { readonly channel: DataChannelLike };
  track: TrackEventLike;
}

export interface PeerConnectionLike {
  readonly localDescription: SessionDescriptionLike | null;
  readonly remoteDescription: SessionDescriptionLike | null;
  readonly signalingState: RTCSignalingState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly connectionState: RTCPeerConnectionState;
  readonly iceGatheringState: RTCIceGatheringState;
  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate: RTCIceCandidateInit): Promise<void>;
  createDataChannel(label: string, init?: RTCDataChannelInit): DataChannelLike;
  getStats(): Promise<RTCStatsReport>;
  restartIce(): void;
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender;
  removeTrack(sender: RTCRtpSender): void;
  addTransceiver(trackOrKind: MediaStreamTrack | string, init?: RTCRtpTransceiverInit): RTCRtpTransceiver;
  getSenders(): RTCRtpSender[];
  getReceivers(): RTCRtpReceiver[];
  getTransceivers(): RTCRtpTransceiver[];
  close(): void;
  addEventListener<K extends keyof PeerConnectionEventMap>(type: K, listener: (ev: PeerConnectionEventMap[K]) => void): void;
  removeEventListener<K extends keyof PeerConnectionEventMap>(
    type: K,
    listener: (ev: PeerConnectionEventMap[K]) => void,
  ): void;
}

/** socket.io-like events the signalling socket emits. */
export interface SignalingSocketEventMap {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (error: Error) => void;
  message: (payload: unknown) => void;
}

/** The subset of a socket.io client socket the SDK uses. */
export interface SignalingSocketLike {
  readonly connected: boolean;
  readonly id: string | undefined;
  emit(event: 'message', payload: string): void;
  on<K extends keyof SignalingSocketEventMap>(event: K, listener: SignalingSocketEventMap[K]): void;
  off<K extends keyof SignalingSocketEventMap>(event: K, listener: SignalingSocketEventMap[K]): void;
  disconnect(): void;
}

export interface SignalingConnectOptions {
  /** socket.io `path`; `undefined` or `''` means socket.io's default `/socket.io`. */
  readonly path?: string | undefined;
  /** Connect timeout in ms. */
  readonly timeoutMs: number;
  /** Query parameters sent with the handshake (the 2.x SDK headers). */
  readonly query: Readonly<Record<string, string>>;
}

export interface HttpResponseLike {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
}

export interface HttpRequestInit {
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/** Browser and OS information advertised to peers (`enter.agent/version/os`, `userInfo.agent`). */
export interface AgentInfo {
  readonly name: string;
  readonly version: number;
  readonly os: string;
}

export interface SkylinkPlatform {
  createPeerConnection(config: RTCConfiguration): PeerConnectionLike;
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  getDisplayMedia(options?: DisplayMediaStreamOptions): Promise<MediaStream>;
  enumerateDevices(): Promise<MediaDeviceInfo[]>;
  /** `new MediaStream(tracks)`. */
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
  connectSignaling(url: string, options: SignalingConnectOptions): SignalingSocketLike;
  fetch(url: string, init?: HttpRequestInit): Promise<HttpResponseLike>;
  /** Protocol of the page (`'https:'`, `'http:'`), used when `forceSSL` is off. */
  pageProtocol(): string;
  agent(): AgentInfo;
  /** A random RFC 4122 version 4 UUID. */
  randomId(): string;
}
