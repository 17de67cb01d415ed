/**
 * The contract between a room and its {@link RoomMediaController}: what the room provides
 * ({@link MediaRoomPort}), the beyond-2.x audio event details, and the routers the facade uses to send
 * the shared MediaStreamManager / AudioActivityMonitor callbacks to the controller of each room.
 * @internal
 * @module
 */
import type { ActiveSpeakerDetail, AudioActivityDetail } from '../events/eventDetails';
import type { SkylinkEventMap } from '../events/SkylinkEventMap';
import type { PeerConnectionLike } from '../platform/SkylinkPlatform';
import type { ClientToServerMessage } from '../signaling/protocol';
import type { BandwidthOptions } from '../types/options';
import type { PeerInfo, RoomInfo, StreamMediaStatus } from '../types/peer';
import type { AudioActivityMonitorOptions } from './AudioActivityMonitor';
import type { MediaStreamManager } from './MediaStreamManager';
import { midResolverFromSdp } from './mediaInfo';
import type { MidResolver } from './mediaInfo';
import type { MediaStreamManagerCallbacks } from './mediaTypes';

export type { ActiveSpeakerDetail, AudioActivityDetail } from '../events/eventDetails';

/** What the room provides to its media controller. */
export interface MediaRoomPort {
  readonly roomName: string;
  /** The room's key in the shared MediaStreamManager (unique among the joined rooms). */
  readonly roomKey: string;
  /** Our peer id, `null` before the server confirmed the join. */
  selfId(): string | null;
  /** Server room key (`rid`) for outgoing messages. */
  rid(): string;
  roomInfo(): RoomInfo;
  /** Our peerInfo (its `settings` / `mediaStatus` should come from {@link RoomMediaController.localSettings}). */
  selfPeerInfo(): PeerInfo;
  /** A remote peer's info, `null` if unknown. */
  peerInfo(peerId: string): PeerInfo | null;
  /** Remote peers that have a peer connection. */
  connectedPeerIds(): string[];
  peerConnection(peerId: string): PeerConnectionLike | null;
  /** The peer's last `mediaInfoList` (offer/answer), as stored by the room. */
  remoteMediaInfoList(peerId: string): readonly unknown[] | null;
  /** The peer's `peerInfo.mediaStatus`. */
  remoteMediaStatus(peerId: string): Readonly<Record<string, StreamMediaStatus>>;
  /** Sets (or with `null` deletes) one entry of the peer's `peerInfo.mediaStatus`. */
  setRemoteMediaStatus(peerId: string, streamId: string, status: StreamMediaStatus | null): void;
  sendSignaling(message: ClientToServerMessage): void;
  /** Sends a renegotiation offer (2.x restart offer) to the peer. */
  renegotiate(peerId: string): Promise<void>;
  emit<K extends keyof SkylinkEventMap>(type: K, detail: SkylinkEventMap[K]): void;
  /** The room's send bandwidth caps (`joinRoom({ bandwidth })`, refreshConnection). */
  bandwidth(): BandwidthOptions | null;
  /** Beyond 2.x: AUDIO_ACTIVITY / ACTIVE_SPEAKER (optional: without them the levels are not reported). */
  emitAudioActivity?(detail: AudioActivityDetail): void;
  emitActiveSpeaker?(detail: ActiveSpeakerDetail): void;
}

/** The local-media callbacks of MediaStreamManager a controller handles (routed by roomKey). */
export type RoomMediaCallbacks = {
  [K in keyof MediaStreamManagerCallbacks]: (info: Parameters<MediaStreamManagerCallbacks[K]>[1]) => void;
};

/**
 * MediaStreamManager callbacks that forward to the controller of the room (`lookup(roomKey)`), for the
 * facade that builds the one shared manager.
 */
export function routeMediaCallbacks(lookup: (roomKey: string) => RoomMediaCallbacks | undefined): MediaStreamManagerCallbacks {
  return {
    onMediaAccessSuccess: (k, i) => lookup(k)?.onMediaAccessSuccess(i),
    onMediaAccessError: (k, i) => lookup(k)?.onMediaAccessError(i),
    onMediaAccessFallback: (k, i) => lookup(k)?.onMediaAccessFallback(i),
    onLocalStreamEnded: (k, i) => lookup(k)?.onLocalStreamEnded(i),
    onRemoteStreamEnded: (k, i) => lookup(k)?.onRemoteStreamEnded(i),
  };
}

/** mid of the transceiver sending each local track (current `sender.track`), else from the local SDP. */
export function midResolverFor(pc: PeerConnectionLike, tracks: ReturnType<MediaStreamManager['getSendTracks']>): MidResolver {
  const fromSdp = midResolverFromSdp(pc.localDescription?.sdp);
  const transceivers = typeof pc.getTransceivers === 'function' ? pc.getTransceivers() : [];
  return (streamId, kind) => {
    const send = tracks.find((t) => t.streamId === streamId && t.kind === kind);
    const transceiver = send ? transceivers.find((t) => t.sender.track === send.track) : undefined;
    return transceiver?.mid ?? fromSdp(streamId, kind);
  };
}

/** What a controller does with audio-activity reports of its room. */
export interface RoomAudioActivityHandler {
  onAudioActivity(report: { peerId: string; audioLevel: number; isSpeaking: boolean }): void;
  onActiveSpeakerChanged(peerId: string | null): void;
}

/**
 * AudioActivityMonitor callbacks that forward to the controller of the room (`lookup(roomKey)`), for
 * the facade that builds the one shared monitor.
 */
export function routeAudioActivity(
  lookup: (roomKey: string) => RoomAudioActivityHandler | undefined,
): Pick<AudioActivityMonitorOptions, 'onAudioActivity' | 'onActiveSpeakerChanged'> {
  return {
    onAudioActivity: (report) => lookup(report.roomKey)?.onAudioActivity(report),
    onActiveSpeakerChanged: (roomKey, peerId) => lookup(roomKey)?.onActiveSpeakerChanged(peerId),
  };
}
