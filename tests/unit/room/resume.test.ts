import Skylink from '../../../src/Skylink';
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import { FakeNetwork, type FakePeerConnection } from '../../fakes/FakePeerConnection';
import { FakeSignalingServer } from '../../fakes/FakeSignalingServer';
import { createFakePlatform, type FakePlatform } from '../../fakes/fakePlatform';
import { subscribeToEvents, waitForEvent } from '../../helpers/waitForEvent';

interface Client {
  skylink: Skylink;
  events: SkylinkEventManagerClass;
  platform: FakePlatform;
}

function makeClient(server: FakeSignalingServer, network: FakeNetwork): Client {
  const events = new SkylinkEventManagerClass();
  const platform = createFakePlatform({ server, network });
  const skylink = new Skylink(
    { appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false },
    { eventManager: events, platform, reconnect: { baseDelayMs: 10, maxDelayMs: 40, jitter: 0.5, maxAttempts: 4 } },
  );
  return { skylink, events, platform };
}

function selfId(c: Client): string {
  const peers = c.skylink.getPeersInRoom('lobby') ?? {};
  return Object.keys(peers).find((id) => peers[id]?.isSelf) ?? '';
}

async function connectedPair(server: FakeSignalingServer, network: FakeNetwork) {
  const a = makeClient(server, network);
  const b = makeClient(server, network);
  await a.skylink.joinRoom();
  const open = waitForEvent(a.events, 'dataChannelState', (d) => d.state === 'open');
  const bOpen = waitForEvent(b.events, 'dataChannelState', (d) => d.state === 'open');
  await b.skylink.joinRoom();
  await Promise.all([open, bOpen]);
  return { a, b };
}

describe('signaling reconnection resumes the room without touching peer connections', () => {
  afterEach(() => jest.useRealTimers());

  it('after a network cut: same peer ids, same connections, no PEER_LEFT, signaling works again', async () => {
    const server = new FakeSignalingServer('fake.test:3000', { resumeGraceMs: 5000 });
    const network = new FakeNetwork();
    const { a, b } = await connectedPair(server, network);
    const aId = selfId(a);
    const bId = selfId(b);
    const subA = subscribeToEvents(a.events, ['peerLeft', 'peerJoined', 'sessionDisconnect']);
    const subB = subscribeToEvents(b.events, ['peerLeft', 'peerJoined', 'dataChannelState']);
    const pcsBefore = a.platform.peerConnections.filter((pc) => pc.signalingState !== 'closed');
    server.dropAll();
    // Both sides resume (messages to a member whose socket is down are dropped by the server).
    await Promise.all([
      server.waitForReceived((m) => m.type === 'joinRoom' && m.resumeSid === aId),
      server.waitForReceived((m) => m.type === 'joinRoom' && m.resumeSid === bId),
    ]);
    // A resumes and changes its user data: B must receive it through the resumed session.
    const updated = waitForEvent(b.events, 'peerUpdated', (d) => d.peerId === aId && !d.isSelf);
    await a.skylink.setUserData('lobby', { back: true });
    expect((await updated).peerInfo.userData).toEqual({ back: true });
    expect(selfId(a)).toBe(aId);
    expect(selfId(b)).toBe(bId);
    expect(server.room('lobby')?.members.sort()).toEqual([aId, bId].sort());
    expect(subA.buffered('peerLeft')).toEqual([]);
    expect(subA.buffered('peerJoined')).toEqual([]);
    expect(subA.buffered('sessionDisconnect')).toEqual([]);
    expect(subB.buffered('peerLeft')).toEqual([]);
    expect(subB.buffered('dataChannelState').filter((d) => d.state === 'closed')).toEqual([]);
    const pcsAfter = a.platform.peerConnections.filter((pc) => pc.signalingState !== 'closed');
    expect(pcsAfter).toEqual(pcsBefore);
    expect((pcsAfter[0] as FakePeerConnection).iceConnectionState).toBe('connected');
    // The resume joinRoom carried our previous sid and token, with fresh REST tokens.
    const resumeJoin = server.received.filter((r) => r.message.type === 'joinRoom' && r.message.resumeSid === aId);
    expect(resumeJoin).toHaveLength(1);
    subA.unsubscribe();
    subB.unsubscribe();
    await a.skylink.leaveAllRooms();
    await b.skylink.leaveAllRooms();
    server.close();
  });

  it('after a server restart (state lost): rejoins with the same id, enters again, connections kept', async () => {
    const server = new FakeSignalingServer('fake.test:3000');
    const network = new FakeNetwork();
    const { a, b } = await connectedPair(server, network);
    const aId = selfId(a);
    const bId = selfId(b);
    const subA = subscribeToEvents(a.events, ['peerLeft', 'handshakeProgress']);
    const subB = subscribeToEvents(b.events, ['peerLeft', 'handshakeProgress']);
    const mark = server.received.length;
    server.restart();
    await Promise.all([
      server.waitForReceived((m) => m.type === 'enter' && m.mid === aId, mark),
      server.waitForReceived((m) => m.type === 'enter' && m.mid === bId, mark),
    ]);
    const updated = waitForEvent(a.events, 'peerUpdated', (d) => d.peerId === bId && !d.isSelf);
    await b.skylink.setUserData('lobby', 'hello again');
    expect((await updated).peerInfo.userData).toBe('hello again');
    expect(selfId(a)).toBe(aId);
    expect(selfId(b)).toBe(bId);
    expect(subA.buffered('peerLeft')).toEqual([]);
    expect(subB.buffered('peerLeft')).toEqual([]);
    // Nobody renegotiated: the existing connections were kept.
    expect(subA.buffered('handshakeProgress').filter((d) => d.state === 'offer')).toEqual([]);
    expect(a.skylink.getPeersDataChannels('lobby')?.[bId]?.main?.readyState).toBe('open');
    subA.unsubscribe();
    subB.unsubscribe();
    await a.skylink.leaveAllRooms();
    await b.skylink.leaveAllRooms();
    server.close();
  });

  it('when the server never comes back: SESSION_DISCONNECT, everything released, leaveRoom still works', async () => {
    const server = new FakeSignalingServer('fake.test:3000');
    const network = new FakeNetwork();
    const { a, b } = await connectedPair(server, network);
    const aId = selfId(a);
    const lost = waitForEvent(a.events, 'sessionDisconnect', () => true, 5000);
    const selfLeft = waitForEvent(a.events, 'peerLeft', (d) => d.isSelf, 5000);
    server.down = true;
    server.dropAll();
    expect(await lost).toMatchObject({ peerId: aId, roomName: 'lobby' });
    await selfLeft;
    expect(a.platform.peerConnections.every((pc) => pc.signalingState === 'closed')).toBe(true);
    await expect(a.skylink.leaveRoom('lobby')).resolves.toBe('lobby');
    // The room name can be joined again once the server is back.
    server.down = false;
    await b.skylink.leaveAllRooms();
    await a.skylink.joinRoom();
    await a.skylink.leaveAllRooms();
    server.close();
  });
});
