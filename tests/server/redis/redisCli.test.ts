/**
 * `skylink-server --redis` as real processes (the CLI bundled from source, its packages loaded by
 * Node's ESM loader): an instance that is killed (SIGKILL) has its members removed by the others,
 * and an unreachable Redis ends the start with status 1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { enterPeer, startServer, type TestClient, type TestServer } from '../helpers/serverKit';
import { freePort, startRedis, type RedisProcess } from './redisKit';

const ROOT = resolve(__dirname, '../../..');
const OUT_DIR = join(ROOT, 'test-output', 'server-cli-redis');
const CLI = join(OUT_DIR, 'cli.mjs');
const TOKEN_SECRET = 'cli-redis-token-secret-0123456789';

interface CliProcess {
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves with the `url` of the "listening" log line. */
  listening: Promise<string>;
  exited: Promise<number | null>;
}

function runCli(args: string[]): CliProcess {
  const proc = spawn(process.execPath, [CLI, ...args], {
    cwd: OUT_DIR,
    env: { PATH: process.env.PATH ?? '', SKYLINK_TOKEN_SECRET: TOKEN_SECRET, SKYLINK_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr?.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const listening = new Promise<string>((resolveUrl, reject) => {
    let out = '';
    proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const line = out.split('\n').find((l) => l.includes('"skylink server listening"'));
      if (line) resolveUrl((JSON.parse(line) as { url: string }).url);
    });
    void exited.then((code) => reject(new Error(`CLI exited (${String(code)}) before listening: ${err}`)));
  });
  listening.catch(() => undefined);
  return { proc, stderr: () => err, listening, exited };
}

describe('skylink-server --redis', () => {
  let redis: RedisProcess;
  let tmp: string;
  const procs: ChildProcess[] = [];
  const clients: TestClient[] = [];
  let inProcess: TestServer | undefined;

  beforeAll(async () => {
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
    tmp = mkdtempSync(join(tmpdir(), 'skylink-cli-redis-'));
    redis = await startRedis();
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    await inProcess?.close();
    await redis?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('shares a room with another instance; once killed, its members get bye elsewhere', async () => {
    // The file's Redis settings are kept when the URL comes from --redis.
    const configFile = join(tmp, 'config.json');
    writeFileSync(configFile, JSON.stringify({ redis: { url: 'redis://127.0.0.1:1', instanceTtlMs: 1000 } }));
    const cli = runCli(['--dev', '--port', '0', '--config', configFile, '--redis', redis.url, '--data-file', join(tmp, 'unused.jsonl')]);
    procs.push(cli.proc);
    const cliUrl = await cli.listening;
    inProcess = await startServer({ tokenSecret: TOKEN_SECRET, redis: { url: redis.url, instanceTtlMs: 1000 } });

    const here = await enterPeer(inProcess.url, 'crash');
    const there = await enterPeer(cliUrl, 'crash');
    clients.push(here.client, there.client);
    await here.client.nextOfType('enter', (m) => m.mid === there.sid);
    const health = (await (await fetch(`${cliUrl}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ redis: 'ok', members: 2 });

    cli.proc.kill('SIGKILL'); // no graceful shutdown: its member stays registered until swept
    await cli.exited;
    expect(await here.client.nextOfType('bye', (m) => m.mid === there.sid, 8000)).toEqual({ type: 'bye', rid: here.rid, mid: there.sid });
  });

  it('exits with status 1 when Redis cannot be reached', async () => {
    const configFile = join(tmp, 'unreachable.json');
    writeFileSync(configFile, JSON.stringify({ redis: { url: 'redis://127.0.0.1:1', connectTimeoutMs: 300 } }));
    const port = await freePort();
    const cli = runCli(['--dev', '--port', '0', '--config', configFile, '--redis', `redis://127.0.0.1:${port}`]);
    procs.push(cli.proc);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(`cannot start: cannot reach Redis at redis://127.0.0.1:${port} within 300 ms`);
  });
});
