/**
 * HTTP side: REST auth endpoint (shape, CORS, errors, credentials), healthz, stats sink, static files.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeSkylinkCredentials } from '../../src/server/index';
import { fetchRoom, startServer, type TestServer } from './helpers/serverKit';

/** Raw GET (fetch normalises `..` away, this does not). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string; type?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('REST auth endpoint (dev mode)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(() => srv.close());

  it('returns what a 2.x client needs', async () => {
    const { status, body, headers } = await fetchRoom(srv.url, 'any-key', 'room one', { origin: 'http://page.test' });
    expect(status).toBe(200);
    expect(headers.get('access-control-allow-origin')).toBe('http://page.test');
    const port = new URL(srv.url).port;
    expect(body).toMatchObject({
      success: true,
      room_key: expect.stringMatching(/^[0-9a-f]{32}$/),
      roomName: 'room one',
      ipSigserver: `127.0.0.1:${port}`,
      ipSigserverPath: '/socket.io',
      hasMCU: false,
      hasPersistentMessage: false,
      isPrivileged: false,
      autoIntroduce: true,
      cid: 'any-key',
      username: expect.any(String),
      userCred: expect.any(String),
      roomCred: expect.any(String),
      timeStamp: expect.any(String),
      start: expect.any(String),
      len: 24,
      roomSessionId: expect.any(String),
      peerSessionId: expect.any(String),
    });
    for (const key of ['pc_constraints', 'offer_constraints', 'media_constraints']) {
      expect(typeof body[key]).toBe('string');
      expect(() => JSON.parse(body[key] as string)).not.toThrow();
    }
  });

  it('keys rooms by app and name; one room session while the room lives', async () => {
    const a = await fetchRoom(srv.url, 'app-a', 'same');
    const a2 = await fetchRoom(srv.url, 'app-a', 'same');
    const b = await fetchRoom(srv.url, 'app-b', 'same');
    expect(a.body.room_key).toBe(a2.body.room_key);
    expect(a.body.roomSessionId).toBe(a2.body.roomSessionId);
    expect(a.body.userCred).not.toBe(a2.body.userCred);
    expect(b.body.room_key).not.toBe(a.body.room_key);
  });

  it('answers the CORS preflight for the four Skylink headers', async () => {
    const res = await fetch(`${srv.url}/api/k/r?rand=1`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://page.test',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'skylink_api_version,skylink_sdk_type,skylink_sdk_version,x-server-select',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://page.test');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['skylink_sdk_type', 'skylink_sdk_version', 'skylink_api_version', 'x-server-select']) {
      expect(allowed).toContain(h);
    }
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
  });

  it.each([
    ['/api/only-key', 404],
    ['/api/k/r/extra', 404],
    ['/api/k/%E0%A4%A', 404],
    [`/api/${'k'.repeat(300)}/r`, 400],
    ['/api/k/%00room', 400],
  ])('refuses %s with a JSON {info, error} body', async (path, status) => {
    const res = await fetch(`${srv.url}${path}`);
    expect(res.status).toBe(status);
    const body = (await res.json()) as Record<string, unknown>;
    expect(typeof body.info).toBe('string');
    expect(typeof body.error).toBe('number');
  });

  it('refuses other methods on /api', async () => {
    const res = await fetch(`${srv.url}/api/k/r`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ error: 405 });
  });

  it('serves /healthz and accepts stats posts', async () => {
    const health = await fetch(`${srv.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', rooms: expect.any(Number), connections: expect.any(Number) });
    const stats = await fetch(`${srv.url}/rest/stats/client/signaling`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: 'x', data: [] }),
    });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toEqual({ success: true });
  });

  it('answers unknown paths with 404 when no static files are configured', async () => {
    expect((await fetch(`${srv.url}/index.html`)).status).toBe(404);
  });
});

describe('REST auth endpoint (production mode)', () => {
  let srv: TestServer;
  const secret = 'app-secret-value';
  beforeAll(async () => {
    srv = await startServer({
      dev: false,
      apps: {
        open: { allowedOrigins: ['http://good.test'], isPrivileged: true, hasPersistentMessage: true },
        scheduled: { secret, requireCredentials: true, apiOwner: 'owner@example.test' },
      },
    });
  });
  afterAll(() => srv.close());

  it('refuses unknown App Keys (4001)', async () => {
    const r = await fetchRoom(srv.url, 'unknown', 'r');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ error: 4001, info: expect.any(String) });
  });

  it('enforces allowed origins (4003) and hands out the app flags', async () => {
    expect((await fetchRoom(srv.url, 'open', 'r', { origin: 'http://evil.test' })).body).toMatchObject({ error: 4003 });
    const ok = await fetchRoom(srv.url, 'open', 'r', { origin: 'http://good.test' });
    expect(ok.body).toMatchObject({ isPrivileged: true, hasPersistentMessage: true });
  });

  it('requires credentials when configured (4004), checks them (4005), accepts good ones', async () => {
    expect((await fetchRoom(srv.url, 'scheduled', 'meet')).body).toMatchObject({ error: 4004 });
    const start = new Date(Date.now() - 60_000).toISOString();
    const duration = 2;
    const cred = computeSkylinkCredentials(secret, 'meet', String(duration), start);
    const bad = await fetchRoom(srv.url, 'scheduled', 'meet', { start, duration, cred: cred.slice(1) + 'A' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ error: 4005 });
    const wrongRoom = await fetchRoom(srv.url, 'scheduled', 'other', { start, duration, cred });
    expect(wrongRoom.body).toMatchObject({ error: 4005 });
    const malformed = await fetchRoom(srv.url, 'scheduled', 'meet', { start: 'not-a-date', duration, cred });
    expect(malformed.body).toMatchObject({ error: 4004 });
    const good = await fetchRoom(srv.url, 'scheduled', 'meet', { start, duration, cred });
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ start, len: 2, apiOwner: 'owner@example.test' });
    // Apps that forgot encodeURIComponent: '+' arrives as ' '.
    const spaced = await fetchRoom(srv.url, 'scheduled', 'meet', { start, duration, cred: cred.replace(/\+/g, ' ') });
    expect(spaced.status).toBe(200);
  });

  it('refuses credentials for an app without secret', async () => {
    const r = await fetchRoom(srv.url, 'open', 'r', { start: new Date().toISOString(), duration: 1, cred: 'x' });
    expect(r.body).toMatchObject({ error: 4004 });
  });
});

describe('static files', () => {
  let srv: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skylink-static-'));
    mkdirSync(join(dir, 'site', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'site', 'index.html'), '<h1>demo</h1>');
    writeFileSync(join(dir, 'site', 'sub', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'dist', 'skylink.js'), 'export {}');
    writeFileSync(join(dir, 'secret.txt'), 'top secret');
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'site', 'link.txt'));
    srv = await startServer({ staticDir: join(dir, 'site'), staticMounts: { '/dist': join(dir, 'dist') } });
  });
  afterAll(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves files with content types, index.html for directories, mounts', async () => {
    expect(await rawGet(srv.url, '/')).toMatchObject({ status: 200, body: '<h1>demo</h1>', type: expect.stringContaining('text/html') });
    expect(await rawGet(srv.url, '/sub/app.js')).toMatchObject({ status: 200, type: expect.stringContaining('text/javascript') });
    expect(await rawGet(srv.url, '/dist/skylink.js')).toMatchObject({ status: 200, body: 'export {}' });
    expect((await rawGet(srv.url, '/missing.js')).status).toBe(404);
  });

  it('keeps API routes working next to a root mount', async () => {
    expect((await fetchRoom(srv.url, 'k', 'r')).status).toBe(200);
    expect((await rawGet(srv.url, '/healthz')).status).toBe(200);
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/sub/..%2f..%2fsecret.txt', '/dist/..%2Fsecret.txt', '/link.txt', '/%00', '/sub%5c..%5c..%5csecret.txt'])(
    'refuses to escape the mount: %s',
    async (path) => {
      const r = await rawGet(srv.url, path);
      expect([400, 403, 404]).toContain(r.status);
      expect(r.body).not.toContain('top secret');
    },
  );
});
