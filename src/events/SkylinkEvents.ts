/**
 * The event-name table of Skylink 2.x (`SkylinkConstants.EVENTS`, also exported as `SkylinkEvents`).
 *
 * Every name that 2.x defines is here with its 2.x string value, including the few that 2.x declares
 * but never fires (kept so that 2.x code referencing them still compiles).
 *
 * @example
 * ```ts
 * SkylinkEventManager.addEventListener(SkylinkEvents.PEER_JOINED, (evt) => {
 *   console.log(evt.detail.roomName, evt.detail.peerId, evt.detail.isSelf);
 * });
 * ```
 */
export const SkylinkEvents = Object.freeze({
  // Peer / room
  /** A peer (or ourselves, `isSelf: true`) joined a room. */
  PEER_JOINED: 'peerJoined',
  /** A peer's info (userData, streams, mute state...) changed. */
  PEER_UPDATED: 'peerUpdated',
  /** A peer (or ourselves at the end of `leaveRoom`) left a room. */
  PEER_LEFT: 'peerLeft',
  /** A server peer (MCU, recording server) joined the room. */
  SERVER_PEER_JOINED: 'serverPeerJoined',
  /** A server peer left the room. */
  SERVER_PEER_LEFT: 'serverPeerLeft',
  /** RTCPeerConnection signaling state or connection state changed. */
  PEER_CONNECTION_STATE: 'peerConnectionState',
  /** A step of the enter / welcome / offer / answer handshake happened. */
  HANDSHAKE_PROGRESS: 'handshakeProgress',
  /** The room was locked or unlocked. */
  ROOM_LOCK: 'roomLock',
  /** The server sent a warning or rejected us. */
  SYSTEM_ACTION: 'systemAction',
  /** The signaling connection was lost while in a room. */
  SESSION_DISCONNECT: 'sessionDisconnect',
  /** Declared by 2.x, never fired. */
  ROOM_REJOIN: 'roomRejoin',
  /** Progress of a privileged `getPeers` request. */
  GET_PEERS_STATE_CHANGE: 'getPeersStateChange',
  /** Declared by 2.x (peer introduction), not fired. */
  INTRODUCE_STATE_CHANGE: 'introduceStateChange',
  /** Declared by 2.x (private), never fired. */
  BYE: 'bye',
  /** Room authentication / initialisation progress. */
  READY_STATE_CHANGE: 'readyStateChange',

  // Streams / media
  /** A local or remote camera/microphone stream is available. */
  ON_INCOMING_STREAM: 'onIncomingStream',
  /** A local or remote screen-share stream is available. */
  ON_INCOMING_SCREEN_STREAM: 'onIncomingScreenStream',
  /** A local or remote stream ended. */
  STREAM_ENDED: 'streamEnded',
  /** A local or remote stream was muted or unmuted. */
  STREAM_MUTED: 'streamMuted',
  /** One of our own streams was muted or unmuted. */
  LOCAL_MEDIA_MUTED: 'localMediaMuted',
  /** Media was acquired (getUserMedia / getDisplayMedia). */
  MEDIA_ACCESS_SUCCESS: 'mediaAccessSuccess',
  /** Media acquisition failed. */
  MEDIA_ACCESS_ERROR: 'mediaAccessError',
  /** Audio-only fallback after a failed audio+video request. */
  MEDIA_ACCESS_FALLBACK: 'mediaAccessFallback',
  /** A local stream was stopped. */
  MEDIA_ACCESS_STOPPED: 'mediaAccessStopped',
  /** Declared by 2.x (0.6 concept), never fired. */
  MEDIA_ACCESS_REQUIRED: 'mediaAccessRequired',
  /** Recording state changed (MCU). */
  RECORDING_STATE: 'recordingState',
  /** RTMP session state changed (MCU). */
  RTMP_STATE: 'rtmpState',
  /** Internal in 2.x: a remote media info entry was deleted. */
  MEDIA_INFO_DELETED: 'mediaInfoDeleted',
  /** Beyond 2.x: a peer's (or our own) audio level while it speaks, throttled; once more when it stops. */
  AUDIO_ACTIVITY: 'audioActivity',
  /** Beyond 2.x: the loudest speaking peer of a room changed (`peerId: null` when nobody speaks). */
  ACTIVE_SPEAKER: 'activeSpeaker',

  // Messaging / data
  /** A chat message (signaling or data channel) arrived or was sent (`isSelf`). */
  ON_INCOMING_MESSAGE: 'onIncomingMessage',
  /** Stored (persisted) messages arrived. */
  STORED_MESSAGES: 'storedMessages',
  /** The room's encryption secrets or selected secret changed. */
  ENCRYPT_SECRETS_UPDATED: 'encryptSecretsUpdated',
  /** The room's message persistence flag changed. */
  PERSISTENT_MESSAGE_STATE: 'persistentMessageState',
  /** A data channel changed state. */
  DATA_CHANNEL_STATE: 'dataChannelState',
  /** A blob transfer progressed. */
  DATA_TRANSFER_STATE: 'dataTransferState',
  /** A blob transfer completed (data available). */
  ON_INCOMING_DATA: 'onIncomingData',
  /** A blob transfer was requested (sent by us or received). */
  ON_INCOMING_DATA_REQUEST: 'onIncomingDataRequest',
  /** Declared by 2.x (data streaming), never fired. */
  DATA_STREAM_STATE: 'dataStreamState',
  /** Declared by 2.x (data streaming), never fired. */
  ON_INCOMING_DATA_STREAM: 'onIncomingDataStream',
  /** Declared by 2.x (data streaming), never fired. */
  ON_INCOMING_DATA_STREAM_STARTED: 'onIncomingDataStreamStarted',
  /** Declared by 2.x (data streaming), never fired. */
  ON_INCOMING_DATA_STREAM_STOPPED: 'onIncomingDataStreamStopped',

  // ICE / connection diagnostics
  /** RTCPeerConnection ICE connection state changed. */
  ICE_CONNECTION_STATE: 'iceConnectionState',
  /** Local ICE gathering state changed. */
  CANDIDATE_GENERATION_STATE: 'candidateGenerationState',
  /** A remote ICE candidate was received / buffered / processed / dropped. */
  CANDIDATE_PROCESSING_STATE: 'candidateProcessingState',
  /** All remote candidates of a peer were processed. */
  CANDIDATES_GATHERED: 'candidatesGathered',
  /** Progress of `getConnectionStatus`. */
  GET_CONNECTION_STATUS_STATE_CHANGE: 'getConnectionStatusStateChange',

  // Socket
  /** The signaling socket connected. */
  CHANNEL_OPEN: 'channelOpen',
  /** The signaling socket closed. */
  CHANNEL_CLOSE: 'channelClose',
  /** The signaling socket reported an error. */
  CHANNEL_ERROR: 'channelError',
  /** A signaling message was received (debug). */
  CHANNEL_MESSAGE: 'channelMessage',
  /** The signaling socket could not be created / connected. */
  SOCKET_ERROR: 'socketError',
  /** Deprecated in 2.x, never fired (see SESSION_DISCONNECT). */
  CHANNEL_REOPEN: 'channelReopen',
  /** Deprecated in 2.x, never fired. */
  CHANNEL_RETRY: 'channelRetry',

  // Logger
  /** Private in 2.x and never delivered. */
  LOGGED_ON_CONSOLE: 'loggedOnConsole',
} as const);

/** Constant key of an event in {@link SkylinkEvents} (e.g. `'PEER_JOINED'`). */
export type SkylinkEventKey = keyof typeof SkylinkEvents;
/** Event name string (e.g. `'peerJoined'`). */
export type SkylinkEventName = (typeof SkylinkEvents)[SkylinkEventKey];
