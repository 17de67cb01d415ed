import Skylink from '../../../src/Skylink';
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import { SkylinkErrorCode } from '../../../src/errors';
import { FakeNetwork, type FakePeerConnection } from '../../fakes/FakePeerConnection';
import { FakeSignalingServer, type FakeSocket } from '../../fakes/FakeSignalingServer';
import { createFakePlatform, type FakePlatform } from '../../fakes/fakePlatform';
import { waitForEvent } from '../../helpers/waitForEvent';

interface Client {
  skylink: Skylink;
  events: SkylinkEventManagerClass;
  platform: FakePlatform;
}

function makeClient(server: FakeSignalingServer, network: FakeNetwork, internals: Record<string, unknown> = {}): Client {
  const events = new SkylinkEventManagerClass();
  const platform = createFakePlatform({ server, network });
  const skylink = new Skylink(
    { appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false },
    { eventManager: events, platform, ...internals },
  );
  return { skylink, events, platform };
}

async function selfId(c: Client, room: string): Promise<string> {
  const info = c.skylink.getPeersInRoom(room);
  const self = Object.entries(info ?? {}).find(([, v]) => v.isSelf);
  if (!self) throw new Error('not in room');
  return self[0];
}

function mainOpen(c: Client, peerId: string, room = 'lobby') {
  return waitForEvent(c.events, 'dataChannelState', (d) => d.peerId === peerId && d.state === 'open' && d.channelType === 'messaging' && d.roomName === room);
}

describe('Skylink + SkylinkRoom (fakes)', () => {
  let server: FakeSignalingServer;
  let network: FakeNetwork;
  beforeEach(() => {
    server = new FakeSignalingServer();
    network = new FakeNetwork();
  });
  afterEach(() => {
    server.close();
    jest.useRealTimers();
  });

  it('joins (resolving on inRoom), sends enter, and two peers connect with an open main channel', async () => {
    const a = makeClient(server, network);
    const b = makeClient(server, network);
    const aSelf = waitForEvent(a.events, 'peerJoined', (d) => d.isSelf);
    await expect(a.skylink.joinRoom({ userData: { name: 'A' } })).resolves.toBeNull();
    const selfDetail = await aSelf;
    expect(selfDetail.roomName).toBe('lobby');
    expect(selfDetail.room.inRoom).toBe(true);
    const aId = await selfId(a, 'lobby');
    const aSeesB = waitForEvent(a.events, 'peerJoined', (d) => !d.isSelf);
    const bSeesA = waitForEvent(b.events, 'peerJoined', (d) => !d.isSelf);
    const aIce = waitForEvent(a.events, 'iceConnectionState', (d) => d.state === 'connected');
    await b.skylink.joinRoom({ roomName: 'lobby', userData: 'B' });
    const bId = await selfId(b, 'LOBBY');
    const aOpen = mainOpen(a, bId);
    const bOpen = mainOpen(b, aId);
    expect((await aSeesB).peerId).toBe(bId);
    expect((await bSeesA).peerInfo.userData).toEqual({ name: 'A' });
    await aIce;
    await Promise.all([aOpen, bOpen]);
    // enter carries 2.x fields.
    const enter = server.received.find((r) => r.message.type === 'enter')?.message;
    expect(enter).toMatchObject({ SMProtocolVersion: '2.1.0', DTProtocolVersion: '0.1.3', enableDataChannel: true, temasysPluginVersion: null });
    const joinMsg = server.received.find((r) => r.message.type === 'joinRoom')?.message;
    expect(joinMsg).toMatchObject({ rid: 'rk_lobby', key: 'app', uid: expect.any(String), userCred: 'uc', roomCred: 'rc' });
    // label as 2.x: rid_offerer_answerer (B is the newcomer, so the offerer).
    const dcs = a.skylink.getPeersDataChannels('lobby');
    expect(dcs?.[bId]?.main?.channelName).toBe(`rk_lobby_${bId}_${aId}`);
    expect(dcs?.[bId]?.main?.readyState).toBe('open');
    expect(a.skylink.getPeerInfo('lobby', bId)?.settings.data).toBe(true);
    expect(a.skylink.getUserData('lobby', bId)).toBe('B');
    expect(Object.keys(a.skylink.getPeersInRoom('lobby') ?? {}).sort()).toEqual([aId, bId].sort());
    await a.skylink.leaveAllRooms();
    await b.skylink.leaveAllRooms();
  });

  it('validates arguments and gives clear errors for unknown rooms', async () => {
    const a = makeClient(server, network);
    await expect(a.skylink.leaveRoom('nope')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
    await expect(a.skylink.leaveRoom(undefined as unknown as string)).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_ARGUMENT });
    await expect(a.skylink.lockRoom('nope')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
    await expect(a.skylink.setUserData('nope', 1)).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
    await expect(a.skylink.refreshConnection('nope')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
    await expect(a.skylink.getConnectionStatus('nope')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
    await expect(a.skylink.refreshDatachannel('nope', 'x')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
    await expect(a.skylink.getPeers('nope')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
    expect(a.skylink.getPeerInfo('nope')).toBeNull();
    expect(a.skylink.getPeersInRoom('nope')).toBeNull();
    expect(a.skylink.getUserData('nope')).toBeNull();
    expect(a.skylink.getPeersCustomSettings('nope')).toBeNull();
    expect(a.skylink.getPeersDataChannels('nope')).toBeNull();
    await expect(a.skylink.leaveAllRooms()).resolves.toEqual([]);
    await expect(a.skylink.joinRoom({ roomName: '' })).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_ARGUMENT });
    await expect(a.skylink.joinRoom(42 as unknown as object)).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_ARGUMENT });
    const noDefault = new Skylink({ appKey: 'x' }, { eventManager: new SkylinkEventManagerClass(), platform: createFakePlatform({ server }) });
    await expect(noDefault.joinRoom()).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_ARGUMENT, message: 'No room name specified' });
    expect(() => new Skylink({} as { appKey: string }, { eventManager: new SkylinkEventManagerClass() })).toThrow();
    await a.skylink.joinRoom();
    await expect(a.skylink.joinRoom({ roomName: 'Lobby' })).rejects.toMatchObject({ code: SkylinkErrorCode.ALREADY_IN_ROOM });
    await expect(a.skylink.getConnectionStatus('lobby', 'ghost')).rejects.toMatchObject({ code: SkylinkErrorCode.PEER_NOT_FOUND });
    await expect(a.skylink.refreshDatachannel('lobby', 'ghost')).rejects.toMatchObject({ code: SkylinkErrorCode.PEER_NOT_FOUND });
    await expect(a.skylink.refreshConnection('lobby')).rejects.toMatchObject({ code: SkylinkErrorCode.NO_PEERS });
    await expect(a.skylink.getPeers('lobby')).rejects.toMatchObject({ code: SkylinkErrorCode.NOT_PRIVILEGED });
    await expect(a.skylink.leaveRoom('LOBBY')).resolves.toBe('lobby');
    expect(a.skylink.getPeerInfo('lobby')).toBeNull();
    expect(a.skylink.generateUUID()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof a.skylink.getSdkVersion()).toBe('string');
  });

  it('rejects joinRoom on REST failure, socket failure, timeout, lock and bad credentials', async () => {
    const a = makeClient(server, network, { joinTimeoutMs: 200 });
    server.restFailure = { status: 403, body: { info: 'Invalid app key', error: 4001 } };
    const readyError = waitForEvent(a.events, 'readyStateChange', (d) => d.readyState === -1);
    await expect(a.skylink.joinRoom()).rejects.toMatchObject({ code: SkylinkErrorCode.AUTH_FAILED });
    expect((await readyError).error).toMatchObject({ status: 403, errorCode: 4001 });
    server.restFailure = null;
    server.down = true;
    await expect(a.skylink.joinRoom()).rejects.toMatchObject({ code: SkylinkErrorCode.SIGNALING_ERROR });
    server.down = false;
    server.ignoreJoins = true;
    await expect(a.skylink.joinRoom()).rejects.toMatchObject({ code: SkylinkErrorCode.SIGNALING_TIMEOUT });
    server.ignoreJoins = false;
    // Lock
    const b = makeClient(server, network);
    await b.skylink.joinRoom();
    await b.skylink.lockRoom('lobby');
    const action = waitForEvent(a.events, 'systemAction');
    await expect(a.skylink.joinRoom()).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_LOCKED });
    expect(await action).toMatchObject({ action: 'reject', reason: 'locked', roomName: 'lobby' });
    await b.skylink.leaveAllRooms();
    // nothing left behind by the failed joins
    expect(server.connectedSockets()).toHaveLength(0);
    expect(a.skylink.getPeerInfo('lobby')).toBeNull();
  });

  it('lock/unlock and setUserData reach the other peer', async () => {
    const a = makeClient(server, network);
    const b = makeClient(server, network);
    await a.skylink.joinRoom();
    const bJoined = waitForEvent(a.events, 'peerJoined', (d) => !d.isSelf);
    await b.skylink.joinRoom();
    await bJoined;
    const aId = await selfId(a, 'lobby');
    const lockSeen = waitForEvent(b.events, 'roomLock', (d) => !d.isSelf);
    const selfLock = waitForEvent(a.events, 'roomLock', (d) => d.isSelf);
    await a.skylink.lockRoom('lobby');
    expect(await selfLock).toMatchObject({ isLocked: true, roomName: 'lobby' });
    expect(await lockSeen).toMatchObject({ isLocked: true, peerId: aId, roomName: 'lobby' });
    expect(server.room('lobby')?.locked).toBe(true);
    const updated = waitForEvent(b.events, 'peerUpdated', (d) => !d.isSelf && d.peerId === aId);
    await a.skylink.setUserData('lobby', { name: 'Ada' });
    expect((await updated).peerInfo.userData).toEqual({ name: 'Ada' });
    expect(b.skylink.getUserData('lobby', aId)).toEqual({ name: 'Ada' });
    expect(a.skylink.getUserData('lobby')).toEqual({ name: 'Ada' });
    const wire = server.received.find((r) => r.message.type === 'updateUserEvent')?.message;
    expect(typeof wire?.userData).toBe('string');
    const unlock = waitForEvent(b.events, 'roomLock', (d) => !d.isSelf && !d.isLocked);
    await a.skylink.unlockRoom('lobby');
    await unlock;
    await a.skylink.leaveAllRooms();
    await b.skylink.leaveAllRooms();
  });

  it('one instance in several rooms at once: one socket, separate peers, room-scoped events', async () => {
    const a = makeClient(server, network);
    const b = makeClient(server, network);
    const c = makeClient(server, network);
    await a.skylink.joinRoom({ roomName: 'r1' });
    await a.skylink.joinRoom({ roomName: 'r2' });
    const inR1 = waitForEvent(a.events, 'peerJoined', (d) => !d.isSelf && d.roomName === 'r1');
    const inR2 = waitForEvent(a.events, 'peerJoined', (d) => !d.isSelf && d.roomName === 'r2');
    await b.skylink.joinRoom({ roomName: 'r1' });
    await c.skylink.joinRoom({ roomName: 'r2' });
    const bId = await selfId(b, 'r1');
    const cId = await selfId(c, 'r2');
    expect((await inR1).peerId).toBe(bId);
    expect((await inR2).peerId).toBe(cId);
    expect(a.platform.sockets).toHaveLength(1);
    expect(Object.keys(a.skylink.getPeersInRoom('r1') ?? {})).toContain(bId);
    expect(Object.keys(a.skylink.getPeersInRoom('r1') ?? {})).not.toContain(cId);
    // Leaving r1 sends bye (multi-room) and keeps the socket for r2.
    const bSeesLeave = waitForEvent(b.events, 'peerLeft', (d) => !d.isSelf);
    await a.skylink.leaveRoom('r1');
    await bSeesLeave;
    expect((a.platform.sockets[0] as FakeSocket).connected).toBe(true);
    expect(a.skylink.getPeersInRoom('r2')).not.toBeNull();
    await a.skylink.leaveAllRooms();
    expect((a.platform.sockets[0] as FakeSocket).connected).toBe(false);
    await b.skylink.leaveAllRooms();
    await c.skylink.leaveAllRooms();
  });

  it('leaveRoom releases everything: no peer connection, listener, socket or timer left', async () => {
    const a = makeClient(server, network);
    const b = makeClient(server, network);
    await a.skylink.joinRoom();
    await b.skylink.joinRoom();
    const aId = await selfId(a, 'lobby');
    await mainOpen(b, aId);
    const aLeft = waitForEvent(b.events, 'peerLeft', (d) => d.peerId === aId && !d.isSelf);
    const selfLeft = waitForEvent(a.events, 'peerLeft', (d) => d.isSelf);
    await a.skylink.leaveRoom('lobby');
    expect(await selfLeft).toMatchObject({ peerId: aId, roomName: 'lobby' });
    await aLeft;
    for (const pc of a.platform.peerConnections as FakePeerConnection[]) {
      expect(pc.signalingState).toBe('closed');
      expect(pc.listenerCount()).toBe(0);
      for (const ch of pc.channels) expect(ch.listenerCount()).toBe(0);
    }
    for (const s of a.platform.sockets as FakeSocket[]) {
      expect(s.connected).toBe(false);
      expect(s.listenerCount()).toBe(0);
    }
    await b.skylink.leaveAllRooms();
    for (const pc of b.platform.peerConnections as FakePeerConnection[]) expect(pc.listenerCount()).toBe(0);
    expect(network.open()).toHaveLength(0);
    jest.useFakeTimers();
    expect(jest.getTimerCount()).toBe(0);
  });
});
