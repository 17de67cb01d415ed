/**
 * Room features over real sockets: stored messages (and their survival across a restart),
 * privileged getPeers / introduce, legacy group bundles, flood control.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { SkylinkServerConfig } from '../../src/server/index';
import { DEFAULT_GUARD_LIMITS, parseServerMessage } from '../../src/signaling/guards';
import { MAX_STORED_MESSAGE_LENGTH, MAX_STORED_MESSAGES_ANSWER_LENGTH } from '../../src/signaling/protocol';
import {
  barrier,
  connectV2,
  enterPeer,
  selfBarrier,
  startServer,
  type JoinedPeer,
  type TestServer,
  type WireMessage,
} from './helpers/serverKit';

const APPS: SkylinkServerConfig['apps'] = {
  persist: { hasPersistentMessage: true },
  plain: {},
  boss: { isPrivileged: true },
  child: { parentKey: 'boss' },
  outsider: { isPrivileged: true },
  legacy: { isPrivileged: true, autoIntroduce: false },
};

const storedItems = (m: WireMessage) => JSON.parse(m.data as string) as Array<Record<string, unknown>>;

async function getStored(p: JoinedPeer, roomSessionId = ''): Promise<Array<Record<string, unknown>>> {
  p.client.send({ type: 'getStoredMessages', rid: p.rid, mid: p.sid, target: p.sid, roomSessionId });
  const reply = await p.client.nextOfType('storedMessages', (m) => m.rid === p.rid);
  expect(reply.mid).toBe(p.sid);
  return storedItems(reply);
}

describe('stored messages', () => {
  let dir: string;
  let srv: TestServer;
  const peers: JoinedPeer[] = [];
  const config = (): SkylinkServerConfig => ({
    dev: false,
    apps: APPS,
    storage: { kind: 'file', path: joinPath(dir, 'data', 'messages.jsonl'), maxPerRoom: 5 },
  });
  const join = async (room: string, appKey = 'persist', connect = connectV2) => {
    const p = await enterPeer(srv.url, room, { appKey, connect });
    peers.push(p);
    return p;
  };
  const persistent = (p: JoinedPeer, data: string, extra: Record<string, unknown> = {}) => ({
    type: 'message',
    rid: p.rid,
    mid: p.sid,
    data,
    secretId: 'k1',
    isPersistent: true,
    msgId: `id-${data}`,
    roomSessionId: p.auth.roomSessionId,
    peerSessionId: '',
    ...extra,
  });

  beforeEach(async () => {
    dir = mkdtempSync(joinPath(tmpdir(), 'skylink-store-'));
    srv = await startServer(config());
  });
  afterEach(async () => {
    peers.splice(0).forEach((p) => p.client.close());
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('persists only public, encrypted, isPersistent === true messages', async () => {
    const a = await join('chat');
    const b = await join('chat');
    const sent = [
      persistent(a, 'U2FsdGVkX1-one'),
      persistent(a, 'not persisted: private', { target: b.sid }),
      persistent(a, 'not persisted: bogus flag', { isPersistent: 'peer-session' }),
      persistent(a, 'not persisted: no secretId', { secretId: undefined }),
      { ...persistent(a, ''), data: { not: 'a string' } },
      persistent(a, 'U2FsdGVkX1-two'),
    ];
    for (const m of sent) a.client.send(m);
    // All were still delivered (broadcast or private).
    for (let i = 0; i < sent.length; i++) await b.client.nextOfType('message');
    const items = await getStored(b);
    expect(items).toEqual([
      { data: 'U2FsdGVkX1-one', secretId: 'k1', mid: a.sid, msgId: 'id-U2FsdGVkX1-one', timeStamp: expect.any(Number) },
      { data: 'U2FsdGVkX1-two', secretId: 'k1', mid: a.sid, msgId: 'id-U2FsdGVkX1-two', timeStamp: expect.any(Number) },
    ]);
    expect(items[0]?.timeStamp as number).toBeLessThanOrEqual(items[1]?.timeStamp as number);
  });

  it('stores messages with the default in-memory store too (no storage option)', async () => {
    await srv.close();
    srv = await startServer({ dev: false, apps: APPS });
    const a = await join('mem');
    const b = await join('mem');
    a.client.send(persistent(a, 'U2FsdGVkX1-mem'));
    await b.client.nextOfType('message');
    expect((await getStored(b)).map((m) => m.data)).toEqual(['U2FsdGVkX1-mem']);
  });

  it('relays but does not store a persistent message over the stored-record limit', async () => {
    const a = await join('big');
    const b = await join('big');
    const big = `U2F${'x'.repeat(MAX_STORED_MESSAGE_LENGTH)}`;
    a.client.send(persistent(a, big, { msgId: 'big' }));
    expect(await b.client.nextOfType('message')).toMatchObject({ data: big });
    expect(await getStored(b)).toEqual([]);
  });

  it('caps the storedMessages answer below the client guard limit: the newest full-size records that fit', async () => {
    await srv.close();
    srv = await startServer({ ...config(), storage: { kind: 'file', path: joinPath(dir, 'big.jsonl'), maxPerRoom: 20 } });
    const a = await join('full');
    // Records just under the stored-record limit (16 KiB each with their metadata).
    const payload = (i: number) => `U2F${String(i).padStart(2, '0')}${'x'.repeat(MAX_STORED_MESSAGE_LENGTH - 300)}`;
    for (let i = 0; i < 12; i++) a.client.send(persistent(a, payload(i), { msgId: `m${i}` }));
    await selfBarrier(a);
    a.client.send({ type: 'getStoredMessages', rid: a.rid, mid: a.sid, target: a.sid, roomSessionId: '' });
    const reply = await a.client.nextOfType('storedMessages');
    const wire = JSON.stringify(reply); // the server sends JSON.stringify of this same object
    expect(wire.length).toBeLessThanOrEqual(MAX_STORED_MESSAGES_ANSWER_LENGTH);
    expect(wire.length).toBeLessThanOrEqual(DEFAULT_GUARD_LIMITS.maxMessageLength);
    expect(parseServerMessage(wire)).toMatchObject({ ok: true });
    const ids = storedItems(reply).map((i) => i.msgId);
    expect(ids.length).toBeGreaterThanOrEqual(7);
    expect(ids.length).toBeLessThan(12);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, k) => `m${12 - ids.length + k}`));
    await srv.waitForLog((e) => e.msg === 'stored messages answer capped: oldest left out' && e.omitted === 12 - ids.length);
  });

  it('storedMessages timeStamp: ms or a date string (as 2.x reads it), nothing else', () => {
    const answer = (timeStamp: unknown) =>
      parseServerMessage({ type: 'storedMessages', rid: 'r', mid: 's', data: JSON.stringify([{ data: 'U2F', secretId: 'k', mid: 'p', timeStamp }]) });
    expect(answer(1_600_000_000_000).ok).toBe(true);
    expect(answer('2026-01-01T00:00:00.000Z').ok).toBe(true);
    for (const bad of ['not a date', '1600000000000', null, {}, Number.NaN]) expect(answer(bad).ok).toBe(false);
  });

  it('keeps a bounded number per room, newest last', async () => {
    const a = await join('bounded');
    for (let i = 0; i < 8; i++) a.client.send(persistent(a, `U2F-${i}`));
    const items = await getStored(a);
    expect(items.map((i) => i.data)).toEqual(['U2F-3', 'U2F-4', 'U2F-5', 'U2F-6', 'U2F-7']);
  });

  it('serves only members, only their room, only their app', async () => {
    const a = await join('secret-room');
    a.client.send(persistent(a, 'U2F-private-to-room'));
    await selfBarrier(a);
    const other = await join('other-room');
    expect(await getStored(other)).toEqual([]);
    // Same room name, other app with persistence: a different room.
    const plain = await join('secret-room', 'plain');
    expect(await getStored(plain)).toEqual([]);
    // A non-member asking with a's rid gets nothing at all.
    other.client.send({ type: 'getStoredMessages', rid: a.rid, mid: other.sid, target: other.sid, roomSessionId: '' });
    await selfBarrier(other);
    expect(other.client.receivedMatching((m) => m.rid === a.rid)).toEqual([]);
  });

  it('survives a server restart, and filters by room session', async () => {
    const a = await join('durable');
    a.client.send(persistent(a, 'U2F-before-restart'));
    const firstSession = a.auth.roomSessionId;
    await selfBarrier(a);
    peers.splice(0).forEach((p) => p.client.close());
    await srv.close();

    srv = await startServer(config());
    const b = await join('durable');
    expect(b.auth.roomSessionId).not.toBe(firstSession);
    b.client.send(persistent(b, 'U2F-after-restart'));
    await selfBarrier(b);
    expect((await getStored(b)).map((i) => i.data)).toEqual(['U2F-before-restart', 'U2F-after-restart']);
    expect((await getStored(b, firstSession)).map((i) => i.data)).toEqual(['U2F-before-restart']);
    expect((await getStored(b, b.auth.roomSessionId)).map((i) => i.data)).toEqual(['U2F-after-restart']);
  });

  it('answers an empty list for apps without persistence, and stores nothing for them', async () => {
    const a = await join('nopersist', 'plain');
    a.client.send(persistent(a, 'U2F-x'));
    expect(await getStored(a)).toEqual([]);
  });
});

describe('privileged getPeers and introduce', () => {
  let srv: TestServer;
  const peers: JoinedPeer[] = [];
  const join = async (room: string, appKey: string) => {
    const p = await enterPeer(srv.url, room, { appKey });
    peers.push(p);
    return p;
  };
  beforeEach(async () => {
    srv = await startServer({ dev: false, apps: APPS });
  });
  afterEach(async () => {
    peers.splice(0).forEach((p) => p.client.close());
    await srv.close();
  });

  it('lists the peers of the app space; showAll adds privileged peers; other apps stay hidden', async () => {
    const c1 = await join('r1', 'child');
    const c2 = await join('r1', 'child');
    const c3 = await join('r2', 'child');
    const boss = await join('hq', 'boss');
    const foreign = await join('r1', 'plain');
    const outsider = await join('x', 'outsider');

    boss.client.send({ type: 'getPeers', rid: boss.rid, showAll: false });
    const list = await boss.client.nextOfType('peerList');
    expect(list.rid).toBe(boss.rid);
    const result = list.result as Record<string, string[]>;
    expect(Object.keys(result).sort()).toEqual(['hq', 'r1', 'r2']);
    expect(result.r1?.sort()).toEqual([c1.sid, c2.sid].sort());
    expect(result.r2).toEqual([c3.sid]);
    expect(result.hq).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(foreign.sid);
    expect(JSON.stringify(result)).not.toContain(outsider.sid);

    boss.client.send({ type: 'getPeers', rid: boss.rid, showAll: true });
    expect((await boss.client.nextOfType('peerList')).result).toMatchObject({ hq: [boss.sid] });

    // 0.6.x form without rid.
    boss.client.send({ type: 'getPeers', showAll: false });
    expect(await boss.client.nextOfType('peerList')).toMatchObject({ rid: boss.rid });

    outsider.client.send({ type: 'getPeers', rid: outsider.rid, showAll: true });
    expect((await outsider.client.nextOfType('peerList')).result).toEqual({ x: [outsider.sid] });
  });

  it('ignores getPeers and introduce from non-privileged keys', async () => {
    const c1 = await join('r1', 'child');
    const c2 = await join('r1', 'child');
    c1.client.send({ type: 'getPeers', rid: c1.rid, showAll: true });
    c1.client.send({ type: 'getPeers', showAll: true });
    c1.client.send({ type: 'introduce', rid: c1.rid, sendingPeerId: c2.sid, receivingPeerId: c1.sid });
    await selfBarrier(c1);
    await barrier(c1, c2);
    expect(c1.client.receivedMatching((m) => m.type === 'peerList' || m.type === 'introduceError')).toEqual([]);
    expect(c2.client.receivedMatching((m) => m.type === 'approach')).toEqual([]);
    expect(srv.logs.some((l) => l.msg.includes('non-privileged'))).toBe(true);
  });

  it('introduce sends approach to the sending peer; autoIntroduce:false peers get no enter', async () => {
    const p1 = await join('lobby', 'legacy');
    const p2 = await join('lobby', 'legacy');
    await barrier(p2, p1);
    expect(p1.client.receivedMatching((m) => m.type === 'enter')).toEqual([]);
    p1.client.send({ type: 'introduce', rid: p1.rid, sendingPeerId: p2.sid, receivingPeerId: p1.sid });
    expect(await p2.client.nextOfType('approach')).toEqual({ type: 'approach', rid: p1.rid, target: p1.sid });
    // The 0.6.x answer to approach: enter with a target.
    p2.client.send({ type: 'enter', rid: p2.rid, mid: p2.sid, target: p1.sid, userInfo: {} });
    expect(await p1.client.nextOfType('enter')).toMatchObject({ mid: p2.sid, target: p1.sid });
    p1.client.send({ type: 'introduce', rid: p1.rid, sendingPeerId: p2.sid, receivingPeerId: 'nobody' });
    expect(await p1.client.nextOfType('introduceError')).toMatchObject({ sendingPeerId: p2.sid, receivingPeerId: 'nobody' });
  });
});

describe('legacy group bundles and recording requests', () => {
  let srv: TestServer;
  afterEach(() => srv.close());

  it('unbundles each element; elements for another room or sender are dropped', async () => {
    srv = await startServer();
    const a = await enterPeer(srv.url, 'g');
    const b = await enterPeer(srv.url, 'g');
    const other = await enterPeer(srv.url, 'elsewhere', { client: a.client });
    const lists = [
      JSON.stringify({ type: 'public', rid: a.rid, mid: a.sid, data: 'one' }),
      JSON.stringify({ type: 'updateUserEvent', rid: a.rid, mid: a.sid, userData: '"x"', stamp: 1 }),
      JSON.stringify({ type: 'public', rid: other.rid, mid: other.sid, data: 'wrong room' }),
      JSON.stringify({ type: 'public', rid: a.rid, mid: b.sid, data: 'spoofed' }),
      JSON.stringify({ type: 'group', rid: a.rid, mid: a.sid, lists: [] }),
      'not json',
    ];
    a.client.send({ type: 'group', rid: a.rid, mid: a.sid, lists });
    expect(await b.client.nextOfType('public')).toMatchObject({ data: 'one' });
    expect(await b.client.nextOfType('updateUserEvent')).toMatchObject({ userData: '"x"' });
    a.client.send({ type: 'startRecordingRoom', rid: a.rid, target: 'MCU' });
    a.client.send({ type: 'startRTMP', rid: a.rid, mid: a.sid, target: 'MCU', rtmpId: 'r', streamId: 's', endpoint: 'rtmp://x' });
    await barrier(a, b);
    expect(b.client.receivedMatching((m) => m.type === 'public')).toHaveLength(1);
    expect(b.client.receivedMatching((m) => m.type === 'group' || m.type.startsWith('start'))).toEqual([]);
    a.client.close();
    b.client.close();
  });
});

describe('flood control', () => {
  let srv: TestServer;
  afterEach(() => srv.close());

  it('warns with fastmsg, drops the excess, never throttles negotiation, then disconnects', async () => {
    srv = await startServer({
      floodControl: { burst: 5, ratePerSecond: 1, warningIntervalMs: 0, maxWarnings: 2, strikeWindowMs: 60_000 },
    });
    const a = await enterPeer(srv.url, 'flood');
    const b = await enterPeer(srv.url, 'flood');
    // Negotiation traffic beyond the burst is all relayed.
    for (let i = 0; i < 30; i++) {
      a.client.send({ type: 'candidate', rid: a.rid, mid: a.sid, target: b.sid, candidate: `c${i}`, label: 0, id: '0' });
    }
    for (let i = 0; i < 30; i++) expect(await b.client.nextOfType('candidate')).toMatchObject({ candidate: `c${i}` });
    // Chat beyond the burst: dropped, with a warning.
    for (let i = 0; i < 7; i++) a.client.send({ type: 'message', rid: a.rid, mid: a.sid, data: `m${i}` });
    expect(await a.client.nextOfType('redirect')).toEqual({
      type: 'redirect',
      rid: a.rid,
      action: 'warning',
      reason: 'fastmsg',
      info: expect.any(String),
    });
    for (let i = 0; i < 4; i++) expect(await b.client.nextOfType('message')).toMatchObject({ data: `m${i}` });
    // Keeps flooding: disconnected, and the room hears bye.
    for (let i = 0; i < 10; i++) a.client.send({ type: 'message', rid: a.rid, mid: a.sid, data: 'more' });
    await a.client.waitForDisconnect();
    expect(await b.client.nextOfType('bye')).toEqual({ type: 'bye', rid: a.rid, mid: a.sid });
    b.client.close();
  });
});
