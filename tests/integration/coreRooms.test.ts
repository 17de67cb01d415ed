/**
 * The SDK core against the project's real server (REST + socket.io), with in-memory WebRTC fakes:
 * join, enter/welcome/offer/answer/answerAck/candidate through the server, data channels open,
 * lock, user data, multi-room, leave, getPeers, and session resume after a server restart.
 */
import Skylink from '../../src/Skylink';
import { SkylinkEventManagerClass } from '../../src/events/SkylinkEventManager';
import { SkylinkLogger } from '../../src/logger';
import { createSkylinkServer, type SkylinkServer } from '../../src/server';
import { FakeNetwork } from '../fakes/FakePeerConnection';
import type { FakePlatform } from '../fakes/fakePlatform';
import { createRealSignalingPlatform } from '../fakes/realSignaling';
import { subscribeToEvents, waitForEvent } from '../helpers/waitForEvent';

jest.setTimeout(30_000);

interface Client {
  skylink: Skylink;
  events: SkylinkEventManagerClass;
  platform: FakePlatform;
}

async function startServer(port = 0): Promise<SkylinkServer> {
  return createSkylinkServer({ dev: true, host: '127.0.0.1', port, iceServers: [], logLevel: 'error' });
}

describe('SDK core against the real server', () => {
  let server: SkylinkServer;
  let network: FakeNetwork;
  const clients: Client[] = [];

  beforeAll(() => SkylinkLogger.setLevel('SILENT'));
  beforeEach(async () => {
    server = await startServer();
    network = new FakeNetwork();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.skylink.leaveAllRooms();
    await server.close();
  });

  function client(): Client {
    const events = new SkylinkEventManagerClass();
    const platform = createRealSignalingPlatform(network);
    const skylink = new Skylink(
      { appKey: 'it-app', roomServer: `//127.0.0.1:${server.port}`, forceSSL: false },
      { eventManager: events, platform, reconnect: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 30 } },
    );
    const c = { skylink, events, platform };
    clients.push(c);
    return c;
  }

  const selfId = (c: Client, room: string): string => {
    const peers = c.skylink.getPeersInRoom(room) ?? {};
    return Object.keys(peers).find((id) => peers[id]?.isSelf) ?? '';
  };

  async function joinAll(room: string, ...cs: Client[]): Promise<string[]> {
    const ids: string[] = [];
    for (const c of cs) {
      await c.skylink.joinRoom({ roomName: room });
      ids.push(selfId(c, room));
    }
    return ids;
  }

  it('three peers form a full mesh through the server, with main channels open', async () => {
    const [a, b, c] = [client(), client(), client()];
    const subs = [a, b, c].map((x) => subscribeToEvents(x.events, ['dataChannelState']));
    const ids = await joinAll('mesh', a, b, c);
    const all = [a, b, c];
    await Promise.all(
      all.flatMap((x, i) =>
        ids.filter((_, j) => j !== i).map((peerId) =>
          subs[i]?.waitFor('dataChannelState', (d) => d.peerId === peerId && d.state === 'open', 10_000),
        ),
      ),
    );
    for (const [i, x] of all.entries()) {
      expect(Object.keys(x.skylink.getPeersDataChannels('mesh') ?? {}).sort()).toEqual(ids.filter((_, j) => j !== i).sort());
    }
    subs.forEach((s) => s.unsubscribe());
  });

  it('lock rejects a newcomer; setUserData and leave reach the others', async () => {
    const [a, b, c] = [client(), client(), client()];
    const subB = subscribeToEvents(b.events, ['dataChannelState']);
    const [aId, bId] = await joinAll('locked', a, b);
    await subB.waitFor('dataChannelState', (d) => d.peerId === aId && d.state === 'open', 10_000);
    subB.unsubscribe();
    const lockSeen = waitForEvent(b.events, 'roomLock', (d) => d.isLocked && !d.isSelf);
    await a.skylink.lockRoom('locked');
    await lockSeen;
    await expect(c.skylink.joinRoom({ roomName: 'locked' })).rejects.toMatchObject({ code: 'ROOM_LOCKED' });
    const updated = waitForEvent(b.events, 'peerUpdated', (d) => d.peerId === aId && !d.isSelf);
    await a.skylink.setUserData('locked', { n: 1 });
    expect((await updated).peerInfo.userData).toEqual({ n: 1 });
    const left = waitForEvent(a.events, 'peerLeft', (d) => d.peerId === bId && !d.isSelf);
    await b.skylink.leaveRoom('locked');
    await left;
  });

  it('one client in two rooms over one socket; leaving one keeps the other', async () => {
    const [hub, b, c] = [client(), client(), client()];
    const subB = subscribeToEvents(b.events, ['dataChannelState']);
    const subC = subscribeToEvents(c.events, ['dataChannelState']);
    await hub.skylink.joinRoom({ roomName: 'r1' });
    await hub.skylink.joinRoom({ roomName: 'r2' });
    const hubR1 = selfId(hub, 'r1');
    const [bId] = await joinAll('r1', b);
    const [cId] = await joinAll('r2', c);
    await subB.waitFor('dataChannelState', (d) => d.peerId === hubR1 && d.state === 'open', 10_000);
    await subC.waitFor('dataChannelState', (d) => d.peerId === selfId(hub, 'r2') && d.state === 'open', 10_000);
    subB.unsubscribe();
    subC.unsubscribe();
    expect(hub.platform.sockets).toHaveLength(1);
    const bSeesLeave = waitForEvent(b.events, 'peerLeft', (d) => d.peerId === hubR1);
    await hub.skylink.leaveRoom('r1');
    await bSeesLeave;
    const updated = waitForEvent(c.events, 'peerUpdated', (d) => !d.isSelf);
    await hub.skylink.setUserData('r2', 'still here');
    expect((await updated).peerInfo.userData).toBe('still here');
    void bId;
    void cId;
  });

  it('getPeers: privileged keys get the peer list (GET_PEERS_STATE_CHANGE), others are refused', async () => {
    await server.close();
    server = await createSkylinkServer({
      host: '127.0.0.1',
      port: 0,
      iceServers: [],
      logLevel: 'error',
      apps: { 'it-app': { isPrivileged: true }, 'plain-app': {} },
    });
    const [a, b] = [client(), client()];
    const [, bId] = await joinAll('peers', a, b);
    const sub = subscribeToEvents(a.events, ['getPeersStateChange']);
    // Both peers use the privileged key: they are listed with showAll only.
    expect((await a.skylink.getPeers('peers')).peers ?? []).toEqual([]);
    const list = await a.skylink.getPeers('peers', true);
    expect(list.peers?.sort()).toEqual([selfId(a, 'peers'), bId].sort());
    expect(sub.buffered('getPeersStateChange').map((d) => d.state)).toEqual(['enquired', 'dispatched', 'received', 'enquired', 'dispatched', 'received']);
    sub.unsubscribe();
    const plain = new Skylink(
      { appKey: 'plain-app', roomServer: `//127.0.0.1:${server.port}`, forceSSL: false },
      { eventManager: new SkylinkEventManagerClass(), platform: createRealSignalingPlatform(network) },
    );
    clients.push({ skylink: plain, events: new SkylinkEventManagerClass(), platform: createRealSignalingPlatform(network) });
    await plain.joinRoom({ roomName: 'peers' });
    await expect(plain.getPeers('peers')).rejects.toMatchObject({ code: 'NOT_PRIVILEGED' });
  });

  it('the server restarts mid-call: peers resume their rooms, connections stay up', async () => {
    const [a, b] = [client(), client()];
    const subA = subscribeToEvents(a.events, ['peerLeft', 'dataChannelState', 'sessionDisconnect']);
    const [aId, bId] = await joinAll('resume', a, b);
    await subA.waitFor('dataChannelState', (d) => d.peerId === bId && d.state === 'open', 10_000);
    const pcsBefore = a.platform.peerConnections.filter((pc) => pc.signalingState !== 'closed');
    const port = server.port;
    // The restarted server lost the room: both clients reconnect and enter again with their ids.
    const reEnterA = waitForEvent(a.events, 'handshakeProgress', (d) => d.state === 'enter', 20_000);
    const reEnterB = waitForEvent(b.events, 'handshakeProgress', (d) => d.state === 'enter', 20_000);
    await server.close();
    server = await startServer(port);
    await Promise.all([reEnterA, reEnterB]);
    const updated = waitForEvent(b.events, 'peerUpdated', (d) => d.peerId === aId && !d.isSelf, 20_000);
    await a.skylink.setUserData('resume', 'after restart');
    expect((await updated).peerInfo.userData).toBe('after restart');
    expect(selfId(a, 'resume')).toBe(aId);
    expect(subA.buffered('peerLeft')).toEqual([]);
    expect(subA.buffered('sessionDisconnect')).toEqual([]);
    expect(subA.buffered('dataChannelState').filter((d) => d.state === 'closed')).toEqual([]);
    expect(a.platform.peerConnections.filter((pc) => pc.signalingState !== 'closed')).toEqual(pcsBefore);
    subA.unsubscribe();
  });

  it('a dropped socket resumes the same session (the others never see it leave)', async () => {
    const [a, b] = [client(), client()];
    const subB = subscribeToEvents(b.events, ['peerLeft', 'peerJoined', 'dataChannelState']);
    const [aId, bId] = await joinAll('drop', a, b);
    await subB.waitFor('dataChannelState', (d) => d.peerId === aId && d.state === 'open', 10_000);
    const reopened = waitForEvent(a.events, 'channelOpen', () => true, 20_000);
    // Cut A's transport (not a deliberate disconnect): the server keeps A's membership for a grace period.
    (a.platform.sockets[0] as unknown as { io: { engine: { close(): void } } }).io.engine.close();
    await reopened;
    // A is back in the same session: a message sent now reaches B without any re-enter.
    const updated = waitForEvent(b.events, 'peerUpdated', (d) => d.peerId === aId && !d.isSelf, 20_000);
    await a.skylink.setUserData('drop', 'resumed');
    expect((await updated).peerInfo.userData).toBe('resumed');
    expect(selfId(a, 'drop')).toBe(aId);
    expect(subB.buffered('peerLeft')).toEqual([]);
    expect(subB.buffered('peerJoined').filter((d) => !d.isSelf)).toHaveLength(1);
    expect(subB.buffered('dataChannelState').filter((d) => d.state === 'closed')).toEqual([]);
    subB.unsubscribe();
    void bId;
  });
});
