import { SignalingClient, type SignalingClientCallbacks, type SignalingRoomHandler } from '../../../src/signaling/SignalingClient';
import type { ServerToClientMessage } from '../../../src/signaling/protocol';
import { FakeSignalingServer, type FakeSocket } from '../../fakes/FakeSignalingServer';
import { SkylinkErrorCode } from '../../../src/errors';

async function flush(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await Promise.resolve();
}

function recorder() {
  const log: string[] = [];
  const delays: number[] = [];
  const callbacks: SignalingClientCallbacks = {
    onOpen: (_id, reconnected) => log.push(reconnected ? 'reopen' : 'open'),
    onClose: (reason, willReconnect) => log.push(`close:${reason}:${willReconnect}`),
    onError: (e) => log.push(`error:${e.code}`),
    onReconnectAttempt: (attempt, delay) => {
      log.push(`attempt:${attempt}`);
      delays.push(delay);
    },
    onReconnectFailed: (e) => log.push(`failed:${e.code}`),
    onMessage: (_raw, rid) => log.push(`msg:${rid}`),
  };
  return { log, delays, callbacks };
}

function roomHandler() {
  const events: string[] = [];
  const messages: ServerToClientMessage[] = [];
  const handler: SignalingRoomHandler = {
    onMessage: (m) => messages.push(m),
    onDisconnected: (r) => events.push(`disconnected:${r}`),
    onReconnected: () => events.push('reconnected'),
    onConnectionLost: (e) => events.push(`lost:${e.code}`),
  };
  return { events, messages, handler };
}

function makeClient(server: FakeSignalingServer, callbacks: SignalingClientCallbacks, extra: Partial<ConstructorParameters<typeof SignalingClient>[0]> = {}) {
  const sockets: FakeSocket[] = [];
  const client = new SignalingClient({
    platform: {
      connectSignaling: (url, opts) => {
        const s = server.connect(url, opts);
        sockets.push(s);
        return s;
      },
    },
    url: 'http://fake.test:3000',
    path: '',
    connectTimeoutMs: 7000,
    query: { Skylink_SDK_type: 'Web SDK' },
    callbacks,
    random: () => 0,
    reconnect: { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.5, maxAttempts: 3 },
    ...extra,
  });
  return { client, sockets };
}

describe('SignalingClient', () => {
  afterEach(() => jest.useRealTimers());

  it('connects once for many callers and passes the 2.x query', async () => {
    const server = new FakeSignalingServer();
    const { log, callbacks } = recorder();
    const { client, sockets } = makeClient(server, callbacks);
    await Promise.all([client.connect(), client.connect()]);
    await client.connect();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]?.options.query).toEqual({ Skylink_SDK_type: 'Web SDK' });
    expect(log).toEqual(['open']);
    expect(client.state).toBe('connected');
    client.close();
  });

  it('routes validated messages by rid and drops invalid or foreign ones', async () => {
    const server = new FakeSignalingServer();
    const { log, callbacks } = recorder();
    const { client, sockets } = makeClient(server, callbacks);
    await client.connect();
    const r1 = roomHandler();
    const r2 = roomHandler();
    client.addRoom('rk_a', r1.handler);
    client.addRoom('rk_b', r2.handler);
    const socket = sockets[0] as FakeSocket;
    socket.fire('message', JSON.stringify({ type: 'roomLockEvent', rid: 'rk_b', mid: 'p1', lock: true }));
    socket.fire('message', JSON.stringify({ type: 'roomLockEvent', rid: 'rk_zz', mid: 'p1', lock: true }));
    socket.fire('message', '{not json');
    socket.fire('message', JSON.stringify({ type: 'inRoom', rid: 'rk_a' })); // missing sid
    socket.fire('message', JSON.stringify({ type: 'bye', rid: 'rk_a', mid: 'p2' }));
    expect(r1.messages.map((m) => m.type)).toEqual(['bye']);
    expect(r2.messages.map((m) => m.type)).toEqual(['roomLockEvent']);
    expect(log.filter((l) => l.startsWith('msg:'))).toEqual(['msg:rk_b', 'msg:rk_a']);
    client.close();
  });

  it('buffers a room\'s messages until it is ready, and sends joinRoom at once', async () => {
    const server = new FakeSignalingServer();
    const { callbacks } = recorder();
    const { client, sockets } = makeClient(server, callbacks);
    await client.connect();
    const r = roomHandler();
    client.addRoom('rk_a', r.handler);
    client.send({ type: 'roomLockEvent', rid: 'rk_a', mid: 'me', lock: true });
    expect(client.sendNow({ type: 'joinRoom', rid: 'rk_a' })).toBe(true);
    const socket = sockets[0] as FakeSocket;
    expect(socket.sent.map((p) => JSON.parse(p).type)).toEqual(['joinRoom']);
    client.setRoomReady('rk_a', true);
    expect(socket.sent.map((p) => JSON.parse(p).type)).toEqual(['joinRoom', 'roomLockEvent']);
    client.send({ type: 'roomLockEvent', rid: 'rk_a', mid: 'me', lock: false });
    expect(socket.sent).toHaveLength(3);
    client.close();
  });

  it('rejects the first connect when the server is unreachable (never hangs)', async () => {
    const server = new FakeSignalingServer();
    server.down = true;
    const { log, callbacks } = recorder();
    const { client } = makeClient(server, callbacks);
    await expect(client.connect()).rejects.toMatchObject({ code: SkylinkErrorCode.SIGNALING_ERROR });
    expect(log).toEqual(['error:SIGNALING_ERROR']);
    expect(client.state).toBe('idle');
    server.down = false;
    await client.connect();
    expect(client.state).toBe('connected');
    client.close();
  });

  it('rejects with SIGNALING_TIMEOUT when the socket never answers', async () => {
    jest.useFakeTimers();
    const server = new FakeSignalingServer();
    server.silent = true;
    const { callbacks } = recorder();
    const { client } = makeClient(server, callbacks);
    const p = client.connect();
    const assertion = expect(p).rejects.toMatchObject({ code: SkylinkErrorCode.SIGNALING_TIMEOUT });
    jest.advanceTimersByTime(8000);
    await assertion;
    client.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('reconnects with exponential backoff and jitter, then asks rooms to resume', async () => {
    jest.useFakeTimers();
    const server = new FakeSignalingServer();
    const { log, delays, callbacks } = recorder();
    const { client, sockets } = makeClient(server, callbacks, { random: () => 1 });
    const connecting = client.connect();
    await flush();
    await connecting;
    const r = roomHandler();
    client.addRoom('rk_a', r.handler);
    client.setRoomReady('rk_a', true);
    server.down = true;
    server.dropAll();
    expect(r.events).toEqual(['disconnected:transport close']);
    // Sent while down: buffered.
    client.send({ type: 'roomLockEvent', rid: 'rk_a', mid: 'me', lock: true });
    jest.advanceTimersByTime(50); // attempt 1 after 100 * (1 - 0.5) = 50 ms
    await flush();
    jest.advanceTimersByTime(100); // attempt 2 after 200 * 0.5
    await flush();
    server.down = false;
    jest.advanceTimersByTime(200); // attempt 3 after 400 * 0.5
    await flush();
    expect(delays).toEqual([50, 100, 200]);
    expect(log).toContain('reopen');
    expect(r.events).toEqual(['disconnected:transport close', 'reconnected']);
    const last = sockets.at(-1) as FakeSocket;
    expect(last.sent).toHaveLength(0);
    client.setRoomReady('rk_a', true);
    expect(last.sent.map((p) => JSON.parse(p).type)).toEqual(['roomLockEvent']);
    client.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('gives up after maxAttempts and reports the session lost', async () => {
    jest.useFakeTimers();
    const server = new FakeSignalingServer();
    const { log, callbacks } = recorder();
    const { client } = makeClient(server, callbacks);
    const connecting = client.connect();
    await flush();
    await connecting;
    const r = roomHandler();
    client.addRoom('rk_a', r.handler);
    server.down = true;
    server.dropAll();
    for (let i = 0; i < 5; i += 1) {
      jest.advanceTimersByTime(1000);
      await flush();
    }
    expect(log).toContain('failed:SIGNALING_ERROR');
    expect(r.events).toEqual(['disconnected:transport close', 'lost:SIGNALING_ERROR']);
    expect(client.roomCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    client.close();
  });

  it('close() leaves no listener, socket or timer behind', async () => {
    jest.useFakeTimers();
    const server = new FakeSignalingServer();
    const { log, callbacks } = recorder();
    const { client, sockets } = makeClient(server, callbacks);
    const connecting = client.connect();
    await flush();
    await connecting;
    client.addRoom('rk_a', roomHandler().handler);
    client.close();
    const socket = sockets[0] as FakeSocket;
    expect(socket.connected).toBe(false);
    expect(socket.listenerCount()).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(log).toEqual(['open', 'close:client:false']);
    await expect(client.connect()).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_STATE });
  });
});
