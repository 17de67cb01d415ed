/**
 * The media service: camera, microphone and screen capture for every room, with 2.x semantics.
 *
 * One instance is shared by all rooms (built once by the facade); per-room state lives in
 * `Map<roomKey, …>` and `releaseRoom(roomKey)` forgets a room. It only talks to the browser through the
 * injected {@link MediaPlatform} and reports upward through {@link MediaStreamManagerCallbacks}; it never
 * imports the room, the facade or the event manager. It does not touch peer connections either: the room
 * reconciles them with {@link getSendTracks} + `planTrackUpdate` (trackPlanning.ts).
 *
 * Model:
 * - Local media is split as in 2.x: a user-media stream carries ONE track (audio-only or video-only,
 *   `[audio, video]` results); a screen-share stream carries the screen video and, when the browser gives
 *   it, the tab/system audio.
 * - Clone-per-room: each room holds its own clone of a captured track (SourceTracks.ts), so mute and stop
 *   are per room; a captured original is stopped when its last room clone is released.
 * - Replacing keeps the stream id: a new camera/microphone/screen for a kind the room already sends is
 *   swapped into the existing stream, so senders can `replaceTrack` without renegotiation and peers'
 *   mediaInfo / mediaStatus stay valid. (2.x accumulated streams instead; `sendStream(room, streams[])`
 *   sets the exact list, as several cameras are still possible.)
 * @internal
 */
import { MEDIA_ACCESS_FALLBACK_STATE, MEDIA_STATUS } from '../constants';
import { SkylinkError, SkylinkErrorCode, mediaErrorFromDOMException } from '../errors';
import { createLogger } from '../logger';
import type { Logger } from '../logger';
import type { MediaStreams, StreamSource, StreamSources, StreamsList } from '../types/media';
import type { AudioStreamSettings, StreamMediaStatus, VideoStreamSettings } from '../types/peer';
import { classifySendStreamArgument, parseDisplayMediaOptions, parseMuteOptions, parseUserMediaOptions } from './constraints';
import { buildMediaInfoList, midResolverFromSdp } from './mediaInfo';
import type { MidResolver, WireMediaInfo } from './mediaInfo';
import type {
  LocalMediaResult,
  LocalSettings,
  LocalStreamInfo,
  MediaPlatform,
  MediaStreamManagerCallbacks,
  MuteChange,
  SendTrack,
  StopResult,
  TrackKind,
} from './mediaTypes';
import { RemoteMediaRegistry } from './RemoteMediaRegistry';
import { SourceTracks } from './SourceTracks';

export interface MediaStreamManagerOptions {
  readonly platform: MediaPlatform;
  readonly callbacks: MediaStreamManagerCallbacks;
  /** `initOptions.audioFallback` (default true): retry audio-only when audio+video fails. */
  readonly audioFallback?: boolean;
  readonly logger?: Logger;
}

/** How adopted / acquired user media merges with what a room already sends. */
export type PlacementMode =
  /** New tracks replace the room's first stream of the same kind; other kinds stay (sendStream(stream), getUserMedia). */
  | 'replaceKinds'
  /** The room's user media becomes exactly the given tracks (sendStream(streams[]), joinRoom prefetched). */
  | 'replaceAll';

interface RoomTrack {
  readonly clone: MediaStreamTrack;
  readonly kind: TrackKind;
  /** Constraints the track was captured with (reused by switchDevice). */
  readonly constraints: MediaTrackConstraints;
  readonly onEnded: () => void;
}

interface LocalStream {
  readonly id: string;
  readonly stream: MediaStream;
  readonly isScreen: boolean;
  audio: RoomTrack | null;
  video: RoomTrack | null;
  readonly muted: { audio: boolean; video: boolean };
  readonly settings: { audio: AudioStreamSettings | null; video: VideoStreamSettings | null };
}

interface RoomMedia {
  readonly userMedia: LocalStream[];
  screen: LocalStream | null;
}

/** A track to place into a room, with what to advertise for it. */
interface Incoming {
  readonly track: MediaStreamTrack;
  readonly userOwned: boolean;
  readonly settings: AudioStreamSettings | VideoStreamSettings;
  readonly constraints: MediaTrackConstraints;
}

const KINDS: readonly TrackKind[] = ['audio', 'video'];

function kindOf(track: MediaStreamTrack): TrackKind {
  return track.kind === 'audio' ? 'audio' : 'video';
}

/** Settings advertised for a track the app handed in (no Skylink options known). */
function settingsFromTrack(track: MediaStreamTrack, isScreen: boolean): AudioStreamSettings | VideoStreamSettings {
  const s: MediaTrackSettings = typeof track.getSettings === 'function' ? track.getSettings() : {};
  if (track.kind === 'audio') return { stereo: false, echoCancellation: s.echoCancellation ?? true, exactConstraints: false };
  const video: VideoStreamSettings = {
    resolution: { width: s.width ?? 640, height: s.height ?? 480 },
    frameRate: s.frameRate !== undefined ? Math.round(s.frameRate) : 30,
    exactConstraints: false,
  };
  if (isScreen) video.screenshare = true;
  return video;
}

function constraintsOf(track: MediaStreamTrack): MediaTrackConstraints {
  return typeof track.getConstraints === 'function' ? { ...track.getConstraints() } : {};
}

function isCancel(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'NotAllowedError';
}

export class MediaStreamManager {
  /** Remote media of every room (media infos, remote streams, classification). */
  readonly remote: RemoteMediaRegistry;
  private readonly platform: MediaPlatform;
  private readonly cb: MediaStreamManagerCallbacks;
  private readonly audioFallback: boolean;
  private readonly log: Logger;
  private readonly rooms = new Map<string, RoomMedia>();
  /** Bumped by releaseRoom, so an acquisition that outlives its room is undone. */
  private readonly epochs = new Map<string, number>();
  private readonly sources = new SourceTracks();
  /** Local stream id each room clone was (or is) attached to, for planTrackUpdate after a replace. */
  private readonly streamIdByTrack = new WeakMap<MediaStreamTrack, string>();

  constructor(options: MediaStreamManagerOptions) {
    this.platform = options.platform;
    this.cb = options.callbacks;
    this.audioFallback = options.audioFallback ?? true;
    this.log = options.logger ?? createLogger('MEDIA STREAM');
    this.remote = new RemoteMediaRegistry({
      createMediaStream: (tracks) => this.platform.createMediaStream(tracks),
      onStreamEnded: (roomKey, info) => this.cb.onRemoteStreamEnded(roomKey, info),
    });
  }

  // ----------------------------------------------------------------------------------------------
  // Acquisition
  // ----------------------------------------------------------------------------------------------

  /** Stateless / prefetch form: raw `MediaStreamConstraints` (default audio+video), no events, no room. */
  getUserMedia(roomKey: null, constraints?: MediaStreamConstraints): Promise<MediaStreams>;
  /**
   * Room form: Skylink options (spec D.2) become constraints; audio fallback; the streams replace the
   * room's streams of the same kind. MEDIA_ACCESS_* through the callbacks. Does not renegotiate: the room
   * decides (2.x getUserMedia only affects later negotiations; sendStream renegotiates).
   */
  getUserMedia(roomKey: string, options: unknown): Promise<LocalMediaResult>;
  async getUserMedia(roomKey: string | null, options?: unknown): Promise<MediaStreams | LocalMediaResult> {
    if (roomKey === null) return this.prefetch(options);
    const parsed = parseUserMediaOptions(options);
    const epoch = this.epochOf(roomKey);
    const { stream, isAudioFallback } = await this.acquire(roomKey, parsed.constraints);
    this.assertEpoch(roomKey, epoch, stream.getTracks());
    const incoming: Incoming[] = [];
    for (const track of stream.getTracks()) {
      const kind = kindOf(track);
      const settings = parsed.settings[kind] ?? settingsFromTrack(track, false);
      const c = parsed.constraints[kind];
      incoming.push({ track, userOwned: false, settings, constraints: c || {} });
    }
    const { result } = this.place(roomKey, incoming, 'replaceKinds', parsed.mute);
    for (const info of result.changed) {
      this.cb.onMediaAccessSuccess(roomKey, { ...this.accessInfo(info), isAudioFallback });
    }
    return { ...result, isAudioFallback };
  }

  private async prefetch(constraints: unknown): Promise<MediaStreams> {
    const c = constraints === undefined ? { audio: true, video: true } : constraints;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      throw SkylinkError.invalidArgument(`Invalid user media options ${String(constraints)}`);
    }
    let stream: MediaStream;
    try {
      stream = await this.platform.getUserMedia(c as MediaStreamConstraints);
    } catch (err) {
      throw mediaErrorFromDOMException(err);
    }
    return this.split(stream.getTracks());
  }

  private async acquire(
    roomKey: string,
    c: { audio: MediaTrackConstraints | false; video: MediaTrackConstraints | false },
  ): Promise<{ stream: MediaStream; isAudioFallback: boolean }> {
    try {
      return { stream: await this.platform.getUserMedia({ audio: c.audio, video: c.video }), isAudioFallback: false };
    } catch (raw) {
      const error = mediaErrorFromDOMException(raw);
      if (!(this.audioFallback && c.audio && c.video)) {
        this.cb.onMediaAccessError(roomKey, { error, isAudioFallbackError: false });
        throw error;
      }
      this.log.warn('Audio and video refused, retrying audio only', { code: error.code });
      this.cb.onMediaAccessFallback(roomKey, { error, state: MEDIA_ACCESS_FALLBACK_STATE.FALLBACKING, isAudioFallback: true });
      try {
        return { stream: await this.platform.getUserMedia({ audio: c.audio, video: false }), isAudioFallback: true };
      } catch (rawFallback) {
        const fallbackError = mediaErrorFromDOMException(rawFallback);
        this.cb.onMediaAccessError(roomKey, { error: fallbackError, isAudioFallbackError: true });
        this.cb.onMediaAccessFallback(roomKey, {
          error: fallbackError,
          state: MEDIA_ACCESS_FALLBACK_STATE.ERROR,
          isAudioFallback: true,
        });
        throw fallbackError;
      }
    }
  }

  /**
   * `sendStream(roomName, options | MediaStream | MediaStream[])`: acquire (options form, with
   * MEDIA_ACCESS_* callbacks) or adopt the given streams. Errors use the 2.x messages.
   */
  async sendStream(roomKey: string, arg: unknown): Promise<LocalMediaResult> {
    const classified = classifySendStreamArgument(arg);
    if (classified.kind === 'options') return this.getUserMedia(roomKey, classified.options);
    return this.adoptStreams(roomKey, classified.streams, classified.isArray ? 'replaceAll' : 'replaceKinds');
  }

  /**
   * Uses app-provided streams (prefetched, or another room's) in a room, without events: joinRoom's
   * prefetched form (`'replaceAll'`) and sendStream with streams. Each room gets its own clones.
   */
  adoptStreams(roomKey: string, streams: readonly MediaStream[], mode: PlacementMode): LocalMediaResult {
    const incoming: Incoming[] = [];
    for (const stream of streams) {
      for (const track of stream.getTracks()) {
        if (track.readyState !== 'live') continue;
        incoming.push({ track, userOwned: true, settings: settingsFromTrack(track, false), constraints: constraintsOf(track) });
      }
    }
    if (incoming.length === 0) throw SkylinkError.invalidArgument('One or more media streams is inactive');
    const { result, targets } = this.place(roomKey, incoming, mode, { audio: false, video: false });
    // One [audio, video] pair per given stream (2.x resolves an array of pairs for an array).
    const pairs = streams.map((given): MediaStreams => {
      const pick = (kind: TrackKind) =>
        incoming.findIndex((inc) => kindOf(inc.track) === kind && given.getTracks().includes(inc.track));
      const a = pick('audio');
      const v = pick('video');
      return [a >= 0 ? targets[a]!.stream : null, v >= 0 ? targets[v]!.stream : null];
    });
    return { ...result, pairs: pairs.length === 1 ? [result.streams] : pairs, isAudioFallback: false };
  }

  // ----------------------------------------------------------------------------------------------
  // Placement (clone-per-room, replace keeps stream ids)
  // ----------------------------------------------------------------------------------------------

  private place(
    roomKey: string,
    incoming: readonly Incoming[],
    mode: PlacementMode,
    muteOnArrival: { audio: boolean; video: boolean },
  ): { result: Omit<LocalMediaResult, 'isAudioFallback'>; targets: LocalStream[] } {
    const room = this.room(roomKey);
    const used = new Set<LocalStream>();
    const targets: LocalStream[] = [];
    for (const inc of incoming) {
      const kind = kindOf(inc.track);
      const existing = room.userMedia.find((s) => s[kind] !== null && !used.has(s));
      const target = existing ?? this.createStream(roomKey, false);
      if (!existing) room.userMedia.push(target);
      this.attach(roomKey, target, kind, inc);
      used.add(target);
      targets.push(target);
    }
    const changed = [...new Set(targets)];
    const removed: LocalStreamInfo[] = [];
    if (mode === 'replaceAll') {
      for (const s of [...room.userMedia]) if (!used.has(s)) removed.push(this.removeStream(roomKey, s, true));
    }
    const muteChanges: MuteChange[] = [];
    for (const s of changed) {
      const change = this.setMuted(s, { audio: muteOnArrival.audio || s.muted.audio, video: muteOnArrival.video || s.muted.video });
      if (change) muteChanges.push(change);
    }
    const infos = changed.map((s) => this.snapshot(s));
    const first = (kind: TrackKind) => changed.find((s) => s[kind] !== null)?.stream ?? null;
    const streams: MediaStreams = [first('audio'), first('video')];
    return { result: { streams, pairs: [streams], changed: infos, removed, muteChanges }, targets };
  }

  private createStream(roomKey: string, isScreen: boolean): LocalStream {
    const stream = this.platform.createMediaStream([]);
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

  /** Puts a clone of `inc.track` into `s` as its `kind` track, replacing (and stopping) the previous one. */
  private attach(roomKey: string, s: LocalStream, kind: TrackKind, inc: Incoming): void {
    this.detach(s, kind, 'replace');
    const clone = this.sources.cloneFor(inc.track, inc.userOwned);
    clone.enabled = !s.muted[kind];
    const onEnded = () => this.onTrackEnded(roomKey, s);
    clone.addEventListener('ended', onEnded);
    s.stream.addTrack(clone);
    s[kind] = { clone, kind, constraints: inc.constraints, onEnded };
    s.settings[kind] = inc.settings as never;
    this.streamIdByTrack.set(clone, s.id);
  }

  /**
   * Takes the `kind` track out of this room's stream state. `replace`: a new track takes its place (the
   * clone is stopped and removed from the stream; an app-owned original stays with the app). `stop`: the
   * stream is stopped (clone stopped, left in the app's stream as ended; its source stopped with the last
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
    this.sources.release(rt.clone, mode === 'stop');
    s[kind] = null;
  }

  private removeStream(roomKey: string, s: LocalStream, stop: boolean): LocalStreamInfo {
    const info = this.snapshot(s);
    for (const kind of KINDS) this.detach(s, kind, stop ? 'stop' : 'keep');
    const room = this.rooms.get(roomKey);
    if (room) {
      const i = room.userMedia.indexOf(s);
      if (i >= 0) room.userMedia.splice(i, 1);
      if (room.screen === s) room.screen = null;
    }
    return info;
  }

  private onTrackEnded(roomKey: string, s: LocalStream): void {
    const room = this.rooms.get(roomKey);
    if (!room) return;
    let result: StopResult | null = null;
    if (room.screen === s) result = this.stopScreen(roomKey);
    else if (room.userMedia.includes(s)) result = { stopped: [this.removeStream(roomKey, s, true)], restored: [] };
    if (result) {
      this.log.info('A local track ended by itself', { streamId: s.id });
      this.cb.onLocalStreamEnded(roomKey, result);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Mute / stop
  // ----------------------------------------------------------------------------------------------

  /**
   * `muteStreams(roomName, options, streamId?)`: toggles `track.enabled` of this room's clones only.
   * Returns the streams whose state changed (2.x acts only on those), for LOCAL_MEDIA_MUTED,
   * STREAM_MUTED, PEER_UPDATED and the mediaInfoEvents (mediaInfoUpdatesForMute).
   * @throws SkylinkError INVALID_ARGUMENT (bad options), STREAM_NOT_FOUND (no stream / unknown id)
   */
  muteStreams(roomKey: string, options?: unknown, streamId?: string): MuteChange[] {
    const flags = parseMuteOptions(options);
    const targets = this.targets(roomKey, streamId, true);
    const changes: MuteChange[] = [];
    for (const s of targets) {
      const change = this.setMuted(s, { audio: flags.audioMuted, video: flags.videoMuted });
      if (change) changes.push(change);
    }
    return changes;
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
    return audioChanged || videoChanged ? { ...this.snapshot(s), audioChanged, videoChanged } : null;
  }

  /**
   * `stopStreams(roomName, streamId?)`: stops this room's camera/microphone streams (or the one with
   * `streamId`; a screen stream id stops the screen share). Other rooms keep their clones.
   * @throws SkylinkError STREAM_NOT_FOUND ('No stream to process')
   */
  stopStreams(roomKey: string, streamId?: string): StopResult {
    const room = this.rooms.get(roomKey);
    if (streamId !== undefined && room?.screen?.id === streamId) {
      return this.stopScreen(roomKey) ?? { stopped: [], restored: [] };
    }
    const targets = this.targets(roomKey, streamId, false);
    return { stopped: targets.map((s) => this.removeStream(roomKey, s, true)), restored: [] };
  }

  private targets(roomKey: string, streamId: string | undefined, includeScreen: boolean): LocalStream[] {
    const room = this.rooms.get(roomKey);
    const all = room ? [...room.userMedia, ...(includeScreen && room.screen ? [room.screen] : [])] : [];
    const targets = streamId === undefined ? all : all.filter((s) => s.id === streamId);
    if (targets.length === 0) {
      throw new SkylinkError(SkylinkErrorCode.STREAM_NOT_FOUND, `No stream to process${streamId ? ` - ${streamId}` : ''}`);
    }
    return targets;
  }

  /**
   * Beyond 2.x: the app stopped using a prefetched stream. Stops its tracks; rooms that adopted it keep
   * their own clones (stop those with stopStreams). Returns the STREAM_ENDED fields (room-less).
   */
  stopPrefetchedStream(stream: MediaStream): { streamId: string; isAudio: boolean; isVideo: boolean } {
    for (const track of stream.getTracks()) {
      this.sources.forgetOriginal(track);
      track.stop();
    }
    return { streamId: stream.id, isAudio: stream.getAudioTracks().length > 0, isVideo: stream.getVideoTracks().length > 0 };
  }

  // ----------------------------------------------------------------------------------------------
  // Screen share
  // ----------------------------------------------------------------------------------------------

  /**
   * `shareScreen(roomName, options)`: getDisplayMedia (with audio where asked and given). Resolves `null`
   * when the user cancels the picker (2.x). A second call replaces the shared surface in the same stream.
   * The camera keeps being sent (2.x adds the screen as its own stream, `videoScreen` on the wire).
   * @throws SkylinkError NOT_SUPPORTED (no getDisplayMedia) or a media code
   */
  async shareScreen(roomKey: string, options?: unknown): Promise<LocalStreamInfo | null> {
    const parsed = parseDisplayMediaOptions(options);
    const epoch = this.epochOf(roomKey);
    let captured: MediaStream;
    try {
      captured = await this.platform.getDisplayMedia(parsed.constraints);
    } catch (err) {
      if (isCancel(err)) {
        this.log.warn('Screen share cancelled or denied');
        return null;
      }
      if (err instanceof TypeError) throw SkylinkError.notSupported('Screen sharing is not supported by this browser', { cause: err });
      throw mediaErrorFromDOMException(err);
    }
    this.assertEpoch(roomKey, epoch, captured.getTracks());
    const room = this.room(roomKey);
    const s = room.screen ?? this.createStream(roomKey, true);
    room.screen = s;
    for (const kind of KINDS) {
      const track = kind === 'audio' ? captured.getAudioTracks()[0] : captured.getVideoTracks()[0];
      if (!track) {
        this.detach(s, kind, 'replace');
        s.settings[kind] = null;
        continue;
      }
      let settings: AudioStreamSettings | VideoStreamSettings = parsed.settings[kind] ?? settingsFromTrack(track, true);
      if (kind === 'video' && !(options as { video?: { resolution?: unknown } } | undefined)?.video?.resolution) {
        settings = { ...parsed.settings.video, resolution: (settingsFromTrack(track, true) as VideoStreamSettings).resolution };
      }
      this.attach(roomKey, s, kind, { track, userOwned: false, settings, constraints: constraintsOf(track) });
    }
    const info = this.snapshot(s);
    this.cb.onMediaAccessSuccess(roomKey, { ...this.accessInfo(info), isAudioFallback: false });
    return info;
  }

  /**
   * `stopScreen(roomName)`: stops this room's screen share. `restored` lists the camera/microphone
   * streams still sent, to announce again (ON_INCOMING_STREAM isSelf). `null` when not sharing.
   */
  stopScreen(roomKey: string): StopResult | null {
    const room = this.rooms.get(roomKey);
    if (!room?.screen) return null;
    const stopped = this.removeStream(roomKey, room.screen, true);
    return { stopped: [stopped], restored: room.userMedia.map((s) => this.snapshot(s)) };
  }

  // ----------------------------------------------------------------------------------------------
  // Devices
  // ----------------------------------------------------------------------------------------------

  /**
   * Beyond 2.x: switches the camera or microphone of a room stream (first stream of that kind, or
   * `streamId`) to `deviceId`, keeping its other constraints, its mute state and its stream id (so the
   * room applies it with `replaceTrack`, without renegotiating).
   * @throws SkylinkError STREAM_NOT_FOUND, or a media code (MEDIA_CONSTRAINTS_NOT_SATISFIED for an unknown device)
   */
  async switchDevice(roomKey: string, kind: TrackKind, deviceId: string, streamId?: string): Promise<LocalStreamInfo> {
    const room = this.rooms.get(roomKey);
    const s = room?.userMedia.find((x) => x[kind] !== null && (streamId === undefined || x.id === streamId));
    const current = s?.[kind];
    if (!s || !current) {
      throw new SkylinkError(SkylinkErrorCode.STREAM_NOT_FOUND, `No ${kind} stream to switch${streamId ? ` - ${streamId}` : ''}`);
    }
    const constraints: MediaTrackConstraints = { ...current.constraints, deviceId: { exact: deviceId } };
    const epoch = this.epochOf(roomKey);
    let captured: MediaStream;
    try {
      captured = await this.platform.getUserMedia(kind === 'audio' ? { audio: constraints } : { video: constraints });
    } catch (err) {
      throw mediaErrorFromDOMException(err);
    }
    this.assertEpoch(roomKey, epoch, captured.getTracks());
    const track = captured.getTracks().find((t) => t.kind === kind);
    if (!track || !this.rooms.get(roomKey)?.userMedia.includes(s)) {
      for (const t of captured.getTracks()) t.stop();
      throw new SkylinkError(SkylinkErrorCode.STREAM_NOT_FOUND, `The ${kind} stream went away during the switch`);
    }
    for (const t of captured.getTracks()) if (t !== track) t.stop();
    const settings = { ...(s.settings[kind] ?? settingsFromTrack(track, false)), deviceId };
    this.attach(roomKey, s, kind, { track, userOwned: false, settings, constraints });
    return this.snapshot(s);
  }

  /** `getStreamSources()`: audio/video inputs and audio outputs (labels are empty before permission). */
  async getStreamSources(): Promise<StreamSources> {
    let devices: MediaDeviceInfo[];
    try {
      devices = await this.platform.enumerateDevices();
    } catch (err) {
      throw SkylinkError.notSupported('Listing media devices (enumerateDevices) is not supported', { cause: err });
    }
    const of = (kind: MediaDeviceKind): StreamSource[] =>
      devices
        .filter((d) => d.kind === kind)
        .map((d) => {
          const deviceId = d.deviceId || 'default';
          return { deviceId, label: d.label || `Source for ${deviceId}`, groupId: d.groupId || null };
        });
    return { audio: { input: of('audioinput'), output: of('audiooutput') }, video: { input: of('videoinput') } };
  }

  // ----------------------------------------------------------------------------------------------
  // What the room reads
  // ----------------------------------------------------------------------------------------------

  /** The room's local streams (camera/microphone first, then the screen share). */
  getLocalStreams(roomKey: string): LocalStreamInfo[] {
    const room = this.rooms.get(roomKey);
    if (!room) return [];
    return [...room.userMedia, ...(room.screen ? [room.screen] : [])].map((s) => this.snapshot(s));
  }

  /** Every track the room should send to each of its peers (input of planTrackUpdate / addTrack). */
  getSendTracks(roomKey: string): SendTrack[] {
    const room = this.rooms.get(roomKey);
    if (!room) return [];
    const out: SendTrack[] = [];
    for (const s of [...room.userMedia, ...(room.screen ? [room.screen] : [])]) {
      for (const kind of KINDS) {
        const rt = s[kind];
        if (rt) out.push({ track: rt.clone, stream: s.stream, streamId: s.id, kind, isScreensharing: s.isScreen });
      }
    }
    return out;
  }

  /** Local stream id a room clone belongs (or belonged) to; planTrackUpdate's `streamIdOf`. */
  streamIdOfTrack(track: MediaStreamTrack): string | undefined {
    return this.streamIdByTrack.get(track);
  }

  /** `userInfo.settings.audio / .video` for the room. */
  getLocalSettings(roomKey: string): LocalSettings {
    const audio: Record<string, AudioStreamSettings> = {};
    const video: Record<string, VideoStreamSettings> = {};
    const room = this.rooms.get(roomKey);
    for (const s of room ? [...room.userMedia, ...(room.screen ? [room.screen] : [])] : []) {
      if (s.audio && s.settings.audio) audio[s.id] = { ...s.settings.audio };
      if (s.video && s.settings.video) video[s.id] = { ...s.settings.video };
    }
    return {
      audio: Object.keys(audio).length > 0 ? audio : false,
      video: Object.keys(video).length > 0 ? video : false,
    };
  }

  /** `peerInfo.mediaStatus` of self for the room. */
  getLocalMediaStatus(roomKey: string): Record<string, StreamMediaStatus> {
    const out: Record<string, StreamMediaStatus> = {};
    for (const info of this.getLocalStreams(roomKey)) out[info.streamId] = { ...info.mediaStatus };
    return out;
  }

  /**
   * `mediaInfoList` for an offer/answer of the room. `mids` is the local SDP being sent (its `a=msid`
   * lines give each track's mid) or a resolver (e.g. from `pc.getTransceivers()`).
   */
  buildMediaInfoList(roomKey: string, publisherId: string, mids: string | MidResolver | null): WireMediaInfo[] {
    const resolver: MidResolver = typeof mids === 'function' ? mids : midResolverFromSdp(mids);
    const room = this.rooms.get(roomKey);
    const tracks = [];
    for (const s of room ? [...room.userMedia, ...(room.screen ? [room.screen] : [])] : []) {
      for (const kind of KINDS) {
        if (s[kind]) tracks.push({ streamId: s.id, kind, isScreensharing: s.isScreen, muted: s.muted[kind] });
      }
    }
    return buildMediaInfoList(publisherId, tracks, resolver);
  }

  /**
   * `getStreams(roomName, includeSelf)`: `{ [peerId]: { streams: { audio, video, screenShare } } }` with
   * `isSelf: true` on our entry. Screen streams go to `screenShare`, streams with audio to `audio`, other
   * video to `video` (2.x).
   */
  getStreams(roomKey: string, selfId: string | null, includeSelf = true): Record<string, StreamsList> {
    const out: Record<string, StreamsList> = {};
    if (includeSelf && selfId !== null) {
      out[selfId] = { streams: bucket(this.getLocalStreams(roomKey)), isSelf: true };
    }
    for (const peerId of this.remote.peersOf(roomKey)) {
      out[peerId] = { streams: bucket(this.remote.streamsOf(roomKey, peerId)) };
    }
    return out;
  }

  // ----------------------------------------------------------------------------------------------
  // Lifecycle
  // ----------------------------------------------------------------------------------------------

  /**
   * Forgets a room, silently (no callbacks; 2.x leaveRoom fires no STREAM_ENDED). `stopTracks` (default,
   * leaveRoom's `stopStreams`) stops the room's clones; otherwise they stay live in the streams the app
   * holds. Acquisitions still in flight for the room are undone when they finish.
   */
  releaseRoom(roomKey: string, options: { stopTracks?: boolean } = {}): void {
    const stop = options.stopTracks ?? true;
    this.epochs.set(roomKey, this.epochOf(roomKey) + 1);
    const room = this.rooms.get(roomKey);
    if (room) {
      for (const s of [...room.userMedia, ...(room.screen ? [room.screen] : [])]) this.removeStream(roomKey, s, stop);
      this.rooms.delete(roomKey);
    }
    this.remote.releaseRoom(roomKey);
  }

  /** Rooms and capture sources still held (for leak tests). */
  get stats(): { rooms: number; sources: number; remoteRooms: number } {
    return { rooms: this.rooms.size, sources: this.sources.size, remoteRooms: this.remote.roomCount };
  }

  // ----------------------------------------------------------------------------------------------

  private room(roomKey: string): RoomMedia {
    let room = this.rooms.get(roomKey);
    if (!room) {
      room = { userMedia: [], screen: null };
      this.rooms.set(roomKey, room);
    }
    return room;
  }

  private epochOf(roomKey: string): number {
    return this.epochs.get(roomKey) ?? 0;
  }

  private assertEpoch(roomKey: string, epoch: number, acquired: readonly MediaStreamTrack[]): void {
    if (this.epochOf(roomKey) === epoch) return;
    for (const t of acquired) t.stop();
    throw SkylinkError.invalidState('The room was left while media was being acquired');
  }

  private split(tracks: readonly MediaStreamTrack[]): MediaStreams {
    const audio = tracks.filter((t) => t.kind === 'audio');
    const video = tracks.filter((t) => t.kind === 'video');
    return [
      audio.length > 0 ? this.platform.createMediaStream(audio) : null,
      video.length > 0 ? this.platform.createMediaStream(video) : null,
    ];
  }

  private snapshot(s: LocalStream): LocalStreamInfo {
    const status = (kind: TrackKind) =>
      s[kind] === null ? MEDIA_STATUS.UNAVAILABLE : s.muted[kind] ? MEDIA_STATUS.MUTED : MEDIA_STATUS.ACTIVE;
    return {
      streamId: s.id,
      stream: s.stream,
      isScreensharing: s.isScreen,
      isAudio: s.audio !== null,
      isVideo: s.video !== null,
      mediaStatus: { audioMuted: status('audio'), videoMuted: status('video') },
    };
  }

  private accessInfo(info: LocalStreamInfo) {
    return { stream: info.stream, streamId: info.streamId, isScreensharing: info.isScreensharing, isAudio: info.isAudio, isVideo: info.isVideo };
  }
}

function bucket(infos: ReadonlyArray<{ streamId: string; stream: MediaStream; isScreensharing: boolean; isAudio: boolean }>): StreamsList['streams'] {
  const audio: Record<string, MediaStream> = {};
  const video: Record<string, MediaStream> = {};
  const screenShare: Record<string, MediaStream> = {};
  for (const i of infos) {
    const target = i.isScreensharing ? screenShare : i.isAudio ? audio : video;
    target[i.streamId] = i.stream;
  }
  const orNull = (r: Record<string, MediaStream>) => (Object.keys(r).length > 0 ? r : null);
  return { audio: orNull(audio), video: orNull(video), screenShare: orNull(screenShare) };
}
