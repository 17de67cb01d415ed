/**
 * The Redis MessageStore and RoomRegistry against a real redis-server, the registry side by side
 * with the in-process one (same contract).
 */
import type { Redis } from 'ioredis';
import { MemoryRoomRegistry, type NewMember, type RoomRegistry } from '../../../src/server/RoomRegistry';
import { RedisKeys } from '../../../src/server/redis/redisKeys';
import { RedisMessageStore } from '../../../src/server/redis/RedisMessageStore';
import { RedisRoomRegistry } from '../../../src/server/redis/RedisRoomRegistry';
import type { StoredMessageRecord } from '../../../src/server/stores/MessageStore';
import { startRedis, type RedisProcess } from './redisKit';

let redis: RedisProcess;
let client: Redis;
let prefixCounter = 0;
const freshKeys = (): RedisKeys => new RedisKeys(`t${++prefixCounter}:`);

beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterAll(async () => {
  await redis?.stop();
});

const record = (n: number, over: Partial<StoredMessageRecord> = {}): StoredMessageRecord => ({
  data: `cipher-${n}`,
  secretId: 'k1',
  mid: 'peer-a',
  msgId: `m${n}`,
  timeStamp: 1_000_000 + n,
  roomSessionId: 'session-1',
  ...over,
});

describe('RedisMessageStore', () => {
  it('appends, lists oldest first, filters by session and limit', async () => {
    const store = new RedisMessageStore({ client, keys: freshKeys(), now: () => 1_000_100 });
    await store.open();
    await store.append('room', record(1));
    await store.append('room', record(2, { roomSessionId: 'session-2', peerSessionId: 'ps' }));
    await store.append('room', record(3));
    await store.append('other', record(9));
    expect((await store.list('room')).map((r) => r.msgId)).toEqual(['m1', 'm2', 'm3']);
    expect((await store.list('room', { roomSessionId: 'session-1' })).map((r) => r.msgId)).toEqual(['m1', 'm3']);
    expect((await store.list('room', { limit: 2 })).map((r) => r.msgId)).toEqual(['m2', 'm3']);
    expect((await store.list('room'))[1]).toEqual(record(2, { roomSessionId: 'session-2', peerSessionId: 'ps' }));
    expect(await store.list('nobody')).toEqual([]);
    await store.close();
  });

  it('keeps the newest maxPerRoom messages per room', async () => {
    const keys = freshKeys();
    const store = new RedisMessageStore({ client, keys, maxPerRoom: 3, now: () => 1_000_100 });
    for (let i = 1; i <= 5; i++) await store.append('room', record(i));
    expect((await store.list('room')).map((r) => r.msgId)).toEqual(['m3', 'm4', 'm5']);
    expect(await client.llen(keys.messages('room'))).toBe(3);
  });

  it('drops messages older than maxAgeMs and lets the room key expire', async () => {
    const keys = freshKeys();
    let now = 1_000_000;
    const store = new RedisMessageStore({ client, keys, maxAgeMs: 60_000, now: () => now });
    await store.append('room', record(1, { timeStamp: 1_000_000 }));
    await store.append('room', record(2, { timeStamp: 1_050_000 }));
    now = 1_070_000;
    expect((await store.list('room')).map((r) => r.msgId)).toEqual(['m2']);
    const ttl = await client.pttl(keys.messages('room'));
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('is shared: a second store on the same Redis reads what the first wrote', async () => {
    const keys = freshKeys();
    await new RedisMessageStore({ client, keys, now: () => 1_000_100 }).append('room', record(1));
    const other = redis.client();
    expect((await new RedisMessageStore({ client: other, keys, now: () => 1_000_100 }).list('room')).map((r) => r.msgId)).toEqual(['m1']);
  });

  it('skips unreadable entries', async () => {
    const keys = freshKeys();
    const store = new RedisMessageStore({ client, keys, now: () => 1_000_100 });
    await store.append('room', record(1));
    await client.rpush(keys.messages('room'), 'not json', JSON.stringify({ data: 1 }));
    await store.append('room', record(2));
    expect((await store.list('room')).map((r) => r.msgId)).toEqual(['m1', 'm2']);
  });

  it('rejects appends while Redis refuses them', async () => {
    const keys = freshKeys();
    const broken = redis.client();
    broken.disconnect();
    const store = new RedisMessageStore({ client: broken, keys });
    await expect(store.append('room', record(1))).rejects.toThrow();
  });
});

const member = (sid: string, extra: Partial<NewMember> = {}): NewMember => ({
  sid,
  socketId: `sock-${sid}`,
  appKey: 'app',
  isPrivileged: false,
  autoIntroduce: true,
  joinedAt: 1234,
  ...extra,
});

describe.each<[string, () => RoomRegistry]>([
  ['MemoryRoomRegistry', () => new MemoryRoomRegistry(60_000)],
  ['RedisRoomRegistry', () => new RedisRoomRegistry({ client, keys: freshKeys(), instanceId: 'inst-1', emptyRoomTtlMs: 60_000 })],
])('%s contract', (_name, make) => {
  it('orders members, locks, ends the session with the last member', async () => {
    const reg = make();
    const info = await reg.touchRoom('rid', 'app', 'room');
    expect((await reg.touchRoom('rid', 'app', 'room')).sessionId).toBe(info.sessionId);
    const a = await reg.admit('rid', 'app', 'room', member('a', { tieBreaker: 500 }), 2);
    const b = await reg.admit('rid', 'app', 'room', member('b', { tieBreaker: 400 }), 2);
    if (!a.ok || !b.ok) throw new Error('not admitted');
    expect(a.member.seq).toBeLessThan(b.member.seq);
    expect(a.room.sessionId).toBe(info.sessionId);
    expect(await reg.admit('rid', 'app', 'room', member('a'), 5)).toMatchObject({ ok: false, reason: 'taken' });
    expect(await reg.admit('rid', 'app', 'room', member('c'), 2)).toMatchObject({ ok: false, reason: 'full' });
    await reg.setLocked('rid', true);
    expect((await reg.getRoom('rid'))?.locked).toBe(true);
    expect(await reg.removeMember('rid', 'b')).toMatchObject({ sid: 'b', socketId: 'sock-b' });
    expect(await reg.removeMember('rid', 'b')).toBeUndefined();
    expect(await reg.admit('rid', 'app', 'room', member('c'), 5)).toMatchObject({ ok: false, reason: 'locked' });
    await reg.removeMember('rid', 'a');
    expect(await reg.getRoom('rid')).toBeUndefined();
    const fresh = await reg.touchRoom('rid', 'app', 'room');
    expect(fresh.sessionId).not.toBe(info.sessionId);
    expect(fresh.locked).toBe(false);
  });

  it('stores member data, socket moves and lists rooms by app', async () => {
    const reg = make();
    await reg.admit('r1', 'app', 'one', member('a', { isPrivileged: true }), 5);
    await reg.admit('r1', 'app', 'one', member('b'), 5);
    await reg.admit('r2', 'other', 'two', member('c', { appKey: 'other' }), 5);
    await reg.setUserData('r1', 'a', '{"name":"A"}');
    await reg.setSocket('r1', 'b', 'sock-b2');
    await reg.setUserData('r1', 'ghost', 'x');
    expect(await reg.getMember('r1', 'ghost')).toBeUndefined();
    expect(await reg.getMember('r1', 'a')).toEqual(
      expect.objectContaining({ sid: 'a', appKey: 'app', isPrivileged: true, autoIntroduce: true, joinedAt: 1234, userData: '{"name":"A"}' }),
    );
    expect((await reg.listMembers('r1')).map((m) => [m.sid, m.socketId])).toEqual([
      ['a', 'sock-a'],
      ['b', 'sock-b2'],
    ]);
    const rooms = await reg.listRooms(new Set(['app']));
    expect(rooms.map((r) => [r.room.roomName, r.members.map((m) => m.sid)])).toEqual([['one', ['a', 'b']]]);
    expect(await reg.counts()).toEqual({ rooms: 2, members: 3 });
    await reg.removeMember('r2', 'c');
    expect(await reg.counts()).toEqual({ rooms: 1, members: 2 });
  });

  it('keeps tieBreakers increasing in admission order', async () => {
    const reg = make();
    const a = await reg.admit('rid', 'app', 'room', member('a', { tieBreaker: 1_000 }), 5);
    const b = await reg.admit('rid', 'app', 'room', member('b', { tieBreaker: 2_000 }), 5);
    if (!a.ok || !b.ok) throw new Error('not admitted');
    expect(b.member.tieBreaker).toBeGreaterThan(a.member.tieBreaker ?? Infinity);
  });
});

describe('RedisRoomRegistry across instances', () => {
  it('shares rooms, raises equal tieBreakers, tracks members per instance', async () => {
    const keys = freshKeys();
    const one = new RedisRoomRegistry({ client, keys, instanceId: 'one', emptyRoomTtlMs: 60_000 });
    const two = new RedisRoomRegistry({ client: redis.client(), keys, instanceId: 'two', emptyRoomTtlMs: 60_000 });
    const tb = 170_000_000_000_000; // what two instances propose in the same millisecond
    const a = await one.admit('rid', 'app', 'room', member('a', { tieBreaker: tb }), 5);
    const b = await two.admit('rid', 'app', 'room', member('b', { tieBreaker: tb }), 5);
    if (!a.ok || !b.ok) throw new Error('not admitted');
    expect(a.member.tieBreaker).toBe(tb);
    expect(b.member.tieBreaker).toBe(tb + 1);
    expect((await one.listMembers('rid')).map((m) => m.sid)).toEqual(['a', 'b']);
    await two.setLocked('rid', true);
    expect((await one.getRoom('rid'))?.locked).toBe(true);
    expect(await one.membersOfInstance('two')).toEqual([{ rid: 'rid', sid: 'b' }]);
    expect((await one.getStoredMember('rid', 'b'))?.instanceId).toBe('two');
    await one.removeMember('rid', 'b');
    expect(await one.membersOfInstance('two')).toEqual([]);
  });

  it('lets a REST-created room expire when nobody joins', async () => {
    const keys = freshKeys();
    const reg = new RedisRoomRegistry({ client, keys, instanceId: 'one', emptyRoomTtlMs: 30_000 });
    await reg.touchRoom('rid', 'app', 'room');
    const ttl = await client.pttl(keys.room('rid'));
    expect(ttl).toBeGreaterThan(20_000);
    await reg.admit('rid', 'app', 'room', member('a'), 5);
    expect(await client.pttl(keys.room('rid'))).toBe(-1);
  });

  it('claims a join token once', async () => {
    const keys = freshKeys();
    const one = new RedisRoomRegistry({ client, keys, instanceId: 'one', emptyRoomTtlMs: 1000 });
    const two = new RedisRoomRegistry({ client, keys, instanceId: 'two', emptyRoomTtlMs: 1000 });
    expect(await one.claimJoinToken('user-cred', 60_000)).toBe(true);
    expect(await two.claimJoinToken('user-cred', 60_000)).toBe(false);
    expect(await two.claimJoinToken('other-cred', 60_000)).toBe(true);
  });

  it('runs its scripts again after Redis forgot them', async () => {
    const keys = freshKeys();
    const reg = new RedisRoomRegistry({ client, keys, instanceId: 'one', emptyRoomTtlMs: 1000 });
    await reg.admit('rid', 'app', 'room', member('a'), 5);
    await client.script('FLUSH');
    expect((await reg.listMembers('rid')).map((m) => m.sid)).toEqual(['a']);
  });
});
