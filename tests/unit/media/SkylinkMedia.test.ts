/**
 * @jest-environment node
 */
// The media API through the Skylink facade, on the fakes: in-memory signaling server and peer
// connections (which record senders but carry no media) and the fake camera / microphone platform.
// Real frames are the e2e tests' job (tests/e2e/media); this checks the wiring: joinRoom's media step,
// our advertised settings / mediaStatus, mute events on both sides, release on leave, argument forms.
import Skylink from '../../../src/Skylink';
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import { SkylinkErrorCode, type SkylinkError } from '../../../src/errors';
import { SkylinkLogger } from '../../../src/logger';
import { FakeNetwork, type FakePeerConnection } from '../../fakes/FakePeerConnection';
import { FakeSignalingServer } from '../../fakes/FakeSignalingServer';
import { createFakePlatform, type FakePlatform } from '../../fakes/fakePlatform';
import { FakeMediaPlatform, domError } from '../../fakes/media/FakeMediaPlatform';
import { subscribeToEvents, type EventSubscription } from '../../helpers/waitForEvent';

const MEDIA_EVENTS = [
  'peerJoined',
  'peerUpdated',
  'readyStateChange',
  'onIncomingStream',
  'onIncomingScreenStream',
  'streamEnded',
  'streamMuted',
  'localMediaMuted',
  'mediaAccessSuccess',
  'mediaAccessError',
  'mediaAccessStopped',
  'dataChannelState',
  'handshakeProgress',
] as const;

interface Client {
  skylink: Skylink;
  events: SkylinkEventManagerClass;
  platform: FakePlatform;
  media: FakeMediaPlatform;
  sub: EventSubscription;
  /** Event names in firing order. */
  order: string[];
}

function makeClient(server: FakeSignalingServer, network: FakeNetwork): Client {
  const events = new SkylinkEventManagerClass();
  const media = new FakeMediaPlatform();
  const platform = createFakePlatform({ server, network });
  Object.assign(platform, {
    getUserMedia: (c: MediaStreamConstraints) => media.getUserMedia(c),
    getDisplayMedia: (o?: DisplayMediaStreamOptions) => media.getDisplayMedia(o),
    enumerateDevices: () => media.enumerateDevices(),
    createMediaStream: (tracks: MediaStreamTrack[]) => media.createMediaStream(tracks),
  });
  const skylink = new Skylink({ appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false }, { eventManager: events, platform });
  const sub = subscribeToEvents(events, [...MEDIA_EVENTS]);
  const order: string[] = [];
  for (const name of MEDIA_EVENTS) events.addEventListener(name, () => order.push(name));
  return { skylink, events, platform, media, sub, order };
}

function selfId(c: Client, room = 'lobby'): string {
  const peers = c.skylink.getPeersInRoom(room) ?? {};
  const id = Object.keys(peers).find((p) => peers[p]?.isSelf);
  if (!id) throw new Error('not in room');
  return id;
}

async function rejection(promise: Promise<unknown>): Promise<SkylinkError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: SkylinkError) => e,
  );
}

/** Waits until both clients' main channels to each other are open (the connection is negotiated). */
async function connected(a: Client, b: Client, room = 'lobby'): Promise<void> {
  const [aId, bId] = [selfId(a, room), selfId(b, room)];
  await Promise.all([
    a.sub.waitFor('dataChannelState', (d) => d.roomName === room && d.peerId === bId && d.state === 'open'),
    b.sub.waitFor('dataChannelState', (d) => d.roomName === room && d.peerId === aId && d.state === 'open'),
  ]);
}

/** Resolves once `c` completed `n` more offers of its own (its local ANSWER_ACK step), then lets the hooks' promises settle. */
async function ownOffersCompleted(c: Client, n: number, room = 'lobby'): Promise<void> {
  const self = selfId(c, room);
  for (let i = 0; i < n; i += 1) await c.sub.waitFor('handshakeProgress', (d) => d.roomName === room && d.peerId === self && d.state === 'answerAck');
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

function pcsOf(c: Client): FakePeerConnection[] {
  return c.platform.peerConnections.filter((pc) => !pc.closed);
}

describe('Skylink media API (fakes)', () => {
  let server: FakeSignalingServer;
  let network: FakeNetwork;
  let clients: Client[];

  beforeEach(() => {
    SkylinkLogger.setLevel('SILENT');
    server = new FakeSignalingServer();
    network = new FakeNetwork();
    clients = [];
  });
  afterEach(async () => {
    for (const c of clients) {
      await c.skylink.leaveAllRooms();
      c.sub.unsubscribe();
    }
    SkylinkLogger.setLevel('WARN');
  });

  function client(): Client {
    const c = makeClient(server, network);
    clients.push(c);
    return c;
  }

  it('joinRoom({ audio, video }) acquires after the REST step, resolves the split pair and announces it after PEER_JOINED', async () => {
    const a = client();
    let socketsAtAccess = -1;
    a.events.addEventListener('mediaAccessSuccess', () => {
      socketsAtAccess = a.platform.sockets.length;
    });
    const result = await a.skylink.joinRoom({ roomName: 'lobby', audio: true, video: { resolution: { width: 1280, height: 720 } } });
    expect(result).toHaveLength(2);
    const [audio, video] = result as [MediaStream, MediaStream];
    expect([audio.getAudioTracks().length, audio.getVideoTracks().length, video.getVideoTracks().length]).toEqual([1, 0, 1]);
    expect(socketsAtAccess).toBe(0); // media first, then the socket
    expect(a.media.gumCalls[0]?.video).toMatchObject({ width: { ideal: 1280, max: 1280 }, height: { ideal: 720, max: 720 } });
    const access = a.sub.buffered('mediaAccessSuccess');
    expect(access.map((d) => [d.roomName, d.streamId, d.isAudio, d.isVideo])).toEqual([
      ['lobby', audio.id, true, false],
      ['lobby', video.id, false, true],
    ]);
    const id = selfId(a);
    const selfStreams = a.sub.buffered('onIncomingStream');
    expect(selfStreams.map((d) => [d.peerId, d.isSelf, d.streamId])).toEqual([
      [id, true, audio.id],
      [id, true, video.id],
    ]);
    expect(a.order.indexOf('peerJoined')).toBeLessThan(a.order.indexOf('onIncomingStream'));
    const info = a.skylink.getPeerInfo('lobby');
    expect(info?.settings.audio).toEqual({ [audio.id]: expect.objectContaining({ echoCancellation: true }) });
    expect(info?.settings.video).toEqual({ [video.id]: expect.objectContaining({ resolution: { width: 1280, height: 720 } }) });
    expect(info?.mediaStatus).toEqual({ [audio.id]: { audioMuted: 1, videoMuted: -1 }, [video.id]: { audioMuted: -1, videoMuted: 1 } });
    expect(a.skylink.getStreams('lobby')).toEqual({
      [id]: { streams: { audio: { [audio.id]: audio }, video: { [video.id]: video }, screenShare: null }, isSelf: true },
    });
  });

  it('peers see our media settings and every connection sends our tracks; muting reaches the peer as STREAM_MUTED', async () => {
    const a = client();
    const b = client();
    const [aAudio, aVideo] = (await a.skylink.joinRoom({ audio: true, video: true })) as [MediaStream, MediaStream];
    await b.skylink.joinRoom({ audio: true });
    await connected(a, b);
    const [aId, bId] = [selfId(a), selfId(b)];
    expect(b.skylink.getPeerInfo('lobby', aId)?.settings.video).toEqual({ [aVideo.id]: expect.any(Object) });
    expect(b.skylink.getPeerInfo('lobby', aId)?.mediaStatus[aVideo.id]).toEqual({ audioMuted: -1, videoMuted: 1 });
    expect(a.skylink.getPeerInfo('lobby', bId)?.settings.video).toBe(false);
    const sent = pcsOf(a)[0]!.sentTracks();
    expect(sent.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    expect(sent).toEqual(expect.arrayContaining([aAudio.getAudioTracks()[0], aVideo.getVideoTracks()[0]]));

    const remoteMuted = b.sub.waitFor('streamMuted', (d) => d.peerId === aId && !d.isSelf);
    await a.skylink.muteStreams('lobby', { audioMuted: false, videoMuted: true });
    expect(aVideo.getVideoTracks()[0]!.enabled).toBe(false);
    expect(aAudio.getAudioTracks()[0]!.enabled).toBe(true);
    expect(a.sub.buffered('localMediaMuted')).toEqual([
      { streamId: aVideo.id, isScreensharing: false, mediaStatus: { audioMuted: -1, videoMuted: 0 }, roomName: 'lobby' },
    ]);
    expect(a.sub.buffered('streamMuted')).toEqual([expect.objectContaining({ peerId: aId, isSelf: true, streamId: aVideo.id, isVideo: true })]);
    const muted = await remoteMuted;
    expect(muted).toMatchObject({ roomName: 'lobby', isSelf: false, streamId: aVideo.id, isVideo: true, isAudio: false });
    expect(muted.peerInfo.mediaStatus[aVideo.id]).toEqual({ audioMuted: -1, videoMuted: 0 });
    expect(b.skylink.getPeerInfo('lobby', aId)?.mediaStatus[aVideo.id]).toEqual({ audioMuted: -1, videoMuted: 0 });
    expect(a.skylink.getPeerInfo('lobby')?.mediaStatus[aVideo.id]).toEqual({ audioMuted: -1, videoMuted: 0 });
  });

  it('a peer that joins without media asks for the media the room already sends (receive-only transceivers, one renegotiation)', async () => {
    const a = client();
    const b = client();
    await a.skylink.joinRoom({ audio: true, video: true });
    await b.skylink.joinRoom({ roomName: 'lobby' });
    await connected(a, b);
    const bPc = pcsOf(b)[0]!;
    await ownOffersCompleted(b, 2); // the first offer, then the one asking for A's media
    expect(bPc.transceivers.map((t) => [t.receiver.track.kind, t.direction])).toEqual([
      ['audio', 'recvonly'],
      ['video', 'recvonly'],
    ]);
    const offers = server.received.filter((r) => r.message.type === 'offer' && r.message.mid === selfId(b));
    expect(offers.length).toBe(2);
  });

  it('joinRoom with prefetched streams (both forms) resolves null and publishes them without MEDIA_ACCESS events', async () => {
    const a = client();
    const [audio, video] = (await a.skylink.getUserMedia()) as [MediaStream, MediaStream];
    expect(a.media.gumCalls).toEqual([{ audio: true, video: true }]);
    await expect(a.skylink.joinRoom(video)).resolves.toBeNull(); // the default room
    await expect(a.skylink.joinRoom({ roomName: 'second' }, [audio, video])).resolves.toBeNull();
    expect(a.sub.buffered('mediaAccessSuccess')).toEqual([]);
    expect(Object.keys(a.skylink.getPeerInfo('lobby')?.settings.video || {})).toHaveLength(1);
    expect(a.skylink.getPeerInfo('lobby')?.settings.audio).toBe(false);
    expect(a.sub.buffered('onIncomingStream').map((d) => [d.roomName, d.isSelf, d.isVideo])).toEqual([
      ['lobby', true, true],
      ['second', true, false],
      ['second', true, true],
    ]);
    // Per-room mute: each room sends its own copy.
    await a.skylink.muteStreams('lobby', { audioMuted: false, videoMuted: true });
    expect(Object.values(a.skylink.getPeerInfo('lobby')?.mediaStatus ?? {})).toEqual([{ audioMuted: -1, videoMuted: 0 }]);
    expect(Object.values(a.skylink.getPeerInfo('second')?.mediaStatus ?? {})).toContainEqual({ audioMuted: -1, videoMuted: 1 });
    // Leaving one room without stopping keeps the app's stream; leaving with stopStreams stops it.
    await a.skylink.leaveRoom('lobby', false);
    expect(video.getVideoTracks()[0]!.readyState).toBe('live');
    await a.skylink.leaveRoom('second');
    expect(video.getVideoTracks()[0]!.readyState).toBe('ended');
    expect(a.sub.buffered('streamEnded')).toEqual([]); // leaving is silent (2.x)
  });

  it('rejects invalid prefetched streams and options with INVALID_ARGUMENT', async () => {
    const a = client();
    expect((await rejection(a.skylink.joinRoom([] as MediaStream[]))).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect((await rejection(a.skylink.joinRoom({ roomName: 'x' }, 'nope' as unknown as MediaStream))).message).toBe('Invalid prefetched streams provided');
    const [, video] = (await a.skylink.getUserMedia(null, { video: true })) as [null, MediaStream];
    video.getTracks().forEach((t) => t.stop());
    expect((await rejection(a.skylink.joinRoom({ roomName: 'x' }, video))).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect((await rejection(a.skylink.joinRoom(5 as never))).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect((await rejection(a.skylink.getUserMedia(42 as never))).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect((await rejection(a.skylink.stopPrefetchedStream({} as MediaStream))).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect(a.platform.sockets).toEqual([]);
  });

  it('a refused camera fails the join with the media error code after MEDIA_ACCESS_ERROR, and leaves no room behind', async () => {
    const a = client();
    a.media.gumFailure = () => domError('NotAllowedError');
    const error = await rejection(a.skylink.joinRoom({ roomName: 'lobby', video: true }));
    expect(error.code).toBe(SkylinkErrorCode.MEDIA_PERMISSION_DENIED);
    expect(a.sub.buffered('mediaAccessError')).toEqual([expect.objectContaining({ roomName: 'lobby', isAudioFallbackError: false })]);
    expect(a.skylink.getPeersInRoom('lobby')).toBeNull();
    expect(a.skylink.getStreams('lobby')).toBeNull();
    expect(a.platform.sockets).toEqual([]);
    a.media.gumFailure = null;
    await expect(a.skylink.joinRoom({ roomName: 'lobby', video: true })).resolves.toHaveLength(2);
  });

  it('leaveRoom stops what the room captured; room commands check the room first', async () => {
    const a = client();
    const [audio, video] = (await a.skylink.joinRoom({ audio: true, video: true })) as [MediaStream, MediaStream];
    const live = () => a.media.liveTracks().length;
    expect(live()).toBeGreaterThan(0);
    await a.skylink.leaveRoom('lobby');
    expect([audio.getTracks()[0]!.readyState, video.getTracks()[0]!.readyState]).toEqual(['ended', 'ended']);
    expect(live()).toBe(0);
    expect(a.skylink.getStreams('lobby')).toBeNull();
    for (const call of [
      () => a.skylink.sendStream('lobby', { audio: true }),
      () => a.skylink.muteStreams('lobby', { audioMuted: true }),
      () => a.skylink.stopStreams('lobby'),
      () => a.skylink.shareScreen('lobby'),
      () => a.skylink.stopScreen('lobby'),
      () => a.skylink.getUserMedia('lobby', { audio: true }),
      () => a.skylink.switchDevice('lobby', 'video', 'cam-2'),
    ]) {
      expect((await rejection(call())).code).toBe(SkylinkErrorCode.ROOM_NOT_FOUND);
    }
  });

  it('sendStream publishes and renegotiates; switchDevice swaps the camera in the same stream; bandwidth caps the senders', async () => {
    const a = client();
    const b = client();
    await a.skylink.joinRoom({ roomName: 'lobby', bandwidth: { video: 300 } });
    await b.skylink.joinRoom({ roomName: 'lobby' });
    await connected(a, b);
    const aId = selfId(a);
    const offersBefore = server.received.filter((r) => r.message.type === 'offer' && r.message.mid === aId).length;
    const [, video] = (await a.skylink.sendStream('lobby', { video: true })) as [null, MediaStream];
    const offers = server.received.filter((r) => r.message.type === 'offer' && r.message.mid === aId);
    expect(offers.length).toBe(offersBefore + 1);
    expect(offers[offers.length - 1]!.message.mediaInfoList).toEqual([
      expect.objectContaining({ publisherId: aId, mediaId: `VIDEO_${video.id}`, mediaType: 'videoCamera', mediaState: 'active' }),
    ]);
    const pc = pcsOf(a)[0]!;
    expect(pc.sentTracks()).toEqual([video.getVideoTracks()[0]]);
    expect(b.skylink.getPeerInfo('lobby', aId)?.settings.video).toEqual({ [video.id]: expect.any(Object) });
    expect(pc.transceivers[0]!.sender.getParameters().encodings[0]?.maxBitrate).toBe(300_000);
    expect(a.skylink.getPeerInfo('lobby')?.settings.maxBandwidth).toEqual({ video: 300 });

    const first = video.getVideoTracks()[0]!;
    const switched = await a.skylink.switchDevice('lobby', 'video', 'cam-2');
    expect(switched.id).toBe(video.id);
    expect(first.readyState).toBe('ended');
    expect(switched.getVideoTracks()[0]!.getSettings().deviceId).toBe('cam-2');
    expect(pc.sentTracks()).toEqual([switched.getVideoTracks()[0]]);
    expect(server.received.filter((r) => r.message.type === 'offer' && r.message.mid === aId)).toHaveLength(offers.length);
    expect((await rejection(a.skylink.switchDevice('lobby', 'audio', 'mic-2'))).code).toBe(SkylinkErrorCode.STREAM_NOT_FOUND);
    expect((await rejection(a.skylink.switchDevice('lobby', 'screen' as never, 'x'))).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);

    const pending = a.sub.buffered('handshakeProgress').filter((d) => d.peerId === aId && d.state === 'answerAck').length;
    await a.skylink.refreshConnection('lobby', { bandwidth: { video: 120 } });
    await ownOffersCompleted(a, pending + 1);
    expect(pc.transceivers[0]!.sender.getParameters().encodings[0]?.maxBitrate).toBe(120_000);
    expect(a.skylink.getPeerInfo('lobby')?.settings.maxBandwidth).toEqual({ video: 120 });
  });

  it('stopStreams ends our streams and tells the peer; stopPrefetchedStream fires STREAM_ENDED outside rooms; getStreamSources lists devices', async () => {
    const a = client();
    const b = client();
    const [, video] = (await a.skylink.joinRoom({ video: true })) as [null, MediaStream];
    await b.skylink.joinRoom({ roomName: 'lobby' });
    await connected(a, b);
    const aId = selfId(a);
    await a.skylink.stopStreams('lobby');
    expect(a.sub.buffered('streamEnded')).toEqual([expect.objectContaining({ roomName: 'lobby', peerId: aId, isSelf: true, streamId: video.id, isVideo: true })]);
    expect(a.sub.buffered('mediaAccessStopped')).toEqual([{ isScreensharing: false, streamId: video.id, roomName: 'lobby' }]);
    expect(video.getVideoTracks()[0]!.readyState).toBe('ended');
    expect(a.skylink.getPeerInfo('lobby')?.settings.video).toBe(false);
    expect(pcsOf(a)[0]!.sentTracks()).toEqual([]);
    const unavailable = server.received.filter((r) => r.message.type === 'mediaInfoEvent' && r.message.mediaState === 'unavailable');
    expect(unavailable.map((r) => r.message.mediaId)).toEqual([`VIDEO_${video.id}`]);

    const [prefetched] = (await a.skylink.getUserMedia(null, { audio: true })) as [MediaStream, null];
    await a.skylink.stopPrefetchedStream(prefetched);
    expect(prefetched.getAudioTracks()[0]!.readyState).toBe('ended');
    expect(a.sub.buffered('streamEnded').slice(1)).toEqual([
      { roomName: null, room: null, peerId: null, peerInfo: null, isSelf: true, isScreensharing: false, streamId: prefetched.id, isAudio: true, isVideo: false },
    ]);
    const sources = await a.skylink.getStreamSources();
    expect(sources.video.input.map((d) => d.deviceId)).toEqual(['cam-1', 'cam-2']);
    expect(sources.audio.output).toEqual([{ deviceId: 'spk-1', label: 'Fake speaker', groupId: 'g1' }]);
  });

  it('shareScreen sends a screen stream next to the camera; stopScreen announces the camera again', async () => {
    const a = client();
    const [, camera] = (await a.skylink.joinRoom({ video: true })) as [null, MediaStream];
    const screen = await a.skylink.shareScreen('lobby', { audio: true });
    expect(screen?.getVideoTracks()).toHaveLength(1);
    expect(a.sub.buffered('onIncomingScreenStream')).toEqual([expect.objectContaining({ isSelf: true, streamId: screen!.id })]);
    const streams = a.skylink.getStreams('lobby')![selfId(a)]!.streams;
    expect(Object.keys(streams.screenShare ?? {})).toEqual([screen!.id]);
    expect(Object.keys(streams.video ?? {})).toEqual([camera.id]);
    await a.skylink.stopScreen('lobby');
    expect(a.sub.buffered('streamEnded')).toEqual([expect.objectContaining({ isScreensharing: true, streamId: screen!.id })]);
    expect(a.sub.buffered('onIncomingStream').filter((d) => d.streamId === camera.id)).toHaveLength(2);
    a.media.gdmFailure = () => domError('NotAllowedError', 'Permission denied by user');
    await expect(a.skylink.shareScreen('lobby')).resolves.toBeNull(); // the user cancelled the picker (2.x)
  });
});
