import { VIDEO_RESOLUTION } from '../../../src/constants';
import { SkylinkError, SkylinkErrorCode } from '../../../src/errors';
import {
  classifySendStreamArgument,
  parseDisplayMediaOptions,
  parseMuteOptions,
  parsePrefetchedStreams,
  parseUserMediaOptions,
} from '../../../src/media/constraints';
import { fakeStream } from '../../fakes/media/FakeMediaStream';
import { FakeCaptureSource, FakeMediaStreamTrack } from '../../fakes/media/FakeMediaStreamTrack';

const VGA = { width: { ideal: 640, max: 640 }, height: { ideal: 480, max: 480 }, frameRate: { ideal: 30, max: 30 } };

function expectInvalid(fn: () => unknown, message: string | RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SkylinkError);
    expect((err as SkylinkError).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect((err as SkylinkError).message).toMatch(message);
    return;
  }
  throw new Error('expected an INVALID_ARGUMENT SkylinkError');
}

describe('parseUserMediaOptions: constraints table', () => {
  const cases: Array<[string, unknown, MediaStreamConstraints]> = [
    ['audio only', { audio: true }, { audio: { echoCancellation: true }, video: false }],
    ['video only → VGA 30 fps', { video: true }, { audio: false, video: VGA }],
    ['both', { audio: true, video: true }, { audio: { echoCancellation: true }, video: VGA }],
    [
      'exact VGA (default frame rate stays a preference)',
      { video: true, useExactConstraints: true },
      { audio: false, video: { width: { exact: 640 }, height: { exact: 480 }, frameRate: { ideal: 30, max: 30 } } },
    ],
    [
      'HD preset',
      { video: { resolution: VIDEO_RESOLUTION.HD } },
      { audio: false, video: { ...VGA, width: { ideal: 1280, max: 1280 }, height: { ideal: 720, max: 720 } } },
    ],
    [
      'raw resolution objects pass through',
      { video: { resolution: { width: { min: 320, ideal: 800 }, height: 600 } } },
      { audio: false, video: { ...VGA, width: { min: 320, ideal: 800 }, height: { ideal: 600, max: 600 } } },
    ],
    [
      'frame rate number and exact',
      { video: { frameRate: 15 }, useExactConstraints: true },
      { audio: false, video: { width: { exact: 640 }, height: { exact: 480 }, frameRate: { exact: 15 } } },
    ],
    [
      'frame rate object passes through',
      { video: { frameRate: { min: 10, ideal: 24 } } },
      { audio: false, video: { ...VGA, frameRate: { min: 10, ideal: 24 } } },
    ],
    [
      'device ids: ideal',
      { audio: { deviceId: 'mic-2' }, video: { deviceId: 'cam-2' } },
      { audio: { echoCancellation: true, deviceId: { ideal: 'mic-2' } }, video: { ...VGA, deviceId: { ideal: 'cam-2' } } },
    ],
    [
      'device ids: exact',
      { audio: { deviceId: 'mic-2' }, useExactConstraints: true },
      { audio: { echoCancellation: true, deviceId: { exact: 'mic-2' } }, video: false },
    ],
    [
      'echo / noise / gain / stereo',
      { audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: true, stereo: true } },
      {
        audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: true, channelCount: { ideal: 2 } },
        video: false,
      },
    ],
    ['facingMode string', { video: { facingMode: 'user' } }, { audio: false, video: { ...VGA, facingMode: { ideal: 'user' } } }],
    [
      'facingMode object',
      { video: { facingMode: { exact: 'environment' } } },
      { audio: false, video: { ...VGA, facingMode: { exact: 'environment' } } },
    ],
    ['invalid resolution values fall back to VGA', { video: { resolution: { width: -5, height: 'x' } } }, { audio: false, video: VGA }],
  ];

  it.each(cases)('%s', (_name, options, expected) => {
    expect(parseUserMediaOptions(options).constraints).toEqual(expected);
  });
});

describe('parseUserMediaOptions: advertised settings and mute', () => {
  it('advertises 2.x-shaped settings (as seen on the wire)', () => {
    const parsed = parseUserMediaOptions({ audio: true, video: true });
    expect(parsed.settings).toEqual({
      audio: { stereo: false, echoCancellation: true, exactConstraints: false },
      video: { resolution: { width: 640, height: 480 }, frameRate: 30, exactConstraints: false },
    });
    expect(parsed.mute).toEqual({ audio: false, video: false });
  });

  it('records device ids, facing mode, frame rate and mute flags', () => {
    const parsed = parseUserMediaOptions({
      useExactConstraints: true,
      audio: { deviceId: 'mic-1', stereo: true, mute: true },
      video: { deviceId: 'cam-1', facingMode: 'user', frameRate: { ideal: 24 }, resolution: VIDEO_RESOLUTION.HD, mute: true },
    });
    expect(parsed.settings.audio).toEqual({ stereo: true, echoCancellation: true, exactConstraints: true, deviceId: 'mic-1' });
    expect(parsed.settings.video).toEqual({
      resolution: { width: 1280, height: 720 },
      frameRate: 24,
      exactConstraints: true,
      deviceId: 'cam-1',
      facingMode: 'user',
    });
    expect(parsed.mute).toEqual({ audio: true, video: true });
  });

  it('does not share the VIDEO_RESOLUTION preset object', () => {
    const parsed = parseUserMediaOptions({ video: true });
    (parsed.settings.video!.resolution as { width: number }).width = 1;
    expect(VIDEO_RESOLUTION.VGA.width).toBe(640);
  });

  it.each([[null], [undefined], ['audio'], [42], [{}], [{ audio: false, video: false }]])(
    'rejects %p with the 2.x message',
    (options) => {
      expectInvalid(() => parseUserMediaOptions(options), /^Invalid user media options$/);
    },
  );
});

describe('parseDisplayMediaOptions', () => {
  it('defaults to { video: true } without width/height', () => {
    for (const options of [undefined, null, 'x', {}]) {
      const parsed = parseDisplayMediaOptions(options);
      expect(parsed.constraints).toEqual({ video: true });
      expect(parsed.settings.audio).toBeNull();
      expect(parsed.settings.video.screenshare).toBe(true);
    }
  });

  it('constrains resolution and frame rate with ideal/max only, even with useExactConstraints', () => {
    const parsed = parseDisplayMediaOptions({
      useExactConstraints: true,
      video: { resolution: VIDEO_RESOLUTION.FHD, frameRate: { exact: 5 } },
    });
    expect(parsed.constraints).toEqual({
      video: { width: { ideal: 1920, max: 1920 }, height: { ideal: 1080, max: 1080 }, frameRate: { ideal: 5, max: 5 } },
    });
    expect(parsed.settings.video).toEqual({
      resolution: { width: 1920, height: 1080 },
      frameRate: 5,
      exactConstraints: true,
      screenshare: true,
    });
  });

  it('asks for audio where given (boolean or constraints, never a device id)', () => {
    expect(parseDisplayMediaOptions({ audio: true }).constraints).toEqual({ video: true, audio: true });
    const parsed = parseDisplayMediaOptions({ audio: { echoCancellation: false, deviceId: 'mic-1' } });
    expect(parsed.constraints).toEqual({ video: true, audio: { echoCancellation: false } });
    expect(parsed.settings.audio).toEqual({ stereo: false, echoCancellation: false, exactConstraints: false });
  });
});

describe('parseMuteOptions', () => {
  it.each([
    [undefined, { audioMuted: true, videoMuted: true }],
    [{}, { audioMuted: true, videoMuted: true }],
    [{ audioMuted: false }, { audioMuted: false, videoMuted: true }],
    [{ audioMuted: true, videoMuted: false }, { audioMuted: true, videoMuted: false }],
    [{ audioMuted: 1, videoMuted: 0 }, { audioMuted: false, videoMuted: true }],
  ])('%p → %p', (options, expected) => {
    expect(parseMuteOptions(options)).toEqual(expected);
  });

  it.each([[null], ['yes'], [[true]], [{ audioMuted: 'no' }], [{ videoMuted: 2 }]])('rejects %p', (options) => {
    expectInvalid(() => parseMuteOptions(options), /Invalid mute options/);
  });
});

function liveStream(kind: 'audio' | 'video' = 'video'): MediaStream {
  return fakeStream([new FakeMediaStreamTrack(new FakeCaptureSource(kind, 'd', 'l'))]);
}

describe('classifySendStreamArgument', () => {
  it('recognises options, a stream and an array of streams', () => {
    expect(classifySendStreamArgument({ audio: true })).toEqual({ kind: 'options', options: { audio: true } });
    const s = liveStream();
    expect(classifySendStreamArgument(s)).toEqual({ kind: 'streams', streams: [s], isArray: false });
    const t = liveStream('audio');
    expect(classifySendStreamArgument([s, t])).toEqual({ kind: 'streams', streams: [s, t], isArray: true });
  });

  it('uses the 2.x messages for bad arguments', () => {
    expectInvalid(() => classifySendStreamArgument('x'), 'Invalid user media options x');
    expectInvalid(() => classifySendStreamArgument(null), 'Invalid user media options null');
    expectInvalid(() => classifySendStreamArgument([liveStream(), {}]), 'Array is not of type MediaStream');
    const dead = liveStream();
    dead.getTracks()[0]!.stop();
    expectInvalid(() => classifySendStreamArgument(dead), 'One or more media streams is inactive');
  });
});

describe('parsePrefetchedStreams', () => {
  it('returns null for an ordinary join', () => {
    expect(parsePrefetchedStreams({ roomName: 'r', audio: true }, undefined)).toBeNull();
    expect(parsePrefetchedStreams(undefined, null)).toBeNull();
  });

  it('accepts the stream as second argument or as the options themselves', () => {
    const s = liveStream();
    expect(parsePrefetchedStreams({ roomName: 'r' }, s)).toEqual([s]);
    expect(parsePrefetchedStreams(s, undefined)).toEqual([s]);
    const t = liveStream('audio');
    expect(parsePrefetchedStreams([s, t], undefined)).toEqual([s, t]);
  });

  it('rejects both forms at once, non-streams and dead streams', () => {
    const s = liveStream();
    expectInvalid(() => parsePrefetchedStreams(s, s), 'Invalid prefetched streams provided');
    expectInvalid(() => parsePrefetchedStreams({}, 'nope'), 'Invalid prefetched streams provided');
    const dead = liveStream();
    dead.getTracks()[0]!.stop();
    expectInvalid(() => parsePrefetchedStreams({}, dead), 'Invalid prefetched streams provided');
  });
});
