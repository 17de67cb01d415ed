/**
 * Session resume (extension for this SDK; original 2.x clients never use it): a member that joined
 * with `resumable: true` survives a socket drop for a grace period, reattaches with its
 * `resumeToken` (same sid, `resumed: true`, what it missed delivered after `inRoom`), and after a
 * server restart gets its sid back. 2.x members keep the immediate `bye`.
 */
import type { Connection, Membership } from '../../src/server/connection';
import { MemberSessions } from '../../src/server/MemberSessions';
import type { SkylinkServerConfig } from '../../src/server/index';
import { parseClientMessage } from '../../src/signaling/guards';
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
  type WireMessage,
} from './helpers/serverKit';

const RESUMABLE = { resumable: true };

describe('session resume', () => {
  let srv: TestServer;
  const clients: TestClient[] = [];

  async function start(config: SkylinkServerConfig = {}): Promise<TestServer> {
    srv = await startServer({ resumeGraceMs: 10_000, ...config });
    return srv;
  }
  const track = (p: JoinedPeer): JoinedPeer => {
    clients.push(p.client);
    return p;
  };
  /** A resumable SDK-like peer (socket.io v4) that joined and sent enter. */
  const sdkPeer = async (room: string, joinExtra: Record<string, unknown> = {}): Promise<JoinedPeer> =>
    track(await enterPeer(srv.url, room, { joinExtra: { ...RESUMABLE, ...joinExtra } }));
  /** Rejoins `rid` on a new socket (fresh REST tokens) with the resume fields of `p`. */
  const resumeOf = async (p: JoinedPeer, room: string, extra: Record<string, unknown> = {}): Promise<JoinedPeer> =>
    track(
      await joinPeer(srv.url, room, {
        joinExtra: { ...RESUMABLE, resumeSid: p.sid, resumeToken: p.inRoom.resumeToken, ...extra },
      }),
    );
  const suspended = (p: JoinedPeer) => srv.waitForLog((e) => e.msg === 'peer suspended until it resumes' && e.sid === p.sid);
  const byes = (p: JoinedPeer, sid: string) => p.client.receivedMatching((m) => m.type === 'bye' && m.mid === sid);

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await srv?.close();
  });

  it('hands resumable clients a resume token; 2.x clients get no extension fields', async () => {
    await start();
    const a = await sdkPeer('token');
    expect(a.inRoom).toMatchObject({ resumed: false, isLocked: false, resumeToken: expect.stringMatching(/^r1\./) });
    const legacy = track(await enterPeer(srv.url, 'token', { connect: connectV2 }));
    expect(legacy.inRoom).not.toHaveProperty('resumeToken');
    expect(legacy.inRoom).not.toHaveProperty('resumed');
  });

  it('a dropped resumable member is kept (no bye), resumes with the same sid and gets what it missed', async () => {
    await start();
    const a = await sdkPeer('drop');
    const b = await sdkPeer('drop');
    await a.client.nextOfType('enter', (m) => m.mid === b.sid);
    a.client.dropTransport();
    await suspended(a);
    const health = (await (await fetch(`${srv.url}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ members: 2, suspended: 1 });

    // While A is away: B writes to it (targeted and broadcast) and a newcomer C enters.
    b.client.send({ type: 'message', rid: b.rid, mid: b.sid, target: a.sid, data: 'private while away' });
    b.client.send({ type: 'updateUserEvent', rid: b.rid, mid: b.sid, userData: '"renamed"', stamp: 1 });
    const c = await sdkPeer('drop');
    await b.client.nextOfType('enter', (m) => m.mid === c.sid);
    await selfBarrier(b);

    const back = await resumeOf(a, 'drop');
    expect(back.sid).toBe(a.sid);
    expect(back.inRoom).toMatchObject({ resumed: true, tieBreaker: a.inRoom.tieBreaker, resumeToken: a.inRoom.resumeToken });
    // Missed messages follow inRoom, in order.
    const afterInRoom = back.client.received.slice(back.client.received.findIndex((m) => m.type === 'inRoom') + 1);
    await back.client.nextOfType('enter', (m) => m.mid === c.sid);
    expect(afterInRoom.map((m) => m.type).slice(0, 2)).toEqual(['message', 'updateUserEvent']);
    expect(back.client.received.map((m) => m.type)).toEqual(['inRoom', 'message', 'updateUserEvent', 'enter']);

    // Nobody was told A left or re-entered, and A is reachable on its new socket both ways.
    await barrier(back, b);
    await barrier(b, back);
    await barrier(back, c);
    expect(byes(b, a.sid)).toEqual([]);
    expect(b.client.receivedMatching((m) => m.type === 'enter' && m.mid === a.sid)).toEqual([]);
    expect(c.client.receivedMatching((m) => m.mid === a.sid).map((m) => m.type)).toEqual(['message']); // the barrier only
  });

  it('sends bye once the grace period expires without a resume', async () => {
    await start({ resumeGraceMs: 150 });
    const a = await sdkPeer('expire');
    const b = await sdkPeer('expire');
    a.client.dropTransport();
    await suspended(a);
    expect(byes(b, a.sid)).toEqual([]);
    expect(await b.client.nextOfType('bye', (m) => m.mid === a.sid)).toEqual({ type: 'bye', rid: a.rid, mid: a.sid });
    // Too late: the token still proves the sid, which is free again, so it is a new admission.
    const late = await resumeOf(a, 'expire');
    expect(late.sid).toBe(a.sid);
    expect(late.inRoom.resumed).toBe(false);
  });

  it('2.x clients (no resumable) keep the immediate bye', async () => {
    await start();
    const legacy = track(await enterPeer(srv.url, 'legacy', { connect: connectV2 }));
    const b = await sdkPeer('legacy');
    legacy.client.close();
    expect(await b.client.nextOfType('bye', (m) => m.mid === legacy.sid)).toMatchObject({ rid: legacy.rid });
    expect(srv.logs.filter((e) => e.msg === 'peer suspended until it resumes')).toEqual([]);
  });

  it('resumeGraceMs: 0 turns the grace period off', async () => {
    await start({ resumeGraceMs: 0 });
    const a = await sdkPeer('nograce');
    const b = await sdkPeer('nograce');
    a.client.dropTransport();
    await b.client.nextOfType('bye', (m) => m.mid === a.sid);
  });

  it('a resumable client that closes its socket itself has left: bye at once', async () => {
    await start();
    const a = await sdkPeer('deliberate');
    const b = await sdkPeer('deliberate');
    a.client.close();
    await b.client.nextOfType('bye', (m) => m.mid === a.sid);
    expect(srv.logs.filter((e) => e.msg === 'peer suspended until it resumes')).toEqual([]);
  });

  it('takes the session over from an old socket the server still thinks is alive', async () => {
    await start();
    const a = await sdkPeer('takeover');
    const b = await sdkPeer('takeover');
    const back = await resumeOf(a, 'takeover');
    expect(back.sid).toBe(a.sid);
    expect(back.inRoom.resumed).toBe(true);
    await srv.waitForLog((e) => e.msg === 'peer resumed' && e.sid === a.sid && typeof e.tookOverSocket === 'string');
    // Messages to A now reach the new socket only; the old socket can no longer speak for A.
    b.client.send({ type: 'message', rid: b.rid, mid: b.sid, target: a.sid, data: 'to new socket' });
    expect((await back.client.nextOfType('message')).data).toBe('to new socket');
    a.client.send({ type: 'message', rid: a.rid, mid: a.sid, target: b.sid, data: 'from old socket' });
    await srv.waitForLog((e) => e.msg === 'dropped message for a room the socket is not in');
    // When the old socket finally closes, nobody hears about it.
    a.client.close();
    await srv.waitForLog((e) => e.msg === 'socket disconnected' && e.reason === 'client namespace disconnect');
    await barrier(back, b);
    expect(byes(b, a.sid)).toEqual([]);
    expect(b.client.receivedMatching((m) => m.data === 'from old socket')).toEqual([]);
    expect(a.client.receivedMatching((m) => m.data === 'to new socket')).toEqual([]);
  });

  it('resumes on the same socket without a bye', async () => {
    await start();
    const a = await sdkPeer('same');
    const b = await sdkPeer('same');
    const again = await joinPeer(srv.url, 'same', {
      client: a.client,
      joinExtra: { ...RESUMABLE, resumeSid: a.sid, resumeToken: a.inRoom.resumeToken },
    });
    expect(again.inRoom).toMatchObject({ sid: a.sid, resumed: true });
    await barrier(b, again);
    expect(byes(b, a.sid)).toEqual([]);
  });

  it('a forged or foreign token gives a normal join with a new sid', async () => {
    await start();
    const a = await sdkPeer('forged');
    const b = await sdkPeer('forged');
    const other = await sdkPeer('other-room');
    a.client.dropTransport();
    await suspended(a);
    const attempts: Array<Record<string, unknown>> = [
      { resumeSid: a.sid, resumeToken: 'r1.forged' },
      { resumeSid: a.sid, resumeToken: b.inRoom.resumeToken }, // B's token does not prove A
      { resumeSid: a.sid, resumeToken: other.inRoom.resumeToken }, // another room's token
      { resumeSid: a.sid }, // no token
    ];
    for (const extra of attempts) {
      const p = track(await joinPeer(srv.url, 'forged', { joinExtra: { ...RESUMABLE, ...extra } }));
      expect(p.sid).not.toBe(a.sid);
      expect(p.inRoom.resumed).toBe(false);
    }
    // A itself can still resume.
    expect((await resumeOf(a, 'forged')).inRoom).toMatchObject({ sid: a.sid, resumed: true });
  });

  it('the lock does not block a resume, and inRoom tells the lock state', async () => {
    await start();
    const a = await sdkPeer('locked');
    const b = await sdkPeer('locked');
    a.client.dropTransport();
    await suspended(a);
    b.client.send({ type: 'roomLockEvent', rid: b.rid, mid: b.sid, lock: true });
    await srv.waitForLog((e) => e.msg === 'room lock changed' && e.locked === true);
    const back = await resumeOf(a, 'locked');
    expect(back.inRoom).toMatchObject({ sid: a.sid, resumed: true, isLocked: true });
    expect(await back.client.nextOfType('roomLockEvent')).toMatchObject({ mid: b.sid, lock: true });
    // A newcomer is still refused.
    const c = await connectV4(srv.url);
    clients.push(c);
    c.send({ ...joinRoomMessage(await auth(srv.url, 'test-app', 'locked')), ...RESUMABLE });
    expect(await c.nextOfType('redirect')).toMatchObject({ action: 'reject', reason: 'locked' });
    expect(c.receivedMatching((m) => m.type === 'inRoom')).toEqual([]);
  });

  it('a socket cut by flood control leaves at once, without grace', async () => {
    await start({ floodControl: { hardBurst: 6, hardRatePerSecond: 0.01 } });
    const a = await sdkPeer('flood');
    const b = await sdkPeer('flood');
    for (let i = 0; i < 10; i++) a.client.send({ type: 'candidate', rid: a.rid, mid: a.sid, target: b.sid, candidate: `c${i}` });
    await a.client.waitForDisconnect();
    await b.client.nextOfType('bye', (m) => m.mid === a.sid);
  });

  describe.each([
    ['dev mode without tokenSecret', { dev: true }, true],
    ['a configured tokenSecret', { dev: false, apps: { 'test-app': {} }, tokenSecret: 'stable-secret-0123456789' }, true],
    ['no tokenSecret outside dev mode', { dev: false, apps: { 'test-app': {} } }, false],
  ] as Array<[string, SkylinkServerConfig, boolean]>)('after a server restart with %s', (_name, config, sameSid) => {
    it(sameSid ? 're-admits the same sids (resumed: false) and the peers meet again' : 'joins as new peers', async () => {
      await start(config);
      const a = await sdkPeer('restart');
      const b = await sdkPeer('restart');
      const disconnected = [a.client.waitForDisconnect(), b.client.waitForDisconnect()];
      await srv.close();
      await Promise.all(disconnected);
      await start(config);
      const a2 = await resumeOf(a, 'restart');
      const b2 = await resumeOf(b, 'restart');
      expect([a2.sid === a.sid, b2.sid === b.sid]).toEqual([sameSid, sameSid]);
      expect([a2.inRoom.resumed, b2.inRoom.resumed]).toEqual([false, false]);
      // As after any admission, the client enters and the earlier member hears it.
      b2.client.send({ type: 'enter', rid: b2.rid, mid: b2.sid, weight: b2.inRoom.tieBreaker });
      expect(await a2.client.nextOfType('enter')).toMatchObject({ mid: b2.sid });
    });
  });

  it('graceful shutdown tells resumable members nothing; 2.x members get roomclose; nobody gets bye', async () => {
    await start();
    const a = await sdkPeer('shutdown');
    const b = await sdkPeer('shutdown');
    const legacy = track(await enterPeer(srv.url, 'shutdown', { connect: connectV2 }));
    await Promise.all([a, b].map((p) => p.client.nextOfType('enter', (m) => m.mid === legacy.sid)));
    await a.client.nextOfType('enter', (m) => m.mid === b.sid);
    const before = new Map([a, b, legacy].map((p) => [p, p.client.received.length]));
    const all = [a, b, legacy].map((p) => p.client.waitForDisconnect());
    await srv.close();
    await Promise.all(all);
    const since = (p: JoinedPeer): WireMessage[] => p.client.received.slice(before.get(p));
    expect(since(a)).toEqual([]);
    expect(since(b)).toEqual([]);
    expect(since(legacy)).toEqual([expect.objectContaining({ type: 'redirect', action: 'reject', reason: 'roomclose' })]);
  });

  it('the resume fields are validated', () => {
    const join = { type: 'joinRoom', rid: 'r' };
    expect(parseClientMessage({ ...join, resumable: true, resumeSid: 's', resumeToken: 't' }).ok).toBe(true);
    for (const bad of [{ resumable: 'yes' }, { resumeSid: 5 }, { resumeSid: '' }, { resumeToken: {} }, { resumeSid: 'x'.repeat(300) }]) {
      expect(parseClientMessage({ ...join, ...bad })).toMatchObject({ ok: false, reason: 'invalid_field' });
    }
  });
});

describe('MemberSessions backlog', () => {
  const fakeConn = (): Connection & { sent: string[] } => {
    const sent: string[] = [];
    return {
      socket: { emit: (_e: string, json: string) => sent.push(json), id: 's' } as unknown as Connection['socket'],
      rooms: new Map(),
      queue: Promise.resolve(),
      pending: 0,
      closed: false,
      sent,
    };
  };
  const membership = (): Membership =>
    ({ rid: 'r', sid: 'a', appKey: 'k', roomName: 'n', app: {}, sessionId: 'x', isPrivileged: false, tieBreaker: 1, resumable: true, timers: [] }) as Membership;

  it('keeps messages for a suspended member and hands them over in order on resume', () => {
    const sessions = new MemberSessions({ maxMessages: 3, maxChars: 100 });
    const [old, next] = [fakeConn(), fakeConn()];
    const m = membership();
    sessions.attach(old, m);
    expect(sessions.deliver('r', 'a', '1')).toBe(true);
    expect(old.sent).toEqual(['1']);
    const expired: string[] = [];
    sessions.suspend(old, m, 60_000, (_m, why) => expired.push(why));
    expect(sessions.isSuspended('r', 'a')).toBe(true);
    sessions.deliver('r', 'a', '2');
    sessions.deliver('r', 'a', '3');
    const resumed = sessions.resume(next, 'r', 'a', true);
    expect(resumed?.backlog).toEqual(['2', '3']);
    expect(next.rooms.get('r')).toBe(m);
    sessions.deliver('r', 'a', '4');
    expect(next.sent).toEqual(['4']);
    expect(expired).toEqual([]);
    expect(sessions.deliver('r', 'unknown', 'x')).toBe(false);
  });

  it('ends the suspension when the backlog overflows (count or size)', () => {
    for (const [limits, messages] of [
      [{ maxMessages: 2, maxChars: 1000 }, ['a', 'b', 'c']],
      [{ maxMessages: 100, maxChars: 10 }, ['12345', '123456']],
    ] as const) {
      const sessions = new MemberSessions(limits);
      const conn = fakeConn();
      const m = membership();
      sessions.attach(conn, m);
      const expired: string[] = [];
      sessions.suspend(conn, m, 60_000, (_m, why) => expired.push(why));
      for (const msg of messages) sessions.deliver('r', 'a', msg);
      expect(expired).toEqual(['overflow']);
      expect(sessions.resume(fakeConn(), 'r', 'a', true)).toBeUndefined();
    }
  });

  it('runs onExpire after the grace period', () => {
    jest.useFakeTimers();
    try {
      const sessions = new MemberSessions();
      const conn = fakeConn();
      const m = membership();
      sessions.attach(conn, m);
      const expired: string[] = [];
      sessions.suspend(conn, m, 1000, (_m, why) => expired.push(why));
      jest.advanceTimersByTime(999);
      expect(expired).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(expired).toEqual(['grace']);
      expect(sessions.suspendedCount).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
