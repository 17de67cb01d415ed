/**
 * Redis as a dependency: refused configurations, Redis unreachable at start, and an outage while
 * serving (the server stays up, refuses joins, recovers when Redis returns).
 */
import { createSkylinkServer, type SkylinkServerConfig } from '../../../src/server/index';
import { ConfigError } from '../../../src/server/config';
import {
  auth,
  connectV4,
  enterPeer,
  joinRoomMessage,
  startServer,
  type JoinedPeer,
  type TestClient,
  type TestServer,
} from '../helpers/serverKit';
import { freePort, startRedis, type RedisProcess } from './redisKit';

const TOKEN_SECRET = 'outage-test-token-secret-0123456789';

describe('redis configuration', () => {
  it('needs a shared token secret and a redis URL', async () => {
    await expect(createSkylinkServer({ dev: true, redis: { url: 'redis://127.0.0.1:1' } })).rejects.toThrow(ConfigError);
    await expect(createSkylinkServer({ dev: true, tokenSecret: TOKEN_SECRET, redis: { url: 'http://x' } })).rejects.toThrow(
      /redis:\/\/ or rediss:\/\//,
    );
    await expect(
      createSkylinkServer({ dev: true, tokenSecret: TOKEN_SECRET, redis: { url: 'redis://127.0.0.1:1', instanceTtlMs: 10 } }),
    ).rejects.toThrow(/instanceTtlMs/);
  });

  it('fails to start, without leaking the password, when Redis cannot be reached', async () => {
    const port = await freePort(); // nothing listens there
    const started = createSkylinkServer({
      dev: true,
      tokenSecret: TOKEN_SECRET,
      logSink: () => undefined,
      redis: { url: `redis://user:hunter2-secret@127.0.0.1:${port}`, connectTimeoutMs: 400 },
    });
    await expect(started).rejects.toThrow(`cannot reach Redis at redis://127.0.0.1:${port} within 400 ms`);
    await expect(started).rejects.not.toThrow(/hunter2/);
  });
});

describe('a Redis outage while serving', () => {
  let redis: RedisProcess;
  let a: TestServer;
  let b: TestServer;
  const clients: TestClient[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  const config = (): SkylinkServerConfig => ({
    dev: true,
    tokenSecret: TOKEN_SECRET,
    redis: { url: redis.url, instanceTtlMs: 1000 },
  });
  const enterOn = async (srv: TestServer, room: string): Promise<JoinedPeer> => {
    const p = await enterPeer(srv.url, room);
    clients.push(p.client);
    return p;
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    redis = await startRedis();
    [a, b] = await Promise.all([startServer(config()), startServer(config())]);
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
    process.off('unhandledRejection', onUnhandled);
  });

  it('stays up and refuses joins while Redis is down, then recovers', async () => {
    const p1 = await enterOn(a, 'outage');
    const p2 = await enterOn(b, 'outage');
    await p1.client.nextOfType('enter', (m) => m.mid === p2.sid);
    const tokens = await auth(a.url, 'test-app', 'outage'); // fetched while Redis is up

    await redis.kill();
    await a.waitForLog((e) => e.msg === 'redis connection lost' && e.role === 'data');

    // Joins are refused at once instead of hanging.
    const late = await connectV4(a.url);
    clients.push(late);
    late.send(joinRoomMessage(tokens));
    expect(await late.nextOfType('redirect')).toMatchObject({ action: 'reject', reason: 'serverError' });
    // Relays fail (the registry is unreachable) and are logged; a leave is logged too.
    p1.client.send({ type: 'private', rid: p1.rid, mid: p1.sid, target: p2.sid, data: 'lost' });
    await a.waitForLog((e) => e.msg === 'message handler failed');
    p1.client.close();
    await a.waitForLog((e) => e.msg === 'leaving a room failed' && e.sid === p1.sid);
    const health = await fetch(`${a.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'degraded', redis: 'unreachable' });

    // Redis comes back empty (no persistence): the registry lost every member, so the instances
    // drop their sockets and the clients join again.
    await redis.restart();
    await p2.client.waitForDisconnect(8000);
    for (const srv of [a, b]) {
      await srv.waitForLog((e) => e.msg.startsWith('this instance was presumed dead'), 8000);
      for (const role of ['data', 'pub', 'sub']) {
        await srv.waitForLog((e) => e.msg === 'redis connection restored' && e.role === role, 8000);
      }
    }
    const q1 = await enterOn(a, 'outage');
    const q2 = await enterOn(b, 'outage');
    await q1.client.nextOfType('enter', (m) => m.mid === q2.sid);
    q2.client.send({ type: 'private', rid: q2.rid, mid: q2.sid, target: q1.sid, data: 'back' });
    expect(await q1.client.nextOfType('private')).toMatchObject({ data: 'back' });
    expect(unhandled).toEqual([]);
  });
});
