/**
 * Stores and small server parts without sockets: JSON-lines store (bounds, torn lines, compaction),
 * memory index, flood controller, room registry, app directory, config.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppDirectory } from '../../src/server/apps';
import { ConfigError, configFromEnv, resolveServerConfig } from '../../src/server/config';
import { FloodController } from '../../src/server/FloodControl';
import { MemoryRoomRegistry } from '../../src/server/RoomRegistry';
import { JsonlMessageStore } from '../../src/server/stores/JsonlMessageStore';
import { MessageIndex, type StoredMessageRecord } from '../../src/server/stores/MessageStore';

const rec = (n: number, session = 's1', timeStamp = Date.now()): StoredMessageRecord => ({
  data: `U2F-${n}`,
  secretId: 'k',
  mid: 'p',
  timeStamp,
  roomSessionId: session,
});

describe('JsonlMessageStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skylink-jsonl-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reloads what was appended, per room and session', async () => {
    const path = join(dir, 'nested', 'm.jsonl');
    const s1 = new JsonlMessageStore({ path });
    await s1.open();
    await s1.append('room-a', rec(1));
    await s1.append('room-b', rec(2));
    await s1.append('room-a', rec(3, 's2'));
    await s1.close();
    const s2 = new JsonlMessageStore({ path });
    await s2.open();
    expect((await s2.list('room-a')).map((r) => r.data)).toEqual(['U2F-1', 'U2F-3']);
    expect((await s2.list('room-a', { roomSessionId: 's2' })).map((r) => r.data)).toEqual(['U2F-3']);
    expect((await s2.list('room-b')).map((r) => r.data)).toEqual(['U2F-2']);
    expect(await s2.list('nope')).toEqual([]);
    await s2.close();
    await expect(s2.append('room-a', rec(4))).rejects.toThrow('closed');
  });

  it('skips torn and corrupt lines from a crash, and compacts them away', async () => {
    const path = join(dir, 'm.jsonl');
    const good = JSON.stringify({ k: 'r', m: rec(1) });
    writeFileSync(path, `${good}\nnot json\n{"k":"r","m":{"data":5}}\n${good.slice(0, 20)}`);
    let corrupt = 0;
    const store = new JsonlMessageStore({ path, onCorruptLines: (n) => (corrupt = n) });
    await store.open();
    expect(corrupt).toBe(3);
    expect(await store.list('r')).toHaveLength(1);
    await store.append('r', rec(2));
    await store.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((l) => expect(() => JSON.parse(l)).not.toThrow());
  });

  it('bounds each room and compacts on open', async () => {
    const path = join(dir, 'm.jsonl');
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ k: 'r', m: rec(i) })).join('\n');
    writeFileSync(path, `${lines}\n`);
    const store = new JsonlMessageStore({ path, maxPerRoom: 10 });
    await store.open();
    expect((await store.list('r')).map((r) => r.data)).toEqual(Array.from({ length: 10 }, (_, i) => `U2F-${40 + i}`));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(10);
    await store.close();
  });

  it('compacts while running when dropped lines dominate', async () => {
    const path = join(dir, 'm.jsonl');
    const store = new JsonlMessageStore({ path, maxPerRoom: 2 });
    await store.open();
    for (let i = 0; i < 1010; i++) await store.append('r', rec(i));
    // 1010 lines written, 2 live: one compaction happened past 1004 lines.
    expect(readFileSync(path, 'utf8').trim().split('\n').length).toBeLessThan(20);
    expect((await store.list('r')).map((r) => r.data)).toEqual(['U2F-1008', 'U2F-1009']);
    await store.close();
    expect(statSync(path).size).toBeGreaterThan(0);
  }, 30_000); // 1010 fsync'd appends: slow on a loaded CI disk

  it('drops expired messages', async () => {
    const path = join(dir, 'm.jsonl');
    appendFileSync(path, `${JSON.stringify({ k: 'r', m: rec(1, 's', Date.now() - 10_000) })}\n`);
    const store = new JsonlMessageStore({ path, maxAgeMs: 5000 });
    await store.open();
    expect(await store.list('r')).toEqual([]);
    await store.close();
  });
});

describe('MessageIndex', () => {
  it('bounds the total by dropping from the least recently written room', () => {
    const idx = new MessageIndex({ maxPerRoom: 10, maxTotal: 5, maxAgeMs: 1e9 });
    for (let i = 0; i < 3; i++) idx.add('old', rec(i));
    for (let i = 0; i < 3; i++) idx.add('new', rec(10 + i));
    expect(idx.total).toBe(5);
    expect(idx.list('old').map((r) => r.data)).toEqual(['U2F-1', 'U2F-2']);
    expect(idx.list('new')).toHaveLength(3);
    expect(idx.list('new', { limit: 1 }).map((r) => r.data)).toEqual(['U2F-12']);
  });
});

describe('FloodController', () => {
  const config = {
    burst: 2,
    ratePerSecond: 1,
    warningIntervalMs: 1000,
    maxWarnings: 1,
    strikeWindowMs: 10_000,
    hardBurst: 10,
    hardRatePerSecond: 1,
  };

  it('passes negotiation, warns once per interval, disconnects after too many warnings', () => {
    let now = 0;
    const f = new FloodController(config, () => now);
    expect([f.check(false), f.check(false)]).toEqual(['ok', 'ok']);
    expect(f.check(true)).toBe('ok');
    expect(f.check(false)).toBe('warn');
    expect(f.check(false)).toBe('drop');
    now += 1000; // one token back
    expect(f.check(false)).toBe('ok');
    expect(f.check(false)).toBe('disconnect');
  });

  it('disconnects on the hard cap even for negotiation', () => {
    const f = new FloodController(config, () => 0);
    const verdicts = Array.from({ length: 11 }, () => f.check(true));
    expect(verdicts.slice(0, 10).every((v) => v === 'ok')).toBe(true);
    expect(verdicts[10]).toBe('disconnect');
  });
});

describe('MemoryRoomRegistry', () => {
  const member = (sid: string) => ({ sid, socketId: `sock-${sid}`, appKey: 'app', isPrivileged: false, autoIntroduce: true, joinedAt: 0 });

  it('orders members, locks, ends the session with the last member', async () => {
    const reg = new MemoryRoomRegistry(1000);
    const info = await reg.touchRoom('rid', 'app', 'room');
    expect((await reg.touchRoom('rid', 'app', 'room')).sessionId).toBe(info.sessionId);
    const a = await reg.admit('rid', 'app', 'room', member('a'), 2);
    const b = await reg.admit('rid', 'app', 'room', member('b'), 2);
    expect(a.ok && b.ok && a.member.seq < b.member.seq).toBe(true);
    expect(await reg.admit('rid', 'app', 'room', member('c'), 2)).toMatchObject({ ok: false, reason: 'full' });
    await reg.setLocked('rid', true);
    await reg.removeMember('rid', 'b');
    expect(await reg.admit('rid', 'app', 'room', member('c'), 5)).toMatchObject({ ok: false, reason: 'locked' });
    await reg.removeMember('rid', 'a');
    expect(await reg.getRoom('rid')).toBeUndefined();
    const fresh = await reg.touchRoom('rid', 'app', 'room');
    expect(fresh.sessionId).not.toBe(info.sessionId);
    expect(fresh.locked).toBe(false);
  });

  it('forgets rooms created by REST that nobody joined', async () => {
    let now = 0;
    const reg = new MemoryRoomRegistry(1000, () => now);
    await reg.touchRoom('r1', 'app', 'one');
    now = 2000;
    await reg.touchRoom('r2', 'app', 'two');
    expect(await reg.getRoom('r1')).toBeUndefined();
    expect(await reg.counts()).toEqual({ rooms: 1, members: 0 });
  });

  it('bounds the number of rooms waiting for a first member', async () => {
    const reg = new MemoryRoomRegistry(60_000, () => 0, 3);
    for (let i = 0; i < 10; i++) await reg.touchRoom(`r${i}`, 'app', `room${i}`);
    expect(await reg.counts()).toEqual({ rooms: 3, members: 0 });
    expect(await reg.getRoom('r9')).toBeDefined();
    expect(await reg.getRoom('r0')).toBeUndefined();
    // Rooms with members are never dropped.
    await reg.admit('r9', 'app', 'room9', { sid: 'a', socketId: 's', appKey: 'app', isPrivileged: false, autoIntroduce: true, joinedAt: 0 }, 5);
    for (let i = 10; i < 20; i++) await reg.touchRoom(`r${i}`, 'app', `room${i}`);
    expect(await reg.listMembers('r9')).toHaveLength(1);
  });
});

describe('AppDirectory and config', () => {
  it('resolves keys in dev and production mode, and app spaces', () => {
    const apps = { boss: { isPrivileged: true }, child: { parentKey: 'boss' }, lone: {} };
    const prod = new AppDirectory(apps, false);
    expect(prod.resolve('nope')).toBeUndefined();
    expect(prod.resolve('constructor')).toBeUndefined();
    expect(new AppDirectory(apps, true).resolve('nope')).toEqual({});
    expect([...prod.spaceOf('boss')].sort()).toEqual(['boss', 'child']);
    expect([...prod.spaceOf('child')].sort()).toEqual(['boss', 'child']);
    expect([...prod.spaceOf('lone')]).toEqual(['lone']);
    expect(prod.isOriginAllowed({ allowedOrigins: ['https://a.test'] }, 'https://b.test')).toBe(false);
    expect(prod.isOriginAllowed({ allowedOrigins: ['https://a.test'] }, 'https://a.test')).toBe(true);
  });

  it('refuses invalid configs', () => {
    expect(() => resolveServerConfig({})).toThrow(ConfigError);
    expect(() => resolveServerConfig({ dev: true, port: 70000 })).toThrow(ConfigError);
    expect(() => resolveServerConfig({ apps: { a: { requireCredentials: true } } })).toThrow(/secret/);
    expect(() => resolveServerConfig({ apps: { a: { secret: '' } } })).toThrow(ConfigError);
    expect(() => resolveServerConfig({ dev: true, tokenSecret: 'short' })).toThrow(ConfigError);
    expect(() => resolveServerConfig({ dev: true, storage: { kind: 'file' } })).toThrow(ConfigError);
    expect(resolveServerConfig({ apps: { a: {} } })).toMatchObject({ host: '127.0.0.1', port: 0, dev: false });
  });

  it('reads the environment', () => {
    expect(
      configFromEnv({ PORT: '9000', HOST: '0.0.0.0', SKYLINK_DEV: '1', SKYLINK_APPS: '{"k":{"secret":"s"}}', SKYLINK_DATA_FILE: '/tmp/x' }),
    ).toEqual({ port: 9000, host: '0.0.0.0', dev: true, apps: { k: { secret: 's' } }, storage: { kind: 'file', path: '/tmp/x' } });
    expect(() => configFromEnv({ SKYLINK_APPS: '{' })).toThrow(ConfigError);
  });
});
