/**
 * Two server instances (different ports) on one real redis-server serve the same rooms: join,
 * negotiation, targeted relay, bye, lock, stored messages, getPeers, resume and the repair of the
 * shared registry, all across instances.
 */
import type { Redis } from 'ioredis';
import type { SkylinkServerConfig } from '../../../src/server/index';
import { RedisKeys } from '../../../src/server/redis/redisKeys';
import { RedisRoomRegistry } from '../../../src/server/redis/RedisRoomRegistry';
import {
  auth,
  barrier,
  connectV2,
  connectV4,
  enterPeer,
  joinPeer,
  joinRoomMessage,
  selfBarrier,
  startServer,
  type JoinedPeer,
  type TestClient,
  type TestServer,
} from '../helpers/serverKit';
import { startRedis, type RedisProcess } from './redisKit';

const TOKEN_SECRET = 'cluster-test-token-secret-0123456789';
const APPS = {
  'test-app': { parentKey: 'boss' }, // in the app space of the privileged 'boss'
  chat: { hasPersistentMessage: true },
  boss: { isPrivileged: true },
};

let redis: RedisProcess;
let data: Redis;
let prefixCounter = 0;

function clusterConfig(keyPrefix: string, extra: SkylinkServerConfig = {}): SkylinkServerConfig {
  return {
    tokenSecret: TOKEN_SECRET,
    apps: APPS,
    resumeGraceMs: 10_000,
    redis: { url: redis.url, keyPrefix, instanceTtlMs: 1000 },
    ...extra,
  };
}

beforeAll(async () => {
  redis = await startRedis();
  data = redis.client();
});
afterAll(async () => {
  await redis?.stop();
});

describe('two instances on one Redis', () => {
  const keyPrefix = `c${++prefixCounter}:`;
  let a: TestServer;
  let b: TestServer;
  const clients: TestClient[] = [];
  const track = (p: JoinedPeer): JoinedPeer => {
    clients.push(p.client);
    return p;
  };
  const enterOn = async (srv: TestServer, room: string, opts: Parameters<typeof enterPeer>[2] = {}) =>
    track(await enterPeer(srv.url, room, opts));

  beforeAll(async () => {
    [a, b] = await Promise.all([startServer(clusterConfig(keyPrefix)), startServer(clusterConfig(keyPrefix))]);
    expect(a.url).not.toBe(b.url);
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('relays enter, welcome, offer, answer and candidates between peers on different instances', async () => {
    const p1 = await enterOn(a, 'negotiate');
    const p2 = await enterOn(b, 'negotiate', { connect: connectV2 }); // a 2.x client on the other instance
    expect(p2.inRoom.tieBreaker).toBeGreaterThan(p1.inRoom.tieBreaker);
    expect(p2.auth.roomSessionId).toBe(p1.auth.roomSessionId);

    const enter = await p1.client.nextOfType('enter', (m) => m.mid === p2.sid);
    expect(enter).toMatchObject({ rid: p1.rid, userInfo: { userData: p2.sid } });
    p1.client.send({ type: 'welcome', rid: p1.rid, mid: p1.sid, target: p2.sid, weight: p1.inRoom.tieBreaker });
    expect(await p2.client.nextOfType('welcome')).toMatchObject({ mid: p1.sid, target: p2.sid });
    p2.client.send({ type: 'offer', rid: p2.rid, mid: p2.sid, target: p1.sid, sdp: 'v=0 offer', extra: 'kept' });
    expect(await p1.client.nextOfType('offer')).toEqual({ type: 'offer', rid: p2.rid, mid: p2.sid, target: p1.sid, sdp: 'v=0 offer', extra: 'kept' });
    p1.client.send({ type: 'answer', rid: p1.rid, mid: p1.sid, target: p2.sid, sdp: 'v=0 answer' });
    expect(await p2.client.nextOfType('answer')).toMatchObject({ mid: p1.sid, sdp: 'v=0 answer' });
    for (let i = 0; i < 5; i++) {
      p2.client.send({ type: 'candidate', rid: p2.rid, mid: p2.sid, target: p1.sid, candidate: `c${i}`, id: '0', label: 0 });
    }
    for (let i = 0; i < 5; i++) {
      expect(await p1.client.nextOfType('candidate')).toMatchObject({ candidate: `c${i}` }); // in order
    }
    // Nothing is echoed, and p1 (admitted first) never got an enter it should not have.
    expect(p2.client.receivedMatching((m) => m.type === 'enter')).toEqual([]);
    expect(p1.client.receivedMatching((m) => m.mid === p1.sid && m.type !== 'inRoom')).toEqual([]);
  });

  it('relays by target across instances and broadcasts to every other member', async () => {
    const p1 = await enterOn(a, 'target');
    const p2 = await enterOn(b, 'target');
    const p3 = await enterOn(b, 'target');
    const p4 = await enterOn(a, 'target');
    p1.client.send({ type: 'private', rid: p1.rid, mid: p1.sid, target: p3.sid, data: 'for p3 only' });
    expect(await p3.client.nextOfType('private')).toMatchObject({ mid: p1.sid, data: 'for p3 only' });
    p3.client.send({ type: 'public', rid: p3.rid, mid: p3.sid, data: 'hello all' });
    for (const p of [p1, p2, p4]) expect(await p.client.nextOfType('public')).toMatchObject({ mid: p3.sid });
    await Promise.all([barrier(p1, p2), barrier(p1, p4), barrier(p1, p3)]);
    expect(p2.client.receivedMatching((m) => m.type === 'private')).toEqual([]);
    expect(p4.client.receivedMatching((m) => m.type === 'private')).toEqual([]);
    expect(p3.client.receivedMatching((m) => m.type === 'public')).toEqual([]);
  });

  it('tells the other instance when a peer leaves with bye or disconnects', async () => {
    const p1 = await enterOn(a, 'leave');
    const p2 = await enterOn(b, 'leave');
    const p3 = await enterOn(b, 'leave', { connect: connectV2 });
    p2.client.send({ type: 'bye', rid: p2.rid, mid: p2.sid });
    expect(await p1.client.nextOfType('bye')).toEqual({ type: 'bye', rid: p1.rid, mid: p2.sid });
    p3.client.close();
    expect(await p1.client.nextOfType('bye')).toEqual({ type: 'bye', rid: p1.rid, mid: p3.sid });
    p1.client.close();
    await a.waitForLog((e) => e.msg === 'peer left' && e.sid === p1.sid);
    expect(await data.exists(new RedisKeys(keyPrefix).room(p1.rid))).toBe(0); // the room ended with its last member
  });

  it('accepts tokens issued by the other instance, once', async () => {
    const tokens = await auth(a.url, 'test-app', 'tokens');
    const onB = await connectV4(b.url);
    clients.push(onB);
    onB.send(joinRoomMessage(tokens));
    expect(await onB.nextOfType('inRoom')).toMatchObject({ rid: tokens.room_key });
    const replay = await connectV4(a.url);
    clients.push(replay);
    replay.send(joinRoomMessage(tokens));
    expect(await replay.nextOfType('redirect')).toMatchObject({ action: 'reject', reason: 'duplicatedLogin' });
  });

  it('respects the room lock across instances', async () => {
    const p1 = await enterOn(a, 'lock');
    const p2 = await enterOn(b, 'lock');
    p1.client.send({ type: 'roomLockEvent', rid: p1.rid, mid: p1.sid, lock: true });
    expect(await p2.client.nextOfType('roomLockEvent')).toMatchObject({ mid: p1.sid, lock: true });
    const tokens = await auth(b.url, 'test-app', 'lock');
    const late = await connectV4(b.url);
    clients.push(late);
    late.send(joinRoomMessage(tokens));
    expect(await late.nextOfType('redirect')).toMatchObject({ action: 'reject', reason: 'locked', rid: p1.rid });
    p2.client.send({ type: 'roomLockEvent', rid: p2.rid, mid: p2.sid, lock: false });
    await p1.client.nextOfType('roomLockEvent', (m) => m.lock === false);
    const p3 = await enterOn(a, 'lock');
    expect(p3.inRoom.isLocked).toBe(false);
  });

  it('lets a privileged peer list the peers of both instances', async () => {
    const p1 = await enterOn(a, 'listed');
    const p2 = await enterOn(b, 'listed');
    const other = await enterOn(b, 'listed-too');
    const boss = await enterOn(a, 'hq', { appKey: 'boss' });
    boss.client.send({ type: 'getPeers', rid: boss.rid, showAll: true });
    const list = (await boss.client.nextOfType('peerList')).result as Record<string, string[]>;
    expect(list.listed?.sort()).toEqual([p1.sid, p2.sid].sort());
    expect(list['listed-too']).toEqual([other.sid]);
    expect(list.hq).toEqual([boss.sid]);
  });

  it('keeps what a suspended member misses from the other instance and hands it over on resume', async () => {
    const resumable = { joinExtra: { resumable: true } };
    const r = await enterOn(a, 'resume', resumable);
    const p = await enterOn(b, 'resume');
    await r.client.nextOfType('enter', (m) => m.mid === p.sid);
    r.client.dropTransport();
    await a.waitForLog((e) => e.msg === 'peer suspended until it resumes' && e.sid === r.sid);
    p.client.send({ type: 'private', rid: p.rid, mid: p.sid, target: r.sid, data: 'while away' });
    p.client.send({ type: 'public', rid: p.rid, mid: p.sid, data: 'broadcast while away' });
    await selfBarrier(p);
    const back = track(
      await joinPeer(a.url, 'resume', {
        joinExtra: { resumable: true, resumeSid: r.sid, resumeToken: r.inRoom.resumeToken },
      }),
    );
    expect(back.inRoom).toMatchObject({ sid: r.sid, resumed: true, tieBreaker: r.inRoom.tieBreaker });
    expect((await back.client.nextOfType('private')).data).toBe('while away');
    expect((await back.client.nextOfType('public')).data).toBe('broadcast while away');
    await barrier(back, p);
    expect(p.client.receivedMatching((m) => m.type === 'bye')).toEqual([]);
  });

  it('keeps flood control per socket', async () => {
    const p1 = await enterOn(a, 'flood');
    for (let i = 0; i < 60; i++) p1.client.send({ type: 'public', rid: p1.rid, mid: p1.sid, n: i });
    expect(await p1.client.nextOfType('redirect')).toMatchObject({ action: 'warning', reason: 'fastmsg' });
  });

  it('reports cluster-wide rooms and members in /healthz', async () => {
    await enterOn(a, 'health');
    await enterOn(b, 'health');
    const health = (await (await fetch(`${b.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', redis: 'ok', instance: expect.any(String) });
    expect(health.members).toBeGreaterThanOrEqual(2);
  });

  it('removes the members of a dead instance and tells their rooms', async () => {
    const p1 = await enterOn(a, 'ghosts');
    const p2 = await enterOn(b, 'ghosts');
    // An instance that registered, admitted a member and died (its liveness key is gone).
    const keys = new RedisKeys(keyPrefix);
    const dead = new RedisRoomRegistry({ client: data, keys, instanceId: 'dead-instance', emptyRoomTtlMs: 1000 });
    await data.sadd(keys.instances, 'dead-instance');
    const ghost = await dead.admit(p1.rid, 'test-app', 'ghosts', {
      sid: 'ghost-peer', socketId: 'gone', appKey: 'test-app', isPrivileged: false, autoIntroduce: true, joinedAt: 0,
    }, 100);
    expect(ghost.ok).toBe(true);
    for (const p of [p1, p2]) expect(await p.client.nextOfType('bye', undefined, 6000)).toEqual({ type: 'bye', rid: p1.rid, mid: 'ghost-peer' });
    expect(await data.sismember(keys.instances, 'dead-instance')).toBe(0);
    expect((await dead.listMembers(p1.rid)).map((m) => m.sid).sort()).toEqual([p1.sid, p2.sid].sort());
  });

  it('removes members that Redis attributes to an instance that no longer holds them', async () => {
    const p1 = await enterOn(a, 'stale');
    const health = (await (await fetch(`${b.url}/healthz`)).json()) as { instance: string };
    const keys = new RedisKeys(keyPrefix);
    // As if B's removal of this member had failed during a Redis outage.
    const asB = new RedisRoomRegistry({ client: data, keys, instanceId: health.instance, emptyRoomTtlMs: 1000 });
    await asB.admit(p1.rid, 'test-app', 'stale', {
      sid: 'left-long-ago', socketId: 'gone', appKey: 'test-app', isPrivileged: false, autoIntroduce: true, joinedAt: 0,
    }, 100);
    expect(await p1.client.nextOfType('bye', undefined, 6000)).toMatchObject({ mid: 'left-long-ago' });
    expect((await asB.listMembers(p1.rid)).map((m) => m.sid)).toEqual([p1.sid]);
  });
});

describe('closing one instance', () => {
  it('announces its 2.x members to the other instance, not its resumable ones, which come back with their sid', async () => {
    const keyPrefix = `c${++prefixCounter}:`;
    const [a, b] = await Promise.all([startServer(clusterConfig(keyPrefix)), startServer(clusterConfig(keyPrefix))]);
    const clients: TestClient[] = [];
    try {
      const stays = await enterPeer(b.url, 'restart');
      const legacy = await enterPeer(a.url, 'restart', { connect: connectV2 });
      const sdk = await enterPeer(a.url, 'restart', { joinExtra: { resumable: true } });
      clients.push(stays.client, legacy.client, sdk.client);
      await stays.client.nextOfType('enter', (m) => m.mid === sdk.sid);
      await a.close();
      expect(await legacy.client.nextOfType('redirect')).toMatchObject({ action: 'reject', reason: 'roomclose' });
      expect(await stays.client.nextOfType('bye')).toEqual({ type: 'bye', rid: stays.rid, mid: legacy.sid });
      // The SDK client resumes through B: same sid, announced again with enter, never with bye.
      const back = await enterPeer(b.url, 'restart', {
        joinExtra: { resumable: true, resumeSid: sdk.sid, resumeToken: sdk.inRoom.resumeToken },
      });
      clients.push(back.client);
      expect(back.inRoom).toMatchObject({ sid: sdk.sid, resumed: false });
      await stays.client.nextOfType('enter', (m) => m.mid === sdk.sid);
      expect(stays.client.receivedMatching((m) => m.type === 'bye' && m.mid === sdk.sid)).toEqual([]);
      expect(legacy.client.receivedMatching((m) => m.type === 'bye')).toEqual([]);
    } finally {
      clients.forEach((c) => c.close());
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('stored messages on Redis', () => {
  it('are written through one instance, read through the other, and survive restarting both', async () => {
    const keyPrefix = `c${++prefixCounter}:`;
    let [a, b] = await Promise.all([startServer(clusterConfig(keyPrefix)), startServer(clusterConfig(keyPrefix))]);
    const clients: TestClient[] = [];
    try {
      const writer = await enterPeer(a.url, 'stored', { appKey: 'chat' });
      const reader = await enterPeer(b.url, 'stored', { appKey: 'chat' });
      clients.push(writer.client, reader.client);
      for (const text of ['U2FsdGVkX1-one', 'U2FsdGVkX1-two']) {
        writer.client.send({
          type: 'message', rid: writer.rid, mid: writer.sid, data: text, secretId: 'key1', isPersistent: true,
          msgId: `id-${text}`, roomSessionId: writer.auth.roomSessionId, peerSessionId: '',
        });
        // Stored before it is relayed: once the reader has it, it can be read back.
        await reader.client.nextOfType('message', (m) => m.data === text);
      }
      const read = async (p: JoinedPeer): Promise<Array<Record<string, unknown>>> => {
        p.client.send({ type: 'getStoredMessages', rid: p.rid, mid: p.sid, target: p.sid, roomSessionId: '' });
        return JSON.parse((await p.client.nextOfType('storedMessages')).data as string) as Array<Record<string, unknown>>;
      };
      const items = await read(reader);
      expect(items.map((m) => [m.data, m.mid, m.secretId])).toEqual([
        ['U2FsdGVkX1-one', writer.sid, 'key1'],
        ['U2FsdGVkX1-two', writer.sid, 'key1'],
      ]);

      clients.splice(0).forEach((c) => c.close());
      await Promise.all([a.close(), b.close()]);
      // A graceful stop closes the Redis connections without reporting them lost.
      expect([...a.logs, ...b.logs].filter((e) => e.msg.startsWith('redis connection'))).toEqual([]);
      [a, b] = await Promise.all([startServer(clusterConfig(keyPrefix)), startServer(clusterConfig(keyPrefix))]);
      for (const srv of [a, b]) {
        const p = await joinPeer(srv.url, 'stored', { appKey: 'chat' });
        clients.push(p.client);
        expect((await read(p)).map((m) => m.data)).toEqual(['U2FsdGVkX1-one', 'U2FsdGVkX1-two']);
      }
    } finally {
      clients.forEach((c) => c.close());
      await Promise.all([a.close(), b.close()]);
    }
  });
});
