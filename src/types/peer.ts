/**
 * Peer and room information types (`peerInfo`, `roomInfo`, `customSettings`, `dataChannelInfo`).
 * @module
 */
import type { DataChannelType, MediaStatusValue } from '../constants';
import type { BandwidthOptions, VideoResolutionOption } from './options';

/**
 * Information about a joined room (2.x `roomInfo`, `detail.room` in events).
 */
export interface RoomInfo {
  /** Server room key (`rid`). */
  id: string;
  /** Room name as given to `joinRoom`. */
  roomName: string;
  /** Id of the current room session (a session starts with the first peer and ends with the last). */
  roomSessionId: string | null;
  /** Room length from the room server response. */
  duration: number | null;
  /** Whether the room is locked. */
  isLocked: boolean;
  /** Whether we are in the room (the server confirmed the join). */
  inRoom: boolean;
}

/** Settings of one advertised audio stream. */
export interface AudioStreamSettings {
  stereo: boolean;
  echoCancellation: boolean;
  exactConstraints: boolean;
  deviceId?: string;
}

/** Settings of one advertised video stream. */
export interface VideoStreamSettings {
  resolution: VideoResolutionOption;
  frameRate?: number;
  exactConstraints: boolean;
  deviceId?: string;
  facingMode?: string;
  screenshare?: boolean;
}

/** A peer's advertised media settings (2.x `customSettings`, also `peerInfo.settings`). */
export interface CustomSettings {
  /** Self: `enableDataChannel`; remote: whether our `main` data channel with it is open. */
  data: boolean;
  /** `false` when no audio, else per-stream settings. */
  audio: false | Record<string, AudioStreamSettings>;
  /** `false` when no video, else per-stream settings. */
  video: false | Record<string, VideoStreamSettings>;
  /** Max send bandwidth (kbps). */
  maxBandwidth: BandwidthOptions;
}

/** Mute state of one stream (`SkylinkConstants.MEDIA_STATUS`: 1 active, 0 muted, -1 unavailable). */
export interface StreamMediaStatus {
  audioMuted: MediaStatusValue;
  videoMuted: MediaStatusValue;
}

/** Client agent information exchanged in `enter`/`welcome`. */
export interface PeerAgentInfo {
  /** Browser name (`SkylinkConstants.BROWSER_AGENT`). */
  name: string;
  /** Browser version as a number (`'0.9.6.1'` → `0.90601`). */
  version: number;
  /** `navigator.platform`. */
  os: string;
  pluginVersion: string | null;
  /** Signaling message protocol version. */
  SMProtocolVersion: string;
  /** Data-channel transfer protocol version. */
  DTProtocolVersion: string;
  /** SDK version string. */
  SDKVersion?: string;
}

/** Connection configuration a peer advertises. */
export interface PeerConfig {
  enableDataChannel: boolean;
  enableIceRestart: boolean;
  /** The peer with the higher weight makes the offer. */
  priorityWeight: number;
}

/** Information about a peer (self or remote), 2.x `peerInfo`. */
export interface PeerInfo {
  /** Custom user data (`null` when unset; JSON strings from remote peers are parsed). */
  userData: unknown;
  /** Advertised media settings. */
  settings: CustomSettings;
  /** Mute state keyed by stream id. */
  mediaStatus: Record<string, StreamMediaStatus>;
  /** Client agent. */
  agent: PeerAgentInfo;
  /** The room this info belongs to. */
  room: RoomInfo;
  /** Connection configuration. */
  config: PeerConfig;
  /** Legacy screenshare flag. */
  screenshare?: boolean;
}

/** Entry of `getPeersInRoom()`. */
export interface PeerInRoomInfo extends PeerInfo {
  isSelf: boolean;
}

/** One data channel of a peer (`getPeersDataChannels`). */
export interface DataChannelInfo {
  channelName: string;
  /** `'main'` or a transfer id. */
  channelProp: string;
  channelType: DataChannelType;
  currentTransferId: string | null;
  currentStreamId: string | null;
  /** RTCDataChannel `readyState` or `'createError'`. */
  readyState: RTCDataChannelState | 'createError';
  bufferedAmountLow: boolean;
  bufferedAmountLowThreshold: number;
}
