/**
 * Hostile input: random JSON, wrong types, huge payloads, non-string payloads, foreign rid,
 * spoofed mid/target, server-only types. The server must stay up, keep serving the room, log the
 * drops, and leak nothing across rooms or apps.
 */
import { io as ioV4 } from 'socket.io-client';
import {
  barrier,
  connectV2,
  connectV4,
  enterPeer,
  selfBarrier,
  startServer,
  type JoinedPeer,
  type TestServer,
} from './helpers/serverKit';

/** Deterministic pseudo-random generator (tests must be repeatable). */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 5 : 8));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() > 0.5;
    case 2:
      return Math.floor(r() * 1e6) - 5e5;
    case 3:
      return 'x'.repeat(Math.floor(r() * 20));
    case 4:
      return ['offer', 'enter', 'joinRoom', 'bye', 'message', 'inRoom', 'redirect', '__proto__'][Math.floor(r() * 8)];
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const keys = ['type', 'rid', 'mid', 'target', 'sdp', 'data', 'lock', 'userData', 'lists', 'constructor', 'x'];
      for (let i = 0; i < Math.floor(r() * 6); i++) o[keys[Math.floor(r() * keys.length)] as string] = randomValue(r, depth + 1);
      return o;
    }
  }
}

describe('malformed and hostile input', () => {
  let srv: TestServer;
  let a: JoinedPeer;
  let b: JoinedPeer;
  let other: JoinedPeer;
  let otherApp: JoinedPeer;
  let attacker: JoinedPeer;
  /** Shares the attacker's room: sees whatever the server wrongly accepts from it. */
  let witness: JoinedPeer;

  beforeEach(async () => {
    srv = await startServer({ floodControl: false });
    a = await enterPeer(srv.url, 'victim');
    b = await enterPeer(srv.url, 'victim', { connect: connectV2 });
    other = await enterPeer(srv.url, 'other-room');
    otherApp = await enterPeer(srv.url, 'victim', { appKey: 'other-app' });
    attacker = await enterPeer(srv.url, 'attacker-room');
    witness = await enterPeer(srv.url, 'attacker-room');
  });
  afterEach(async () => {
    for (const p of [a, b, other, otherApp, attacker, witness]) p.client.close();
    await srv.close();
  });

  /** The server still works: healthz answers and the victims can still talk. */
  async function assertServerHealthy(): Promise<void> {
    const health = await fetch(`${srv.url}/healthz`);
    expect(health.status).toBe(200);
    await barrier(a, b);
    await barrier(b, a);
  }

  /** Proves nothing reached the bystanders beyond what they legitimately got. */
  async function assertNoLeak(marker: string): Promise<void> {
    // Everything the attacker sent before has been handled once its own round trip returns,
    // and anything sent to a bystander before then arrives before that bystander's own reply.
    await selfBarrier(attacker);
    for (const p of [a, b, other, otherApp]) {
      await selfBarrier(p);
      expect(p.client.receivedMatching((m) => JSON.stringify(m).includes(marker))).toEqual([]);
      expect(p.client.receivedMatching((m) => m.mid === attacker.sid)).toEqual([]);
    }
    await selfBarrier(witness);
    expect(witness.client.receivedMatching((m) => JSON.stringify(m).includes(marker))).toEqual([]);
    expect(witness.client.receivedMatching((m) => m.rid !== witness.rid)).toEqual([]);
  }

  it('survives random JSON and random payload types, logging the drops', async () => {
    const r = rng(42);
    for (let i = 0; i < 400; i++) {
      const v = randomValue(r);
      attacker.client.send(r() > 0.3 ? JSON.stringify(v) : String(v));
    }
    // Non-string payloads of every kind.
    for (const p of [42, null, true, ['a'], { type: 'message', rid: a.rid, mid: a.sid, data: 'MARK-obj' }, Buffer.from('x')]) {
      attacker.client.sendRawPayload(p);
    }
    await assertNoLeak('MARK');
    await assertServerHealthy();
    expect(srv.logs.filter((l) => l.msg === 'dropped invalid message').length).toBeGreaterThan(100);
    expect(attacker.client.disconnected).toBe(false);
  });

  it('drops wrong field types for every routed type', async () => {
    const bad = [
      { type: 'offer', rid: a.rid, mid: attacker.sid, target: a.sid, sdp: 42 },
      { type: 'answer', rid: 7, mid: attacker.sid, target: a.sid, sdp: 'MARK' },
      { type: 'candidate', rid: a.rid, mid: attacker.sid, target: { sid: a.sid }, candidate: 'MARK' },
      { type: 'updateUserEvent', rid: a.rid, mid: attacker.sid, userData: { MARK: 1 }, stamp: 1 },
      { type: 'roomLockEvent', rid: a.rid, mid: attacker.sid, lock: 'MARK' },
      { type: 'enter', rid: a.rid, mid: ['MARK'] },
      { type: 'message', rid: a.rid, mid: attacker.sid },
      { type: 'group', rid: a.rid, mid: attacker.sid, lists: 'MARK' },
    ];
    for (const m of bad) attacker.client.send(m);
    await assertNoLeak('MARK');
    await assertServerHealthy();
  });

  it('drops huge payloads; beyond the transport limit the socket is closed; the server stays up', async () => {
    const big = 'M'.repeat(200 * 1024); // over maxMessageLength (128 KiB), under the transport limit
    attacker.client.send({ type: 'message', rid: attacker.rid, mid: attacker.sid, data: `MARK${big}` });
    a.client.send({ type: 'message', rid: a.rid, mid: a.sid, data: `MARK-huge-${big}` });
    await selfBarrier(a);
    await selfBarrier(b);
    expect(b.client.receivedMatching((m) => String(m.data).startsWith('MARK-huge'))).toEqual([]);
    expect(srv.logs.some((l) => l.reason === 'too_large')).toBe(true);

    const giant = 'G'.repeat(2 * 1024 * 1024); // over socket.io's maxHttpBufferSize
    attacker.client.send(giant);
    await attacker.client.waitForDisconnect();
    await assertServerHealthy();
  });

  it('drops messages for a foreign rid, a spoofed mid or a target in another room or app', async () => {
    const attempts = [
      // Foreign rid: the attacker is not a member.
      { type: 'message', rid: a.rid, mid: attacker.sid, data: 'MARK-1' },
      { type: 'message', rid: a.rid, mid: a.sid, data: 'MARK-2' },
      { type: 'offer', rid: a.rid, mid: a.sid, target: b.sid, sdp: 'MARK-3' },
      { type: 'roomLockEvent', rid: a.rid, mid: a.sid, lock: true, x: 'MARK-4' },
      { type: 'getStoredMessages', rid: a.rid, mid: a.sid, target: a.sid, roomSessionId: 'MARK-5' },
      { type: 'bye', rid: a.rid, mid: a.sid, x: 'MARK-6' },
      { type: 'enter', rid: a.rid, mid: a.sid, userInfo: { MARK: 7 } },
      // Own room, spoofed mid.
      { type: 'message', rid: attacker.rid, mid: a.sid, data: 'MARK-8' },
      // Own room, targets elsewhere.
      { type: 'offer', rid: attacker.rid, mid: attacker.sid, target: a.sid, sdp: 'MARK-9' },
      { type: 'message', rid: attacker.rid, mid: attacker.sid, target: otherApp.sid, data: 'MARK-10' },
      { type: 'welcome', rid: attacker.rid, mid: attacker.sid, target: attacker.sid, x: 'MARK-11' },
      // Legacy messages without rid/mid that name other peers.
      { type: 'introduce', sendingPeerId: a.sid, receivingPeerId: b.sid, x: 'MARK-12' },
      { type: 'getPeers', showAll: true },
    ];
    for (const m of attempts) attacker.client.send(m);
    await assertNoLeak('MARK');
    expect(attacker.client.receivedMatching((m) => m.type === 'peerList' || m.type === 'storedMessages' && m.rid === a.rid)).toEqual([]);
    // The room is neither locked nor left: a newcomer still gets in and a sees its enter.
    const c = await enterPeer(srv.url, 'victim');
    expect(await a.client.nextOfType('enter', (m) => m.mid === c.sid)).toBeDefined();
    c.client.close();
    await assertServerHealthy();
  });

  it('drops server-only message types sent by clients', async () => {
    for (const m of [
      { type: 'inRoom', rid: a.rid, sid: 'x', pc_config: { iceServers: [] }, tieBreaker: 1, x: 'MARK' },
      { type: 'redirect', rid: a.rid, action: 'reject', reason: 'locked', info: 'MARK' },
      { type: 'peerList', rid: a.rid, result: { MARK: [] } },
      { type: 'storedMessages', rid: a.rid, mid: a.sid, data: '[]', x: 'MARK' },
      { type: 'approach', rid: a.rid, target: a.sid, x: 'MARK' },
    ]) {
      attacker.client.send(m);
    }
    await assertNoLeak('MARK');
  });

  it('does not leak between apps using the same room name', async () => {
    a.client.send({ type: 'message', rid: a.rid, mid: a.sid, data: 'MARK-same-name' });
    await b.client.nextOfType('message', (m) => m.data === 'MARK-same-name');
    await selfBarrier(otherApp);
    expect(otherApp.rid).not.toBe(a.rid);
    expect(otherApp.client.receivedMatching((m) => m.data === 'MARK-same-name')).toEqual([]);
    expect(otherApp.client.receivedMatching((m) => m.type === 'enter')).toEqual([]);
  });

  it('ignores other socket.io events and namespaces', async () => {
    const raw = ioV4(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      raw.once('connect', () => resolve());
      raw.once('connect_error', reject);
    });
    raw.emit('joinRoom', { rid: a.rid });
    raw.emit('message', 'x', 'y', { type: 'message' });
    const admin = ioV4(`${srv.url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false });
    const adminResult = await new Promise<string>((resolve) => {
      admin.once('connect', () => resolve('connected'));
      admin.once('connect_error', (e) => resolve(`refused: ${e.message}`));
    });
    expect(adminResult).toMatch(/^refused/);
    raw.disconnect();
    admin.disconnect();
    await assertServerHealthy();
  });

  it('handles a burst of joins with garbage tokens and abrupt disconnects', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? connectV2(srv.url) : connectV4(srv.url))));
    for (const c of clients) {
      c.send({ type: 'joinRoom', rid: a.rid, uid: 'x', userCred: 'x', roomCred: 'x.y', timeStamp: new Date().toISOString() });
    }
    for (const c of clients) expect(await c.nextOfType('redirect')).toMatchObject({ reason: 'credentialError' });
    clients.forEach((c) => c.close());
    await assertServerHealthy();
    expect(a.client.receivedMatching((m) => m.type === 'bye')).toEqual([]);
  });
});
