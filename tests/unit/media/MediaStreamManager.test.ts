import { MEDIA_ACCESS_FALLBACK_STATE } from '../../../src/constants';
import { SkylinkError, SkylinkErrorCode } from '../../../src/errors';
import type { LocalMediaResult } from '../../../src/media/mediaTypes';
import { domError } from '../../fakes/media/FakeMediaPlatform';
import type { FakeMediaStreamTrack } from '../../fakes/media/FakeMediaStreamTrack';
import { createMediaHarness, onlyTrack } from '../../fakes/media/mediaHarness';

async function rejection(promise: Promise<unknown>): Promise<SkylinkError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(SkylinkError);
    return err as SkylinkError;
  }
  throw new Error('expected a rejection');
}

function thrown(fn: () => unknown): SkylinkError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SkylinkError);
    return err as SkylinkError;
  }
  throw new Error('expected a throw');
}

describe('MediaStreamManager: stateless (prefetch) getUserMedia', () => {
  it('passes raw constraints through, splits audio and video, fires nothing', async () => {
    const h = createMediaHarness();
    const constraints = { audio: true, video: { width: 320 } };
    const [audio, video] = await h.manager.getUserMedia(null, constraints);
    expect(h.platform.gumCalls).toEqual([constraints]);
    expect(onlyTrack(audio).kind).toBe('audio');
    expect(onlyTrack(video).kind).toBe('video');
    expect(audio!.id).not.toBe(video!.id);
    expect(h.calls).toEqual([]);
    expect(h.manager.stats).toEqual({ rooms: 0, sources: 0, remoteRooms: 0 });
  });

  it('defaults to audio + video and returns null for a kind not obtained', async () => {
    const h = createMediaHarness();
    await h.manager.getUserMedia(null);
    expect(h.platform.gumCalls).toEqual([{ audio: true, video: true }]);
    const [audio, video] = await h.manager.getUserMedia(null, { audio: true });
    expect(audio).not.toBeNull();
    expect(video).toBeNull();
  });

  it('rejects non-object options and maps browser errors to SkylinkError', async () => {
    const h = createMediaHarness();
    expect((await rejection(h.manager.getUserMedia(null, 'x' as never))).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    h.platform.gumFailure = () => domError('NotAllowedError');
    const err = await rejection(h.manager.getUserMedia(null, { video: true }));
    expect(err.code).toBe(SkylinkErrorCode.MEDIA_PERMISSION_DENIED);
    expect((err.cause as DOMException).name).toBe('NotAllowedError');
  });
});

describe('MediaStreamManager: room getUserMedia', () => {
  it('turns Skylink options into constraints and gives the room its own split, cloned streams', async () => {
    const h = createMediaHarness();
    const result = await h.manager.getUserMedia('r1', { audio: { deviceId: 'mic-2' }, video: { frameRate: 15 } });
    expect(h.platform.gumCalls).toEqual([
      {
        audio: { echoCancellation: true, deviceId: { ideal: 'mic-2' } },
        video: { width: { ideal: 640, max: 640 }, height: { ideal: 480, max: 480 }, frameRate: { ideal: 15, max: 15 } },
      },
    ]);
    const [audio, video] = result.streams;
    expect(onlyTrack(audio).source.deviceId).toBe('mic-2');
    expect(onlyTrack(video).source.deviceId).toBe('cam-1');
    // The room sends clones; the captured originals stay inside the manager.
    expect(h.platform.liveTracks()).toHaveLength(4);
    expect(result.isAudioFallback).toBe(false);
    expect(result.changed.map((c) => [c.streamId, c.isAudio, c.isVideo])).toEqual([
      [audio!.id, true, false],
      [video!.id, false, true],
    ]);
    expect(result.muteChanges).toEqual([]);
    const success = h.callsOf('onMediaAccessSuccess');
    expect(success.map((c) => [c.roomKey, c.info.streamId, c.info.isAudio, c.info.isVideo, c.info.isScreensharing])).toEqual([
      ['r1', audio!.id, true, false, false],
      ['r1', video!.id, false, true, false],
    ]);
    expect(h.manager.getLocalSettings('r1')).toEqual({
      audio: { [audio!.id]: { stereo: false, echoCancellation: true, exactConstraints: false, deviceId: 'mic-2' } },
      video: { [video!.id]: { resolution: { width: 640, height: 480 }, frameRate: 15, exactConstraints: false } },
    });
    expect(h.manager.getLocalMediaStatus('r1')).toEqual({
      [audio!.id]: { audioMuted: 1, videoMuted: -1 },
      [video!.id]: { audioMuted: -1, videoMuted: 1 },
    });
  });

  it('mutes on arrival for audio.mute / video.mute (reported as mute changes)', async () => {
    const h = createMediaHarness();
    const result = await h.manager.getUserMedia('r1', { audio: { mute: true }, video: true });
    expect(onlyTrack(result.streams[0]).enabled).toBe(false);
    expect(onlyTrack(result.streams[1]).enabled).toBe(true);
    expect(result.muteChanges).toHaveLength(1);
    expect(result.muteChanges[0]).toMatchObject({ streamId: result.streams[0]!.id, audioChanged: true, videoChanged: false });
    expect(result.muteChanges[0]!.mediaStatus).toEqual({ audioMuted: 0, videoMuted: -1 });
  });

  it.each([
    ['NotAllowedError', SkylinkErrorCode.MEDIA_PERMISSION_DENIED],
    ['NotFoundError', SkylinkErrorCode.MEDIA_NOT_FOUND],
    ['NotReadableError', SkylinkErrorCode.MEDIA_DEVICE_BUSY],
    ['OverconstrainedError', SkylinkErrorCode.MEDIA_CONSTRAINTS_NOT_SATISFIED],
    ['WeirdError', SkylinkErrorCode.MEDIA_ERROR],
  ])('maps %s to %s and reports MEDIA_ACCESS_ERROR', async (name, code) => {
    const h = createMediaHarness();
    h.platform.gumFailure = () => domError(name);
    const err = await rejection(h.manager.getUserMedia('r1', { audio: true }));
    expect(err.code).toBe(code);
    expect(h.callsOf('onMediaAccessError')).toEqual([
      { name: 'onMediaAccessError', roomKey: 'r1', info: { error: err, isAudioFallbackError: false } },
    ]);
    expect(h.callsOf('onMediaAccessFallback')).toEqual([]);
    expect(h.manager.getLocalStreams('r1')).toEqual([]);
  });

  it('rejects invalid options without touching the browser', async () => {
    const h = createMediaHarness();
    const err = await rejection(h.manager.getUserMedia('r1', { audio: false, video: false }));
    expect(err.code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect(err.message).toBe('Invalid user media options');
    expect(h.platform.gumCalls).toEqual([]);
  });
});

describe('MediaStreamManager: audio fallback', () => {
  const videoRefused = (c: MediaStreamConstraints) => (c.video ? domError('NotReadableError', 'camera busy') : null);

  it('retries audio only when video is refused (MEDIA_ACCESS_FALLBACK then SUCCESS isAudioFallback)', async () => {
    const h = createMediaHarness();
    h.platform.gumFailure = videoRefused;
    const result = await h.manager.getUserMedia('r1', { audio: true, video: true });
    expect(h.platform.gumCalls.map((c) => [!!c.audio, !!c.video])).toEqual([
      [true, true],
      [true, false],
    ]);
    expect(result.isAudioFallback).toBe(true);
    expect(result.streams[1]).toBeNull();
    expect(onlyTrack(result.streams[0]).kind).toBe('audio');
    expect(h.calls.map((c) => c.name)).toEqual(['onMediaAccessFallback', 'onMediaAccessSuccess']);
    const fallback = h.callsOf('onMediaAccessFallback')[0]!.info;
    expect(fallback.state).toBe(MEDIA_ACCESS_FALLBACK_STATE.FALLBACKING);
    expect(fallback.error.code).toBe(SkylinkErrorCode.MEDIA_DEVICE_BUSY);
    expect(h.callsOf('onMediaAccessSuccess')[0]!.info.isAudioFallback).toBe(true);
  });

  it('reports ERROR then FALLBACK(ERROR) when the audio retry fails too', async () => {
    const h = createMediaHarness();
    h.platform.gumFailure = () => domError('NotAllowedError');
    const err = await rejection(h.manager.getUserMedia('r1', { audio: true, video: true }));
    expect(err.code).toBe(SkylinkErrorCode.MEDIA_PERMISSION_DENIED);
    expect(h.calls.map((c) => c.name)).toEqual(['onMediaAccessFallback', 'onMediaAccessError', 'onMediaAccessFallback']);
    expect(h.callsOf('onMediaAccessError')[0]!.info).toEqual({ error: err, isAudioFallbackError: true });
    expect(h.callsOf('onMediaAccessFallback')[1]!.info).toEqual({
      error: err,
      state: MEDIA_ACCESS_FALLBACK_STATE.ERROR,
      isAudioFallback: true,
    });
  });

  it('does not retry when audioFallback is off or only one kind was asked', async () => {
    const h = createMediaHarness({ audioFallback: false });
    h.platform.gumFailure = videoRefused;
    await rejection(h.manager.getUserMedia('r1', { audio: true, video: true }));
    await rejection(h.manager.getUserMedia('r1', { video: true }));
    expect(h.platform.gumCalls).toHaveLength(2);
    expect(h.callsOf('onMediaAccessFallback')).toEqual([]);
  });
});

describe('MediaStreamManager: one local stream in several rooms', () => {
  async function twoRoomsFromPrefetch() {
    const h = createMediaHarness();
    const [audio, video] = await h.manager.getUserMedia(null, { audio: true, video: true });
    const prefetched = [audio!, video!];
    const a = h.manager.adoptStreams('A', prefetched, 'replaceAll');
    const b = h.manager.adoptStreams('B', prefetched, 'replaceAll');
    return { h, prefetched, a, b };
  }

  it('gives every room its own clone with its own stream ids', async () => {
    const { h, prefetched, a, b } = await twoRoomsFromPrefetch();
    expect(a.pairs).toEqual([
      [a.streams[0], null],
      [null, a.streams[1]],
    ]);
    const originals = prefetched.map((s) => onlyTrack(s));
    for (const r of [a, b]) {
      expect(originals).not.toContain(onlyTrack(r.streams[0]));
      expect(originals).not.toContain(onlyTrack(r.streams[1]));
    }
    expect(a.streams[1]!.id).not.toBe(b.streams[1]!.id);
    expect(onlyTrack(a.streams[1]).source).toBe(originals[1]!.source);
    expect(h.calls).toEqual([]); // adopting prefetched streams fires no MEDIA_ACCESS_SUCCESS (2.x)
  });

  it('mutes per room', async () => {
    const { h, prefetched, a, b } = await twoRoomsFromPrefetch();
    const changes = h.manager.muteStreams('A', { audioMuted: false, videoMuted: true });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ streamId: a.streams[1]!.id, videoChanged: true, audioChanged: false });
    expect(changes[0]!.mediaStatus).toEqual({ audioMuted: -1, videoMuted: 0 });
    expect(onlyTrack(a.streams[1]).enabled).toBe(false);
    expect(onlyTrack(b.streams[1]).enabled).toBe(true);
    expect(onlyTrack(prefetched[1]).enabled).toBe(true);
    expect(h.manager.getLocalMediaStatus('B')[b.streams[1]!.id]).toEqual({ audioMuted: -1, videoMuted: 1 });
    // Only changes are reported; numbers follow MEDIA_STATUS (1 = unmuted).
    expect(h.manager.muteStreams('A', { audioMuted: false, videoMuted: true })).toEqual([]);
    const unmute = h.manager.muteStreams('A', { audioMuted: 1, videoMuted: 1 });
    expect(unmute.map((c) => c.streamId)).toEqual([a.streams[1]!.id]);
    expect(onlyTrack(a.streams[1]).enabled).toBe(true);
  });

  it('mutes one stream by id, defaults missing flags to muted, rejects unknown ids', async () => {
    const { h, a } = await twoRoomsFromPrefetch();
    const changes = h.manager.muteStreams('A', undefined, a.streams[0]!.id);
    expect(changes.map((c) => c.streamId)).toEqual([a.streams[0]!.id]);
    expect(onlyTrack(a.streams[1]).enabled).toBe(true);
    expect(thrown(() => h.manager.muteStreams('A', {}, 'nope')).code).toBe(SkylinkErrorCode.STREAM_NOT_FOUND);
    expect(thrown(() => h.manager.muteStreams('empty', {})).code).toBe(SkylinkErrorCode.STREAM_NOT_FOUND);
    expect(thrown(() => h.manager.stopStreams('empty')).code).toBe(SkylinkErrorCode.STREAM_NOT_FOUND);
    expect(h.manager.stats.rooms).toBe(2); // lookups on unknown rooms create no state
    expect(thrown(() => h.manager.muteStreams('A', 'x')).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
  });

  it('stopping in one room does not kill the track another room uses (reference counted)', async () => {
    const { h, prefetched, a, b } = await twoRoomsFromPrefetch();
    const stopped = h.manager.stopStreams('A');
    expect(stopped.stopped.map((s) => s.streamId)).toEqual([a.streams[0]!.id, a.streams[1]!.id]);
    expect(stopped.stopped[1]).toMatchObject({ isVideo: true, isAudio: false, isScreensharing: false });
    expect(onlyTrack(a.streams[1]).readyState).toBe('ended');
    expect(onlyTrack(b.streams[1]).readyState).toBe('live');
    expect(onlyTrack(prefetched[1]).readyState).toBe('live');
    expect(h.manager.getLocalStreams('A')).toEqual([]);
    expect(thrown(() => h.manager.stopStreams('A')).message).toBe('No stream to process');
    // The last room stopping stops the adopted source too (2.x stops adopted tracks).
    h.manager.stopStreams('B');
    expect(h.platform.liveTracks()).toEqual([]);
    expect(h.manager.stats.sources).toBe(0);
  });

  it('stops one stream by id and reports unknown ids with the 2.x message', async () => {
    const { h, a } = await twoRoomsFromPrefetch();
    expect(h.manager.stopStreams('A', a.streams[0]!.id).stopped.map((s) => s.streamId)).toEqual([a.streams[0]!.id]);
    expect(h.manager.getLocalStreams('A').map((s) => s.streamId)).toEqual([a.streams[1]!.id]);
    expect(thrown(() => h.manager.stopStreams('A', 'zzz')).message).toBe('No stream to process - zzz');
  });

  it('shares a room-acquired camera with another room through sendStream, stopping it only at the last room', async () => {
    const h = createMediaHarness();
    const a = await h.manager.getUserMedia('A', { video: true });
    const b = await h.manager.sendStream('B', a.streams[1]);
    expect(onlyTrack(b.streams[1]).source).toBe(onlyTrack(a.streams[1]).source);
    h.manager.stopStreams('A');
    expect(onlyTrack(b.streams[1]).readyState).toBe('live');
    expect(h.platform.liveTracks()).toHaveLength(2); // the captured original + B's clone
    h.manager.stopStreams('B');
    expect(h.platform.liveTracks()).toEqual([]);
  });

  it('releaseRoom stops silently, or leaves the app its live streams with stopTracks: false', async () => {
    const h = createMediaHarness();
    const a = await h.manager.getUserMedia('A', { audio: true, video: true });
    const b = await h.manager.getUserMedia('B', { audio: true });
    const before = h.calls.length;
    h.manager.releaseRoom('A', { stopTracks: false });
    expect(onlyTrack(a.streams[1]).readyState).toBe('live');
    expect(h.manager.getLocalStreams('A')).toEqual([]);
    h.manager.releaseRoom('B');
    expect(onlyTrack(b.streams[0]).readyState).toBe('ended');
    expect(h.calls.length).toBe(before);
    // Nothing held any more: every captured original is stopped; only A's clones (kept by the app) live.
    expect(h.manager.stats).toEqual({ rooms: 0, sources: 0, remoteRooms: 0 });
    expect(h.platform.liveTracks()).toEqual([onlyTrack(a.streams[0]), onlyTrack(a.streams[1])]);
  });

  it('stopPrefetchedStream stops the app stream only; rooms keep their clones', async () => {
    const { h, prefetched, a } = await twoRoomsFromPrefetch();
    expect(h.manager.stopPrefetchedStream(prefetched[1]!)).toEqual({ streamId: prefetched[1]!.id, isAudio: false, isVideo: true });
    expect(onlyTrack(prefetched[1]).readyState).toBe('ended');
    expect(onlyTrack(a.streams[1]).readyState).toBe('live');
  });
});

describe('MediaStreamManager: replacing media keeps stream ids (replaceTrack without renegotiation)', () => {
  it('a new camera replaces the video track in the same stream, keeping mute state', async () => {
    const h = createMediaHarness();
    const first = await h.manager.getUserMedia('r', { audio: true, video: true });
    const oldVideo = onlyTrack(first.streams[1]);
    h.manager.muteStreams('r', { audioMuted: false, videoMuted: true });
    const second = await h.manager.sendStream('r', { video: { deviceId: 'cam-2' } });
    expect(second.streams[1]).toBe(first.streams[1]);
    expect(second.streams[0]).toBeNull();
    const newVideo = onlyTrack(first.streams[1]);
    expect(newVideo).not.toBe(oldVideo);
    expect(newVideo.source.deviceId).toBe('cam-2');
    expect(newVideo.enabled).toBe(false);
    expect(oldVideo.readyState).toBe('ended');
    expect(h.manager.streamIdOfTrack(oldVideo as unknown as MediaStreamTrack)).toBe(first.streams[1]!.id);
    expect(second.changed.map((c) => c.streamId)).toEqual([first.streams[1]!.id]);
    expect(second.removed).toEqual([]);
    expect(h.manager.getLocalStreams('r').map((s) => s.streamId)).toEqual([first.streams[0]!.id, first.streams[1]!.id]);
    // The replaced camera's capture is released.
    expect(h.platform.sourcesOf('cam-1').flatMap((s) => s.liveTracks())).toEqual([]);
  });

  it('sendStream with an array sets the exact list and reports what went away', async () => {
    const h = createMediaHarness();
    const first = await h.manager.getUserMedia('r', { audio: true, video: true });
    const [, extraVideo] = await h.manager.getUserMedia(null, { video: { deviceId: 'cam-2' } });
    const [, thirdVideo] = await h.manager.getUserMedia(null, { video: true });
    const result = (await h.manager.sendStream('r', [extraVideo!, thirdVideo!])) as LocalMediaResult;
    expect(result.pairs).toHaveLength(2);
    expect(result.pairs[0]![1]).toBe(first.streams[1]); // first video keeps its id
    expect(result.pairs[1]![1]!.id).not.toBe(first.streams[1]!.id);
    expect(result.removed.map((r) => r.streamId)).toEqual([first.streams[0]!.id]);
    expect(onlyTrack(first.streams[0]).readyState).toBe('ended');
    expect(h.manager.getSendTracks('r').map((t) => t.kind)).toEqual(['video', 'video']);
  });

  it('sendStream validates its argument with the 2.x messages', async () => {
    const h = createMediaHarness();
    expect((await rejection(h.manager.sendStream('r', 5))).message).toBe('Invalid user media options 5');
    expect((await rejection(h.manager.sendStream('r', [{}]))).message).toBe('Array is not of type MediaStream');
  });

  it('switchDevice swaps one kind to an exact device', async () => {
    const h = createMediaHarness();
    const r = await h.manager.getUserMedia('r', { audio: true, video: { resolution: { width: 320, height: 240 } } });
    const info = await h.manager.switchDevice('r', 'video', 'cam-2');
    expect(info.streamId).toBe(r.streams[1]!.id);
    expect(onlyTrack(r.streams[1]).source.deviceId).toBe('cam-2');
    expect(h.platform.gumCalls[1]).toEqual({
      video: {
        width: { ideal: 320, max: 320 },
        height: { ideal: 240, max: 240 },
        frameRate: { ideal: 30, max: 30 },
        deviceId: { exact: 'cam-2' },
      },
    });
    const settings = h.manager.getLocalSettings('r').video;
    expect(settings && settings[r.streams[1]!.id]!.deviceId).toBe('cam-2');
    const err = await rejection(h.manager.switchDevice('r', 'video', 'no-such-camera'));
    expect(err.code).toBe(SkylinkErrorCode.MEDIA_CONSTRAINTS_NOT_SATISFIED);
    expect(onlyTrack(r.streams[1]).source.deviceId).toBe('cam-2');
    expect((await rejection(h.manager.switchDevice('other', 'audio', 'mic-2'))).code).toBe(SkylinkErrorCode.STREAM_NOT_FOUND);
  });
});

describe('MediaStreamManager: screen share', () => {
  it('shares the screen next to the camera and restores the camera on stop', async () => {
    const h = createMediaHarness();
    const cam = await h.manager.getUserMedia('r', { audio: true, video: true });
    const screen = await h.manager.shareScreen('r', { audio: true });
    expect(screen).not.toBeNull();
    expect(screen!).toMatchObject({ isScreensharing: true, isAudio: true, isVideo: true });
    expect(h.platform.gdmCalls).toEqual([{ video: true, audio: true }]);
    expect(h.callsOf('onMediaAccessSuccess').at(-1)!.info).toMatchObject({ streamId: screen!.streamId, isScreensharing: true });
    expect(h.manager.getSendTracks('r').map((t) => [t.kind, t.isScreensharing])).toEqual([
      ['audio', false],
      ['video', false],
      ['audio', true],
      ['video', true],
    ]);
    const settings = h.manager.getLocalSettings('r').video;
    expect(settings && settings[screen!.streamId]).toEqual({
      resolution: { width: 1920, height: 1080 },
      exactConstraints: false,
      screenshare: true,
    });
    const stop = h.manager.stopScreen('r')!;
    expect(stop.stopped.map((s) => s.streamId)).toEqual([screen!.streamId]);
    expect(stop.restored.map((s) => s.streamId)).toEqual([cam.streams[0]!.id, cam.streams[1]!.id]);
    expect(screen!.stream.getTracks().every((t) => t.readyState === 'ended')).toBe(true);
    expect(h.manager.stopScreen('r')).toBeNull();
  });

  it('resolves null when the user cancels the picker; NOT_SUPPORTED without getDisplayMedia', async () => {
    const h = createMediaHarness();
    h.platform.gdmFailure = () => domError('NotAllowedError');
    await expect(h.manager.shareScreen('r')).resolves.toBeNull();
    h.platform.gdmFailure = () => new TypeError('getDisplayMedia is not a function');
    expect((await rejection(h.manager.shareScreen('r'))).code).toBe(SkylinkErrorCode.NOT_SUPPORTED);
    expect(h.manager.getLocalStreams('r')).toEqual([]);
  });

  it('runs the stop flow when the browser ends the capture ("Stop sharing")', async () => {
    const h = createMediaHarness();
    const cam = await h.manager.getUserMedia('r', { video: true });
    const screen = (await h.manager.shareScreen('r'))!;
    const screenTrack = screen.stream.getVideoTracks()[0] as unknown as FakeMediaStreamTrack;
    screenTrack.source.end();
    const ended = h.callsOf('onLocalStreamEnded');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.info.stopped.map((s) => [s.streamId, s.isScreensharing])).toEqual([[screen.streamId, true]]);
    expect(ended[0]!.info.restored.map((s) => s.streamId)).toEqual([cam.streams[1]!.id]);
    expect(h.manager.getLocalStreams('r').map((s) => s.streamId)).toEqual([cam.streams[1]!.id]);
  });

  it('a second shareScreen replaces the surface in the same stream', async () => {
    const h = createMediaHarness();
    const first = (await h.manager.shareScreen('r', { audio: true }))!;
    h.platform.gdmGivesAudio = false;
    const second = (await h.manager.shareScreen('r', { audio: true }))!;
    expect(second.streamId).toBe(first.streamId);
    expect(second.isAudio).toBe(false);
    expect(second.stream.getTracks()).toHaveLength(1);
  });

  it('stopStreams with the screen stream id stops the screen share', async () => {
    const h = createMediaHarness();
    const screen = (await h.manager.shareScreen('r'))!;
    expect(h.manager.stopStreams('r', screen.streamId).stopped[0]!.isScreensharing).toBe(true);
    expect(h.manager.getLocalStreams('r')).toEqual([]);
  });
});

describe('MediaStreamManager: devices and lifecycle', () => {
  it('reports a camera that went away, after removing it', async () => {
    const h = createMediaHarness();
    const r = await h.manager.getUserMedia('r', { audio: true, video: true });
    h.platform.sourcesOf('cam-1')[0]!.end();
    const ended = h.callsOf('onLocalStreamEnded');
    expect(ended.map((c) => [c.roomKey, c.info.stopped.map((s) => s.streamId), c.info.restored])).toEqual([
      ['r', [r.streams[1]!.id], []],
    ]);
    expect(h.manager.getLocalStreams('r').map((s) => s.streamId)).toEqual([r.streams[0]!.id]);
  });

  it('lists stream sources with 2.x defaults', async () => {
    const h = createMediaHarness();
    h.platform.devices = [
      { deviceId: '', kind: 'audioinput', label: '', groupId: '' },
      { deviceId: 'cam', kind: 'videoinput', label: 'Camera', groupId: 'g' },
      { deviceId: 'spk', kind: 'audiooutput', label: '', groupId: 'g2' },
    ];
    await expect(h.manager.getStreamSources()).resolves.toEqual({
      audio: {
        input: [{ deviceId: 'default', label: 'Source for default', groupId: null }],
        output: [{ deviceId: 'spk', label: 'Source for spk', groupId: 'g2' }],
      },
      video: { input: [{ deviceId: 'cam', label: 'Camera', groupId: 'g' }] },
    });
    h.platform.canEnumerate = false;
    expect((await rejection(h.manager.getStreamSources())).code).toBe(SkylinkErrorCode.NOT_SUPPORTED);
  });

  it('undoes an acquisition that finishes after the room was released', async () => {
    const h = createMediaHarness();
    const pending = h.manager.getUserMedia('r', { audio: true, video: true });
    h.manager.releaseRoom('r');
    const err = await rejection(pending);
    expect(err.code).toBe(SkylinkErrorCode.INVALID_STATE);
    expect(h.platform.liveTracks()).toEqual([]);
    expect(h.manager.stats.rooms).toBe(0);
  });

  it('builds getStreams with self and remote entries in 2.x buckets', async () => {
    const h = createMediaHarness();
    const cam = await h.manager.getUserMedia('r', { audio: true, video: true });
    const screen = (await h.manager.shareScreen('r'))!;
    expect(h.manager.getStreams('r', 'me')).toEqual({
      me: {
        isSelf: true,
        streams: {
          audio: { [cam.streams[0]!.id]: cam.streams[0] },
          video: { [cam.streams[1]!.id]: cam.streams[1] },
          screenShare: { [screen.streamId]: screen.stream },
        },
      },
    });
    const [, remoteVideo] = await h.manager.getUserMedia(null, { video: true });
    h.manager.remote.addTrack('r', 'peer', { track: remoteVideo!.getVideoTracks()[0]!, streams: [remoteVideo!], mid: '1' });
    expect(h.manager.getStreams('r', 'me', false)).toEqual({
      peer: { streams: { audio: null, video: { [remoteVideo!.id]: remoteVideo }, screenShare: null } },
    });
  });

  it('describes local media for offers (mediaInfoList with mids from the SDP)', async () => {
    const h = createMediaHarness();
    const cam = await h.manager.getUserMedia('r', { audio: { mute: true }, video: true });
    const screen = (await h.manager.shareScreen('r'))!;
    const sdp = [
      'v=0',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=mid:0',
      'a=sendrecv',
      `a=msid:${cam.streams[0]!.id} t1`,
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=mid:1',
      'a=sendrecv',
      `a=msid:${cam.streams[1]!.id} t2`,
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=mid:2',
      'a=sendonly',
      `a=msid:${screen.streamId} t3`,
      '',
    ].join('\r\n');
    expect(h.manager.buildMediaInfoList('r', 'me', sdp)).toEqual([
      { publisherId: 'me', mediaId: `AUDIO_${cam.streams[0]!.id}`, mediaType: 'audioMic', mediaState: 'muted', transceiverMid: '0', mediaMetaData: '', simulcast: '' },
      { publisherId: 'me', mediaId: `VIDEO_${cam.streams[1]!.id}`, mediaType: 'videoCamera', mediaState: 'active', transceiverMid: '1', mediaMetaData: '', simulcast: '' },
      { publisherId: 'me', mediaId: `VIDEO_${screen.streamId}`, mediaType: 'videoScreen', mediaState: 'active', transceiverMid: '2', mediaMetaData: '', simulcast: '' },
    ]);
  });
});
