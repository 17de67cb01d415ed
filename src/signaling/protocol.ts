/**
 * Skylink 2.x signaling wire protocol, shared by the SDK client and the server.
 *
 * Every message travels on the single socket.io event `message` as a JSON **string**, in both
 * directions. `rid` is the room key handed out by the REST call (`room_key`), `mid` the sender's
 * peer id in that room (`inRoom.sid`), `target` the recipient peer id (absent = broadcast).
 * Written spec: docs/protocol.md (derived from the reconstructed Skylink 2.x protocol notes).
 *
 * Types only describe shapes; `guards.ts` validates inbound data.
 */

/** Signaling message protocol version spoken by Skylink 2.x (`SMProtocolVersion`). */
export const PROTOCOL_VERSION = '2.1.0';
/** Data-transfer protocol version spoken by Skylink 2.x (`DTProtocolVersion`). */
export const DT_PROTOCOL_VERSION = '0.1.3';
/** Value of the `Skylink_SDK_type` header / query parameter. */
export const SKYLINK_SDK_TYPE = 'Web SDK';
/** Value of the `Skylink_API_version` header / query parameter. */
export const SKYLINK_API_VERSION = '9.0.0';
/** Value of the `X-Server-Select` header / query parameter. */
export const SKYLINK_SERVER_SELECT = 'sig-v2';
/** The four custom headers a Skylink client sends on the REST call (CORS preflight must allow them). */
export const SKYLINK_REST_HEADERS = [
  'Skylink_SDK_type',
  'Skylink_SDK_version',
  'Skylink_API_version',
  'X-Server-Select',
] as const;
/** The only socket.io event used by the protocol. */
export const SIGNALING_EVENT = 'message';
/** Largest stored-message record (JSON characters) the server persists; larger ones are relayed only. */
export const MAX_STORED_MESSAGE_LENGTH = 16 * 1024;
/**
 * Largest `storedMessages` answer (JSON characters) the server sends: below the client guard's
 * 128 KiB message limit, so the server returns the newest stored messages that fit (at least 7
 * full-size records).
 */
export const MAX_STORED_MESSAGES_ANSWER_LENGTH = 120 * 1024;
/** Peer ids the client treats specially; never assigned to ordinary peers. */
export const RESERVED_PEER_IDS = ['MCU', 'REC_SRV'] as const;

/** `redirect.action` values. */
export const SystemAction = {
  WARNING: 'warning',
  REJECT: 'reject',
  LOCKED: 'locked',
} as const;
export type SystemAction = (typeof SystemAction)[keyof typeof SystemAction];

/** `redirect.reason` values. */
export const SystemActionReason = {
  OLD_TIMESTAMP: 'oldTimeStamp',
  CREDENTIAL_ERROR: 'credentialError',
  DUPLICATED_LOGIN: 'duplicatedLogin',
  NOT_START: 'notStart',
  EXPIRED: 'expired',
  LOCKED: 'locked',
  FAST_MESSAGE: 'fastmsg',
  TO_CLOSE: 'toclose',
  ROOM_CLOSE: 'roomclose',
  SERVER_ERROR: 'serverError',
  KEY_FAILED: 'keyFailed',
} as const;
export type SystemActionReason = (typeof SystemActionReason)[keyof typeof SystemActionReason];

/** Numeric `error` codes of a REST error body. */
export const RestErrorCode = {
  INVALID_APP_KEY: 4001,
  BACKEND_IP_NOT_ALLOWED: 4002,
  CORS_DOMAIN_MISMATCH: 4003,
  CREDENTIALS_INVALID: 4004,
  CREDENTIALS_MISMATCH: 4005,
  INVALID_PARENT_KEY: 4006,
  NO_MEETING_RECORD: 4010,
  OVER_SEAT_LIMIT: 4020,
  RETRIEVAL_FAILED: 4021,
  WRONG_ACCESS_DOMAIN: 5005,
} as const;
export type RestErrorCode = (typeof RestErrorCode)[keyof typeof RestErrorCode];

// ---------------------------------------------------------------------------------------------
// REST (section 1.1)

/** Success body of `GET /api/:appKey/:room[/:start/:duration?cred=]`. */
export interface RoomAuthResponse {
  success?: boolean;
  /** Room key: the `rid` of every signaling message. */
  room_key: string;
  /** Signaling host, `host:port` unless the scheme's default port is used. */
  ipSigserver: string;
  ipSigserverPath?: string;
  portSigserver?: number;
  protocol?: string;
  httpPortList?: number[];
  httpsPortList?: number[];
  /** JSON strings (2.x `JSON.parse`s them unconditionally). */
  pc_constraints: string;
  offer_constraints: string;
  media_constraints: string;
  cid?: string;
  apiOwner?: string;
  isPrivileged?: boolean;
  autoIntroduce?: boolean;
  /** Must be the boolean `false` for P2P rooms. */
  hasMCU: boolean;
  hasPersistentMessage?: boolean;
  enable_stats_config?: boolean;
  roomCred?: string;
  /** ISO start of the room session / scheduled room. */
  start?: string;
  /** Duration in hours. */
  len?: number;
  roomSessionId?: string;
  roomName?: string;
  username?: string;
  userCred?: string;
  timeStamp?: string;
  peerSessionId?: string;
}

/** Non-2xx REST body. */
export interface RestErrorResponse {
  success?: false;
  info: string;
  error: number;
}

// ---------------------------------------------------------------------------------------------
// Shared sub-structures (section 2.1)

/** `1` active, `0` muted, `-1` unavailable. */
export type MediaStatusValue = 1 | 0 | -1;

export interface MediaStatusEntry {
  audioMuted: MediaStatusValue | number;
  videoMuted: MediaStatusValue | number;
}

export interface AgentInfo {
  name: string;
  version: number | string;
  os?: string;
  pluginVersion?: string | null;
  SMProtocolVersion?: string;
  DTProtocolVersion?: string;
  SDKVersion?: string;
}

export interface UserInfoSettings {
  audio?: false | Record<string, Record<string, unknown>>;
  video?: false | Record<string, Record<string, unknown>>;
  maxBandwidth?: Record<string, unknown>;
  data?: boolean;
  [extra: string]: unknown;
}

export interface UserInfoConfig {
  enableDataChannel?: boolean;
  enableIceRestart?: boolean;
  priorityWeight?: number;
}

/** What a client says about itself in `enter`/`welcome`/`offer`/`answer` (opaque to the server). */
export interface UserInfo {
  userData?: unknown;
  settings?: UserInfoSettings;
  mediaStatus?: Record<string, MediaStatusEntry>;
  agent?: AgentInfo;
  config?: UserInfoConfig;
  [extra: string]: unknown;
}

export type MediaType = 'audioMic' | 'videoCamera' | 'videoScreen' | 'videoOther' | 'audio' | 'video';
export type MediaState = 'active' | 'muted' | 'stopped' | 'unavailable';

/** Element of `mediaInfoList` in `offer`/`answer`. */
export interface MediaInfo {
  publisherId: string | null;
  /** `AUDIO_<streamId>` or `VIDEO_<streamId>`. */
  mediaId: string;
  mediaType: MediaType | string;
  mediaState: MediaState | string;
  transceiverMid?: string | null;
  mediaMetaData?: string;
  simulcast?: string;
}

/** `inRoom.pc_config.iceServers[]` entry. 2.x reads the singular `url`; standard code reads `urls`. */
export interface IceServerEntry {
  url: string;
  urls?: string | string[];
  username?: string;
  credential?: string;
}

export interface PeerConnectionConfig {
  iceServers: IceServerEntry[];
}

/** One element of the JSON array in `storedMessages.data`. */
export interface StoredMessageItem {
  /** Ciphertext. */
  data: string;
  secretId: string;
  /** Original sender peer id. */
  mid: string;
  peerSessionId?: string;
  msgId?: string;
  /**
   * When the server stored it: ms since the epoch (what this server sends), or a date string
   * (2.x passes either to `new Date()`).
   */
  timeStamp: number | string;
}

// ---------------------------------------------------------------------------------------------
// Envelopes

/** Every routed message carries the room key. */
export interface RoomEnvelope {
  rid: string;
}
/** Sent by a peer: `mid` is its id in `rid`. */
export interface PeerEnvelope extends RoomEnvelope {
  mid: string;
}
/** Sent by a peer to one other peer. */
export interface TargetedEnvelope extends PeerEnvelope {
  target: string;
}

/** Fields shared by `enter`, `welcome` and the restart extension of `offer`. */
export interface PeerAnnouncement {
  agent?: string;
  version?: string | number;
  os?: string;
  userInfo?: UserInfo;
  weight?: number;
  temasysPluginVersion?: string | null;
  enableDataChannel?: boolean;
  enableIceRestart?: boolean;
  SMProtocolVersion?: string;
  DTProtocolVersion?: string;
  /** MCU mode only. */
  publisherId?: string | null;
  /** 0.6.x only. */
  receiveOnly?: boolean;
  enableIceTrickle?: boolean;
  publishOnly?: unknown;
  parentId?: string;
}

// ---------------------------------------------------------------------------------------------
// Messages (section 2.2)

export interface JoinRoomMessage extends RoomEnvelope {
  type: 'joinRoom';
  uid?: string;
  cid?: string;
  userCred?: string;
  roomCred?: string;
  timeStamp?: string | number;
  apiOwner?: string;
  start?: string;
  len?: number;
  isPrivileged?: boolean;
  autoIntroduce?: boolean;
  /** App key. */
  key?: string;
  /**
   * Session-resume extension (never sent by 2.x): this client can resume its session after a
   * socket drop, so the server keeps its membership for a grace period instead of sending `bye`.
   */
  resumable?: boolean;
  /** Resume extension: the `sid` this client had in `rid` before its socket dropped. */
  resumeSid?: string;
  /** Resume extension: the `inRoom.resumeToken` received for `resumeSid`. */
  resumeToken?: string;
}

export interface InRoomMessage extends RoomEnvelope {
  type: 'inRoom';
  sid: string;
  pc_config: PeerConnectionConfig;
  tieBreaker: number;
  mid?: string;
  isPrivileged?: boolean;
  autoIntroduce?: boolean;
  /** Extension: lets our SDK learn the current lock state (2.x ignores it). */
  isLocked?: boolean;
  /**
   * Resume extension (only to `joinRoom.resumable` clients): opaque token to send back as
   * `joinRoom.resumeToken` with `resumeSid` = this `sid` after a socket drop.
   */
  resumeToken?: string;
  /**
   * Resume extension: `true` when the server reattached the existing member (same `sid`, peers
   * were told nothing, no `enter` is needed); `false` for a new admission (the client sends `enter`).
   */
  resumed?: boolean;
}

export interface EnterMessage extends PeerEnvelope, PeerAnnouncement {
  type: 'enter';
  /** MCU mode (`"MCU"`) or a 0.6.x answer to `approach`. */
  target?: string;
}

export interface WelcomeMessage extends TargetedEnvelope, PeerAnnouncement {
  type: 'welcome';
  /** MCU welcome only. */
  peersInRoom?: unknown[];
}

export interface OfferMessage extends TargetedEnvelope, PeerAnnouncement {
  type: 'offer';
  sdp: string;
  mediaInfoList?: MediaInfo[];
  /** Restart extension. */
  doIceRestart?: boolean;
  isRestartResend?: boolean;
  /** Re-send of the pending local offer. */
  restart?: boolean;
}

export interface AnswerMessage extends TargetedEnvelope {
  type: 'answer';
  sdp: string;
  userInfo?: UserInfo;
  mediaInfoList?: MediaInfo[];
}

export interface AnswerAckMessage extends TargetedEnvelope {
  type: 'answerAck';
  success: boolean;
}

export interface CandidateMessage extends TargetedEnvelope {
  type: 'candidate';
  /** `a=candidate` value. */
  candidate: string;
  /** sdpMLineIndex. */
  label?: number | null;
  /** sdpMid. */
  id?: string | null;
}

export interface EndOfCandidatesMessage extends TargetedEnvelope {
  type: 'endOfCandidates';
  noOfExpectedCandidates?: number;
}

/** Client-sent with `target` (multi-room leave); server-sent without (peer left). */
export interface ByeMessage extends PeerEnvelope {
  type: 'bye';
  target?: string;
  publisherId?: string | null;
}

export interface RedirectMessage extends RoomEnvelope {
  type: 'redirect';
  action: SystemAction;
  reason: SystemActionReason;
  info: string;
}

export interface UpdateUserEventMessage extends PeerEnvelope {
  type: 'updateUserEvent';
  /** Always a string (JSON-stringified app data). */
  userData: string;
  stamp: number;
}

export interface RoomLockEventMessage extends PeerEnvelope {
  type: 'roomLockEvent';
  lock: boolean;
}

export interface MediaInfoEventMessage extends PeerEnvelope {
  type: 'mediaInfoEvent';
  target?: string;
  publisherId?: string | null;
  mediaId: string;
  mediaType: MediaType | string;
  mediaState: MediaState | string;
}

/** Signaling chat: public (no `target`) or private (one message per target). */
export interface ChatMessage extends PeerEnvelope {
  type: 'message';
  /** App value, or ciphertext when `secretId` is present. */
  data: unknown;
  msgId?: string;
  roomSessionId?: string;
  peerSessionId?: string;
  secretId?: string;
  target?: string;
  /** Only `true` means persist (2.x can send a bogus string here). */
  isPersistent?: boolean | string;
}

/** Legacy 0.6.x public chat. */
export interface PublicMessage extends PeerEnvelope {
  type: 'public';
  data: unknown;
  cid?: string;
}

/** Legacy 0.6.x private chat. */
export interface PrivateMessage extends TargetedEnvelope {
  type: 'private';
  data: unknown;
  cid?: string;
}

export interface GetStoredMessagesMessage extends PeerEnvelope {
  type: 'getStoredMessages';
  /** The sender's own id. */
  target?: string;
  /** `''` = current session. */
  roomSessionId?: string;
}

export interface StoredMessagesMessage extends RoomEnvelope {
  type: 'storedMessages';
  /** The requester's own id. */
  mid: string;
  /** JSON string of `StoredMessageItem[]`. */
  data: string;
}

/** Privileged; no `mid`. 0.6.x also omits `rid`. */
export interface GetPeersMessage {
  type: 'getPeers';
  rid?: string;
  showAll?: boolean;
}

export interface PeerListMessage extends RoomEnvelope {
  type: 'peerList';
  /** `{ <roomName>: [peerId, ...] }`. */
  result: Record<string, string[]>;
}

/** Legacy privileged introduction (0.6.x). */
export interface IntroduceMessage {
  type: 'introduce';
  rid?: string;
  sendingPeerId: string;
  receivingPeerId: string;
}

/** Server → 0.6.x client: please `enter` with this `target`. */
export interface ApproachMessage extends RoomEnvelope {
  type: 'approach';
  target: string;
}

/** Never send to 2.x clients (their handler throws). */
export interface IntroduceErrorMessage {
  type: 'introduceError';
  rid?: string;
  reason: string;
  sendingPeerId: string;
  receivingPeerId: string;
}

/** Legacy stream-ended broadcast. */
export interface StreamMessage extends PeerEnvelope {
  type: 'stream';
  status: string;
  streamId?: string;
  settings: { isScreensharing?: boolean; audio?: unknown; video?: unknown; [extra: string]: unknown };
  cid?: string;
  sessionType?: string;
}

/** MCU only; no `mid`. */
export interface StartRecordingRoomMessage extends RoomEnvelope {
  type: 'startRecordingRoom';
  target?: string;
}

export interface StopRecordingRoomMessage extends RoomEnvelope {
  type: 'stopRecordingRoom';
  target?: string;
}

export interface RecordingEventMessage extends RoomEnvelope {
  type: 'recordingEvent';
  action: 'on' | 'off' | 'error' | string;
  recordingId?: string;
  error?: string;
}

export interface StartRtmpMessage extends TargetedEnvelope {
  type: 'startRTMP';
  rtmpId: string;
  streamId: string;
  endpoint: string;
}

export interface StopRtmpMessage extends TargetedEnvelope {
  type: 'stopRTMP';
  rtmpId: string;
}

export interface RtmpEventMessage extends RoomEnvelope {
  type: 'rtmpEvent';
  action: 'startSuccess' | 'stopSuccess' | string;
  rtmpId: string;
  peerId?: string;
  streamId?: string;
  error?: string;
}

/** Legacy 0.6.x bundle: `lists` holds up to 16 JSON strings, each one message. */
export interface GroupMessage extends PeerEnvelope {
  type: 'group';
  lists: string[];
}

/** Legacy 0.6.x restart request. */
export interface RestartMessage extends TargetedEnvelope, PeerAnnouncement {
  type: 'restart';
  lastRestart?: number;
  isConnectionRestart?: boolean;
  explict?: boolean;
  sessionType?: string;
}

export interface MuteAudioEventMessage extends PeerEnvelope {
  type: 'muteAudioEvent';
  muted: boolean;
  stamp?: number;
}

export interface MuteVideoEventMessage extends PeerEnvelope {
  type: 'muteVideoEvent';
  muted: boolean;
  stamp?: number;
}

/** A 2.x constant that is never sent; kept for completeness, not part of the unions. */
export interface StartScreenshareMessage extends PeerEnvelope {
  type: 'startScreenshare';
}

// ---------------------------------------------------------------------------------------------
// Unions

/** Peer-to-peer messages the server relays to `target` (same shape in both directions). */
export type RelayedMessage =
  | EnterMessage
  | WelcomeMessage
  | OfferMessage
  | AnswerMessage
  | AnswerAckMessage
  | CandidateMessage
  | EndOfCandidatesMessage
  | ByeMessage
  | UpdateUserEventMessage
  | RoomLockEventMessage
  | MediaInfoEventMessage
  | ChatMessage
  | PublicMessage
  | PrivateMessage
  | StreamMessage
  | RestartMessage
  | MuteAudioEventMessage
  | MuteVideoEventMessage;

/** Messages a client may send to the server. */
export type ClientToServerMessage =
  | RelayedMessage
  | JoinRoomMessage
  | GetStoredMessagesMessage
  | GetPeersMessage
  | IntroduceMessage
  | StartRecordingRoomMessage
  | StopRecordingRoomMessage
  | StartRtmpMessage
  | StopRtmpMessage
  | GroupMessage;

/** Messages a client may receive from the server. */
export type ServerToClientMessage =
  | RelayedMessage
  | InRoomMessage
  | RedirectMessage
  | StoredMessagesMessage
  | PeerListMessage
  | ApproachMessage
  | IntroduceErrorMessage
  | RecordingEventMessage
  | RtmpEventMessage;

/** Every message of the protocol. */
export type SignalingMessage = ClientToServerMessage | ServerToClientMessage;
export type SignalingMessageType = SignalingMessage['type'];
export type ClientMessageType = ClientToServerMessage['type'];
export type ServerMessageType = ServerToClientMessage['type'];

/** The message interface of one `type`. */
export type MessageOfType<T extends SignalingMessageType> = Extract<SignalingMessage, { type: T }>;

/** One handler per message type of union `U`: a missing handler is a compile error. */
export type MessageHandlers<U extends { type: string }> = {
  [T in U['type']]: (message: Extract<U, { type: T }>) => void;
};
/** What a client implements to consume server messages. */
export type ServerMessageHandlers = MessageHandlers<ServerToClientMessage>;
/** What the server implements to consume client messages. */
export type ClientMessageHandlers = MessageHandlers<ClientToServerMessage>;

/** Calls the handler of `message.type` (TS cannot correlate the two, hence the one cast). */
export function dispatchMessage<U extends { type: string }>(handlers: MessageHandlers<U>, message: U): void {
  const handler = handlers[message.type as U['type']] as (m: U) => void;
  handler(message);
}

/** Types the client sends before/while negotiating; never buffered, never throttled. */
export const NEGOTIATION_TYPES: ReadonlySet<string> = new Set([
  'joinRoom',
  'enter',
  'welcome',
  'offer',
  'answer',
  'answerAck',
  'candidate',
  'endOfCandidates',
  'restart',
  'bye',
]);

/** Serialises a message for the wire (the protocol requires a JSON string payload). */
export function encodeMessage(message: SignalingMessage): string {
  return JSON.stringify(message);
}

// ---------------------------------------------------------------------------------------------
// socket.io typed event maps: one `message` event carrying a JSON string, both directions.

export interface ClientToServerEvents {
  message: (payload: string) => void;
}
export interface ServerToClientEvents {
  message: (payload: string) => void;
}
