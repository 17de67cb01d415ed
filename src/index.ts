/**
 * Skylink SDK: promise-based, multi-room WebRTC for the browser with the Skylink 2.x API.
 *
 * @example
 * ```ts
 * import Skylink, { SkylinkEventManager, SkylinkEvents, SkylinkConstants, SkylinkLogger } from 'skylink-sdk';
 * ```
 * @module
 */
import Skylink from './Skylink';

export default Skylink;
export { Skylink };
export type { SkylinkInternals } from './Skylink';

// Constants and event names
export { SkylinkConstants } from './constants';
export type {
  ValueOf,
  ReadyState,
  ReadyStateChangeError,
  PeerConnectionState,
  IceConnectionState,
  CandidateGenerationState,
  CandidateProcessingState,
  HandshakeProgress,
  DataChannelState,
  DataChannelType,
  DataChannelMessageError,
  DataTransferState,
  DataTransferDataType,
  DataTransferDirection,
  DataTransferSessionType,
  GetConnectionStatusState,
  GetPeersState,
  SystemAction,
  SystemActionReason,
  SocketErrorCode,
  SocketFallback,
  LegacyLogLevel,
  MediaAccessFallbackState,
  RecordingState,
  RtmpState,
  MediaStatusValue,
  MediaType,
  MediaState,
  MediaSourceKind,
  VideoResolutionPreset,
  VideoQualityPreset,
  BundlePolicy,
  RtcpMuxPolicy,
  PeerCertificate,
  SdpSemantics,
  TurnTransport,
  VideoCodec,
  AudioCodec,
  DcProtocolType,
  SigMessageType,
  TrackKind,
  BrowserAgent,
  PeerType,
  SocketType,
} from './constants';
export { SkylinkEvents } from './events/SkylinkEvents';
export type { SkylinkEventKey, SkylinkEventName } from './events/SkylinkEvents';

// Events
export {
  skylinkEventManager as SkylinkEventManager,
  SkylinkEventManagerClass,
} from './events/SkylinkEventManager';
export type { SkylinkEventListener, SkylinkListenerOptions } from './events/SkylinkEventManager';
export type { SkylinkEventMap, SkylinkEventDetail } from './events/SkylinkEventMap';
export type * from './events/eventDetails';

// Message encryption modes (beyond 2.x, see docs/encryption.md)
export { EncryptionMode } from './crypto/MessageCrypto';

// Errors and logging
export { SkylinkError, SkylinkErrorCode, isSkylinkError } from './errors';
export type { SkylinkErrorContext } from './errors';
export { SkylinkLogger, SkylinkLoggerClass } from './logger';
export type {
  LogContext,
  SkylinkLogHandler,
  SkylinkLogLevel,
  SkylinkLogLevelName,
  SkylinkMessageLevelName,
  SetLogHandlerOptions,
  StoredLogItem,
} from './logger';

// Option, payload and result types
export type * from './types/options';
export type * from './types/peer';
export type * from './types/media';
export type * from './types/stats';
export type * from './types/transfer';
export type * from './types/messaging';
export type * from './types/misc';
