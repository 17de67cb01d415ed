/**
 * In-memory MediaStreamTrack / MediaStream for jsdom (which has neither). Behaviour follows the browser
 * where the SDK depends on it:
 * - `stop()` ends the track WITHOUT firing `ended` (as in browsers);
 * - a clone is independent: stopping the original does not end the clone, and vice versa;
 * - a {@link FakeCaptureSource} (camera, mic, screen) ending (device unplugged, "Stop sharing") ends every
 *   live track captured from it and fires `ended` on each.
 */
let nextId = 1;

/** The capture device behind tracks (shared by a track and its clones). */
export class FakeCaptureSource {
  readonly tracks = new Set<FakeMediaStreamTrack>();

  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId: string,
    readonly label: string,
    readonly settings: MediaTrackSettings = {},
  ) {}

  /** Tracks of this source that are still live. */
  liveTracks(): FakeMediaStreamTrack[] {
    return [...this.tracks].filter((t) => t.readyState === 'live');
  }

  /** The device went away: every live track ends and fires `ended`. */
  end(): void {
    for (const track of this.liveTracks()) track.endFromSource();
  }
}

export class FakeMediaStreamTrack extends EventTarget {
  readonly id = `track-${nextId++}`;
  readonly kind: 'audio' | 'video';
  readonly label: string;
  enabled = true;
  muted = false;
  contentHint = '';
  readyState: MediaStreamTrackState = 'live';
  onended: ((this: MediaStreamTrack, ev: Event) => unknown) | null = null;
  onmute: ((this: MediaStreamTrack, ev: Event) => unknown) | null = null;
  onunmute: ((this: MediaStreamTrack, ev: Event) => unknown) | null = null;
  /** Last constraints passed to `applyConstraints` (or given at capture). */
  constraints: MediaTrackConstraints;

  constructor(readonly source: FakeCaptureSource, constraints: MediaTrackConstraints = {}) {
    super();
    this.kind = source.kind;
    this.label = source.label;
    this.constraints = constraints;
    source.tracks.add(this);
  }

  clone(): FakeMediaStreamTrack {
    const copy = new FakeMediaStreamTrack(this.source, { ...this.constraints });
    copy.enabled = this.enabled;
    return copy;
  }

  stop(): void {
    this.readyState = 'ended';
  }

  getSettings(): MediaTrackSettings {
    return { deviceId: this.source.deviceId, ...this.source.settings };
  }

  getConstraints(): MediaTrackConstraints {
    return this.constraints;
  }

  getCapabilities(): MediaTrackCapabilities {
    return {};
  }

  async applyConstraints(constraints?: MediaTrackConstraints): Promise<void> {
    this.constraints = constraints ?? {};
  }

  /** @internal Used by {@link FakeCaptureSource.end}. */
  endFromSource(): void {
    if (this.readyState === 'ended') return;
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

/** `track as MediaStreamTrack`, for passing fakes to SDK code typed with DOM types. */
export function asTrack(track: FakeMediaStreamTrack): MediaStreamTrack {
  return track as unknown as MediaStreamTrack;
}
