/**
 * Pure parsing of Skylink 2.x media options into browser constraints and into the per-stream settings
 * advertised to peers (`userInfo.settings`): `getUserMediaOptions` (spec D.2, used by `getUserMedia`,
 * `joinRoom` and `sendStream`), `getDisplayMediaOptions` (D.3, `shareScreen`), `muteStreams` options and
 * the `MediaStream | MediaStream[]` argument forms of `joinRoom` / `sendStream`.
 *
 * Differences from 2.6.2, on purpose:
 * - a plain number for a resolution side or a frame rate becomes `{ ideal: n, max: n }` instead of
 *   `{ max: n }`: with `max` alone Chrome keeps its 640x480 default, so `HD` would silently give VGA;
 * - `facingMode` is mapped (2.6.2 only did it for the Temasys plugin);
 * - `stereo` also asks for two channels (`channelCount: { ideal: 2 }`);
 * - `noiseSuppression` / `autoGainControl` (additions to the 2.x audio options) become constraints too;
 * - getDisplayMedia never receives `exact` / `min` (browsers reject them with a TypeError).
 * @module
 */
import { VIDEO_RESOLUTION } from '../constants';
import { SkylinkError } from '../errors';
import type {
  AudioMediaOptions,
  GetDisplayMediaOptions,
  GetUserMediaOptions,
  VideoMediaOptions,
  VideoResolutionOption,
} from '../types/options';
import type { AudioStreamSettings, VideoStreamSettings } from '../types/peer';

/** Frame rate used when none is given (2.x: "VGA, 30 fps"). */
export const DEFAULT_FRAME_RATE = 30;

/** 2.x message for every invalid media options object. */
export const INVALID_GUM_OPTIONS = 'Invalid user media options';

/** Result of {@link parseUserMediaOptions}. */
export interface ParsedUserMediaOptions {
  /** What to pass to `getUserMedia` (`false` = kind not requested). */
  constraints: { audio: MediaTrackConstraints | false; video: MediaTrackConstraints | false };
  /** Settings advertised to peers for the resulting streams (`null` = kind not requested). */
  settings: { audio: AudioStreamSettings | null; video: VideoStreamSettings | null };
  /** `audio.mute` / `video.mute`: mute right after acquiring. */
  mute: { audio: boolean; video: boolean };
}

/** Result of {@link parseDisplayMediaOptions}. */
export interface ParsedDisplayMediaOptions {
  /** What to pass to `getDisplayMedia`. */
  constraints: DisplayMediaStreamOptions;
  settings: { audio: AudioStreamSettings | null; video: VideoStreamSettings };
  /** Whether `video.resolution` was given (else the advertised resolution should be the captured one). */
  resolutionGiven: boolean;
}

/** Mute flags after 2.x defaulting (`true` = muted). */
export interface MuteFlags {
  audioMuted: boolean;
  videoMuted: boolean;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** number → `{ exact }` or `{ ideal, max }`; constraint objects pass through (copied). */
function numericConstraint(value: number | ConstrainULong | ConstrainDouble, exact: boolean): ConstrainDouble {
  if (typeof value === 'number') return exact ? { exact: value } : { ideal: value, max: value };
  return { ...value };
}

function stringConstraint(value: string, exact: boolean): ConstrainDOMString {
  return exact ? { exact: value } : { ideal: value };
}

/** A number, or the most telling number inside a constraint object (for the advertised settings). */
function representativeNumber(value: unknown): number | undefined {
  if (isPositiveNumber(value)) return value;
  if (isObject(value)) {
    for (const key of ['exact', 'ideal', 'max'] as const) {
      if (isPositiveNumber(value[key])) return value[key];
    }
  }
  return undefined;
}

function isNumericOption(value: unknown): value is number | ConstrainULong {
  return isPositiveNumber(value) || isObject(value);
}

function parseAudio(audio: unknown, exact: boolean): { constraints: MediaTrackConstraints; settings: AudioStreamSettings; mute: boolean } {
  const opts: AudioMediaOptions = isObject(audio) ? (audio as AudioMediaOptions) : {};
  const echoCancellation = typeof opts.echoCancellation === 'boolean' ? opts.echoCancellation : true;
  const stereo = opts.stereo === true;
  const constraints: MediaTrackConstraints = { echoCancellation };
  if (typeof opts.noiseSuppression === 'boolean') constraints.noiseSuppression = opts.noiseSuppression;
  if (typeof opts.autoGainControl === 'boolean') constraints.autoGainControl = opts.autoGainControl;
  if (stereo) constraints.channelCount = { ideal: 2 };
  const settings: AudioStreamSettings = { stereo, echoCancellation, exactConstraints: exact };
  if (typeof opts.deviceId === 'string' && opts.deviceId !== '') {
    constraints.deviceId = stringConstraint(opts.deviceId, exact);
    settings.deviceId = opts.deviceId;
  }
  return { constraints, settings, mute: opts.mute === true };
}

function parseVideo(video: unknown, exact: boolean): { constraints: MediaTrackConstraints; settings: VideoStreamSettings; mute: boolean } {
  const opts: VideoMediaOptions = isObject(video) ? (video as VideoMediaOptions) : {};
  const res: Partial<VideoResolutionOption> = isObject(opts.resolution) ? opts.resolution : {};
  const width = isNumericOption(res.width) ? res.width : VIDEO_RESOLUTION.VGA.width;
  const height = isNumericOption(res.height) ? res.height : VIDEO_RESOLUTION.VGA.height;
  const constraints: MediaTrackConstraints = {
    width: numericConstraint(width, exact),
    height: numericConstraint(height, exact),
  };
  const settings: VideoStreamSettings = { resolution: { width, height }, exactConstraints: exact };
  if (isNumericOption(opts.frameRate)) {
    constraints.frameRate = numericConstraint(opts.frameRate, exact);
    const fps = representativeNumber(opts.frameRate);
    if (fps !== undefined) settings.frameRate = fps;
  } else {
    // The default frame rate is a preference, never an exact requirement (2.x set none at all).
    constraints.frameRate = numericConstraint(DEFAULT_FRAME_RATE, false);
    settings.frameRate = DEFAULT_FRAME_RATE;
  }
  if (typeof opts.deviceId === 'string' && opts.deviceId !== '') {
    constraints.deviceId = stringConstraint(opts.deviceId, exact);
    settings.deviceId = opts.deviceId;
  }
  if (typeof opts.facingMode === 'string' && opts.facingMode !== '') {
    constraints.facingMode = stringConstraint(opts.facingMode, exact);
    settings.facingMode = opts.facingMode;
  } else if (isObject(opts.facingMode)) {
    constraints.facingMode = { ...(opts.facingMode as ConstrainDOMStringParameters) };
  }
  return { constraints, settings, mute: opts.mute === true };
}

/**
 * Skylink `getUserMediaOptions` → constraints + advertised settings + initial mute.
 * @throws SkylinkError INVALID_ARGUMENT ('Invalid user media options') when `options` is not an object or
 *   requests neither audio nor video.
 */
export function parseUserMediaOptions(options: GetUserMediaOptions | unknown): ParsedUserMediaOptions {
  if (!isObject(options)) throw SkylinkError.invalidArgument(INVALID_GUM_OPTIONS);
  const opts = options as GetUserMediaOptions;
  if (!opts.audio && !opts.video) throw SkylinkError.invalidArgument(INVALID_GUM_OPTIONS);
  const exact = opts.useExactConstraints === true;
  const audio = opts.audio ? parseAudio(opts.audio, exact) : null;
  const video = opts.video ? parseVideo(opts.video, exact) : null;
  return {
    constraints: { audio: audio ? audio.constraints : false, video: video ? video.constraints : false },
    settings: { audio: audio ? audio.settings : null, video: video ? video.settings : null },
    mute: { audio: audio?.mute ?? false, video: video?.mute ?? false },
  };
}

/** getDisplayMedia accepts neither `exact` nor `min`: keep `ideal` / `max` (an `exact` becomes both). */
function displayConstraint(value: number | ConstrainULong | ConstrainDouble): ConstrainDouble {
  if (typeof value === 'number') return { ideal: value, max: value };
  const out: ConstrainDoubleRange = {};
  const ideal = value.ideal ?? value.exact;
  const max = value.max ?? value.exact;
  if (ideal !== undefined) out.ideal = ideal;
  if (max !== undefined) out.max = max;
  return out;
}

/**
 * Skylink `getDisplayMediaOptions` → getDisplayMedia options + advertised settings. Absent or invalid
 * options mean `{ video: true }` (2.x); video is always captured. Width/height are only constrained when
 * `video.resolution` is given; `audio` asks the browser for tab/system audio where it can.
 */
export function parseDisplayMediaOptions(options?: GetDisplayMediaOptions | unknown): ParsedDisplayMediaOptions {
  const opts: GetDisplayMediaOptions = isObject(options) ? (options as GetDisplayMediaOptions) : { video: true };
  const exact = opts.useExactConstraints === true;
  const videoOpts = isObject(opts.video) ? opts.video : {};
  const video: MediaTrackConstraints = {};
  const settings: VideoStreamSettings = {
    resolution: { ...VIDEO_RESOLUTION.VGA },
    exactConstraints: exact,
    screenshare: true,
  };
  const res: Partial<VideoResolutionOption> = isObject(videoOpts.resolution) ? videoOpts.resolution : {};
  const resolutionGiven = isNumericOption(res.width) || isNumericOption(res.height);
  if (resolutionGiven) {
    const width = isNumericOption(res.width) ? res.width : VIDEO_RESOLUTION.VGA.width;
    const height = isNumericOption(res.height) ? res.height : VIDEO_RESOLUTION.VGA.height;
    video.width = displayConstraint(width);
    video.height = displayConstraint(height);
    settings.resolution = { width, height };
  }
  if (isNumericOption(videoOpts.frameRate)) {
    video.frameRate = displayConstraint(videoOpts.frameRate);
    const fps = representativeNumber(videoOpts.frameRate);
    if (fps !== undefined) settings.frameRate = fps;
  }
  const constraints: DisplayMediaStreamOptions = { video: Object.keys(video).length > 0 ? video : true };
  let audioSettings: AudioStreamSettings | null = null;
  if (opts.audio) {
    const parsed = parseAudio(opts.audio, false);
    // A display capture has no selectable microphone.
    delete parsed.constraints.deviceId;
    delete parsed.settings.deviceId;
    constraints.audio = isObject(opts.audio) ? parsed.constraints : true;
    audioSettings = parsed.settings;
  }
  return { constraints, settings: { audio: audioSettings, video: settings }, resolutionGiven };
}

function muteFlag(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value === 'boolean') return value;
  if (value === 1) return false;
  if (value === 0) return true;
  throw SkylinkError.invalidArgument('Invalid mute options - audioMuted / videoMuted must be a boolean, 0 or 1');
}

/**
 * `muteStreams` options → flags. 2.x defaults: absent options or a missing flag mean muted; numbers
 * follow `MEDIA_STATUS` (`1` active → unmuted, `0` → muted).
 * @throws SkylinkError INVALID_ARGUMENT for a non-object or an unusable flag.
 */
export function parseMuteOptions(options?: unknown): MuteFlags {
  if (options === undefined) return { audioMuted: true, videoMuted: true };
  if (!isObject(options)) throw SkylinkError.invalidArgument('Invalid mute options - options must be an object');
  return { audioMuted: muteFlag(options.audioMuted), videoMuted: muteFlag(options.videoMuted) };
}

/** Duck-typed MediaStream check (works across realms and with test fakes). */
export function isMediaStreamLike(value: unknown): value is MediaStream {
  return (
    isObject(value) &&
    typeof value.getAudioTracks === 'function' &&
    typeof value.getVideoTracks === 'function' &&
    typeof value.getTracks === 'function'
  );
}

/** The `sendStream(roomName, x)` argument, classified. */
export type SendStreamArgument =
  | { kind: 'options'; options: GetUserMediaOptions }
  | { kind: 'streams'; streams: MediaStream[]; isArray: boolean };

/**
 * Classifies `sendStream`'s second argument with the 2.x checks and messages: not an object →
 * 'Invalid user media options <x>'; an array with a non-stream → 'Array is not of type MediaStream'; an
 * inactive stream → 'One or more media streams is inactive'.
 */
export function classifySendStreamArgument(value: unknown): SendStreamArgument {
  if (Array.isArray(value)) {
    if (value.length === 0 || !value.every(isMediaStreamLike)) {
      throw SkylinkError.invalidArgument('Array is not of type MediaStream');
    }
    assertActive(value);
    return { kind: 'streams', streams: [...value], isArray: true };
  }
  if (isMediaStreamLike(value)) {
    assertActive([value]);
    return { kind: 'streams', streams: [value], isArray: false };
  }
  if (!isObject(value)) throw SkylinkError.invalidArgument(`${INVALID_GUM_OPTIONS} ${String(value)}`);
  return { kind: 'options', options: value as GetUserMediaOptions };
}

function assertActive(streams: readonly MediaStream[]): void {
  const active = (s: MediaStream) => s.getTracks().some((t) => t.readyState === 'live');
  if (!streams.every(active)) throw SkylinkError.invalidArgument('One or more media streams is inactive');
}

/**
 * The prefetched-stream forms of `joinRoom(options, prefetched)`: `prefetched` is a stream or an array of
 * streams, or `options` itself is. Returns `null` when neither is (ordinary join), else the streams.
 * @throws SkylinkError INVALID_ARGUMENT ('Invalid prefetched streams provided') when both arguments are
 *   streams, or no live stream is given.
 */
export function parsePrefetchedStreams(options: unknown, prefetched: unknown): MediaStream[] | null {
  const asList = (v: unknown): MediaStream[] | null => {
    if (isMediaStreamLike(v)) return [v];
    if (Array.isArray(v) && v.length > 0 && v.every(isMediaStreamLike)) return [...v];
    return null;
  };
  const fromOptions = asList(options);
  const fromPrefetched = prefetched === undefined || prefetched === null ? null : asList(prefetched);
  const invalid = () => SkylinkError.invalidArgument('Invalid prefetched streams provided');
  if (prefetched !== undefined && prefetched !== null && !fromPrefetched) throw invalid();
  if (fromOptions && fromPrefetched) throw invalid();
  const streams = fromPrefetched ?? fromOptions;
  if (!streams) return null;
  const live = streams.filter((s) => s.getTracks().some((t) => t.readyState === 'live'));
  if (live.length === 0) throw invalid();
  return live;
}
