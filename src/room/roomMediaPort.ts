/**
 * The room side of media: the {@link MediaRoomPort} of a {@link SkylinkRoom} and the glue that plugs a
 * {@link RoomMediaController} into the room (service hooks, our advertised `settings` / `mediaStatus`,
 * the beyond-2.x audio events). The facade calls {@link attachRoomMedia} once per room, right after
 * creating it, and delegates every media command to the returned controller.
 * @internal
 */
import type { AudioActivityMonitor } from '../media/AudioActivityMonitor';
import type { MediaStreamManager } from '../media/MediaStreamManager';
import type { MediaRoomPort } from '../media/mediaRoomPort';
import { RoomMediaController } from '../media/RoomMediaController';
import type { BandwidthOptions } from '../types/options';
import { generateUUID } from '../uuid';
import type { SkylinkRoom } from './SkylinkRoom';

/** One room's media, as the facade holds it. */
export interface RoomMedia {
  readonly controller: RoomMediaController;
  /** The room's key in the shared MediaStreamManager / AudioActivityMonitor (unique per room instance). */
  readonly roomKey: string;
  /** Replaces the send caps (`refreshConnection(..., { bandwidth })`); they apply on the next negotiation. */
  setBandwidth(bandwidth: BandwidthOptions | null): void;
}

export interface RoomMediaDeps {
  readonly media: MediaStreamManager;
  readonly audioActivity?: AudioActivityMonitor;
  /** `joinRoom({ bandwidth })`. */
  readonly bandwidth?: BandwidthOptions | null;
  /** Called with the new controller (the facade routes the shared services' callbacks by roomKey). */
  register(roomKey: string, controller: RoomMediaController): void;
  /** Called once the room is released (left, or its session lost). */
  unregister(roomKey: string): void;
}

/** The port through which a media controller sees its room. */
export function roomMediaPort(room: SkylinkRoom, roomKey: string, bandwidth: () => BandwidthOptions | null): MediaRoomPort {
  const { state } = room;
  const remote = (peerId: string) => state.peers.get(peerId);
  return {
    roomName: room.roomName,
    roomKey,
    selfId: () => state.selfId,
    rid: () => state.rid,
    roomInfo: () => state.roomInfo(),
    selfPeerInfo: () => state.selfPeerInfo(),
    peerInfo: (peerId) => {
      const peer = remote(peerId);
      return peer ? room.ops.remoteInfo(peer) : null;
    },
    connectedPeerIds: () => room.peers?.peerIds() ?? [],
    peerConnection: (peerId) => room.peers?.getPeerConnection(peerId) ?? null,
    remoteMediaInfoList: (peerId) => remote(peerId)?.mediaInfoList ?? null,
    remoteMediaStatus: (peerId) => remote(peerId)?.mediaStatus ?? {},
    setRemoteMediaStatus: (peerId, streamId, status) => {
      const peer = remote(peerId);
      if (!peer) return;
      if (status) peer.mediaStatus[streamId] = status;
      else delete peer.mediaStatus[streamId];
    },
    sendSignaling: (message) => room.sendSignaling(message),
    renegotiate: (peerId) => (room.peers ? room.peers.renegotiate(peerId, false) : Promise.resolve()),
    emit: (type, detail) => room.emit(type, detail),
    bandwidth,
    emitAudioActivity: (detail) => room.emit('audioActivity', detail),
    emitActiveSpeaker: (detail) => room.emit('activeSpeaker', detail),
  };
}

/**
 * Creates the room's media controller and plugs it in: its room hooks, our peerInfo's media fields,
 * and the registration the facade uses to route shared callbacks (undone when the room is released).
 */
export function attachRoomMedia(room: SkylinkRoom, deps: RoomMediaDeps): RoomMedia {
  const roomKey = generateUUID();
  let bandwidth: BandwidthOptions | null = deps.bandwidth ?? null;
  const port = roomMediaPort(room, roomKey, () => bandwidth);
  const controller = new RoomMediaController(deps.media, port, deps.audioActivity ? { audioActivity: deps.audioActivity } : {});
  deps.register(roomKey, controller);
  room.state.localMedia = controller;
  room.addHooks(controller);
  room.addHooks({ release: () => deps.unregister(roomKey) });
  return {
    controller,
    roomKey,
    setBandwidth: (next) => {
      bandwidth = next;
    },
  };
}
