import Skylink from '../../../src/Skylink';
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import { SkylinkErrorCode } from '../../../src/errors';
import { FakeNetwork, type FakePeerConnection } from '../../fakes/FakePeerConnection';
import { FakeSignalingServer, type FakeSocket } from '../../fakes/FakeSignalingServer';
import { createFakePlatform, type FakePlatform } from '../../fakes/fakePlatform';
import { subscribeToEvents, waitForEvent } from '../../helpers/waitForEvent';

interface Client {
  skylink: Skylink;
  events: SkylinkEventManagerClass;
  platform: FakePlatform;
}

function makeClient(server: FakeSignalingServer, network: FakeNetwork, internals: Record<string, unknown> = {}): Client {
  const events = new SkylinkEventManagerClass();
  const platform = createFakePlatform({ server, network });
  const skylink = new Skylink({ appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false }, { eventManager: events, platform, ...internals });
  return { skylink, events, platform };
}

const selfId = (c: Client): string => {
  const peers = c.skylink.getPeersInRoom('lobby') ?? {};
  return Object.keys(peers).find((id) => peers[id]?.isSelf) ?? '';
};

const openPcs = (p: FakePlatform): FakePeerConnection[] => p.peerConnections.filter((pc) => pc.signalingState !== 'closed');

describe('room events and edge cases', () => {
  let server: FakeSignalingServer;
  let network: FakeNetwork;
  beforeEach(() => {
    server = new FakeSignalingServer();
    network = new FakeNetwork();
  });
  afterEach(() => server.close());

  it('rejects recording and RTMP in a joined room: this server has no MCU', async () => {
    const a = makeClient(server, network);
    await a.skylink.joinRoom();
    expect(a.skylink.getRecordings('lobby')).toEqual({});
    for (const call of [
      () => a.skylink.startRecording('lobby'),
      () => a.skylink.stopRecording('lobby'),
      () => a.skylink.startRTMPSession('lobby', 'stream', 'rtmp://127.0.0.1/live'),
      () => a.skylink.stopRTMPSession('lobby', 'rtmp-1'),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: SkylinkErrorCode.MCU_NOT_CONNECTED, roomName: 'lobby' });
    }
    await a.skylink.leaveRoom('lobby');
  });

  it('fires the connection diagnostics events, all carrying the room name', async () => {
    const a = makeClient(server, network);
    const b = makeClient(server, network);
    const names = ['handshakeProgress', 'candidateGenerationState', 'candidateProcessingState', 'candidatesGathered', 'peerConnectionState', 'iceConnectionState', 'dataChannelState', 'channelMessage', 'readyStateChange'] as const;
    const sub = subscribeToEvents(a.events, [...names]);
    await a.skylink.joinRoom();
    const open = waitForEvent(a.events, 'dataChannelState', (d) => d.state === 'open');
    await b.skylink.joinRoom();
    await open;
    const bId = selfId(b);
    const aId = selfId(a);
    if (!sub.buffered('handshakeProgress').some((d) => d.state === 'answerAck')) {
      await waitForEvent(a.events, 'handshakeProgress', (d) => d.state === 'answerAck');
    }
    expect(sub.buffered('readyStateChange').map((d) => d.readyState)).toEqual([1, 2]);
    const steps = sub.buffered('handshakeProgress').map((d) => `${d.state}:${d.peerId === aId ? 'self' : d.peerId === bId ? 'B' : '?'}`);
    // A is the existing peer: enter (self), then B's offer set, our answer (self), B's answerAck.
    expect(steps).toEqual(['enter:self', 'offer:B', 'answer:self', 'answerAck:B']);
    expect(sub.buffered('candidateGenerationState').map((d) => d.state)).toEqual(expect.arrayContaining(['gathering', 'complete']));
    expect(sub.buffered('candidateProcessingState').map((d) => d.state)).toEqual(expect.arrayContaining(['received', 'processSuccess']));
    expect(sub.buffered('candidateProcessingState')[0]).toMatchObject({ candidateType: 'host', peerId: bId });
    expect(sub.buffered('peerConnectionState').map((d) => d.state)).toEqual(expect.arrayContaining(['have-remote-offer', 'stable', 'connected']));
    expect(sub.buffered('iceConnectionState').map((d) => d.state)).toEqual(['checking', 'connected']);
    const gathered = sub.buffered('candidatesGathered').length ? sub.buffered('candidatesGathered')[0] : await waitForEvent(a.events, 'candidatesGathered');
    expect(gathered).toMatchObject({ peerId: bId, candidatesLength: { expected: 1, received: 1, processed: 1 } });
    for (const name of names) {
      for (const detail of sub.buffered(name)) expect((detail as { roomName: string }).roomName).toBe('lobby');
    }
    sub.unsubscribe();
    await a.skylink.leaveAllRooms();
    await b.skylink.leaveAllRooms();
  });

  it('a server reject after joining ends the room (SYSTEM_ACTION, PEER_LEFT self); a warning does not', async () => {
    const a = makeClient(server, network);
    await a.skylink.joinRoom();
    const socket = a.platform.sockets[0] as FakeSocket;
    const warn = waitForEvent(a.events, 'systemAction', (d) => d.action === 'warning');
    socket.fire('message', JSON.stringify({ type: 'redirect', rid: 'rk_lobby', action: 'warning', reason: 'fastmsg', info: 'slow down' }));
    expect(await warn).toMatchObject({ reason: 'fastmsg', roomName: 'lobby', rid: 'rk_lobby' });
    expect(a.skylink.getPeerInfo('lobby')?.room.inRoom).toBe(true);
    const left = waitForEvent(a.events, 'peerLeft', (d) => d.isSelf);
    socket.fire('message', JSON.stringify({ type: 'redirect', rid: 'rk_lobby', action: 'reject', reason: 'roomclose', info: 'closed' }));
    await left;
    expect(socket.connected).toBe(false);
    // leaveRoom of the ended room still resolves; joining again works.
    await expect(a.skylink.leaveRoom('lobby')).resolves.toBe('lobby');
    await a.skylink.joinRoom();
    await a.skylink.leaveAllRooms();
  });

  it('leaveRoom during a pending join rejects the join and leaves nothing behind', async () => {
    const a = makeClient(server, network);
    server.ignoreJoins = true;
    const joining = a.skylink.joinRoom();
    await waitForEvent(a.events, 'channelOpen');
    await expect(a.skylink.joinRoom()).rejects.toMatchObject({ code: SkylinkErrorCode.ALREADY_IN_ROOM });
    await a.skylink.leaveRoom('lobby');
    await expect(joining).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_STATE });
    expect((a.platform.sockets[0] as FakeSocket).connected).toBe(false);
    expect(a.skylink.getPeerInfo('lobby')).toBeNull();
  });

  it('drops a peer whose connection cannot be restored by ICE restarts', async () => {
    const a = makeClient(server, network, { iceRestartPolicy: { disconnectedTimeoutMs: 10, restartTimeoutMs: 30, maxAttempts: 1 } });
    const b = makeClient(server, network);
    await a.skylink.joinRoom();
    const open = waitForEvent(a.events, 'dataChannelState', (d) => d.state === 'open');
    await b.skylink.joinRoom();
    await open;
    const bId = selfId(b);
    // B vanishes without a bye: its side never answers again.
    server.ignoreJoins = true;
    const pcA = openPcs(a.platform)[0] as FakePeerConnection;
    b.platform.peerConnections.forEach((pc) => pc.close());
    const left = waitForEvent(a.events, 'peerLeft', (d) => d.peerId === bId && !d.isSelf, 3000);
    pcA.simulateIceState('failed');
    await left;
    expect(pcA.signalingState).toBe('closed');
    expect(a.skylink.getPeersInRoom('lobby')?.[bId]).toBeUndefined();
    await a.skylink.leaveAllRooms();
    await b.skylink.leaveAllRooms();
  });

  it('join latency: warms WebRTC up during the REST call, prepares one connection on joining, uses it for the first peer, and welcomes before PEER_JOINED', async () => {
    let pcsWhenRestAnswered = -1;
    const events = new SkylinkEventManagerClass();
    const platform = createFakePlatform({ server, network, fetch: (url, init) => ((pcsWhenRestAnswered = platform.peerConnections.length), server.fetch(url, init)) });
    const a = { skylink: new Skylink({ appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false }, { eventManager: events, platform }), events, platform };
    const b = makeClient(server, network);
    await a.skylink.joinRoom();
    // The REST request left first; then one connection was made and closed (the warm-up).
    expect(pcsWhenRestAnswered).toBe(0);
    const [warmUp, spare] = a.platform.peerConnections;
    expect(warmUp?.signalingState).toBe('closed');
    expect(warmUp?.listenerCount()).toBe(0);
    expect(openPcs(a.platform)).toEqual([spare]);

    // When the existing peer announces the newcomer, its welcome is already on the wire.
    let welcomedFirst: boolean | null = null;
    a.events.addEventListener('peerJoined', (e) => {
      if (e.detail.isSelf) return;
      const sent = a.platform.sockets.flatMap((s) => (s as unknown as { sent: string[] }).sent).map((p) => JSON.parse(p) as { type: string; target?: string });
      welcomedFirst = sent.some((m) => m.type === 'welcome' && m.target === e.detail.peerId);
    });
    const channelOpen = waitForEvent(a.events, 'dataChannelState', (d) => d.state === 'open');
    await b.skylink.joinRoom();
    await channelOpen;
    expect(welcomedFirst).toBe(true);
    expect(a.platform.peerConnections).toHaveLength(2);
    expect(openPcs(a.platform)).toEqual([spare]);
    expect(b.platform.peerConnections).toHaveLength(2);

    // Warmed up once per platform: a second room adds only its spare.
    await a.skylink.joinRoom({ roomName: 'second' });
    expect(a.platform.peerConnections).toHaveLength(3);

    await a.skylink.leaveAllRooms();
    await b.skylink.leaveRoom('lobby');
    expect(openPcs(a.platform)).toEqual([]);
    expect(openPcs(b.platform)).toEqual([]);
  });

  it('join latency: closes the unused spare connection when the room is left alone', async () => {
    const a = makeClient(server, network);
    await a.skylink.joinRoom();
    expect(openPcs(a.platform)).toHaveLength(1);
    await a.skylink.leaveRoom('lobby');
    expect(openPcs(a.platform)).toEqual([]);
  });
});
