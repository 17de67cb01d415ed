/**
 * Remote media of every room: the peers' media infos (from `mediaInfoList` and `mediaInfoEvent`) and the
 * remote streams their tracks arrived in. Classifies each arriving track (camera/microphone vs screen),
 * notices when a remote stream loses its last track, and computes the `mediaStatus` change a received
 * `mediaInfoEvent` implies. `peerInfo` itself (settings, mediaStatus) stays with the room.
 * @internal
 */
import { MEDIA_STATE, MEDIA_TYPE } from '../constants';
import type { CustomSettings, StreamMediaStatus } from '../types/peer';
import { classifyRemoteTrack, nextMediaStatus, normalizeMediaInfo } from './mediaInfo';
import type { RemoteMediaInfo } from './mediaInfo';
import type { RemoteStreamInfo, TrackKind } from './mediaTypes';

/** What the room hands over from an RTCPeerConnection `track` event. */
export interface RemoteTrackInput {
  readonly track: MediaStreamTrack;
  readonly streams: readonly MediaStream[];
  /** `event.transceiver?.mid ?? null`. */
  readonly mid: string | null;
}

/** A remote track after classification (ON_INCOMING_STREAM / ON_INCOMING_SCREEN_STREAM detail). */
export interface RemoteTrackAdded extends RemoteStreamInfo {
  /** The arriving track's kind (2.x event `isAudio` / `isVideo` describe the track, not the stream). */
  readonly kind: TrackKind;
  /** False when this track was already known (repeated `track` event): do not announce again. */
  readonly isNew: boolean;
}

/** Outcome of a received `mediaInfoEvent`. */
export type MediaInfoEventOutcome =
  /** Not a usable media info. */
  | { readonly type: 'ignored' }
  /** Unknown media, remembered silently (2.x). */
  | { readonly type: 'stored'; readonly mediaInfo: RemoteMediaInfo }
  /** Known media, nothing changed. */
  | { readonly type: 'unchanged'; readonly mediaInfo: RemoteMediaInfo }
  /** Mute state changed: set `peerInfo.mediaStatus[streamId] = mediaStatus`, fire STREAM_MUTED + PEER_UPDATED. */
  | {
      readonly type: 'status';
      readonly mediaInfo: RemoteMediaInfo;
      readonly streamId: string;
      readonly mediaStatus: StreamMediaStatus;
      readonly isScreensharing: boolean;
      readonly isAudio: boolean;
      readonly isVideo: boolean;
    }
  /**
   * `unavailable`: the media info is deleted (MEDIA_INFO_DELETED); `ended` is the remote stream if that
   * removed its last track (fire STREAM_ENDED; no second STREAM_ENDED follows when the renegotiation
   * later removes the track).
   */
  | { readonly type: 'deleted'; readonly mediaInfo: RemoteMediaInfo; readonly ended: RemoteStreamInfo | null };

interface StreamEntry {
  readonly streamId: string;
  readonly stream: MediaStream;
  isScreensharing: boolean;
  /** Live tracks by kind still attributed to this stream. */
  readonly tracks: Map<MediaStreamTrack, TrackKind>;
  /** Every kind this stream has carried (STREAM_ENDED isAudio / isVideo describe the ended stream). */
  readonly kinds: Set<TrackKind>;
  readonly cleanup: Array<() => void>;
}

interface PeerMedia {
  readonly mediaInfos: Map<string, RemoteMediaInfo>;
  readonly streams: Map<string, StreamEntry>;
}

export interface RemoteMediaRegistryOptions {
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
  /** A remote stream lost its last track (by renegotiation or the track ending). */
  onStreamEnded(roomKey: string, info: RemoteStreamInfo): void;
}

function info(peerId: string, entry: StreamEntry): RemoteStreamInfo {
  const kinds = [...entry.tracks.values()];
  return {
    peerId,
    streamId: entry.streamId,
    stream: entry.stream,
    isScreensharing: entry.isScreensharing,
    isAudio: kinds.includes('audio'),
    isVideo: kinds.includes('video'),
  };
}

export class RemoteMediaRegistry {
  private readonly rooms = new Map<string, Map<string, PeerMedia>>();

  constructor(private readonly opts: RemoteMediaRegistryOptions) {}

  private peer(roomKey: string, peerId: string): PeerMedia {
    let room = this.rooms.get(roomKey);
    if (!room) {
      room = new Map();
      this.rooms.set(roomKey, room);
    }
    let peer = room.get(peerId);
    if (!peer) {
      peer = { mediaInfos: new Map(), streams: new Map() };
      room.set(peerId, peer);
    }
    return peer;
  }

  /**
   * The peer's full `mediaInfoList` from an offer/answer. Call it BEFORE applying the remote description
   * so the `track` events that follow can be classified. Invalid entries are dropped.
   */
  setMediaInfoList(roomKey: string, peerId: string, list: unknown): void {
    const peer = this.peer(roomKey, peerId);
    peer.mediaInfos.clear();
    for (const raw of Array.isArray(list) ? list : []) {
      const mi = normalizeMediaInfo(raw);
      if (mi) peer.mediaInfos.set(mi.mediaId, mi);
    }
    // A stream announced as screen later (or no longer) follows its media infos.
    for (const entry of peer.streams.values()) {
      const infos = [...peer.mediaInfos.values()].filter((m) => m.streamId === entry.streamId);
      if (infos.length > 0) entry.isScreensharing = infos.some((m) => m.mediaType === MEDIA_TYPE.VIDEO_SCREEN);
    }
  }

  /** The peer's current media infos. */
  mediaInfosOf(roomKey: string, peerId: string): RemoteMediaInfo[] {
    return [...(this.rooms.get(roomKey)?.get(peerId)?.mediaInfos.values() ?? [])];
  }

  /** Registers a remote track (from the `track` event) and classifies it. */
  addTrack(
    roomKey: string,
    peerId: string,
    input: RemoteTrackInput,
    settings?: Pick<CustomSettings, 'video'> | null,
  ): RemoteTrackAdded {
    const peer = this.peer(roomKey, peerId);
    const kind: TrackKind = input.track.kind === 'audio' ? 'audio' : 'video';
    const cls = classifyRemoteTrack({
      kind,
      mid: input.mid,
      msidStreamIds: input.streams.map((s) => s.id),
      mediaInfos: [...peer.mediaInfos.values()],
      settings: settings ?? null,
    });
    const given = input.streams[0];
    const streamId = cls.streamId ?? given?.id ?? input.track.id;
    let entry = peer.streams.get(streamId);
    if (!entry) {
      const stream = given ?? this.opts.createMediaStream([input.track]);
      entry = { streamId, stream, isScreensharing: cls.isScreensharing, tracks: new Map(), kinds: new Set(), cleanup: [] };
      peer.streams.set(streamId, entry);
      const onRemove = (ev: Event) => {
        const track = (ev as MediaStreamTrackEvent).track;
        if (track) this.trackGone(roomKey, peerId, track);
      };
      stream.addEventListener('removetrack', onRemove);
      const target = stream;
      entry.cleanup.push(() => target.removeEventListener('removetrack', onRemove));
    } else if (!given && !entry.stream.getTracks().includes(input.track)) {
      entry.stream.addTrack(input.track);
    }
    entry.isScreensharing = entry.isScreensharing || cls.isScreensharing;
    const isNew = !entry.tracks.has(input.track);
    if (isNew) {
      entry.tracks.set(input.track, kind);
      entry.kinds.add(kind);
      const track = input.track;
      const onEnded = () => this.trackGone(roomKey, peerId, track);
      track.addEventListener('ended', onEnded);
      entry.cleanup.push(() => track.removeEventListener('ended', onEnded));
    }
    return { ...info(peerId, entry), kind, isNew };
  }

  /** A remote track was removed (or ended): returns the stream if that was its last track. */
  removeTrack(roomKey: string, peerId: string, track: MediaStreamTrack): RemoteStreamInfo | null {
    const peer = this.rooms.get(roomKey)?.get(peerId);
    if (!peer) return null;
    for (const entry of peer.streams.values()) {
      if (!entry.tracks.delete(track)) continue;
      if (entry.tracks.size > 0) return null;
      return this.dropStream(peer, peerId, entry);
    }
    return null;
  }

  private trackGone(roomKey: string, peerId: string, track: MediaStreamTrack): void {
    const ended = this.removeTrack(roomKey, peerId, track);
    if (ended) this.opts.onStreamEnded(roomKey, ended);
  }

  private dropStream(peer: PeerMedia, peerId: string, entry: StreamEntry): RemoteStreamInfo {
    for (const fn of entry.cleanup.splice(0)) fn();
    peer.streams.delete(entry.streamId);
    return { ...info(peerId, entry), isAudio: entry.kinds.has('audio'), isVideo: entry.kinds.has('video') };
  }

  /**
   * Applies a received `mediaInfoEvent` (2.x receiver semantics; `currentStatus` is the peer's
   * `peerInfo.mediaStatus`).
   */
  applyMediaInfoEvent(
    roomKey: string,
    peerId: string,
    message: unknown,
    currentStatus: Readonly<Record<string, StreamMediaStatus>>,
  ): MediaInfoEventOutcome {
    const incoming = normalizeMediaInfo(message);
    if (!incoming) return { type: 'ignored' };
    const peer = this.peer(roomKey, peerId);
    const known = peer.mediaInfos.get(incoming.mediaId);
    // mediaInfoEvent carries no transceiverMid: keep the one from the offer/answer.
    const mediaInfo: RemoteMediaInfo = known ? { ...incoming, transceiverMid: known.transceiverMid } : incoming;
    if (incoming.mediaState === MEDIA_STATE.UNAVAILABLE) {
      if (!known) return { type: 'stored', mediaInfo };
      peer.mediaInfos.delete(incoming.mediaId);
      return { type: 'deleted', mediaInfo, ended: this.dropKind(peer, peerId, incoming.streamId, incoming.kind) };
    }
    peer.mediaInfos.set(incoming.mediaId, mediaInfo);
    const current = currentStatus[incoming.streamId];
    if (!known && !current) return { type: 'stored', mediaInfo };
    const mediaStatus = nextMediaStatus(current, incoming.kind, incoming.mediaState);
    const field = incoming.kind === 'audio' ? 'audioMuted' : 'videoMuted';
    const changed = current ? current[field] !== mediaStatus[field] : known?.mediaState !== incoming.mediaState;
    if (!changed) return { type: 'unchanged', mediaInfo };
    const entry = peer.streams.get(incoming.streamId);
    return {
      type: 'status',
      mediaInfo,
      streamId: incoming.streamId,
      mediaStatus,
      isScreensharing: entry?.isScreensharing ?? incoming.mediaType === MEDIA_TYPE.VIDEO_SCREEN,
      isAudio: incoming.kind === 'audio',
      isVideo: incoming.kind === 'video',
    };
  }

  private dropKind(peer: PeerMedia, peerId: string, streamId: string, kind: TrackKind): RemoteStreamInfo | null {
    const entry = peer.streams.get(streamId);
    if (!entry) return null;
    for (const [track, k] of entry.tracks) if (k === kind) entry.tracks.delete(track);
    return entry.tracks.size === 0 ? this.dropStream(peer, peerId, entry) : null;
  }

  /** Remote streams of one peer that still have a track. */
  streamsOf(roomKey: string, peerId: string): RemoteStreamInfo[] {
    return [...(this.rooms.get(roomKey)?.get(peerId)?.streams.values() ?? [])].map((e) => info(peerId, e));
  }

  /** Peer ids with remote media state in a room. */
  peersOf(roomKey: string): string[] {
    return [...(this.rooms.get(roomKey)?.keys() ?? [])];
  }

  /** Forgets a peer (left / connection closed); returns its streams that were still live. No callback. */
  releasePeer(roomKey: string, peerId: string): RemoteStreamInfo[] {
    const room = this.rooms.get(roomKey);
    const peer = room?.get(peerId);
    if (!room || !peer) return [];
    const out = [...peer.streams.values()].map((e) => this.dropStream(peer, peerId, e));
    room.delete(peerId);
    return out;
  }

  /** Forgets a room. */
  releaseRoom(roomKey: string): void {
    for (const peerId of this.peersOf(roomKey)) this.releasePeer(roomKey, peerId);
    this.rooms.delete(roomKey);
  }

  /** Number of rooms with remote media state (for leak tests). */
  get roomCount(): number {
    return this.rooms.size;
  }
}
