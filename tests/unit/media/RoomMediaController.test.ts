import { SkylinkErrorCode } from '../../../src/errors';
import { AudioActivityMonitor } from '../../../src/media/AudioActivityMonitor';
import { MediaStreamManager } from '../../../src/media/MediaStreamManager';
import { RoomMediaController, routeAudioActivity, routeMediaCallbacks } from '../../../src/media/RoomMediaController';
import type { MediaPlatform } from '../../../src/media/mediaTypes';
import type { SkylinkPlatform, TrackEventLike } from '../../../src/platform/SkylinkPlatform';
import type { RoomServiceHooks } from '../../../src/room/SkylinkRoom';
import { FakeMediaStream, fakeStream } from '../../fakes/media/FakeMediaStream';
import { FakeMediaPlatform, domError } from '../../fakes/media/FakeMediaPlatform';
import { FakeCaptureSource, FakeMediaStreamTrack, asTrack } from '../../fakes/media/FakeMediaStreamTrack';
import { FakeMediaRoomPort } from '../../fakes/media/FakeMediaRoomPort';
import { memoryLogger, onlyTrack } from '../../fakes/media/mediaHarness';

function setup(options: { monitor?: AudioActivityMonitor; negotiationTimeoutMs?: number } = {}) {
  const platform = new FakeMediaPlatform();
  const controllers = new Map<string, RoomMediaController>();
  const media = new MediaStreamManager({
    platform,
    callbacks: routeMediaCallbacks((key) => controllers.get(key)),
    logger: memoryLogger(),
  });
  const port = new FakeMediaRoomPort();
  const controller = new RoomMediaController(media, port, {
    audioActivity: options.monitor,
    negotiationTimeoutMs: options.negotiationTimeoutMs,
    logger: memoryLogger(),
  });
  controllers.set(port.roomKey, controller);
  return { platform, media, port, controller };
}

/** Lets queued microtasks (reconciliation chain) run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

function remoteTrackEvent(kind: 'audio' | 'video', streamId: string, mid: string | null): TrackEventLike {
  const track = asTrack(new FakeMediaStreamTrack(new FakeCaptureSource(kind, 'remote', 'remote')));
  const stream = fakeStream([track], streamId);
  return {
    track,
    streams: [stream],
    transceiver: { mid, receiver: { getSynchronizationSources: () => [], getStats: async () => new Map() } } as unknown as RTCRtpTransceiver,
  };
}

describe('RoomMediaController: fits the room and platform seams', () => {
  it('is a RoomServiceHooks object and takes the SkylinkPlatform as its media platform (compile-time)', () => {
    const { controller } = setup();
    const hooks: RoomServiceHooks = controller;
    const asMediaPlatform = (p: SkylinkPlatform): MediaPlatform => p;
    expect(typeof hooks.track).toBe('function');
    expect(typeof asMediaPlatform).toBe('function');
  });
});

describe('RoomMediaController: local media', () => {
  it('adds local tracks to new connections and describes them in mediaInfoList', async () => {
    const { port, controller } = setup();
    const [audio, video] = await controller.getUserMedia({ audio: true, video: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    expect(pc.sentTracks()).toEqual([onlyTrack(audio), onlyTrack(video)]);
    expect(pc.transceivers.map((t) => t.streams.map((s) => s.id))).toEqual([[audio!.id], [video!.id]]);
    expect(controller.mediaInfoList('peer')).toEqual([
      { publisherId: 'me', mediaId: `AUDIO_${audio!.id}`, mediaType: 'audioMic', mediaState: 'active', transceiverMid: '0', mediaMetaData: '', simulcast: '' },
      { publisherId: 'me', mediaId: `VIDEO_${video!.id}`, mediaType: 'videoCamera', mediaState: 'active', transceiverMid: '1', mediaMetaData: '', simulcast: '' },
    ]);
    expect(controller.localMediaStatus()).toEqual({
      [audio!.id]: { audioMuted: 1, videoMuted: -1 },
      [video!.id]: { audioMuted: -1, videoMuted: 1 },
    });
  });

  it('room getUserMedia fires MEDIA_ACCESS_SUCCESS and ON_INCOMING_STREAM isSelf, adds tracks without renegotiating', async () => {
    const { port, controller } = setup();
    const pc = port.addPeer('peer');
    const [audio, video] = await controller.getUserMedia({ audio: true, video: true });
    await flush();
    expect(port.types()).toEqual(['mediaAccessSuccess', 'mediaAccessSuccess', 'onIncomingStream', 'onIncomingStream']);
    expect(port.of('onIncomingStream').map((d) => [d.streamId, d.isSelf, d.peerId, d.isAudio, d.isVideo, d.roomName])).toEqual([
      [audio!.id, true, 'me', true, false, 'room'],
      [video!.id, true, 'me', false, true, 'room'],
    ]);
    expect(pc.sentTracks()).toHaveLength(2);
    expect(port.renegotiations).toEqual([]);
  });

  it('reports media access errors and fallback as events', async () => {
    const { port, platform, controller } = setup();
    platform.gumFailure = (c) => (c.video ? domError('NotAllowedError') : null);
    const [audio, video] = await controller.getUserMedia({ audio: true, video: true });
    expect(video).toBeNull();
    expect(audio).not.toBeNull();
    expect(port.types().slice(0, 2)).toEqual(['mediaAccessFallback', 'mediaAccessSuccess']);
    expect(port.of('mediaAccessSuccess')[0]).toMatchObject({ isAudioFallback: true, roomName: 'room' });
    platform.gumFailure = () => domError('NotFoundError');
    await expect(controller.getUserMedia({ video: true })).rejects.toMatchObject({ code: SkylinkErrorCode.MEDIA_NOT_FOUND });
    expect(port.of('mediaAccessError').at(-1)).toMatchObject({ isAudioFallbackError: false, roomName: 'room' });
  });

  it('sendStream with a new camera swaps the track with replaceTrack, without renegotiation', async () => {
    const { port, controller } = setup();
    const [, video] = await controller.getUserMedia({ audio: true, video: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    const videoSender = pc.transceivers[1]!.sender;
    port.events.length = 0;
    const pair = await controller.sendStream({ video: { deviceId: 'cam-2' } });
    expect(pair).toEqual([null, video]);
    expect(videoSender.replaced).toEqual([onlyTrack(video)]);
    expect(onlyTrack(video).source.deviceId).toBe('cam-2');
    expect(port.renegotiations).toEqual([]);
    expect(port.types()).toEqual(['mediaAccessSuccess', 'onIncomingStream', 'peerUpdated']);
  });

  it('sendStream adding media renegotiates and resolves once acknowledged', async () => {
    const { port, controller } = setup();
    const pc = port.addPeer('peer');
    let settled = false;
    const pending = controller.sendStream({ audio: true }).then((r) => {
      settled = true;
      return r;
    });
    await flush();
    expect(port.renegotiations).toEqual(['peer']);
    expect(pc.sentTracks()).toHaveLength(1);
    expect(settled).toBe(false);
    controller.negotiated('peer');
    const [audio, video] = (await pending) as [MediaStream | null, MediaStream | null];
    expect(video).toBeNull();
    expect(pc.sentTracks()).toEqual([onlyTrack(audio)]);
  });

  it('falls back to remove + add when replaceTrack fails', async () => {
    const { port, controller } = setup({ negotiationTimeoutMs: 5 });
    await controller.getUserMedia({ video: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    pc.transceivers[0]!.sender.failReplace = true;
    await controller.sendStream({ video: { deviceId: 'cam-2' } });
    expect(pc.transceivers).toHaveLength(2);
    expect(pc.transceivers[0]!.sender.track).toBeNull();
    expect(port.renegotiations).toEqual(['peer']);
  });

  it('muteStreams fires 2.x events and sends mediaInfoEvents (video first, audio 1050 ms later)', async () => {
    jest.useFakeTimers();
    try {
      const { port, controller } = setup();
      const [audio, video] = await controller.getUserMedia({ audio: true, video: true });
      port.addPeer('p1');
      port.addPeer('p2');
      port.events.length = 0;
      const changes = controller.muteStreams({ audioMuted: true, videoMuted: true });
      expect(changes).toHaveLength(2);
      expect(onlyTrack(audio).enabled).toBe(false);
      expect(port.types()).toEqual(['localMediaMuted', 'peerUpdated', 'streamMuted', 'localMediaMuted', 'peerUpdated', 'streamMuted']);
      expect(port.of('streamMuted')[0]).toMatchObject({ isSelf: true, peerId: 'me', streamId: audio!.id, isAudio: true, isVideo: false });
      expect(port.of('localMediaMuted')[1]).toEqual({ streamId: video!.id, isScreensharing: false, mediaStatus: { audioMuted: -1, videoMuted: 0 }, roomName: 'room' });
      expect(port.sent.map((m) => [m.type, (m as { target?: string }).target, (m as { mediaId?: string }).mediaId])).toEqual([
        ['mediaInfoEvent', 'p1', `VIDEO_${video!.id}`],
        ['mediaInfoEvent', 'p2', `VIDEO_${video!.id}`],
      ]);
      await jest.advanceTimersByTimeAsync(1050);
      expect(port.sent.slice(2)).toEqual([
        { type: 'mediaInfoEvent', rid: 'rid-1', mid: 'me', target: 'p1', publisherId: 'me', mediaId: `AUDIO_${audio!.id}`, mediaType: 'audioMic', mediaState: 'muted' },
        { type: 'mediaInfoEvent', rid: 'rid-1', mid: 'me', target: 'p2', publisherId: 'me', mediaId: `AUDIO_${audio!.id}`, mediaType: 'audioMic', mediaState: 'muted' },
      ]);
      expect(controller.mediaInfoList('p1').map((m) => m.mediaState)).toEqual(['muted', 'muted']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stopStreams ends the streams, tells peers, removes the senders and waits for the answer', async () => {
    const { port, controller } = setup();
    const [audio] = await controller.getUserMedia({ audio: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    port.events.length = 0;
    let done = false;
    const pending = controller.stopStreams().then(() => {
      done = true;
    });
    await flush();
    expect(port.types()).toEqual(['streamEnded', 'mediaAccessStopped', 'peerUpdated']);
    expect(port.of('streamEnded')[0]).toMatchObject({ isSelf: true, peerId: 'me', streamId: audio!.id, isAudio: true, isVideo: false, isScreensharing: false });
    expect(port.sent).toEqual([
      { type: 'mediaInfoEvent', rid: 'rid-1', mid: 'me', target: 'peer', publisherId: 'me', mediaId: `AUDIO_${audio!.id}`, mediaType: 'audioMic', mediaState: 'unavailable' },
    ]);
    expect(pc.sentTracks()).toEqual([]);
    expect(port.renegotiations).toEqual(['peer']);
    expect(done).toBe(false);
    controller.negotiated('peer');
    await pending;
    expect(done).toBe(true);
    await expect(controller.stopStreams()).rejects.toMatchObject({ code: SkylinkErrorCode.STREAM_NOT_FOUND });
  });

  it('stopStreams does not hang when the peer never acknowledges', async () => {
    const { port, controller } = setup({ negotiationTimeoutMs: 20 });
    await controller.getUserMedia({ audio: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    await expect(controller.stopStreams()).resolves.toBeUndefined();
  });

  it('screen share: announced, added with renegotiation; stop restores the camera', async () => {
    const { port, controller } = setup({ negotiationTimeoutMs: 5 });
    const [, cam] = await controller.getUserMedia({ video: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    port.events.length = 0;
    const screen = await controller.shareScreen();
    await flush();
    expect(screen).not.toBeNull();
    expect(port.types()).toEqual(['mediaAccessSuccess', 'onIncomingScreenStream', 'peerUpdated']);
    expect(port.of('onIncomingScreenStream')[0]).toMatchObject({ isSelf: true, streamId: screen!.id, isVideo: true });
    expect(pc.sentTracks()).toHaveLength(2);
    expect(port.renegotiations).toEqual(['peer']);
    expect(controller.mediaInfoList('peer').map((m) => m.mediaType)).toEqual(['videoCamera', 'videoScreen']);
    controller.negotiated('peer'); // reconciliations are serialised: the next one waits for this answer
    port.events.length = 0;
    controller.stopScreen();
    await flush();
    expect(port.types()).toEqual(['streamEnded', 'mediaAccessStopped', 'onIncomingStream', 'peerUpdated']);
    expect(port.of('streamEnded')[0]).toMatchObject({ isScreensharing: true, streamId: screen!.id });
    expect(port.of('onIncomingStream')[0]).toMatchObject({ isSelf: true, streamId: cam!.id });
    expect(pc.sentTracks()).toEqual([onlyTrack(cam)]);
    expect(port.sent.at(-1)).toMatchObject({ mediaId: `VIDEO_${screen!.id}`, mediaType: 'videoScreen', mediaState: 'unavailable' });
  });

  it('runs the stop flow when the browser ends the screen capture', async () => {
    const { port, controller } = setup({ negotiationTimeoutMs: 5 });
    const screen = (await controller.shareScreen())!;
    port.events.length = 0;
    (screen.getVideoTracks()[0] as unknown as FakeMediaStreamTrack).source.end();
    await flush();
    expect(port.types()).toEqual(['streamEnded', 'mediaAccessStopped', 'peerUpdated']);
    expect(await controller.shareScreen({})).not.toBeNull();
  });

  it('applies bandwidth caps after each negotiation', async () => {
    const { port, controller } = setup();
    port.bandwidthCaps = { audio: 50, video: 500 };
    await controller.getUserMedia({ audio: true, video: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    controller.negotiated('peer');
    await flush();
    expect(pc.transceivers.map((t) => t.sender.parameters.encodings[0]!.maxBitrate)).toEqual([50_000, 500_000]);
    expect(controller.localSettings().maxBandwidth).toEqual({ audio: 50, video: 500 });
  });

  it('release stops the tracks silently, or keeps them for leaveRoom(room, false)', async () => {
    const first = setup();
    const [, video] = await first.controller.getUserMedia({ video: true });
    first.port.events.length = 0;
    first.controller.release();
    expect(onlyTrack(video).readyState).toBe('ended');
    expect(first.port.events).toEqual([]);
    expect(first.media.stats).toEqual({ rooms: 0, sources: 0, remoteRooms: 0 });
    const second = setup();
    const [, kept] = await second.controller.getUserMedia({ video: true });
    second.controller.setStopOnRelease(false);
    second.controller.release();
    expect(onlyTrack(kept).readyState).toBe('live');
  });

  it('announces held streams once joined (prefetched streams before the join)', async () => {
    const { port, controller, media } = setup();
    port.self = null;
    const [a, v] = await media.getUserMedia(null, { audio: true, video: true });
    const pair = controller.useStreams([a!, v!]);
    expect(port.events).toEqual([]);
    port.self = 'me';
    controller.announceLocalStreams();
    expect(port.of('onIncomingStream').map((d) => d.streamId)).toEqual([pair[0]!.id, pair[1]!.id]);
  });
});

describe('RoomMediaController: remote media', () => {
  const mediaInfoList = [
    { publisherId: 'peer', mediaId: 'AUDIO_mic', mediaType: 'audioMic', mediaState: 'active', transceiverMid: '0' },
    { publisherId: 'peer', mediaId: 'VIDEO_cam', mediaType: 'videoCamera', mediaState: 'active', transceiverMid: '1' },
    { publisherId: 'peer', mediaId: 'VIDEO_scr', mediaType: 'videoScreen', mediaState: 'active', transceiverMid: '2' },
  ];

  function withPeer() {
    const ctx = setup();
    ctx.port.addPeer('peer');
    ctx.port.peers.get('peer')!.mediaInfoList = mediaInfoList;
    ctx.port.peers.get('peer')!.mediaStatus = { mic: { audioMuted: 1, videoMuted: -1 }, cam: { audioMuted: -1, videoMuted: 1 } };
    return ctx;
  }

  it('classifies remote tracks as camera or screen streams (transceiverMid → mediaType)', () => {
    const { port, controller } = withPeer();
    controller.track('peer', remoteTrackEvent('video', 'cam', '1'));
    controller.track('peer', remoteTrackEvent('video', 'scr', '2'));
    expect(port.types()).toEqual(['onIncomingStream', 'peerUpdated', 'onIncomingScreenStream', 'peerUpdated']);
    expect(port.of('onIncomingScreenStream')[0]).toMatchObject({ peerId: 'peer', streamId: 'scr', isSelf: false, isVideo: true, isAudio: false });
    expect(controller.getStreams(false)).toEqual({
      peer: { streams: { audio: null, video: { cam: expect.anything() }, screenShare: { scr: expect.anything() } } },
    });
  });

  it('applies remote mute (mediaInfoEvent) to peerInfo.mediaStatus with STREAM_MUTED isSelf:false', () => {
    const { port, controller } = withPeer();
    controller.signalingMessage({ type: 'mediaInfoEvent', rid: 'rid-1', mid: 'peer', target: 'me', publisherId: 'peer', mediaId: 'AUDIO_mic', mediaType: 'audioMic', mediaState: 'muted' });
    expect(port.peers.get('peer')!.mediaStatus.mic).toEqual({ audioMuted: 0, videoMuted: -1 });
    expect(port.types()).toEqual(['streamMuted', 'peerUpdated']);
    expect(port.of('streamMuted')[0]).toMatchObject({ peerId: 'peer', isSelf: false, streamId: 'mic', isAudio: true, isVideo: false });
    expect(port.of('streamMuted')[0]!.peerInfo.mediaStatus.mic).toEqual({ audioMuted: 0, videoMuted: -1 });
  });

  it('deletes media on "unavailable" and ends the remote stream', () => {
    const { port, controller } = withPeer();
    controller.track('peer', remoteTrackEvent('video', 'cam', '1'));
    port.events.length = 0;
    controller.signalingMessage({ type: 'mediaInfoEvent', rid: 'rid-1', mid: 'peer', publisherId: 'peer', mediaId: 'VIDEO_cam', mediaType: 'videoCamera', mediaState: 'unavailable' });
    expect(port.types()).toEqual(['mediaInfoDeleted', 'streamEnded', 'peerUpdated']);
    expect(port.of('mediaInfoDeleted')[0]!.mediaInfo).toMatchObject({ mediaId: 'VIDEO_cam', streamId: 'cam', transceiverMid: '1' });
    expect(port.of('streamEnded')[0]).toMatchObject({ peerId: 'peer', isSelf: false, streamId: 'cam', isVideo: true });
    expect(port.peers.get('peer')!.mediaStatus.cam).toBeUndefined();
  });

  it('reports a remote stream removed by renegotiation, and the legacy stream message', () => {
    const { port, controller } = withPeer();
    const event = remoteTrackEvent('audio', 'mic', '0');
    controller.track('peer', event);
    port.events.length = 0;
    (event.streams[0] as unknown as FakeMediaStream).remoteRemoveTrack(event.track);
    expect(port.of('streamEnded')).toEqual([expect.objectContaining({ streamId: 'mic', isAudio: true, isSelf: false })]);
    controller.signalingMessage({ type: 'stream', rid: 'rid-1', mid: 'peer', status: 'ended', streamId: 'old', settings: { isScreensharing: true, video: true } });
    expect(port.of('streamEnded')[1]).toMatchObject({ streamId: 'old', isScreensharing: true, isVideo: true, isAudio: false });
  });

  it('forgets a closed peer silently', () => {
    const { port, controller, media } = withPeer();
    controller.track('peer', remoteTrackEvent('video', 'cam', '1'));
    port.events.length = 0;
    controller.peerClosed('peer');
    expect(port.events).toEqual([]);
    expect(media.remote.peersOf(port.roomKey)).toEqual([]);
  });
});

describe('RoomMediaController: receivers for what the peer sends', () => {
  const audioSettings = { stereo: false, echoCancellation: true, exactConstraints: false };
  const videoSettings = { resolution: { width: 640, height: 480 }, frameRate: 30, exactConstraints: false };

  it('adds receive-only transceivers and renegotiates once when the peer advertises media this connection cannot receive', async () => {
    const { port, controller } = setup();
    const pc = port.addPeer('peer');
    port.peers.get('peer')!.settings = { audio: { a1: audioSettings }, video: { v1: videoSettings, s1: { ...videoSettings, screenshare: true } } };
    controller.negotiated('peer');
    await flush();
    expect(pc.transceivers.map((t) => [t.receiver.track.kind, t.direction, t.sender.track])).toEqual([
      ['audio', 'recvonly', null],
      ['video', 'recvonly', null],
      ['video', 'recvonly', null],
    ]);
    expect(port.renegotiations).toEqual(['peer']);
    // The renegotiation completes: nothing more to ask for.
    pc.negotiate();
    controller.negotiated('peer');
    await flush();
    expect(pc.transceivers).toHaveLength(3);
    expect(port.renegotiations).toEqual(['peer']);
  });

  it('does nothing when the connection already has an m-line per advertised stream, or the peer sends nothing', async () => {
    const { port, controller } = setup();
    await controller.getUserMedia({ audio: true, video: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    const silent = port.addPeer('silent');
    port.peers.get('peer')!.settings = { audio: { a1: audioSettings }, video: { v1: videoSettings } };
    controller.negotiated('peer');
    controller.negotiated('silent');
    await flush();
    expect(pc.transceivers.map((t) => t.direction)).toEqual(['sendrecv', 'sendrecv']);
    expect(silent.transceivers).toEqual([]);
    expect(port.renegotiations).toEqual([]);
  });
});

describe('RoomMediaController: audio activity', () => {
  afterEach(() => jest.useRealTimers());

  it('routes remote and own levels to AUDIO_ACTIVITY / ACTIVE_SPEAKER', async () => {
    jest.useFakeTimers();
    const controllers = new Map<string, RoomMediaController>();
    const monitor = new AudioActivityMonitor({ ...routeAudioActivity((k) => controllers.get(k)) });
    const { port, controller } = setup({ monitor });
    controllers.set(port.roomKey, controller);
    await controller.getUserMedia({ audio: true });
    const pc = port.addPeer('peer');
    controller.peerConnectionCreated('peer', pc.asPeerConnection());
    controller.announceLocalStreams();
    const event = remoteTrackEvent('audio', 'mic', null);
    let rtp = 0;
    (event.transceiver!.receiver as unknown as { getSynchronizationSources: () => unknown[] }).getSynchronizationSources = () => [
      { audioLevel: 0.02, rtpTimestamp: (rtp += 960), timestamp: rtp },
    ];
    controller.track('peer', event);
    await jest.advanceTimersByTimeAsync(100);
    // Our sender reports 0.5 (FakeRtpSender media-source stats), the peer 0.02: only we speak.
    expect(port.audioActivity).toEqual([
      { roomName: 'room', room: port.roomInfo(), peerId: 'me', isSelf: true, audioLevel: 0.5, isSpeaking: true },
    ]);
    expect(port.activeSpeakers).toEqual([{ roomName: 'room', room: port.roomInfo(), peerId: 'me', isSelf: true }]);
    // Muted: our level drops to 0 and we stop speaking after the hold.
    controller.muteStreams({ audioMuted: true });
    await jest.advanceTimersByTimeAsync(1000);
    expect(port.audioActivity.at(-1)).toMatchObject({ peerId: 'me', isSpeaking: false, audioLevel: 0 });
    expect(port.activeSpeakers.at(-1)).toMatchObject({ peerId: null, isSelf: false });
    controller.release();
    expect(monitor.isRunning).toBe(false);
  });
});
