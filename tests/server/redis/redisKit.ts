/**
 * A real `redis-server` child process for the Redis scale-out tests: 127.0.0.1, a free port, no
 * persistence. Missing binary = a failing test (never a skip).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisProcess {
  port: number;
  url: string;
  /** A plain client for assertions (closed by `stop`). */
  client(): Redis;
  /** Kills the server (SIGKILL: a crash) and waits for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function redisServerBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error('redis-server is not installed: run `apt-get install redis-server` (the Redis scale-out tests need it)');
  }
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function launch(binary: string, port: number): Promise<ChildProcess> {
  const proc = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start: ${out}`)), 10_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(err);
    };
    proc.once('error', fail);
    proc.once('exit', (code) => fail(new Error(`redis-server exited with ${String(code)}: ${out}`)));
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        proc.removeAllListeners('error');
        proc.stdout?.off('data', onData);
        proc.stdout?.resume();
        proc.stderr?.resume();
        resolve(proc);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  });
}

export async function startRedis(): Promise<RedisProcess> {
  const binary = redisServerBinary();
  const port = await freePort();
  let proc: ChildProcess | undefined = await launch(binary, port);
  const clients: Redis[] = [];
  const kill = async (): Promise<void> => {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client: () => {
      const c = new Redis(port, '127.0.0.1', { lazyConnect: false, maxRetriesPerRequest: 1 });
      c.on('error', () => undefined);
      clients.push(c);
      return c;
    },
    kill,
    restart: async () => {
      await kill();
      proc = await launch(binary, port);
    },
    stop: async () => {
      clients.splice(0).forEach((c) => c.disconnect());
      await kill();
    },
  };
}
