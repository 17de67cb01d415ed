/**
 * Event name → `detail` type. Drives the typing of `SkylinkEventManager.addEventListener`.
 * @module
 */
import type * as D from './eventDetails';
import type { SkylinkEventName } from './SkylinkEvents';

/**
 * Maps every event name of `SkylinkEvents` to its `detail` interface. Keys are the 2.x event strings;
 * the compile-time check below fails if a name has no detail or a detail has no name.
 */
export interface SkylinkEventMap {
  // Peer / room
  peerJoined: D.PeerJoinedDetail;
  peerUpdated: D.PeerUpdatedDetail;
  peerLeft: D.PeerLeftDetail;
  serverPeerJoined: D.ServerPeerJoinedDetail;
  serverPeerLeft: D.ServerPeerLeftDetail;
  peerConnectionState: D.PeerConnectionStateDetail;
  handshakeProgress: D.HandshakeProgressDetail;
  roomLock: D.RoomLockDetail;
  systemAction: D.SystemActionDetail;
  sessionDisconnect: D.SessionDisconnectDetail;
  roomRejoin: D.RoomRejoinDetail;
  getPeersStateChange: D.GetPeersStateChangeDetail;
  introduceStateChange: D.IntroduceStateChangeDetail;
  bye: D.ByeDetail;
  readyStateChange: D.ReadyStateChangeDetail;
  // Streams / media
  onIncomingStream: D.IncomingStreamDetail;
  onIncomingScreenStream: D.IncomingScreenStreamDetail;
  streamEnded: D.StreamEndedDetail;
  streamMuted: D.StreamMutedDetail;
  localMediaMuted: D.LocalMediaMutedDetail;
  mediaAccessSuccess: D.MediaAccessSuccessDetail;
  mediaAccessError: D.MediaAccessErrorDetail;
  mediaAccessFallback: D.MediaAccessFallbackDetail;
  mediaAccessStopped: D.MediaAccessStoppedDetail;
  mediaAccessRequired: D.MediaAccessRequiredDetail;
  recordingState: D.RecordingStateDetail;
  rtmpState: D.RtmpStateDetail;
  mediaInfoDeleted: D.MediaInfoDeletedDetail;
  audioActivity: D.AudioActivityDetail;
  activeSpeaker: D.ActiveSpeakerDetail;
  // Messaging / data
  onIncomingMessage: D.IncomingMessageDetail;
  storedMessages: D.StoredMessagesDetail;
  encryptSecretsUpdated: D.EncryptSecretsUpdatedDetail;
  persistentMessageState: D.PersistentMessageStateDetail;
  dataChannelState: D.DataChannelStateDetail;
  dataTransferState: D.DataTransferStateDetail;
  onIncomingData: D.IncomingDataDetail;
  onIncomingDataRequest: D.IncomingDataRequestDetail;
  dataStreamState: D.DataStreamDetail;
  onIncomingDataStream: D.DataStreamDetail;
  onIncomingDataStreamStarted: D.DataStreamDetail;
  onIncomingDataStreamStopped: D.DataStreamDetail;
  // ICE / diagnostics
  iceConnectionState: D.IceConnectionStateDetail;
  candidateGenerationState: D.CandidateGenerationStateDetail;
  candidateProcessingState: D.CandidateProcessingStateDetail;
  candidatesGathered: D.CandidatesGatheredDetail;
  getConnectionStatusStateChange: D.GetConnectionStatusStateChangeDetail;
  // Socket
  channelOpen: D.ChannelOpenDetail;
  channelClose: D.ChannelCloseDetail;
  channelError: D.ChannelErrorDetail;
  channelMessage: D.ChannelMessageDetail;
  socketError: D.SocketErrorDetail;
  channelReopen: D.ChannelReopenDetail;
  channelRetry: D.ChannelRetryDetail;
  // Logger
  loggedOnConsole: D.LoggedOnConsoleDetail;
}

/** The `detail` type of event `K`. */
export type SkylinkEventDetail<K extends SkylinkEventName> = SkylinkEventMap[K];

// Compile-time exhaustiveness check (STYLE.md 3.4): fails to compile when an event name lacks a
// detail, or when the map has a key that is not an event name.
type Exhaustive = [SkylinkEventName] extends [keyof SkylinkEventMap]
  ? [keyof SkylinkEventMap] extends [SkylinkEventName]
    ? true
    : never
  : never;
const exhaustive: Exhaustive = true;
void exhaustive;
