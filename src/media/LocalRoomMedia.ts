/**
 * The local streams of ONE room: its camera/microphone streams (one track each, 2.x split) and its screen
 * share (screen video plus optional tab/system audio). Holds the room's own track clones (SourceTracks),
 * per-stream mute state and advertised settings. Replacing a kind keeps the stream (and its id).
 * Owned by MediaStreamManager, which does the capturing and the reporting.
 * @internal
 */
import { MEDIA_STATUS } from '../constants';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import type { MediaStreams } from '../types/media';
import type { AudioStreamSettings, StreamMediaStatus, VideoStreamSettings } from '../types/peer';
import type { LocalTrackDescription } from './mediaInfo';
import type { LocalMediaResult, LocalSettings, LocalStreamInfo, MuteChange, SendTrack, StopResult, TrackKind } from './mediaTypes';
import type { SourceTracks } from './SourceTracks';

/** How new user media merges with what the room already sends. */
export type PlacementMode =
  /** New tracks replace the room's first stream of the same kind; other kinds stay (sendStream(stream), getUserMedia). */
  | 'replaceKinds'
  /** The room's user media becomes exactly the given tracks (sendStream(streams[]), joinRoom prefetched). */
  | 'replaceAll';

/** A captured or app-given track to place into the room, with what to advertise for it. */
export interface IncomingTrack {
  readonly track: MediaStreamTrack;
  /** Handed in by the app (prefetched): see SourceTracks. */
  readonly userOwned: boolean;
  readonly settings: AudioStreamSettings | VideoStreamSettings;
  /** Constraints it was captured with (reused by a device switch). */
  readonly constraints: MediaTrackConstraints;
}

export interface LocalRoomMediaDeps {
  readonly sources: SourceTracks;
  createMediaStream(tracks: MediaStreamTrack[]): MediaStream;
  /** Records which local stream a clone belongs to (planTrackUpdate's `streamIdOf`). */
  noteTrack(clone: MediaStreamTrack, streamId: string): void;
  /** A clone ended by itself (device lost, "Stop sharing"). */
  onTrackEnded(stream: LocalStream): void;
}

interface RoomTrack {
  readonly clone: MediaStreamTrack;
  readonly constraints: MediaTrackConstraints;
  readonly onEnded: () => void;
}

/** One local stream of the room (internal state). */
export interface LocalStream {
  readonly id: string;
  readonly stream: MediaStream;
  readonly isScreen: boolean;
  audio: RoomTrack | null;
  video: RoomTrack | null;
  readonly muted: { audio: boolean; video: boolean };
  readonly settings: { audio: AudioStreamSettings | null; video: VideoStreamSettings | null };
}

const KINDS: readonly TrackKind[] = ['audio', 'video'];

export function kindOf(track: MediaStreamTrack): TrackKind {
  return track.kind === 'audio' ? 'audio' : 'video';
}

function noStream(streamId?: string): SkylinkError {
  return new SkylinkError(SkylinkErrorCode.STREAM_NOT_FOUND, `No stream to process${streamId ? ` - ${streamId}` : ''}`);
}

export class LocalRoomMedia {
  private readonly userMedia: LocalStream[] = [];
  private screen: LocalStream | null = null;

  constructor(private readonly deps: LocalRoomMediaDeps) {}

  /** Camera/microphone streams first, then the screen share. */
  private all(): LocalStream[] {
    return this.screen ? [...this.userMedia, this.screen] : [...this.userMedia];
  }

  get isEmpty(): boolean {
    return this.userMedia.length === 0 && this.screen === null;
  }

  /**
   * Places user media. Returns the result plus, per incoming track, the stream it went into.
   * `muteOnArrival` mutes (never unmutes) the streams that received a track.
   */
  place(
    incoming: readonly IncomingTrack[],
    mode: PlacementMode,
    muteOnArrival: { audio: boolean; video: boolean },
  ): { result: Omit<LocalMediaResult, 'isAudioFallback'>; targets: LocalStream[] } {
    const used = new Set<LocalStream>();
    const targets: LocalStream[] = [];
    for (const inc of incoming) {
      const kind = kindOf(inc.track);
      let target = this.userMedia.find((s) => s[kind] !== null && !used.has(s));
      if (!target) {
        target = this.createStream(false);
        this.userMedia.push(target);
      }
      this.attach(target, kind, inc);
      used.add(target);
      targets.push(target);
    }
    const changed = [...new Set(targets)];
    const removed: LocalStreamInfo[] = [];
    if (mode === 'replaceAll') {
      for (const s of [...this.userMedia]) if (!used.has(s)) removed.push(this.remove(s, true));
    }
    const muteChanges: MuteChange[] = [];
    for (const s of changed) {
      const change = this.setMuted(s, { audio: muteOnArrival.audio || s.muted.audio, video: muteOnArrival.video || s.muted.video });
      if (change) muteChanges.push(change);
    }
    const first = (kind: TrackKind) => changed.find((s) => s[kind] !== null)?.stream ?? null;
    const streams: MediaStreams = [first('audio'), first('video')];
    return { result: { streams, pairs: [streams], changed: changed.map(snapshot), removed, muteChanges }, targets };
  }

  /** Starts or replaces the screen share (same stream id on replace); a missing kind is dropped. */
  setScreen(tracks: { audio: IncomingTrack | null; video: IncomingTrack }): LocalStreamInfo {
    const s = this.screen ?? this.createStream(true);
    this.screen = s;
    for (const kind of KINDS) {
      const inc = tracks[kind];
      if (inc) this.attach(s, kind, inc);
      else {
        this.detach(s, kind, 'replace');
        s.settings[kind] = null;
      }
    }
    return snapshot(s);
  }

  /** Stops the screen share; `restored` = the camera/microphone streams still sent. */
  stopScreen(): StopResult | null {
    if (!this.screen) return null;
    const stopped = this.remove(this.screen, true);
    return { stopped: [stopped], restored: this.userMedia.map(snapshot) };
  }

  /** The camera/microphone stream a device switch applies to. */
  userStreamFor(kind: TrackKind, streamId?: string): { stream: LocalStream; constraints: MediaTrackConstraints } | null {
    const s = this.userMedia.find((x) => x[kind] !== null && (streamId === undefined || x.id === streamId));
    const rt = s?.[kind];
    return s && rt ? { stream: s, constraints: rt.constraints } : null;
  }

  /** Swaps the `kind` track of a user stream still held by the room (device switch). */
  replaceUserTrack(s: LocalStream, kind: TrackKind, inc: IncomingTrack): LocalStreamInfo | null {
    if (!this.userMedia.includes(s)) return null;
    this.attach(s, kind, inc);
    return snapshot(s);
  }

  /** muteStreams: all streams or one; only changes are returned. */
  mute(wanted: { audio: boolean; video: boolean }, streamId?: string): MuteChange[] {
    const changes: MuteChange[] = [];
    for (const s of this.targets(streamId, true)) {
      const change = this.setMuted(s, wanted);
      if (change) changes.push(change);
    }
    return changes;
  }

  /** stopStreams: camera/microphone streams (or one by id; the screen stream id stops the screen share). */
  stop(streamId?: string): StopResult {
    if (streamId !== undefined && this.screen?.id === streamId) return this.stopScreen() ?? { stopped: [], restored: [] };
    return { stopped: this.targets(streamId, false).map((s) => this.remove(s, true)), restored: [] };
  }

  /** A clone of `s` ended by itself: the stream (or the whole screen share) goes. */
  ended(s: LocalStream): StopResult | null {
    if (this.screen === s) return this.stopScreen();
    if (this.userMedia.includes(s)) return { stopped: [this.remove(s, true)], restored: [] };
    return null;
  }

  /** Forgets everything; `stop` stops the clones, otherwise the app keeps them live. */
  release(stop: boolean): void {
    for (const s of this.all()) this.remove(s, stop);
  }

  infos(): LocalStreamInfo[] {
    return this.all().map(snapshot);
  }

  sendTracks(): SendTrack[] {
    const out: SendTrack[] = [];
    for (const s of this.all()) {
      for (const kind of KINDS) {
        const rt = s[kind];
        if (rt) out.push({ track: rt.clone, stream: s.stream, streamId: s.id, kind, isScreensharing: s.isScreen });
      }
    }
    return out;
  }

  trackDescriptions(): LocalTrackDescription[] {
    const out: LocalTrackDescription[] = [];
    for (const s of this.all()) {
      for (const kind of KINDS) if (s[kind]) out.push({ streamId: s.id, kind, isScreensharing: s.isScreen, muted: s.muted[kind] });
    }
    return out;
  }

  settings(): LocalSettings {
    const audio: Record<string, AudioStreamSettings> = {};
    const video: Record<string, VideoStreamSettings> = {};
    for (const s of this.all()) {
      if (s.audio && s.settings.audio) audio[s.id] = { ...s.settings.audio };
      if (s.video && s.settings.video) video[s.id] = { ...s.settings.video };
    }
    return { audio: Object.keys(audio).length > 0 ? audio : false, video: Object.keys(video).length > 0 ? video : false };
  }

  mediaStatus(): Record<string, StreamMediaStatus> {
    const out: Record<string, StreamMediaStatus> = {};
    for (const s of this.all()) out[s.id] = statusOf(s);
    return out;
  }

  private targets(streamId: string | undefined, includeScreen: boolean): LocalStream[] {
    const pool = includeScreen ? this.all() : [...this.userMedia];
    const targets = streamId === undefined ? pool : pool.filter((s) => s.id === streamId);
    if (targets.length === 0) throw noStream(streamId);
    return targets;
  }

  private createStream(isScreen: boolean): LocalStream {
    const stream = this.deps.createMediaStream([]);
    return {
      id: stream.id,
      stream,
      isScreen,
      audio: null,
      video: null,
      muted: { audio: false, video: false },
      settings: { audio: null, video: null },
    };
  }

  /** Puts the room's clone of `inc.track` into `s` as its `kind` track, replacing the previous one. */
  private attach(s: LocalStream, kind: TrackKind, inc: IncomingTrack): void {
    this.detach(s, kind, 'replace');
    const clone = this.deps.sources.cloneFor(inc.track, inc.userOwned);
    clone.enabled = !s.muted[kind];
    const onEnded = () => this.deps.onTrackEnded(s);
    clone.addEventListener('ended', onEnded);
    s.stream.addTrack(clone);
    s[kind] = { clone, constraints: inc.constraints, onEnded };
    if (kind === 'audio') s.settings.audio = inc.settings as AudioStreamSettings;
    else s.settings.video = inc.settings as VideoStreamSettings;
    this.deps.noteTrack(clone, s.id);
  }

  /**
   * Takes the `kind` track out of the stream state. `replace`: a new track takes its place (the clone is
   * stopped and removed from the stream; an app-owned original stays with the app). `stop`: the stream
   * is stopped (clone stopped, left in the app's stream as ended; its source is stopped with the last
   * clone, as 2.x stops adopted tracks). `keep`: the room is forgotten but the app keeps the live clone.
   */
  private detach(s: LocalStream, kind: TrackKind, mode: 'replace' | 'stop' | 'keep'): void {
    const rt = s[kind];
    if (!rt) return;
    rt.clone.removeEventListener('ended', rt.onEnded);
    if (mode === 'replace') {
      s.stream.removeTrack(rt.clone);
      rt.clone.stop();
    }
    this.deps.sources.release(rt.clone, mode === 'stop');
    s[kind] = null;
  }

  private remove(s: LocalStream, stop: boolean): LocalStreamInfo {
    const info = snapshot(s);
    for (const kind of KINDS) this.detach(s, kind, stop ? 'stop' : 'keep');
    const i = this.userMedia.indexOf(s);
    if (i >= 0) this.userMedia.splice(i, 1);
    if (this.screen === s) this.screen = null;
    return info;
  }

  private setMuted(s: LocalStream, wanted: { audio: boolean; video: boolean }): MuteChange | null {
    let audioChanged = false;
    let videoChanged = false;
    for (const kind of KINDS) {
      const rt = s[kind];
      if (!rt || s.muted[kind] === wanted[kind]) continue;
      s.muted[kind] = wanted[kind];
      rt.clone.enabled = !wanted[kind];
      if (kind === 'audio') audioChanged = true;
      else videoChanged = true;
    }
    return audioChanged || videoChanged ? { ...snapshot(s), audioChanged, videoChanged } : null;
  }
}

function statusOf(s: LocalStream): StreamMediaStatus {
  const status = (kind: TrackKind) =>
    s[kind] === null ? MEDIA_STATUS.UNAVAILABLE : s.muted[kind] ? MEDIA_STATUS.MUTED : MEDIA_STATUS.ACTIVE;
  return { audioMuted: status('audio'), videoMuted: status('video') };
}

function snapshot(s: LocalStream): LocalStreamInfo {
  return {
    streamId: s.id,
    stream: s.stream,
    isScreensharing: s.isScreen,
    isAudio: s.audio !== null,
    isVideo: s.video !== null,
    mediaStatus: statusOf(s),
  };
}
