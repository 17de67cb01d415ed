/**
 * The `skylink-server` CLI as a real process (bundled from source with esbuild), and graceful
 * shutdown of the library server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { connectV2, enterPeer, joinRoomMessage, auth, startServer } from './helpers/serverKit';

const ROOT = resolve(__dirname, '../..');
const OUT_DIR = join(ROOT, 'test-output', 'server-cli');
const CLI = join(OUT_DIR, 'cli.mjs');

interface Cli {
  proc: ChildProcess;
  lines: Array<Record<string, unknown>>;
  stderr: string[];
  waitForLog(pred: (l: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startCli(args: string[], env: Record<string, string> = {}): Cli {
  const proc = spawn(process.execPath, [CLI, ...args], {
    cwd: OUT_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  const waiters: Array<{ pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  let buf = '';
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { unparsable: line };
      }
      lines.push(entry);
      for (const w of [...waiters]) {
        if (w.pred(entry)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(entry);
        }
      }
    }
  });
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => stderr.push(c));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    lines,
    stderr,
    exited,
    waitForLog(pred, timeoutMs = 8000) {
      const found = lines.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such log line; stderr: ${stderr.join('')}`)), timeoutMs);
        waiters.push({
          pred,
          resolve: (l) => {
            clearTimeout(timer);
            resolvePromise(l);
          },
        });
      });
    },
  };
}

describe('skylink-server CLI', () => {
  let tmp: string;
  const running: Cli[] = [];
  beforeAll(() => {
    mkdirSync(OUT_DIR, { recursive: true });
    buildSync({
      entryPoints: [join(ROOT, 'src/server/cli.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: CLI,
      logLevel: 'silent',
    });
  });
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'skylink-cli-'));
  });
  afterEach(async () => {
    for (const c of running.splice(0)) {
      if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
      await c.exited;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('starts in dev mode, serves healthz, shuts down gracefully on SIGTERM (peers get roomclose)', async () => {
    const cli = startCli(['--dev', '--port', '0', '--data-file', join(tmp, 'm.jsonl')]);
    running.push(cli);
    await cli.waitForLog((l) => l.level === 'warn' && String(l.msg).includes('DEV MODE'));
    const listening = await cli.waitForLog((l) => l.msg === 'skylink server listening');
    const url = listening.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const peer = await enterPeer(url, 'cli-room', { connect: connectV2 });
    cli.proc.kill('SIGTERM');
    expect(await peer.client.nextOfType('redirect')).toMatchObject({ action: 'reject', reason: 'roomclose', rid: peer.rid });
    await peer.client.waitForDisconnect();
    expect(await cli.exited).toBe(0);
    expect(cli.lines.some((l) => l.msg === 'skylink server stopped')).toBe(true);
  });

  it('reads apps from --config and PORT/HOST from the environment; refuses unknown keys', async () => {
    const config = join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify({ apps: { 'key-1': { secret: 'abc', hasPersistentMessage: true } } }));
    const cli = startCli(['--config', config, '--data-file', join(tmp, 'm.jsonl')], { PORT: '0', HOST: '127.0.0.1' });
    running.push(cli);
    const url = (await cli.waitForLog((l) => l.msg === 'skylink server listening')).url as string;
    expect(cli.lines.some((l) => String(l.msg).includes('DEV MODE'))).toBe(false);
    const ok = await auth(url, 'key-1', 'r');
    expect(ok.hasPersistentMessage).toBe(true);
    const refused = await fetch(`${url}/api/other/r`);
    expect(refused.status).toBe(403);
    const client = await connectV2(url);
    client.send(joinRoomMessage(ok));
    await client.nextOfType('inRoom');
    client.close();
    cli.proc.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('exits with status 2 on bad usage or config', async () => {
    const noApps = startCli(['--port', '0']);
    running.push(noApps);
    expect(await noApps.exited).toBe(2);
    expect(noApps.stderr.join('')).toContain('no apps configured');
    const badFlag = startCli(['--bogus']);
    running.push(badFlag);
    expect(await badFlag.exited).toBe(2);
  });
});

describe('library server close()', () => {
  it('sends roomclose to every member of every room, then closes; close() is idempotent', async () => {
    const srv = await startServer();
    const a = await enterPeer(srv.url, 'one');
    await enterPeer(srv.url, 'two', { client: a.client });
    const b = await enterPeer(srv.url, 'one', { connect: connectV2 });
    const closing = srv.close();
    const reasons = [await a.client.nextOfType('redirect'), await a.client.nextOfType('redirect')].map((m) => m.reason);
    expect(reasons).toEqual(['roomclose', 'roomclose']);
    expect(await b.client.nextOfType('redirect')).toMatchObject({ reason: 'roomclose', rid: b.rid });
    await Promise.all([closing, srv.close()]);
    await a.client.waitForDisconnect();
    // No bye storm during shutdown.
    expect(b.client.receivedMatching((m) => m.type === 'bye')).toEqual([]);
    await expect(fetch(`${srv.url}/healthz`)).rejects.toThrow();
  });
});
