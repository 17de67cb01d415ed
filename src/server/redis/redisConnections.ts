/**
 * The three ioredis connections of a clustered server: `data` (registry, stored messages,
 * presence), `pub` and `sub` (the socket.io Redis adapter; a subscribed connection can do nothing
 * else). Commands fail fast while Redis is unreachable (no offline queue on `data`/`pub`), and
 * every promise the adapter leaves unattended is caught here: a Redis outage is logged, never an
 * unhandled rejection that would end the process. ioredis reconnects on its own (backoff ≤ 2 s)
 * and re-subscribes `sub`.
 */
import { Redis } from 'ioredis';
import type { ServerLogger } from '../serverLogger';

export interface RedisConnections {
  data: Redis;
  pub: Redis;
  sub: Redis;
  /** Called on every (re)connection of `data` after the first. */
  onReconnect(listener: () => void): void;
  /** Closes the three connections (pending commands fail). */
  close(): Promise<void>;
}

/** `redis://host:port/db` without credentials, for logs and errors. */
export function redisEndpoint(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname && u.pathname !== '/' ? u.pathname : '';
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}${db}`;
  } catch {
    return '(invalid Redis URL)';
  }
}

/** Commands the socket.io adapter calls without handling their promise. */
const UNATTENDED_COMMANDS = ['publish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const;

function catchUnattended(client: Redis, onError: (command: string, err: Error) => void): void {
  const commands = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of UNATTENDED_COMMANDS) {
    const original = commands[name];
    if (typeof original !== 'function') continue;
    commands[name] = (...args: unknown[]): Promise<unknown> => {
      const result = original.apply(client, args);
      result.catch((err: unknown) => onError(name, err as Error));
      return result;
    };
  }
}

type Role = 'data' | 'pub' | 'sub';

function createClient(url: string, role: Role): Redis {
  return new Redis(url, {
    lazyConnect: true,
    connectionName: `skylink-${role}`,
    connectTimeout: 5000,
    // Closing a connection that never came up arms a timer of this length (ioredis 5): keep it short.
    disconnectTimeout: 200,
    // `sub` queues its (re)subscriptions; the others fail at once while Redis is away.
    enableOfflineQueue: role === 'sub',
    maxRetriesPerRequest: role === 'sub' ? null : 1,
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
  });
}

/**
 * Connects the three clients; rejects (and closes them) when Redis is not ready within
 * `timeoutMs`.
 */
export async function connectRedis(url: string, log: ServerLogger, timeoutMs: number): Promise<RedisConnections> {
  const endpoint = redisEndpoint(url);
  const clients: Record<Role, Redis> = {
    data: createClient(url, 'data'),
    pub: createClient(url, 'pub'),
    sub: createClient(url, 'sub'),
  };
  const reconnectListeners: Array<() => void> = [];
  let closing = false;
  for (const [role, client] of Object.entries(clients) as Array<[Role, Redis]>) {
    let down = false;
    let connectedOnce = false;
    client.on('error', (err: Error) => {
      if (down || !connectedOnce || closing) return;
      down = true;
      log.error('redis connection lost', { role, endpoint, err: err.message });
    });
    client.on('close', () => {
      if (connectedOnce && !down && !closing) {
        down = true;
        log.error('redis connection lost', { role, endpoint });
      }
    });
    client.on('ready', () => {
      if (down) log.info('redis connection restored', { role, endpoint });
      down = false;
      if (connectedOnce && role === 'data') reconnectListeners.forEach((f) => f());
      connectedOnce = true;
    });
    if (role !== 'data') {
      catchUnattended(client, (command, err) => log.warn('redis command failed', { role, command, err: err.message }));
    }
  }

  const all = Object.values(clients);
  const close = async (): Promise<void> => {
    closing = true;
    await Promise.all(
      all.map(async (c) => {
        if (c.status === 'end') return;
        try {
          if (c.status === 'ready') await c.quit();
          else c.disconnect();
        } catch {
          c.disconnect();
        }
      }),
    );
  };

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.all(
        all.map(
          (c) =>
            new Promise<void>((resolve) => {
              c.once('ready', () => resolve());
              c.connect().catch(() => undefined); // retried by ioredis; the timeout decides
            }),
        ),
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`cannot reach Redis at ${endpoint} within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    await close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  log.info('connected to redis', { endpoint });
  return { ...clients, onReconnect: (listener) => reconnectListeners.push(listener), close };
}
