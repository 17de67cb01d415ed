/**
 * Skylink 2.x constants (`SkylinkConstants`): every enum of the 2.x `src/constants.js`, with the same
 * member names and values, as frozen `as const` objects, each with a derived union type.
 *
 * Values are the 2.x *code* values (where the 2.x docs disagree, code wins: e.g.
 * `CANDIDATE_GENERATION_STATE.COMPLETED === 'complete'`, `SYSTEM_ACTION_REASON.ROOM_CLOSING === 'toclose'`).
 * @module
 */
import { SkylinkEvents } from './events/SkylinkEvents';
import { SDK_VERSION as PACKAGE_VERSION } from './version';

/** Union of the values of a constant table. */
export type ValueOf<T> = T[keyof T];

// ---------------------------------------------------------------------------------------------
// F.1 Public enums
// ---------------------------------------------------------------------------------------------

/** Room readiness (READY_STATE_CHANGE event `readyState`). */
export const READY_STATE_CHANGE = Object.freeze({ INIT: 0, LOADING: 1, COMPLETED: 2, ERROR: -1 } as const);
export type ReadyState = ValueOf<typeof READY_STATE_CHANGE>;

/** Error codes of READY_STATE_CHANGE `error.errorCode` (note the 2.x spelling `XML_HTTP_NO_REPONSE_ERROR`). */
export const READY_STATE_CHANGE_ERROR = Object.freeze({
  API_INVALID: 4001,
  API_DOMAIN_NOT_MATCH: 4002,
  API_CORS_DOMAIN_NOT_MATCH: 4003,
  API_CREDENTIALS_INVALID: 4004,
  API_CREDENTIALS_NOT_MATCH: 4005,
  API_INVALID_PARENT_KEY: 4006,
  API_NO_MEETING_RECORD_FOUND: 4010,
  API_OVER_SEAT_LIMIT: 4020,
  API_RETRIEVAL_FAILED: 4021,
  API_WRONG_ACCESS_DOMAIN: 5005,
  XML_HTTP_REQUEST_ERROR: -1,
  XML_HTTP_NO_REPONSE_ERROR: -2,
  NO_SOCKET_IO: 1,
  NO_XMLHTTPREQUEST_SUPPORT: 2,
  NO_WEBRTC_SUPPORT: 3,
  NO_PATH: 4,
  ADAPTER_NO_LOADED: 7,
  PARSE_CODECS: 8,
} as const);
export type ReadyStateChangeError = ValueOf<typeof READY_STATE_CHANGE_ERROR>;

/** PEER_CONNECTION_STATE `state`: the first four from `signalingState`, the rest from `connectionState`. */
export const PEER_CONNECTION_STATE = Object.freeze({
  STABLE: 'stable',
  HAVE_LOCAL_OFFER: 'have-local-offer',
  HAVE_REMOTE_OFFER: 'have-remote-offer',
  CLOSED: 'closed',
  CONNECTING: 'connecting',
  FAILED: 'failed',
  DISCONNECTED: 'disconnected',
  CONNECTED: 'connected',
} as const);
export type PeerConnectionState = ValueOf<typeof PEER_CONNECTION_STATE>;

/** ICE_CONNECTION_STATE `state` (browsers may also report `'new'`). */
export const ICE_CONNECTION_STATE = Object.freeze({
  STARTING: 'starting',
  CHECKING: 'checking',
  CONNECTED: 'connected',
  COMPLETED: 'completed',
  CLOSED: 'closed',
  FAILED: 'failed',
  DISCONNECTED: 'disconnected',
} as const);
export type IceConnectionState = ValueOf<typeof ICE_CONNECTION_STATE>;

/** CANDIDATE_GENERATION_STATE `state` (RTCIceGatheringState values). */
export const CANDIDATE_GENERATION_STATE = Object.freeze({ NEW: 'new', GATHERING: 'gathering', COMPLETED: 'complete' } as const);
export type CandidateGenerationState = ValueOf<typeof CANDIDATE_GENERATION_STATE>;

/** CANDIDATE_PROCESSING_STATE `state` for remote candidates. */
export const CANDIDATE_PROCESSING_STATE = Object.freeze({
  RECEIVED: 'received',
  DROPPED: 'dropped',
  BUFFERED: 'buffered',
  PROCESSING: 'processing',
  PROCESS_SUCCESS: 'processSuccess',
  PROCESS_ERROR: 'processError',
} as const);
export type CandidateProcessingState = ValueOf<typeof CANDIDATE_PROCESSING_STATE>;

/** HANDSHAKE_PROGRESS `state`. */
export const HANDSHAKE_PROGRESS = Object.freeze({
  ENTER: 'enter',
  WELCOME: 'welcome',
  OFFER: 'offer',
  ANSWER: 'answer',
  ANSWER_ACK: 'answerAck',
  ERROR: 'error',
} as const);
export type HandshakeProgress = ValueOf<typeof HANDSHAKE_PROGRESS>;

/** DATA_CHANNEL_STATE `state`. */
export const DATA_CHANNEL_STATE = Object.freeze({
  CONNECTING: 'connecting',
  OPEN: 'open',
  CLOSING: 'closing',
  CLOSED: 'closed',
  ERROR: 'error',
  CREATE_ERROR: 'createError',
  BUFFERED_AMOUNT_LOW: 'bufferedAmountLow',
  SEND_MESSAGE_ERROR: 'sendMessageError',
} as const);
export type DataChannelState = ValueOf<typeof DATA_CHANNEL_STATE>;

/** Data channel kind (`DATA` is not used in 2.x). */
export const DATA_CHANNEL_TYPE = Object.freeze({ MESSAGING: 'messaging', DATA: 'data' } as const);
export type DataChannelType = ValueOf<typeof DATA_CHANNEL_TYPE>;

/** DATA_CHANNEL_STATE `messageType` on SEND_MESSAGE_ERROR. */
export const DATA_CHANNEL_MESSAGE_ERROR = Object.freeze({ MESSAGE: 'message', TRANSFER: 'transfer' } as const);
export type DataChannelMessageError = ValueOf<typeof DATA_CHANNEL_MESSAGE_ERROR>;

/** DATA_TRANSFER_STATE `state`. */
export const DATA_TRANSFER_STATE = Object.freeze({
  UPLOAD_REQUEST: 'request',
  UPLOAD_STARTED: 'uploadStarted',
  DOWNLOAD_STARTED: 'downloadStarted',
  REJECTED: 'rejected',
  CANCEL: 'cancel',
  ERROR: 'error',
  UPLOADING: 'uploading',
  DOWNLOADING: 'downloading',
  UPLOAD_COMPLETED: 'uploadCompleted',
  DOWNLOAD_COMPLETED: 'downloadCompleted',
  USER_REJECTED: 'userRejected',
  USER_UPLOAD_REQUEST: 'userRequest',
} as const);
export type DataTransferState = ValueOf<typeof DATA_TRANSFER_STATE>;

/** Transfer encoding (only `binaryString` is used on the 2.x wire). */
export const DATA_TRANSFER_DATA_TYPE = Object.freeze({
  BINARY_STRING: 'binaryString',
  ARRAY_BUFFER: 'arrayBuffer',
  BLOB: 'blob',
  STRING: 'string',
} as const);
export type DataTransferDataType = ValueOf<typeof DATA_TRANSFER_DATA_TYPE>;

/** Transfer direction seen from this client. */
export const DATA_TRANSFER_DIRECTION = Object.freeze({ UPLOAD: 'upload', DOWNLOAD: 'download' } as const);
export type DataTransferDirection = ValueOf<typeof DATA_TRANSFER_DIRECTION>;

/** Transfer session kind. */
export const DATA_TRANSFER_SESSION_TYPE = Object.freeze({ BLOB: 'blob', DATA: 'data' } as const);
export type DataTransferSessionType = ValueOf<typeof DATA_TRANSFER_SESSION_TYPE>;

/** Data-channel (transfer) protocol version advertised in `peerInfo.agent`. */
export const DT_PROTOCOL_VERSION = '0.1.3';
/** Signaling message protocol version advertised in `peerInfo.agent`. */
export const SM_PROTOCOL_VERSION = '2.1.0';

/** GET_CONNECTION_STATUS_STATE_CHANGE `state`. */
export const GET_CONNECTION_STATUS_STATE = Object.freeze({ RETRIEVING: 0, RETRIEVE_SUCCESS: 1, RETRIEVE_ERROR: -1 } as const);
export type GetConnectionStatusState = ValueOf<typeof GET_CONNECTION_STATUS_STATE>;

/** GET_PEERS_STATE_CHANGE `state`. */
export const GET_PEERS_STATE = Object.freeze({ ENQUIRED: 'enquired', DISPATCHED: 'dispatched', RECEIVED: 'received' } as const);
export type GetPeersState = ValueOf<typeof GET_PEERS_STATE>;

/** SYSTEM_ACTION `action`. */
export const SYSTEM_ACTION = Object.freeze({ WARNING: 'warning', REJECT: 'reject', LOCKED: 'locked' } as const);
export type SystemAction = ValueOf<typeof SYSTEM_ACTION>;

/** SYSTEM_ACTION `reason`. */
export const SYSTEM_ACTION_REASON = Object.freeze({
  CREDENTIALS_EXPIRED: 'oldTimeStamp',
  CREDENTIALS_ERROR: 'credentialError',
  DUPLICATED_LOGIN: 'duplicatedLogin',
  ROOM_NOT_STARTED: 'notStart',
  EXPIRED: 'expired',
  ROOM_LOCKED: 'locked',
  FAST_MESSAGE: 'fastmsg',
  ROOM_CLOSING: 'toclose',
  ROOM_CLOSED: 'roomclose',
  SERVER_ERROR: 'serverError',
  KEY_ERROR: 'keyFailed',
} as const);
export type SystemActionReason = ValueOf<typeof SYSTEM_ACTION_REASON>;

/** SOCKET_ERROR `errorCode`. */
export const SOCKET_ERROR = Object.freeze({
  CONNECTION_FAILED: 0,
  RECONNECTION_FAILED: -1,
  CONNECTION_ABORTED: -2,
  RECONNECTION_ABORTED: -3,
  RECONNECTION_ATTEMPT: -4,
} as const);
export type SocketErrorCode = ValueOf<typeof SOCKET_ERROR>;

/** Socket fallback kind (SOCKET_ERROR `type`, socketSession `fallbackType`). */
export const SOCKET_FALLBACK = Object.freeze({
  NON_FALLBACK: 'nonfallback',
  FALLBACK_PORT: 'fallbackPortNonSSL',
  FALLBACK_SSL_PORT: 'fallbackPortSSL',
  LONG_POLLING: 'fallbackLongPollingNonSSL',
  LONG_POLLING_SSL: 'fallbackLongPollingSSL',
} as const);
export type SocketFallback = ValueOf<typeof SOCKET_FALLBACK>;

/**
 * Legacy 0.6 log levels, kept for compatibility. **Not** the numbering used by `SkylinkLogger`
 * (see `SkylinkLogger.logLevels`).
 */
export const LOG_LEVEL = Object.freeze({ DEBUG: 4, LOG: 3, INFO: 2, WARN: 1, ERROR: 0, NONE: -1 } as const);
export type LegacyLogLevel = ValueOf<typeof LOG_LEVEL>;

/** MEDIA_ACCESS_FALLBACK `state` (FALLBACKED is never emitted in 2.x). */
export const MEDIA_ACCESS_FALLBACK_STATE = Object.freeze({ FALLBACKING: 0, FALLBACKED: 1, ERROR: -1 } as const);
export type MediaAccessFallbackState = ValueOf<typeof MEDIA_ACCESS_FALLBACK_STATE>;

/** RECORDING_STATE `state` (LINK is never emitted in 2.x). */
export const RECORDING_STATE = Object.freeze({ START: 0, STOP: 1, LINK: 2, ERROR: -1 } as const);
export type RecordingState = ValueOf<typeof RECORDING_STATE>;

/** RTMP_STATE `state`. */
export const RTMP_STATE = Object.freeze({ START: 0, STOP: 1, ERROR: -1 } as const);
export type RtmpState = ValueOf<typeof RTMP_STATE>;

/** Values of `peerInfo.mediaStatus[streamId].audioMuted / videoMuted`. */
export const MEDIA_STATUS = Object.freeze({ MUTED: 0, ACTIVE: 1, UNAVAILABLE: -1 } as const);
export type MediaStatusValue = ValueOf<typeof MEDIA_STATUS>;

/** mediaInfo `mediaType`. */
export const MEDIA_TYPE = Object.freeze({
  AUDIO_MIC: 'audioMic',
  VIDEO_CAMERA: 'videoCamera',
  VIDEO_SCREEN: 'videoScreen',
  VIDEO_OTHER: 'videoOther',
  AUDIO: 'audio',
  VIDEO: 'video',
} as const);
export type MediaType = ValueOf<typeof MEDIA_TYPE>;

/** mediaInfo `mediaState`. */
export const MEDIA_STATE = Object.freeze({
  MUTED: 'muted',
  ACTIVE: 'active',
  STOPPED: 'stopped',
  UNAVAILABLE: 'unavailable',
} as const);
export type MediaState = ValueOf<typeof MEDIA_STATE>;

/** Screen-capture source kinds (declared by 2.x, not used by its `shareScreen`). */
export const MEDIA_SOURCE = Object.freeze({
  SCREEN: 'screen',
  WINDOW: 'window',
  TAB: 'tab',
  TAB_AUDIO: 'audio',
  APPLICATION: 'application',
  BROWSER: 'browser',
  CAMERA: 'camera',
} as const);
export type MediaSourceKind = ValueOf<typeof MEDIA_SOURCE>;

/** Video resolution presets, each `{ width, height }`. */
export const VIDEO_RESOLUTION = Object.freeze({
  QQVGA: { width: 160, height: 120 },
  HQVGA: { width: 240, height: 160 },
  QVGA: { width: 320, height: 240 },
  WQVGA: { width: 384, height: 240 },
  HVGA: { width: 480, height: 320 },
  VGA: { width: 640, height: 480 },
  WVGA: { width: 768, height: 480 },
  FWVGA: { width: 854, height: 480 },
  SVGA: { width: 800, height: 600 },
  DVGA: { width: 960, height: 640 },
  WSVGA: { width: 1024, height: 576 },
  HD: { width: 1280, height: 720 },
  HDPLUS: { width: 1600, height: 900 },
  FHD: { width: 1920, height: 1080 },
  QHD: { width: 2560, height: 1440 },
  WQXGAPLUS: { width: 3200, height: 1800 },
  UHD: { width: 3840, height: 2160 },
  UHDPLUS: { width: 5120, height: 2880 },
  FUHD: { width: 7680, height: 4320 },
  QUHD: { width: 15360, height: 8640 },
} as const);
/** Name of a {@link VIDEO_RESOLUTION} preset. */
export type VideoResolutionPreset = keyof typeof VIDEO_RESOLUTION;

/** Bandwidth presets in kbps, usable as `joinRoom({ bandwidth })`. */
export const VIDEO_QUALITY = Object.freeze({
  HD: { video: 3200, audio: 150 },
  HQ: { video: 1200, audio: 80 },
  SQ: { video: 800, audio: 30 },
  LQ: { video: 400, audio: 20 },
} as const);
/** Name of a {@link VIDEO_QUALITY} preset. */
export type VideoQualityPreset = keyof typeof VIDEO_QUALITY;

/** RTCPeerConnection `bundlePolicy`. */
export const BUNDLE_POLICY = Object.freeze({
  MAX_COMPAT: 'max-compat',
  BALANCED: 'balanced',
  MAX_BUNDLE: 'max-bundle',
  NONE: 'none',
} as const);
export type BundlePolicy = ValueOf<typeof BUNDLE_POLICY>;

/** RTCPeerConnection `rtcpMuxPolicy`. */
export const RTCP_MUX_POLICY = Object.freeze({ REQUIRE: 'require', NEGOTIATE: 'negotiate' } as const);
export type RtcpMuxPolicy = ValueOf<typeof RTCP_MUX_POLICY>;

/** Certificate algorithm. */
export const PEER_CERTIFICATE = Object.freeze({ RSA: 'RSA', ECDSA: 'ECDSA', AUTO: 'AUTO' } as const);
export type PeerCertificate = ValueOf<typeof PEER_CERTIFICATE>;

/** SDP semantics. */
export const SDP_SEMANTICS = Object.freeze({ PLAN_B: 'plan-b', UNIFIED: 'unified-plan' } as const);
export type SdpSemantics = ValueOf<typeof SDP_SEMANTICS>;

/** `initOptions.TURNServerTransport`. */
export const TURN_TRANSPORT = Object.freeze({ UDP: 'udp', TCP: 'tcp', ANY: 'any', NONE: 'none', ALL: 'all' } as const);
export type TurnTransport = ValueOf<typeof TURN_TRANSPORT>;

/** The event-name table (same object as `SkylinkEvents`). */
export const EVENTS = SkylinkEvents;

// ---------------------------------------------------------------------------------------------
// F.2 Exported but private in 2.x (kept so 2.x code that reads them keeps working)
// ---------------------------------------------------------------------------------------------

/** @hidden Data-channel message kinds. */
export const DATA_CHANNEL_MESSAGE_TYPE = Object.freeze({ PROTOCOL: 'protocol', CHUNK: 'chunk' } as const);
/** @hidden Transfer chunk encodings. */
export const SESSION_CHUNK_TYPE = Object.freeze({ STRING: 'string', BINARY: 'binary' } as const);
/** @hidden ACK numbers of the data-channel protocol. */
export const ACK_PROTOCOL_NUMBER = Object.freeze({ REJECT: -1, ACCEPT: 0, CANCEL: 0 } as const);
/** @hidden Room authentication states. */
export const AUTH_STATE = Object.freeze({ REQUEST: 'request', SUCCESS: 'success', ERROR: 'error' } as const);
/** @hidden Data streaming states (not implemented in 2.x). */
export const DATA_STREAM_STATE = Object.freeze({
  SENDING_STARTED: 'sendStart',
  SENDING_STOPPED: 'sendStop',
  RECEIVING_STARTED: 'receiveStart',
  RECEIVING_STOPPED: 'receiveStop',
  RECEIVED: 'received',
  SENT: 'sent',
  ERROR: 'error',
  START_ERROR: 'startError',
} as const);
/** @hidden Peer introduction states. */
export const INTRODUCE_STATE = Object.freeze({ INTRODUCING: 'introducing', ERROR: 'error' } as const);
/** @hidden Stub kept for old apps. */
export const REGIONAL_SERVER = Object.freeze({ APAC1: '', US1: '' } as const);
/** @hidden Legacy codec preference. */
export const VIDEO_CODEC = Object.freeze({ AUTO: 'auto', VP8: 'VP8', H264: 'H264', VP9: 'VP9' } as const);
export type VideoCodec = ValueOf<typeof VIDEO_CODEC>;
/** @hidden Legacy codec preference. */
export const AUDIO_CODEC = Object.freeze({
  AUTO: 'auto',
  ISAC: 'ISAC',
  OPUS: 'opus',
  ILBC: 'ILBC',
  G722: 'G722',
  PCMU: 'PCMU',
  PCMA: 'PCMA',
} as const);
export type AudioCodec = ValueOf<typeof AUDIO_CODEC>;
/** Blob transfer chunk size in bytes (before base64). */
export const CHUNK_FILE_SIZE = 49152;
/** @hidden Legacy Firefox chunk size. */
export const MOZ_CHUNK_FILE_SIZE = 12288;
/** @hidden Legacy binary chunk size. */
export const BINARY_FILE_SIZE = 65456;
/** @hidden Legacy Firefox binary chunk size. */
export const MOZ_BINARY_FILE_SIZE = 16384;
/** @hidden Legacy data-URL chunk size. */
export const CHUNK_DATAURL_SIZE = 1212;
/** @hidden Data-channel protocol message types. */
export const DC_PROTOCOL_TYPE = Object.freeze({
  WRQ: 'WRQ',
  ACK: 'ACK',
  ERROR: 'ERROR',
  CANCEL: 'CANCEL',
  MESSAGE: 'MESSAGE',
} as const);
export type DcProtocolType = ValueOf<typeof DC_PROTOCOL_TYPE>;
/** @hidden Signaling message types. */
export const SIG_MESSAGE_TYPE = Object.freeze({
  JOIN_ROOM: 'joinRoom',
  IN_ROOM: 'inRoom',
  ENTER: 'enter',
  WELCOME: 'welcome',
  OFFER: 'offer',
  ANSWER: 'answer',
  ANSWER_ACK: 'answerAck',
  CANDIDATE: 'candidate',
  BYE: 'bye',
  REDIRECT: 'redirect',
  UPDATE_USER: 'updateUserEvent',
  ROOM_LOCK: 'roomLockEvent',
  PUBLIC_MESSAGE: 'public',
  PRIVATE_MESSAGE: 'private',
  STREAM: 'stream',
  GROUP: 'group',
  GET_PEERS: 'getPeers',
  PEER_LIST: 'peerList',
  INTRODUCE: 'introduce',
  INTRODUCE_ERROR: 'introduceError',
  APPROACH: 'approach',
  START_RECORDING: 'startRecordingRoom',
  STOP_RECORDING: 'stopRecordingRoom',
  RECORDING: 'recordingEvent',
  END_OF_CANDIDATES: 'endOfCandidates',
  START_SCREENSHARE: 'startScreenshare',
  START_RTMP: 'startRTMP',
  STOP_RTMP: 'stopRTMP',
  RTMP: 'rtmpEvent',
  MEDIA_INFO_EVENT: 'mediaInfoEvent',
  MESSAGE: 'message',
  GET_STORED_MESSAGES: 'getStoredMessages',
  STORED_MESSAGES: 'storedMessages',
  RESTART: 'restart',
} as const);
export type SigMessageType = ValueOf<typeof SIG_MESSAGE_TYPE>;
/** @hidden Stream status. */
export const STREAM_STATUS = Object.freeze({ ENDED: 'ended' } as const);
/** @hidden Signaling message types that 2.x groups. */
export const GROUP_MESSAGE_LIST = Object.freeze(['stream', 'updateUserEvent', 'public'] as const);
/** @hidden Log tags of 2.x. */
export const TAGS = Object.freeze({
  SKYLINK_EVENT: 'SKYLINK EVENT',
  SKYLINK_ERROR: 'SKYLINK ERROR',
  STATS_MODULE: 'RTCStatsReport',
  SESSION_DESCRIPTION: 'RTCSessionDescription',
  PEER_CONNECTION: 'RTCPeerConnection',
  CANDIDATE_HANDLER: 'RTCIceCandidate',
  DATA_CHANNEL: 'RTCDataChannel',
  SIG_SERVER: 'SIG SERVER',
  PEER_MEDIA: 'PEER MEDIA',
  PEER_INFORMATION: 'PEER INFORMATION',
  ROOM: 'ROOM',
  RECORDING: 'RECORDING',
  MEDIA_STREAM: 'MEDIA STREAM',
  MESSAGING: 'MESSAGING',
  ASYNC_MESSAGING: 'ASYNC MESSAGING',
  ENCRYPTED_MESSAGING: 'ENCRYPTED MESSAGING',
  STATS: 'STATS',
  NEGOTIATION: 'NEGOTIATION',
} as const);
/** @hidden MediaStreamTrack `readyState`. */
export const TRACK_READY_STATE = Object.freeze({ LIVE: 'live', ENDED: 'ended' } as const);
/** MediaStreamTrack `kind`. */
export const TRACK_KIND = Object.freeze({ AUDIO: 'audio', VIDEO: 'video' } as const);
export type TrackKind = ValueOf<typeof TRACK_KIND>;
/** @hidden Keys of a mediaInfo object. */
export const MEDIA_INFO = Object.freeze({
  PUBLISHER_ID: 'publisherId',
  MEDIA_ID: 'mediaId',
  MEDIA_TYPE: 'mediaType',
  MEDIA_STATE: 'mediaState',
  TRANSCEIVER_MID: 'transceiverMid',
  MEDIA_META_DATA: 'mediaMetaData',
  SIMULCAST: 'simulcast',
  STREAM_ID: 'streamId',
} as const);
/** Version of this SDK (2.x: the skylinkjs package version). */
export const SDK_VERSION = PACKAGE_VERSION;
/** SDK type names sent in the `Skylink_SDK_type` header. */
export const SDK_NAME = Object.freeze({
  WEB: 'Web SDK',
  ANDROID: 'Android SDK',
  IOS: 'iOS SDK',
  CPP: 'C++ SDK',
} as const);
/** API version sent in the `Skylink_API_version` header. */
export const API_VERSION = '9.0.0';
/** Signaling server generation sent in the `X-Server-Select` header. */
export const SIGNALING_VERSION = 'sig-v2';
/** Browser names used in `peerInfo.agent.name`. */
export const BROWSER_AGENT = Object.freeze({
  CHROME: 'chrome',
  FIREFOX: 'firefox',
  SAFARI: 'safari',
  REACT_NATIVE: 'react-native',
} as const);
export type BrowserAgent = ValueOf<typeof BROWSER_AGENT>;
/** Server peer types (SERVER_PEER_JOINED `serverPeerType`). */
export const PEER_TYPE = Object.freeze({ MCU: 'MCU', REC_SRV: 'REC_SRV' } as const);
export type PeerType = ValueOf<typeof PEER_TYPE>;
/** @hidden socket.io event names. */
export const SOCKET_EVENTS = Object.freeze({
  CONNECT: 'connect',
  DISCONNECT: 'disconnect',
  RECONNECT_ATTEMPT: 'reconnect_attempt',
  RECONNECT_SUCCESS: 'reconnect_success',
  RECONNECT_FAILED: 'reconnect_failed',
  RECONNECT_ERROR: 'reconnect_error',
  MESSAGE: 'message',
  ERROR: 'error',
} as const);
/** Socket transport names (socketSession `socketType`). */
export const SOCKET_TYPE = Object.freeze({
  POLLING: 'Polling',
  WEBSOCKET: 'WebSocket',
  XHR_POLLING: 'xhr-polling',
  JSONP_POLLING: 'jsonp-polling',
} as const);
export type SocketType = ValueOf<typeof SOCKET_TYPE>;
/** @hidden */
export const STATES = Object.freeze({ SIGNALING: SOCKET_EVENTS } as const);
/** @hidden */
export const CONFIG_NAME = Object.freeze({ PEER_CONNECTION: 'PEER_CONNECTION', SOCKET: 'SOCKET' } as const);
/** @hidden Negotiation steps (note the leading space of LOCAL_OFFER_SET, as in 2.x). */
export const NEGOTIATION_STATES = Object.freeze({
  ENTERING: 'entering',
  WELCOMING: 'welcoming',
  LOCAL_OFFER_SENT: 'localOfferSent',
  LOCAL_OFFER_SET: ' localOfferSet',
  REMOTE_OFFER_RECEIVED: 'remoteOfferReceived',
  REMOTE_ANSWER_RECEIVED: 'remoteAnswerReceived',
  REMOTE_OFFER_SET: 'remoteOfferSet',
  LOCAL_ANSWER_SET: 'localAnswerSet',
  REMOTE_ANSWER_SET: 'remoteAnswerSet',
  NEGOTIATED: 'negotiated',
} as const);

/**
 * All 2.x constants in one object, as exported by skylinkjs (`import { SkylinkConstants } from ...`).
 *
 * @example
 * ```ts
 * if (evt.detail.state === SkylinkConstants.PEER_CONNECTION_STATE.CONNECTED) { ... }
 * ```
 */
export const SkylinkConstants = Object.freeze({
  READY_STATE_CHANGE,
  READY_STATE_CHANGE_ERROR,
  PEER_CONNECTION_STATE,
  ICE_CONNECTION_STATE,
  CANDIDATE_GENERATION_STATE,
  CANDIDATE_PROCESSING_STATE,
  HANDSHAKE_PROGRESS,
  DATA_CHANNEL_STATE,
  DATA_CHANNEL_TYPE,
  DATA_CHANNEL_MESSAGE_ERROR,
  DATA_TRANSFER_STATE,
  DATA_TRANSFER_DATA_TYPE,
  DATA_TRANSFER_DIRECTION,
  DATA_TRANSFER_SESSION_TYPE,
  DT_PROTOCOL_VERSION,
  SM_PROTOCOL_VERSION,
  GET_CONNECTION_STATUS_STATE,
  GET_PEERS_STATE,
  SYSTEM_ACTION,
  SYSTEM_ACTION_REASON,
  SOCKET_ERROR,
  SOCKET_FALLBACK,
  LOG_LEVEL,
  MEDIA_ACCESS_FALLBACK_STATE,
  RECORDING_STATE,
  RTMP_STATE,
  MEDIA_STATUS,
  MEDIA_TYPE,
  MEDIA_STATE,
  MEDIA_SOURCE,
  VIDEO_RESOLUTION,
  VIDEO_QUALITY,
  BUNDLE_POLICY,
  RTCP_MUX_POLICY,
  PEER_CERTIFICATE,
  SDP_SEMANTICS,
  TURN_TRANSPORT,
  EVENTS,
  DATA_CHANNEL_MESSAGE_TYPE,
  SESSION_CHUNK_TYPE,
  ACK_PROTOCOL_NUMBER,
  AUTH_STATE,
  DATA_STREAM_STATE,
  INTRODUCE_STATE,
  REGIONAL_SERVER,
  VIDEO_CODEC,
  AUDIO_CODEC,
  CHUNK_FILE_SIZE,
  MOZ_CHUNK_FILE_SIZE,
  BINARY_FILE_SIZE,
  MOZ_BINARY_FILE_SIZE,
  CHUNK_DATAURL_SIZE,
  DC_PROTOCOL_TYPE,
  SIG_MESSAGE_TYPE,
  STREAM_STATUS,
  GROUP_MESSAGE_LIST,
  TAGS,
  TRACK_READY_STATE,
  TRACK_KIND,
  MEDIA_INFO,
  SDK_VERSION,
  SDK_NAME,
  API_VERSION,
  SIGNALING_VERSION,
  BROWSER_AGENT,
  PEER_TYPE,
  SOCKET_EVENTS,
  SOCKET_TYPE,
  STATES,
  CONFIG_NAME,
  NEGOTIATION_STATES,
} as const);
