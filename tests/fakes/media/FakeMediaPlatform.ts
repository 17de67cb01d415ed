/**
 * Fake of the media part of the platform seam (getUserMedia, getDisplayMedia, enumerateDevices,
 * createMediaStream). Records every request, can be told to fail, and keeps every capture source so a
 * test can "unplug" a device or press the browser's "Stop sharing".
 */
import { FakeMediaStream } from './FakeMediaStream';
import { FakeCaptureSource, FakeMediaStreamTrack } from './FakeMediaStreamTrack';

export interface FakeDevice {
  deviceId: string;
  kind: MediaDeviceKind;
  label: string;
  groupId: string;
}

export const DEFAULT_FAKE_DEVICES: readonly FakeDevice[] = [
  { deviceId: 'mic-1', kind: 'audioinput', label: 'Fake microphone 1', groupId: 'g1' },
  { deviceId: 'mic-2', kind: 'audioinput', label: 'Fake microphone 2', groupId: 'g2' },
  { deviceId: 'cam-1', kind: 'videoinput', label: 'Fake camera 1', groupId: 'g1' },
  { deviceId: 'cam-2', kind: 'videoinput', label: 'Fake camera 2', groupId: 'g3' },
  { deviceId: 'spk-1', kind: 'audiooutput', label: 'Fake speaker', groupId: 'g1' },
];

/** A DOMException as browsers reject getUserMedia with. */
export function domError(name: string, message = `${name} (fake)`): DOMException {
  return new DOMException(message, name);
}

type Failure = (constraints: MediaStreamConstraints) => Error | null;

function requestedDeviceId(c: boolean | MediaTrackConstraints | undefined): { id: string; exact: boolean } | null {
  if (!c || c === true || c.deviceId === undefined) return null;
  const d = c.deviceId;
  if (typeof d === 'string') return { id: d, exact: false };
  if (Array.isArray(d)) return d[0] === undefined ? null : { id: d[0], exact: false };
  const obj = d as ConstrainDOMStringParameters;
  const pick = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const exact = pick(obj.exact);
  if (exact !== undefined) return { id: exact, exact: true };
  const ideal = pick(obj.ideal);
  return ideal === undefined ? null : { id: ideal, exact: false };
}

function numberFrom(c: ConstrainULong | ConstrainDouble | undefined, fallback: number): number {
  if (typeof c === 'number') return c;
  if (c && typeof c === 'object') return c.exact ?? c.ideal ?? c.max ?? fallback;
  return fallback;
}

export class FakeMediaPlatform {
  devices: FakeDevice[] = DEFAULT_FAKE_DEVICES.map((d) => ({ ...d }));
  readonly gumCalls: MediaStreamConstraints[] = [];
  readonly gdmCalls: (DisplayMediaStreamOptions | undefined)[] = [];
  readonly sources: FakeCaptureSource[] = [];
  /** Return an Error to make a getUserMedia request fail. */
  gumFailure: Failure | null = null;
  /** Return an Error to make a getDisplayMedia request fail. */
  gdmFailure: ((options?: DisplayMediaStreamOptions) => Error | null) | null = null;
  /** Whether getDisplayMedia gives an audio track when audio is requested. */
  gdmGivesAudio = true;
  /** Set to false to simulate a browser without enumerateDevices. */
  canEnumerate = true;
  private screenCount = 0;

  async getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    this.gumCalls.push(constraints);
    const failure = this.gumFailure?.(constraints);
    if (failure) throw failure;
    if (!constraints.audio && !constraints.video) throw new TypeError('At least one of audio and video must be requested');
    const tracks: FakeMediaStreamTrack[] = [];
    for (const kind of ['audio', 'video'] as const) {
      const c = constraints[kind];
      if (!c) continue;
      const device = this.pickDevice(kind === 'audio' ? 'audioinput' : 'videoinput', requestedDeviceId(c));
      const settings: MediaTrackSettings =
        kind === 'video' && c !== true
          ? { width: numberFrom(c.width, 640), height: numberFrom(c.height, 480), frameRate: numberFrom(c.frameRate, 30) }
          : kind === 'video'
            ? { width: 640, height: 480, frameRate: 30 }
            : {};
      tracks.push(this.capture(kind, device.deviceId, device.label, settings, c === true ? {} : c));
    }
    return new FakeMediaStream(tracks as unknown as MediaStreamTrack[]) as unknown as MediaStream;
  }

  async getDisplayMedia(options?: DisplayMediaStreamOptions): Promise<MediaStream> {
    this.gdmCalls.push(options);
    const failure = this.gdmFailure?.(options);
    if (failure) throw failure;
    const n = ++this.screenCount;
    const v = options?.video;
    const videoC = v && v !== true ? v : {};
    const tracks = [
      this.capture('video', `screen:${n}`, `Fake screen ${n}`, {
        width: numberFrom(videoC.width, 1920),
        height: numberFrom(videoC.height, 1080),
        frameRate: numberFrom(videoC.frameRate, 30),
        displaySurface: 'monitor',
      } as MediaTrackSettings, videoC),
    ];
    if (options?.audio && this.gdmGivesAudio) tracks.push(this.capture('audio', `screen-audio:${n}`, `Fake screen audio ${n}`, {}, {}));
    return new FakeMediaStream(tracks as unknown as MediaStreamTrack[]) as unknown as MediaStream;
  }

  async enumerateDevices(): Promise<MediaDeviceInfo[]> {
    if (!this.canEnumerate) throw new TypeError('enumerateDevices is not available');
    return this.devices.map((d) => ({ ...d, toJSON: () => ({ ...d }) }) as MediaDeviceInfo);
  }

  createMediaStream(tracks: MediaStreamTrack[]): MediaStream {
    return new FakeMediaStream(tracks) as unknown as MediaStream;
  }

  /** Live capture sources of a device (e.g. to unplug the camera: `sourcesOf('cam-1')[0].end()`). */
  sourcesOf(deviceId: string): FakeCaptureSource[] {
    return this.sources.filter((s) => s.deviceId === deviceId);
  }

  /** Every track ever captured that is still live (original or clone). */
  liveTracks(): FakeMediaStreamTrack[] {
    return this.sources.flatMap((s) => s.liveTracks());
  }

  private pickDevice(kind: MediaDeviceKind, wanted: { id: string; exact: boolean } | null): FakeDevice {
    const ofKind = this.devices.filter((d) => d.kind === kind);
    const match = wanted ? ofKind.find((d) => d.deviceId === wanted.id) : undefined;
    if (match) return match;
    if (wanted?.exact) {
      const err = domError('OverconstrainedError', 'No device matches deviceId');
      Object.defineProperty(err, 'constraint', { value: 'deviceId' });
      throw err;
    }
    const first = ofKind[0];
    if (!first) throw domError('NotFoundError', 'Requested device not found');
    return first;
  }

  private capture(
    kind: 'audio' | 'video',
    deviceId: string,
    label: string,
    settings: MediaTrackSettings,
    constraints: MediaTrackConstraints,
  ): FakeMediaStreamTrack {
    const source = new FakeCaptureSource(kind, deviceId, label, settings);
    this.sources.push(source);
    return new FakeMediaStreamTrack(source, constraints);
  }
}
