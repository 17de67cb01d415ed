/**
 * State of one joined room: who we are in it, what the server told us, and what we know about each
 * remote peer. Plain data plus pure views (`roomInfo()`, `peerInfo()`); only SkylinkRoom mutates it.
 * @internal
 */
import { DT_PROTOCOL_VERSION, SM_PROTOCOL_VERSION } from '../constants';
import type { AgentInfo } from '../platform/SkylinkPlatform';
import type { MediaInfo, UserInfo } from '../signaling/protocol';
import type { CustomSettings, PeerAgentInfo, PeerConfig, PeerInfo, RoomInfo, StreamMediaStatus } from '../types/peer';
import { clonePeerData } from './roomMessages';

/** What we know about a remote peer (from its enter/welcome/offer/answer and later updates). */
export interface RemotePeer {
  readonly peerId: string;
  userData: unknown;
  settings: CustomSettings;
  mediaStatus: Record<string, StreamMediaStatus>;
  agent: PeerAgentInfo;
  config: PeerConfig;
  /** `stamp` of the last applied updateUserEvent. */
  userDataStamp: number;
  mediaInfoList: MediaInfo[];
  screenshare: boolean;
}

/** Our media as our peerInfo shows it (the room's media controller). */
export interface LocalMediaView {
  localSettings(): Pick<CustomSettings, 'audio' | 'video' | 'maxBandwidth'>;
  localMediaStatus(): Record<string, StreamMediaStatus>;
}

/** The session lifecycle of the room. */
export type RoomSession = 'joining' | 'joined' | 'suspended' | 'left';

export class RoomState {
  rid = '';
  roomSessionId: string | null = null;
  duration: number | null = null;
  isLocked = false;
  session: RoomSession = 'joining';
  selfId: string | null = null;
  weight = 0;
  peerSessionId: string | null = null;
  /** Token the server gave us to resume this session after a socket drop. */
  resumeToken: string | null = null;
  iceServers: RTCIceServer[] = [];
  userData: unknown = null;
  isPrivileged = false;
  readonly peers = new Map<string, RemotePeer>();
  /** Our media for selfPeerInfo / userInfo (set when the room's media is attached); none = no media. */
  localMedia: LocalMediaView | null = null;

  constructor(
    readonly roomName: string,
    private readonly self: {
      readonly agent: AgentInfo;
      readonly sdkVersion: string;
      readonly enableDataChannel: boolean;
    },
  ) {}

  get inRoom(): boolean {
    return this.session === 'joined' || this.session === 'suspended';
  }

  roomInfo(): RoomInfo {
    return {
      id: this.rid,
      roomName: this.roomName,
      roomSessionId: this.roomSessionId,
      duration: this.duration,
      isLocked: this.isLocked,
      inRoom: this.inRoom,
    };
  }

  selfAgent(): PeerAgentInfo {
    return {
      name: this.self.agent.name,
      version: this.self.agent.version,
      os: this.self.agent.os,
      pluginVersion: null,
      SMProtocolVersion: SM_PROTOCOL_VERSION,
      DTProtocolVersion: DT_PROTOCOL_VERSION,
      SDKVersion: this.self.sdkVersion,
    };
  }

  selfConfig(): PeerConfig {
    return { enableDataChannel: this.self.enableDataChannel, enableIceRestart: true, priorityWeight: this.weight };
  }

  selfSettings(): CustomSettings {
    return { data: this.self.enableDataChannel, audio: false, video: false, maxBandwidth: {}, ...this.localMedia?.localSettings() };
  }

  /** Our own peerInfo (2.x `getCurrentSessionInfo`). */
  selfPeerInfo(): PeerInfo {
    return {
      userData: this.userData,
      settings: this.selfSettings(),
      mediaStatus: this.localMedia?.localMediaStatus() ?? {},
      agent: this.selfAgent(),
      room: this.roomInfo(),
      config: this.selfConfig(),
    };
  }

  /** `userInfo` as sent in enter/welcome/offer/answer: our peerInfo without `room`. */
  selfUserInfo(): UserInfo {
    const { room: _room, ...info } = this.selfPeerInfo();
    return info as unknown as UserInfo;
  }

  /** A remote peer's info (a copy), `data` reflecting whether our main channel with it is open. */
  remotePeerInfo(peer: RemotePeer, mainChannelOpen: boolean): PeerInfo {
    const info: PeerInfo = {
      userData: clonePeerData(peer.userData),
      settings: { ...clonePeerData(peer.settings), data: mainChannelOpen },
      mediaStatus: clonePeerData(peer.mediaStatus),
      agent: { ...peer.agent },
      room: this.roomInfo(),
      config: { ...peer.config },
    };
    if (peer.screenshare) info.screenshare = true;
    return info;
  }
}
