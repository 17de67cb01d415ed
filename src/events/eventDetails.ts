/**
 * `detail` payload of every Skylink event. Field names are the 2.x ones that listeners read
 * (`evt.detail.peerId`, `evt.detail.room`, ...). Additions over 2.x: `roomName` on every room-scoped
 * event, so multi-room apps can demultiplex without digging into `room` / `peerInfo`.
 * @module
 */
import type {
  CandidateGenerationState,
  CandidateProcessingState,
  DataChannelMessageError,
  DataChannelState,
  DataChannelType,
  DataTransferDirection,
  DataTransferState,
  GetConnectionStatusState,
  GetPeersState,
  HandshakeProgress,
  IceConnectionState,
  MediaAccessFallbackState,
  PeerConnectionState,
  PeerType,
  ReadyState,
  RecordingState,
  RtmpState,
  SocketErrorCode,
  SocketFallback,
  SystemAction,
  SystemActionReason,
} from '../constants';
import type { MediaInfo, PeersList, SocketSession } from '../types/misc';
import type { SkylinkMessage, StoredMessage } from '../types/messaging';
import type { PeerInfo, RoomInfo, StreamMediaStatus } from '../types/peer';
import type { ConnectionStatistics } from '../types/stats';
import type { TransferInfo } from '../types/transfer';

/** Present on every event that belongs to one room. */
export interface RoomScoped {
  /** Name of the room the event belongs to (as given to `joinRoom`). */
  roomName: string;
}

/** Room-scoped event that also carries the 2.x `room` info object. */
export interface WithRoomInfo extends RoomScoped {
  /** The room (2.x `roomInfo`). */
  room: RoomInfo;
}

// ---------------------------------------------------------------------------------------------
// Peer / room
// ---------------------------------------------------------------------------------------------

/** PEER_JOINED. */
export interface PeerJoinedDetail extends WithRoomInfo {
  peerId: string;
  peerInfo: PeerInfo;
  /** `true` when we joined (fired when the server confirms our join). */
  isSelf: boolean;
  /** Self variant only. */
  peerSessionId?: string;
}

/** PEER_UPDATED. */
export interface PeerUpdatedDetail extends RoomScoped {
  peerId: string;
  peerInfo: PeerInfo;
  isSelf: boolean;
  /** Present when fired after a remote track was added. */
  room?: RoomInfo;
}

/** PEER_LEFT. */
export interface PeerLeftDetail extends WithRoomInfo {
  peerId: string;
  peerInfo: PeerInfo;
  /** `true` at the end of our own `leaveRoom`. */
  isSelf: boolean;
}

/** SERVER_PEER_JOINED. */
export interface ServerPeerJoinedDetail extends WithRoomInfo {
  /** `'MCU'` or `'REC_SRV'`. */
  peerId: string;
  serverPeerType: PeerType;
}

/** SERVER_PEER_LEFT. */
export interface ServerPeerLeftDetail extends WithRoomInfo {
  peerId: string;
  serverPeerType: PeerType;
}

/** PEER_CONNECTION_STATE. */
export interface PeerConnectionStateDetail extends RoomScoped {
  /** A signaling state (`stable`, `have-local-offer`...) or a connection state (`connected`, `failed`...). */
  state: PeerConnectionState | RTCSignalingState | RTCPeerConnectionState;
  peerId: string;
}

/** HANDSHAKE_PROGRESS. */
export interface HandshakeProgressDetail extends WithRoomInfo {
  state: HandshakeProgress;
  /** Our own id for steps we send (enter, offer, answer, answerAck), else the remote peer id. */
  peerId: string;
  /** Set when `state` is `'error'`. */
  error?: Error;
}

/** ROOM_LOCK. */
export interface RoomLockDetail extends WithRoomInfo {
  isLocked: boolean;
  peerId: string;
  peerInfo: PeerInfo;
  isSelf: boolean;
}

/** SYSTEM_ACTION. */
export interface SystemActionDetail extends RoomScoped {
  action: SystemAction;
  /** Human-readable text. */
  info: string;
  /** `SkylinkConstants.SYSTEM_ACTION_REASON` value (servers may send others). */
  reason: SystemActionReason | (string & {});
  /** Server room key. */
  rid: string;
}

/** SESSION_DISCONNECT: the signaling connection was lost while in the room. */
export interface SessionDisconnectDetail extends RoomScoped {
  peerId: string;
  peerInfo: PeerInfo;
  reason: string;
}

/** ROOM_REJOIN (never fired, kept for 2.x compatibility). */
export interface RoomRejoinDetail extends WithRoomInfo {
  peerId: string;
}

/** GET_PEERS_STATE_CHANGE. */
export interface GetPeersStateChangeDetail extends RoomScoped {
  state: GetPeersState;
  privilegePeerId: string | null;
  peerList: PeersList | null;
}

/** INTRODUCE_STATE_CHANGE (peer introduction is not part of 2.x; kept for completeness). */
export interface IntroduceStateChangeDetail extends RoomScoped {
  state: 'introducing' | 'error';
  privilegedPeerId: string;
  sendingPeerId: string;
  receivingPeerId: string;
  reason: string | null;
}

/** BYE (never fired, kept for 2.x compatibility). */
export interface ByeDetail extends RoomScoped {
  rid: string;
  mid: string;
}

/** Error info of READY_STATE_CHANGE. */
export interface ReadyStateErrorInfo {
  /** HTTP status, or -1 / -2 for local failures. */
  status: number;
  content: Error;
  /** `SkylinkConstants.READY_STATE_CHANGE_ERROR` value, or the server's own error code. */
  errorCode: number;
}

/** READY_STATE_CHANGE. */
export interface ReadyStateChangeDetail {
  readyState: ReadyState;
  error: ReadyStateErrorInfo | null;
  /** Room being prepared, `null` for the constructor's INIT. (2.x sent a bare name string at some steps.) */
  room: (Partial<RoomInfo> & { roomName: string }) | null;
  /** Room name, `null` for the constructor's INIT. */
  roomName: string | null;
}

// ---------------------------------------------------------------------------------------------
// Streams / media
// ---------------------------------------------------------------------------------------------

/** ON_INCOMING_STREAM. */
export interface IncomingStreamDetail extends WithRoomInfo {
  stream: MediaStream;
  streamId: string;
  peerId: string;
  peerInfo: PeerInfo;
  isSelf: boolean;
  isVideo: boolean;
  isAudio: boolean;
}

/** ON_INCOMING_SCREEN_STREAM. */
export interface IncomingScreenStreamDetail extends IncomingStreamDetail {}

/** STREAM_ENDED. */
export interface StreamEndedDetail {
  /** `null` only for `stopPrefetchedStream` (a stream not attached to a room). */
  roomName: string | null;
  room: RoomInfo | null;
  peerId: string | null;
  peerInfo: PeerInfo | null;
  isSelf: boolean;
  isScreensharing: boolean;
  streamId: string;
  isVideo: boolean;
  isAudio: boolean;
}

/** STREAM_MUTED. */
export interface StreamMutedDetail extends RoomScoped {
  peerId: string;
  peerInfo: PeerInfo;
  isSelf: boolean;
  streamId: string;
  isScreensharing: boolean;
  /** Self: stream has audio; remote: audio mute state changed. */
  isAudio: boolean;
  /** Self: stream has video; remote: video mute state changed. */
  isVideo: boolean;
}

/** LOCAL_MEDIA_MUTED. */
export interface LocalMediaMutedDetail extends RoomScoped {
  streamId: string;
  isScreensharing: boolean;
  /** `SkylinkConstants.MEDIA_STATUS` values. */
  mediaStatus: StreamMediaStatus;
}

/** MEDIA_ACCESS_SUCCESS. */
export interface MediaAccessSuccessDetail extends RoomScoped {
  stream: MediaStream;
  streamId: string;
  isScreensharing: boolean;
  isAudioFallback: boolean;
  isAudio: boolean;
  isVideo: boolean;
}

/** MEDIA_ACCESS_ERROR. */
export interface MediaAccessErrorDetail extends RoomScoped {
  error: Error;
  isAudioFallbackError: boolean;
}

/** MEDIA_ACCESS_FALLBACK. */
export interface MediaAccessFallbackDetail extends RoomScoped {
  error: Error;
  state: MediaAccessFallbackState;
  isAudioFallback: boolean;
}

/** MEDIA_ACCESS_STOPPED. */
export interface MediaAccessStoppedDetail extends RoomScoped {
  isScreensharing: boolean;
  streamId: string;
}

/** MEDIA_ACCESS_REQUIRED (never fired, kept for 2.x compatibility). */
export interface MediaAccessRequiredDetail extends RoomScoped {}

/** RECORDING_STATE. */
export interface RecordingStateDetail extends RoomScoped {
  state: RecordingState;
  recordingId: string;
  error?: Error | null;
}

/** RTMP_STATE. */
export interface RtmpStateDetail extends RoomScoped {
  state: RtmpState;
  rtmpId: string;
  error: Error | null;
}

/** MEDIA_INFO_DELETED (internal in 2.x). */
export interface MediaInfoDeletedDetail extends RoomScoped {
  mediaInfo: MediaInfo;
}

/**
 * Beyond 2.x: AUDIO_ACTIVITY. Measured client-side (remote peers from the RTP audio-level header, we
 * from our microphone sender): fired when a peer starts speaking, at most every 300 ms while it speaks,
 * and once when it stops. Never fired for silent peers.
 */
export interface AudioActivityDetail extends WithRoomInfo {
  peerId: string;
  isSelf: boolean;
  /** Linear level, 0..1. */
  audioLevel: number;
  isSpeaking: boolean;
}

/** Beyond 2.x: ACTIVE_SPEAKER, the loudest speaking peer of the room (kept at least 1.5 s while it speaks). */
export interface ActiveSpeakerDetail extends WithRoomInfo {
  /** `null` when nobody speaks. */
  peerId: string | null;
  isSelf: boolean;
}

// ---------------------------------------------------------------------------------------------
// Messaging / data
// ---------------------------------------------------------------------------------------------

/** ON_INCOMING_MESSAGE. */
export interface IncomingMessageDetail extends WithRoomInfo {
  message: SkylinkMessage;
  /** Sender (self on the local echo). */
  peerId: string;
  peerInfo: PeerInfo;
  isSelf: boolean;
}

/** STORED_MESSAGES. */
export interface StoredMessagesDetail extends WithRoomInfo {
  storedMessages: StoredMessage[];
  isSelf: true;
  peerId: string;
  peerInfo: PeerInfo;
}

/** ENCRYPT_SECRETS_UPDATED. Contains the secrets: never log this detail unredacted. */
export interface EncryptSecretsUpdatedDetail extends WithRoomInfo {
  /** `{ [secretId]: secret }`. */
  encryptSecrets: Record<string, string>;
  /** `''` when none is selected. */
  selectedSecretId: string;
  peerId: string;
  peerInfo: PeerInfo;
}

/** PERSISTENT_MESSAGE_STATE. */
export interface PersistentMessageStateDetail extends WithRoomInfo {
  isPersistent: boolean;
  peerId: string;
  peerInfo: PeerInfo;
}

/** DATA_CHANNEL_STATE. */
export interface DataChannelStateDetail extends RoomScoped {
  state: DataChannelState;
  peerId: string;
  room?: RoomInfo;
  channelName: string;
  channelType: DataChannelType;
  bufferAmount: { bufferedAmount: number; bufferedAmountLowThreshold: number } | null;
  error?: Error | null;
  /** Only on SEND_MESSAGE_ERROR. */
  messageType?: DataChannelMessageError;
}

/** DATA_TRANSFER_STATE. */
export interface DataTransferStateDetail extends RoomScoped {
  state: DataTransferState;
  transferId: string;
  peerId: string;
  transferInfo: TransferInfo;
  error?: { message: Error | string; transferType: DataTransferDirection | null };
}

/** ON_INCOMING_DATA. */
export interface IncomingDataDetail extends RoomScoped {
  data: Blob;
  transferId: string;
  peerId: string;
  transferInfo: TransferInfo;
  /** `true` on the sender side. */
  isSelf: boolean;
}

/** ON_INCOMING_DATA_REQUEST. */
export interface IncomingDataRequestDetail extends RoomScoped {
  transferId: string;
  peerId: string;
  transferInfo: TransferInfo;
  /** `true` on the sender side. */
  isSelf: boolean;
}

/** DATA_STREAM_STATE and ON_INCOMING_DATA_STREAM* (data streaming is not in 2.x; never fired). */
export interface DataStreamDetail extends RoomScoped {
  peerId: string;
  streamId: string;
  state?: string;
}

// ---------------------------------------------------------------------------------------------
// ICE / diagnostics
// ---------------------------------------------------------------------------------------------

/** ICE_CONNECTION_STATE. */
export interface IceConnectionStateDetail extends RoomScoped {
  state: IceConnectionState | RTCIceConnectionState;
  peerId: string;
}

/** CANDIDATE_GENERATION_STATE. */
export interface CandidateGenerationStateDetail extends WithRoomInfo {
  peerId: string;
  state: CandidateGenerationState;
}

/** CANDIDATE_PROCESSING_STATE. */
export interface CandidateProcessingStateDetail extends WithRoomInfo {
  peerId: string;
  state: CandidateProcessingState;
  candidateId: string;
  /** `'host' | 'srflx' | 'relay' | 'prflx'`. */
  candidateType: string;
  candidate: RTCIceCandidateInit;
  error: Error | null;
}

/** CANDIDATES_GATHERED. */
export interface CandidatesGatheredDetail extends WithRoomInfo {
  peerId: string;
  candidatesLength: { expected: number; received: number; processed: number };
}

/** GET_CONNECTION_STATUS_STATE_CHANGE. */
export interface GetConnectionStatusStateChangeDetail extends RoomScoped {
  state: GetConnectionStatusState;
  peerId: string;
  stats?: ConnectionStatistics;
  error?: Error;
}

// ---------------------------------------------------------------------------------------------
// Socket (one socket is shared by all rooms: these are not room-scoped unless noted)
// ---------------------------------------------------------------------------------------------

/** CHANNEL_OPEN. */
export interface ChannelOpenDetail {
  socketSession: SocketSession;
  /** Socket id. */
  peerId: string;
}

/** CHANNEL_CLOSE. */
export interface ChannelCloseDetail {
  socketSession: SocketSession;
  reason: string;
  peerId: string;
}

/** CHANNEL_ERROR. */
export interface ChannelErrorDetail {
  error: Error;
  socketSession: SocketSession;
  peerId: string;
}

/** CHANNEL_MESSAGE (debug: every received signaling message of a joined room). */
export interface ChannelMessageDetail extends RoomScoped {
  /** Raw JSON string. */
  message: string;
  socketSession: SocketSession;
}

/** SOCKET_ERROR. */
export interface SocketErrorDetail {
  session: SocketSession;
  errorCode: SocketErrorCode;
  type: SocketFallback;
  error: Error;
}

/** CHANNEL_REOPEN (deprecated, never fired). */
export interface ChannelReopenDetail {
  socketSession: SocketSession;
}

/** CHANNEL_RETRY (deprecated, never fired). */
export interface ChannelRetryDetail {
  fallbackType: SocketFallback;
  currentAttempt: number;
  session: SocketSession;
}

/** LOGGED_ON_CONSOLE (private in 2.x, never delivered). */
export interface LoggedOnConsoleDetail {
  level: string;
  message: string;
  debugObject: unknown;
}
