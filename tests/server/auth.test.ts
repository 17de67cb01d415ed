/**
 * Join authentication over real sockets: signed tokens, single use, staleness, scheduled rooms
 * (notStart / expired / toclose / roomclose), app and origin checks.
 */
import { roomKeyFor, TokenService } from '../../src/server/auth';
import { computeSkylinkCredentials } from '../../src/server/index';
import type { RoomAuthResponse } from '../../src/signaling/protocol';
import {
  auth,
  connectV2,
  connectV4,
  joinRoomMessage,
  startServer,
  type TestClient,
  type TestServer,
} from './helpers/serverKit';

const TOKEN_SECRET = 'test-token-secret-0123456789';
const APP_SECRET = 'app-secret';

async function joinExpectingRedirect(client: TestClient, msg: Record<string, unknown>): Promise<Record<string, unknown>> {
  client.send(msg);
  return client.next((m) => m.type === 'redirect' || m.type === 'inRoom');
}

describe('joinRoom authentication', () => {
  let srv: TestServer;
  const clients: TestClient[] = [];
  const connect = async (v: 2 | 4 = 4) => {
    const c = v === 2 ? await connectV2(srv.url) : await connectV4(srv.url, { origin: 'http://good.test' });
    clients.push(c);
    return c;
  };
  beforeEach(async () => {
    srv = await startServer({
      dev: false,
      tokenSecret: TOKEN_SECRET,
      closeWarningMs: 1000,
      apps: {
        app: {},
        sched: { secret: APP_SECRET },
        picky: { allowedOrigins: ['http://good.test'] },
      },
    });
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await srv.close();
  });

  it('accepts the tokens from the REST call (v2 client)', async () => {
    const a = await auth(srv.url, 'app', 'r');
    const c = await connect(2);
    expect(await joinExpectingRedirect(c, joinRoomMessage(a))).toMatchObject({ type: 'inRoom', rid: a.room_key });
  });

  it.each<[string, (a: RoomAuthResponse, other: RoomAuthResponse) => Record<string, unknown>]>([
    ['a tampered userCred', (a) => ({ ...joinRoomMessage(a), userCred: `${a.userCred ?? ''}x` })],
    ['a tampered roomCred', (a) => ({ ...joinRoomMessage(a), roomCred: `e${a.roomCred ?? ''}` })],
    ['another user name', (a) => ({ ...joinRoomMessage(a), uid: 'someone-else' })],
    ['another timeStamp', (a) => ({ ...joinRoomMessage(a), timeStamp: new Date().toISOString() })],
    ['a foreign rid', (a, other) => ({ ...joinRoomMessage(a), rid: other.room_key })],
    ['tokens of another room', (a, other) => ({ ...joinRoomMessage(other), rid: a.room_key })],
    ['another App Key', (a) => ({ ...joinRoomMessage(a), key: 'sched' })],
    ['no tokens', (a) => ({ type: 'joinRoom', rid: a.room_key, key: 'app' })],
  ])('rejects %s with credentialError', async (_n, build) => {
    const a = await auth(srv.url, 'app', 'room-1');
    const other = await auth(srv.url, 'app', 'room-2');
    const c = await connect();
    const reply = await joinExpectingRedirect(c, build(a, other));
    expect(reply).toMatchObject({ type: 'redirect', action: 'reject', reason: 'credentialError', info: expect.any(String) });
  });

  it('rejects a second use of the same tokens with duplicatedLogin', async () => {
    const a = await auth(srv.url, 'app', 'dup');
    expect(await joinExpectingRedirect(await connect(), joinRoomMessage(a))).toMatchObject({ type: 'inRoom' });
    expect(await joinExpectingRedirect(await connect(2), joinRoomMessage(a))).toMatchObject({
      type: 'redirect',
      reason: 'duplicatedLogin',
    });
  });

  it('rejects stale tokens with oldTimeStamp', async () => {
    // Tokens signed with the server's secret, issued longer ago than the token lifetime.
    const rid = roomKeyFor('app', 'stale');
    const past = new TokenService(TOKEN_SECRET, 600_000, () => Date.now() - 700_000);
    const t = past.issue({ app: 'app', room: 'stale', rid, start: new Date().toISOString(), len: 24, scheduled: false });
    const msg = { type: 'joinRoom', rid, uid: t.username, userCred: t.userCred, roomCred: t.roomCred, timeStamp: t.timeStamp, key: 'app' };
    expect(await joinExpectingRedirect(await connect(), msg)).toMatchObject({ type: 'redirect', reason: 'oldTimeStamp' });
  });

  it('rejects keys that are no longer accepted with keyFailed', async () => {
    const rid = roomKeyFor('gone', 'r');
    const t = new TokenService(TOKEN_SECRET, 600_000).issue({ app: 'gone', room: 'r', rid, start: new Date().toISOString(), len: 24, scheduled: false });
    const msg = { type: 'joinRoom', rid, uid: t.username, userCred: t.userCred, roomCred: t.roomCred, timeStamp: t.timeStamp };
    expect(await joinExpectingRedirect(await connect(), msg)).toMatchObject({ type: 'redirect', reason: 'keyFailed' });
  });

  it('checks the socket origin against the app', async () => {
    const a = await auth(srv.url, 'picky', 'r');
    const good = await connect(4); // Origin: http://good.test
    expect(await joinExpectingRedirect(good, joinRoomMessage(a))).toMatchObject({ type: 'inRoom' });
    const b = await auth(srv.url, 'picky', 'r');
    const evil = await connectV4(srv.url, { origin: 'http://evil.test' });
    clients.push(evil);
    expect(await joinExpectingRedirect(evil, joinRoomMessage(b))).toMatchObject({ reason: 'keyFailed' });
  });

  const scheduled = (start: Date, hours: number) => {
    const s = start.toISOString();
    return auth(srv.url, 'sched', 'meeting', {
      start: s,
      duration: hours,
      cred: computeSkylinkCredentials(APP_SECRET, 'meeting', String(hours), s),
    });
  };

  it('rejects a scheduled room before its start (notStart) and after its end (expired)', async () => {
    const future = await scheduled(new Date(Date.now() + 3_600_000), 1);
    expect(await joinExpectingRedirect(await connect(), joinRoomMessage(future))).toMatchObject({ reason: 'notStart' });
    const past = await scheduled(new Date(Date.now() - 2 * 3_600_000), 1);
    expect(await joinExpectingRedirect(await connect(), joinRoomMessage(past))).toMatchObject({ reason: 'expired' });
  });

  it('warns (toclose) then closes (roomclose) a scheduled room at its end', async () => {
    // Ends 1.5 s from now; the warning comes 1 s before the end.
    const start = new Date(Date.now() - 3_600_000 + 1500);
    const aAuth = await scheduled(start, 1);
    const bAuth = await scheduled(start, 1);
    const ca = await connect();
    const cb = await connect(2);
    ca.send(joinRoomMessage(aAuth));
    cb.send(joinRoomMessage(bAuth));
    for (const c of [ca, cb]) {
      await c.nextOfType('inRoom', (m) => m.rid === aAuth.room_key);
      expect(await c.nextOfType('redirect', (m) => m.reason === 'toclose', 3000)).toMatchObject({
        action: 'warning',
        rid: aAuth.room_key,
      });
    }
    for (const c of [ca, cb]) {
      expect(await c.nextOfType('redirect', (m) => m.reason === 'roomclose', 3000)).toMatchObject({
        action: 'reject',
        rid: aAuth.room_key,
      });
    }
    const health = (await (await fetch(`${srv.url}/healthz`)).json()) as { members: number };
    expect(health.members).toBe(0);
  });
});

describe('TokenService', () => {
  const grant = { app: 'a', room: 'r', rid: roomKeyFor('a', 'r'), start: '2026-01-01T00:00:00.000Z', len: 1, scheduled: false };

  it('verifies, consumes once, and ages out', () => {
    let now = Date.parse('2026-01-01T00:00:00.000Z');
    const svc = new TokenService('0123456789abcdef', 1000, () => now);
    const t = svc.issue(grant);
    const creds = { rid: grant.rid, uid: t.username, userCred: t.userCred, roomCred: t.roomCred, timeStamp: t.timeStamp };
    expect(svc.verifyJoin(creds)).toMatchObject({ ok: true, grant });
    svc.consume(t.userCred);
    expect(svc.verifyJoin(creds)).toMatchObject({ ok: false, reason: 'duplicatedLogin' });
    now += 1001;
    expect(svc.verifyJoin(creds)).toMatchObject({ ok: false, reason: 'oldTimeStamp' });
  });

  it('refuses tokens signed with another secret', () => {
    const t = new TokenService('another-secret-value', 1000).issue(grant);
    const svc = new TokenService('0123456789abcdef', 1000);
    expect(
      svc.verifyJoin({ rid: grant.rid, uid: t.username, userCred: t.userCred, roomCred: t.roomCred, timeStamp: t.timeStamp }),
    ).toMatchObject({ ok: false, reason: 'credentialError' });
  });

  it('enforces the schedule of scheduled grants', () => {
    let now = Date.parse('2025-12-31T23:00:00.000Z');
    const svc = new TokenService('0123456789abcdef', 10 * 3_600_000, () => now);
    const t = svc.issue({ ...grant, scheduled: true });
    const creds = { rid: grant.rid, uid: t.username, userCred: t.userCred, roomCred: t.roomCred, timeStamp: t.timeStamp };
    expect(svc.verifyJoin(creds)).toMatchObject({ reason: 'notStart' });
    now = Date.parse('2026-01-01T00:30:00.000Z');
    expect(svc.verifyJoin(creds)).toMatchObject({ ok: true });
    now = Date.parse('2026-01-01T01:00:00.000Z');
    expect(svc.verifyJoin(creds)).toMatchObject({ reason: 'expired' });
  });
});
