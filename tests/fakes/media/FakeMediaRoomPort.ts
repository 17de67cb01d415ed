/**
 * In-memory {@link MediaRoomPort}: records emitted events, sent signalling and renegotiations, keeps
 * remote peers' media status / media info lists, and holds one FakeMediaPeerConnection per peer.
 */
import type { SkylinkEventMap } from '../../../src/events/SkylinkEventMap';
import type { ActiveSpeakerDetail, AudioActivityDetail, MediaRoomPort } from '../../../src/media/RoomMediaController';
import type { PeerConnectionLike } from '../../../src/platform/SkylinkPlatform';
import type { ClientToServerMessage } from '../../../src/signaling/protocol';
import type { BandwidthOptions } from '../../../src/types/options';
import type { CustomSettings, PeerInfo, RoomInfo, StreamMediaStatus } from '../../../src/types/peer';
import { FakeMediaPeerConnection } from './FakeMediaPeerConnection';

export type EmittedEvent = { [K in keyof SkylinkEventMap]: { type: K; detail: SkylinkEventMap[K] } }[keyof SkylinkEventMap];

interface FakePeer {
  pc: FakeMediaPeerConnection;
  /** The peer's advertised `settings.audio` / `settings.video`. */
  settings: Pick<CustomSettings, 'audio' | 'video'>;
  mediaInfoList: unknown[] | null;
  mediaStatus: Record<string, StreamMediaStatus>;
}

function peerInfo(roomInfo: RoomInfo, mediaStatus: Record<string, StreamMediaStatus>, media: Pick<CustomSettings, 'audio' | 'video'> = { audio: false, video: false }): PeerInfo {
  return {
    userData: null,
    settings: { data: true, ...media, maxBandwidth: {} },
    mediaStatus: { ...mediaStatus },
    agent: { name: 'fake', version: 1, os: 'test', pluginVersion: null, SMProtocolVersion: '2.1.0', DTProtocolVersion: '0.1.3' },
    room: roomInfo,
    config: { enableDataChannel: true, enableIceRestart: true, priorityWeight: 1 },
  };
}

export class FakeMediaRoomPort implements MediaRoomPort {
  readonly events: EmittedEvent[] = [];
  readonly sent: ClientToServerMessage[] = [];
  readonly renegotiations: string[] = [];
  readonly audioActivity: AudioActivityDetail[] = [];
  readonly activeSpeakers: ActiveSpeakerDetail[] = [];
  readonly peers = new Map<string, FakePeer>();
  self: string | null = 'me';
  bandwidthCaps: BandwidthOptions | null = null;
  renegotiateFailure: Error | null = null;

  constructor(
    readonly roomName = 'room',
    readonly roomKey = 'room-key',
  ) {}

  addPeer(peerId: string): FakeMediaPeerConnection {
    const pc = new FakeMediaPeerConnection();
    this.peers.set(peerId, { pc, settings: { audio: false, video: false }, mediaInfoList: null, mediaStatus: {} });
    return pc;
  }

  /** Events of one type, details only. */
  of<K extends keyof SkylinkEventMap>(type: K): Array<SkylinkEventMap[K]> {
    return this.events.filter((e) => e.type === type).map((e) => e.detail as SkylinkEventMap[K]);
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  selfId(): string | null {
    return this.self;
  }

  rid(): string {
    return 'rid-1';
  }

  roomInfo(): RoomInfo {
    return { id: 'rid-1', roomName: this.roomName, roomSessionId: null, duration: null, isLocked: false, inRoom: this.self !== null };
  }

  selfPeerInfo(): PeerInfo {
    return peerInfo(this.roomInfo(), {});
  }

  peerInfo(peerId: string): PeerInfo | null {
    const peer = this.peers.get(peerId);
    return peer ? peerInfo(this.roomInfo(), peer.mediaStatus, peer.settings) : null;
  }

  connectedPeerIds(): string[] {
    return [...this.peers.keys()];
  }

  peerConnection(peerId: string): PeerConnectionLike | null {
    return this.peers.get(peerId)?.pc.asPeerConnection() ?? null;
  }

  remoteMediaInfoList(peerId: string): readonly unknown[] | null {
    return this.peers.get(peerId)?.mediaInfoList ?? null;
  }

  remoteMediaStatus(peerId: string): Readonly<Record<string, StreamMediaStatus>> {
    return this.peers.get(peerId)?.mediaStatus ?? {};
  }

  setRemoteMediaStatus(peerId: string, streamId: string, status: StreamMediaStatus | null): void {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    if (status) peer.mediaStatus[streamId] = status;
    else delete peer.mediaStatus[streamId];
  }

  sendSignaling(message: ClientToServerMessage): void {
    this.sent.push(message);
  }

  async renegotiate(peerId: string): Promise<void> {
    this.renegotiations.push(peerId);
    if (this.renegotiateFailure) throw this.renegotiateFailure;
  }

  emit<K extends keyof SkylinkEventMap>(type: K, detail: SkylinkEventMap[K]): void {
    this.events.push({ type, detail } as EmittedEvent);
  }

  bandwidth(): BandwidthOptions | null {
    return this.bandwidthCaps;
  }

  emitAudioActivity(detail: AudioActivityDetail): void {
    this.audioActivity.push(detail);
  }

  emitActiveSpeaker(detail: ActiveSpeakerDetail): void {
    this.activeSpeakers.push(detail);
  }
}
