/**
 * The media service: camera, microphone and screen capture for every room, with 2.x semantics.
 *
 * One instance is shared by all rooms (built once by the facade); per-room state lives in
 * `Map<roomKey, LocalRoomMedia>` and `releaseRoom(roomKey)` forgets a room. It only talks to the browser
 * through the injected {@link MediaPlatform} and reports upward through {@link MediaStreamManagerCallbacks};
 * it never imports the room, the facade or the event manager, and never touches peer connections: the
 * room reconciles those with {@link MediaStreamManager.getSendTracks} + `planTrackUpdate`.
 *
 * Model:
 * - Local media is split as in 2.x: a camera/microphone stream carries ONE track (`[audio, video]`
 *   results); a screen-share stream carries the screen video and, when the browser gives it, tab/system
 *   audio.
 * - Clone-per-room: each room holds its own clone of a captured track (SourceTracks.ts), so mute and stop
 *   are per room; a captured original is stopped when its last room clone is released.
 * - Replacing keeps the stream id: a new camera/microphone/screen for a kind the room already sends is
 *   swapped into the existing stream, so senders can `replaceTrack` without renegotiation and the peers'
 *   mediaInfo / mediaStatus stay valid. (2.x accumulated streams instead; `sendStream(room, streams[])`
 *   sets the exact list, so several cameras remain possible.)
 * @internal
 */
import { MEDIA_ACCESS_FALLBACK_STATE } from '../constants';
import { SkylinkError, SkylinkErrorCode, mediaErrorFromDOMException } from '../errors';
import { createLogger } from '../logger';
import type { Logger } from '../logger';
import type { MediaStreams, StreamSource, StreamSources, StreamsList } from '../types/media';
import type { AudioStreamSettings, StreamMediaStatus, VideoStreamSettings } from '../types/peer';
import { classifySendStreamArgument, parseDisplayMediaOptions, parseMuteOptions, parseUserMediaOptions } from './constraints';
import { LocalRoomMedia, kindOf } from './LocalRoomMedia';
import type { IncomingTrack, PlacementMode } from './LocalRoomMedia';
import { buildMediaInfoList, midResolverFromSdp } from './mediaInfo';
import type { MidResolver, WireMediaInfo } from './mediaInfo';
import type {
  LocalMediaResult,
  LocalSettings,
  LocalStreamInfo,
  MediaAccessSuccessInfo,
  MediaPlatform,
  MediaStreamManagerCallbacks,
  MuteChange,
  SendTrack,
  StopResult,
  TrackKind,
} from './mediaTypes';
import { RemoteMediaRegistry } from './RemoteMediaRegistry';
import { SourceTracks } from './SourceTracks';

export type { PlacementMode };

export interface MediaStreamManagerOptions {
  readonly platform: MediaPlatform;
  readonly callbacks: MediaStreamManagerCallbacks;
  /** `initOptions.audioFallback` (default true): retry audio-only when audio+video fails. */
  readonly audioFallback?: boolean;
  readonly logger?: Logger;
}

/** Settings advertised for a track without Skylink options (app-given, or a screen capture). */
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

function accessInfo(info: LocalStreamInfo, isAudioFallback: boolean): MediaAccessSuccessInfo {
  const { stream, streamId, isScreensharing, isAudio, isVideo } = info;
  return { stream, streamId, isScreensharing, isAudioFallback, isAudio, isVideo };
}

export class MediaStreamManager {
  /** Remote media of every room (media infos, remote streams, camera/screen classification). */
  readonly remote: RemoteMediaRegistry;
  private readonly platform: MediaPlatform;
  private readonly cb: MediaStreamManagerCallbacks;
  private readonly audioFallback: boolean;
  private readonly log: Logger;
  private readonly rooms = new Map<string, LocalRoomMedia>();
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
  // Camera and microphone
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
    const incoming = stream.getTracks().map((track): IncomingTrack => {
      const kind = kindOf(track);
      const settings = parsed.settings[kind] ?? settingsFromTrack(track, false);
      return { track, userOwned: false, settings, constraints: parsed.constraints[kind] || {} };
    });
    const { result } = this.room(roomKey).place(incoming, 'replaceKinds', parsed.mute);
    for (const info of result.changed) this.cb.onMediaAccessSuccess(roomKey, accessInfo(info, isAudioFallback));
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
    const audio = stream.getAudioTracks();
    const video = stream.getVideoTracks();
    return [
      audio.length > 0 ? this.platform.createMediaStream(audio) : null,
      video.length > 0 ? this.platform.createMediaStream(video) : null,
    ];
  }

  /** getUserMedia with the 2.x audio fallback and MEDIA_ACCESS_ERROR / FALLBACK reporting. */
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
   * @throws SkylinkError INVALID_ARGUMENT when no live track is given
   */
  adoptStreams(roomKey: string, streams: readonly MediaStream[], mode: PlacementMode): LocalMediaResult {
    const incoming: IncomingTrack[] = [];
    for (const stream of streams) {
      for (const track of stream.getTracks()) {
        if (track.readyState !== 'live') continue;
        incoming.push({ track, userOwned: true, settings: settingsFromTrack(track, false), constraints: constraintsOf(track) });
      }
    }
    if (incoming.length === 0) throw SkylinkError.invalidArgument('One or more media streams is inactive');
    const { result, targets } = this.room(roomKey).place(incoming, mode, { audio: false, video: false });
    // One [audio, video] pair per given stream (2.x resolves an array of pairs for an array).
    const pairs = streams.map((given): MediaStreams => {
      const pick = (kind: TrackKind) => {
        const i = incoming.findIndex((inc) => kindOf(inc.track) === kind && given.getTracks().includes(inc.track));
        return i >= 0 ? targets[i]!.stream : null;
      };
      return [pick('audio'), pick('video')];
    });
    return { ...result, pairs: pairs.length === 1 ? [result.streams] : pairs, isAudioFallback: false };
  }

  /**
   * Beyond 2.x: switches the camera or microphone of a room stream (first stream of that kind, or
   * `streamId`) to `deviceId`, keeping its other constraints, its mute state and its stream id (so the
   * room applies it with `replaceTrack`, without renegotiating).
   * @throws SkylinkError STREAM_NOT_FOUND, or a media code (MEDIA_CONSTRAINTS_NOT_SATISFIED for an unknown device)
   */
  async switchDevice(roomKey: string, kind: TrackKind, deviceId: string, streamId?: string): Promise<LocalStreamInfo> {
    const target = this.rooms.get(roomKey)?.userStreamFor(kind, streamId);
    if (!target) {
      throw new SkylinkError(SkylinkErrorCode.STREAM_NOT_FOUND, `No ${kind} stream to switch${streamId ? ` - ${streamId}` : ''}`);
    }
    const constraints: MediaTrackConstraints = { ...target.constraints, deviceId: { exact: deviceId } };
    const epoch = this.epochOf(roomKey);
    let captured: MediaStream;
    try {
      captured = await this.platform.getUserMedia(kind === 'audio' ? { audio: constraints } : { video: constraints });
    } catch (err) {
      throw mediaErrorFromDOMException(err);
    }
    this.assertEpoch(roomKey, epoch, captured.getTracks());
    const track = captured.getTracks().find((t) => t.kind === kind);
    for (const t of captured.getTracks()) if (t !== track) t.stop();
    const settings = track && { ...(target.stream.settings[kind] ?? settingsFromTrack(track, false)), deviceId };
    const info =
      track && settings && this.room(roomKey).replaceUserTrack(target.stream, kind, { track, userOwned: false, settings, constraints });
    if (!info) {
      track?.stop();
      throw new SkylinkError(SkylinkErrorCode.STREAM_NOT_FOUND, `The ${kind} stream went away during the switch`);
    }
    return info;
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
  // Mute and stop
  // ----------------------------------------------------------------------------------------------

  /**
   * `muteStreams(roomName, options, streamId?)`: toggles `track.enabled` of this room's clones only
   * (camera, microphone and screen streams). Returns the streams whose state changed (2.x acts only on
   * those), for LOCAL_MEDIA_MUTED, STREAM_MUTED, PEER_UPDATED and the mediaInfoEvents
   * (mediaInfoUpdatesForMute).
   * @throws SkylinkError INVALID_ARGUMENT (bad options), STREAM_NOT_FOUND (no stream / unknown id)
   */
  muteStreams(roomKey: string, options?: unknown, streamId?: string): MuteChange[] {
    const flags = parseMuteOptions(options);
    return this.existingRoom(roomKey).mute({ audio: flags.audioMuted, video: flags.videoMuted }, streamId);
  }

  /**
   * `stopStreams(roomName, streamId?)`: stops this room's camera/microphone streams (or the one with
   * `streamId`; a screen stream id stops the screen share). Other rooms keep their clones.
   * @throws SkylinkError STREAM_NOT_FOUND ('No stream to process')
   */
  stopStreams(roomKey: string, streamId?: string): StopResult {
    return this.existingRoom(roomKey).stop(streamId);
  }

  /**
   * Beyond 2.x semantics: stops the app's prefetched stream. Rooms that adopted it keep their own clones
   * (stop those with stopStreams). Returns the STREAM_ENDED fields (room-less).
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
      if ((err as { name?: unknown } | null)?.name === 'NotAllowedError') {
        this.log.info('Screen share cancelled or denied');
        return null;
      }
      if (err instanceof TypeError) throw SkylinkError.notSupported('Screen sharing is not supported by this browser', { cause: err });
      throw mediaErrorFromDOMException(err);
    }
    this.assertEpoch(roomKey, epoch, captured.getTracks());
    const video = captured.getVideoTracks()[0];
    const audio = captured.getAudioTracks()[0];
    for (const t of captured.getTracks()) if (t !== video && t !== audio) t.stop();
    if (!video) {
      audio?.stop();
      throw new SkylinkError(SkylinkErrorCode.MEDIA_ERROR, 'The screen capture has no video');
    }
    // Without a requested resolution, advertise what the browser captures.
    const captureSettings = settingsFromTrack(video, true) as VideoStreamSettings;
    const videoSettings = parsed.resolutionGiven ? parsed.settings.video : { ...parsed.settings.video, resolution: captureSettings.resolution };
    const info = this.room(roomKey).setScreen({
      video: { track: video, userOwned: false, settings: videoSettings, constraints: constraintsOf(video) },
      audio: audio
        ? { track: audio, userOwned: false, settings: parsed.settings.audio ?? settingsFromTrack(audio, true), constraints: constraintsOf(audio) }
        : null,
    });
    this.cb.onMediaAccessSuccess(roomKey, accessInfo(info, false));
    return info;
  }

  /**
   * `stopScreen(roomName)`: stops this room's screen share. `restored` lists the camera/microphone
   * streams still sent, to announce again (ON_INCOMING_STREAM isSelf). `null` when not sharing.
   */
  stopScreen(roomKey: string): StopResult | null {
    return this.rooms.get(roomKey)?.stopScreen() ?? null;
  }

  // ----------------------------------------------------------------------------------------------
  // What the room reads
  // ----------------------------------------------------------------------------------------------

  /** The room's local streams (camera/microphone first, then the screen share). */
  getLocalStreams(roomKey: string): LocalStreamInfo[] {
    return this.rooms.get(roomKey)?.infos() ?? [];
  }

  /** Every track the room should send to each of its peers (input of planTrackUpdate / addTrack). */
  getSendTracks(roomKey: string): SendTrack[] {
    return this.rooms.get(roomKey)?.sendTracks() ?? [];
  }

  /** Local stream id a room clone belongs (or belonged) to; planTrackUpdate's `streamIdOf`. */
  streamIdOfTrack(track: MediaStreamTrack): string | undefined {
    return this.streamIdByTrack.get(track);
  }

  /** `userInfo.settings.audio / .video` for the room. */
  getLocalSettings(roomKey: string): LocalSettings {
    return this.rooms.get(roomKey)?.settings() ?? { audio: false, video: false };
  }

  /** `peerInfo.mediaStatus` of self for the room. */
  getLocalMediaStatus(roomKey: string): Record<string, StreamMediaStatus> {
    return this.rooms.get(roomKey)?.mediaStatus() ?? {};
  }

  /**
   * `mediaInfoList` for an offer/answer of the room. `mids` is the local SDP being sent (its `a=msid`
   * lines give each track's mid) or a resolver (e.g. from `pc.getTransceivers()`).
   */
  buildMediaInfoList(roomKey: string, publisherId: string, mids: string | MidResolver | null): WireMediaInfo[] {
    const resolver: MidResolver = typeof mids === 'function' ? mids : midResolverFromSdp(mids);
    return buildMediaInfoList(publisherId, this.rooms.get(roomKey)?.trackDescriptions() ?? [], resolver);
  }

  /**
   * `getStreams(roomName, includeSelf)`: `{ [peerId]: { streams: { audio, video, screenShare } } }` with
   * `isSelf: true` on our entry. Screen streams go to `screenShare`, streams with audio to `audio`, other
   * video to `video` (2.x).
   */
  getStreams(roomKey: string, selfId: string | null, includeSelf = true): Record<string, StreamsList> {
    const out: Record<string, StreamsList> = {};
    if (includeSelf && selfId !== null) out[selfId] = { streams: bucket(this.getLocalStreams(roomKey)), isSelf: true };
    for (const peerId of this.remote.peersOf(roomKey)) out[peerId] = { streams: bucket(this.remote.streamsOf(roomKey, peerId)) };
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
    this.epochs.set(roomKey, this.epochOf(roomKey) + 1);
    this.rooms.get(roomKey)?.release(options.stopTracks ?? true);
    this.rooms.delete(roomKey);
    this.remote.releaseRoom(roomKey);
  }

  /** Rooms and capture sources still held (for leak tests). */
  get stats(): { rooms: number; sources: number; remoteRooms: number } {
    return { rooms: this.rooms.size, sources: this.sources.size, remoteRooms: this.remote.roomCount };
  }

  private room(roomKey: string): LocalRoomMedia {
    let room = this.rooms.get(roomKey);
    if (!room) {
      const created: LocalRoomMedia = new LocalRoomMedia({
        sources: this.sources,
        createMediaStream: (tracks) => this.platform.createMediaStream(tracks),
        noteTrack: (clone, streamId) => this.streamIdByTrack.set(clone, streamId),
        onTrackEnded: (stream) => {
          const result = created.ended(stream);
          if (!result) return;
          this.log.info('A local track ended by itself', { streamId: stream.id });
          this.cb.onLocalStreamEnded(roomKey, result);
        },
      });
      room = created;
      this.rooms.set(roomKey, room);
    }
    return room;
  }

  /** The room's media; a room that never had local media has no stream to process. */
  private existingRoom(roomKey: string): LocalRoomMedia {
    const room = this.rooms.get(roomKey);
    if (!room) throw new SkylinkError(SkylinkErrorCode.STREAM_NOT_FOUND, 'No stream to process');
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
}

function bucket(
  infos: ReadonlyArray<{ streamId: string; stream: MediaStream; isScreensharing: boolean; isAudio: boolean }>,
): StreamsList['streams'] {
  const audio: Record<string, MediaStream> = {};
  const video: Record<string, MediaStream> = {};
  const screenShare: Record<string, MediaStream> = {};
  for (const i of infos) (i.isScreensharing ? screenShare : i.isAudio ? audio : video)[i.streamId] = i.stream;
  const orNull = (r: Record<string, MediaStream>) => (Object.keys(r).length > 0 ? r : null);
  return { audio: orNull(audio), video: orNull(video), screenShare: orNull(screenShare) };
}
