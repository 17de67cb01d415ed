/**
 * Skylink room and signaling server (Node only): REST auth endpoint, socket.io v4 signaling
 * (also speaking the socket.io v2 protocol of original Skylink 2.x clients), stored messages,
 * static files.
 *
 * @example
 * ```ts
 * import { createSkylinkServer } from 'skylink-sdk/server';
 * const server = await createSkylinkServer({ dev: true, port: 8018 });
 * console.log(server.url); // roomServer for the SDK: '//127.0.0.1:8018'
 * await server.close();
 * ```
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../signaling/protocol';
import { AppDirectory } from './apps';
import { TokenService } from './auth';
import { resolveServerConfig, type SkylinkServerConfig } from './config';
import { createHttpHandler } from './rest';
import type { RedisCluster } from './redis/redisCluster';
import { MemoryRoomRegistry, type RoomRegistry } from './RoomRegistry';
import { createServerLogger } from './serverLogger';
import { SignalingServer, type InterServerEvents } from './SignalingServer';
import { StaticFiles } from './staticFiles';
import { JsonlMessageStore } from './stores/JsonlMessageStore';
import { MemoryMessageStore, type MessageStore } from './stores/MessageStore';

export type {
  FloodControlConfig,
  IceServerConfig,
  RedisConfig,
  SkylinkAppConfig,
  SkylinkServerConfig,
  StorageConfig,
  TurnSecretConfig,
} from './config';
export { ConfigError, configFromEnv, loadConfigFile } from './config';
export type { ServerLogEntry, ServerLogLevel, ServerLogSink } from './serverLogger';
export type { MessageQuery, MessageStore, StoredMessageRecord } from './stores/MessageStore';
export { MemoryMessageStore } from './stores/MessageStore';
export { JsonlMessageStore } from './stores/JsonlMessageStore';
export { computeSkylinkCredentials } from './auth';

export interface SkylinkServer {
  /** Base URL, e.g. `http://127.0.0.1:8018`. */
  url: string;
  port: number;
  host: string;
  /** The underlying HTTP server (socket.io is attached to it). */
  httpServer: HttpServer;
  /**
   * Graceful shutdown: 2.x members get `redirect roomclose` (resumable members nothing: they
   * resume on the next server), sockets close, the store is flushed.
   */
  close(): Promise<void>;
}

function createStore(
  config: ReturnType<typeof resolveServerConfig>,
  log: ReturnType<typeof createServerLogger>,
  cluster: RedisCluster | undefined,
): MessageStore {
  if (config.messageStore) return config.messageStore;
  const { storage } = config;
  // Only the limits that were set: an explicit `undefined` would override the stores' defaults.
  const limits = {
    ...(storage.maxPerRoom !== undefined ? { maxPerRoom: storage.maxPerRoom } : {}),
    ...(storage.maxAgeMs !== undefined ? { maxAgeMs: storage.maxAgeMs } : {}),
  };
  if (cluster) return cluster.createMessageStore(limits);
  if (storage.kind === 'file' && storage.path) {
    return new JsonlMessageStore({
      path: storage.path,
      ...limits,
      onCorruptLines: (count) => log.warn('skipped corrupt lines in the message store', { count }),
    });
  }
  return new MemoryMessageStore(limits);
}

/** Starts a server; resolves once it listens. */
export async function createSkylinkServer(options: SkylinkServerConfig = {}): Promise<SkylinkServer> {
  const config = resolveServerConfig(options);
  const log = createServerLogger({ level: config.logLevel, sink: config.logSink });
  if (config.dev) {
    log.warn('DEV MODE: any App Key is accepted without a secret. Do not expose this server.', { dev: true });
  }
  // Loaded only with `redis`: the embedded default never loads the Redis client.
  const cluster = config.redis
    ? await (await import('./redis/redisCluster')).startRedisCluster(config.redis, { log, emptyRoomTtlMs: config.tokenTtlMs })
    : undefined;
  try {
    return await startServer(config, log, cluster);
  } catch (err) {
    await cluster?.close();
    throw err;
  }
}

async function startServer(
  config: ReturnType<typeof resolveServerConfig>,
  log: ReturnType<typeof createServerLogger>,
  cluster: RedisCluster | undefined,
): Promise<SkylinkServer> {
  const store = createStore(config, log, cluster);
  await store.open();
  const registry: RoomRegistry = cluster?.registry ?? new MemoryRoomRegistry(config.tokenTtlMs);
  const tokens = new TokenService(config.tokenSecret, config.tokenTtlMs, Date.now, config.resumeSecret);
  const apps = new AppDirectory(config.apps, config.dev);

  const httpServer = createServer();
  const sockets = new Set<NetSocket>();
  httpServer.on('connection', (s: NetSocket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  httpServer.on('clientError', (_err, socket) => socket.destroy());

  const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents>(httpServer, {
    path: config.socketPath,
    allowEIO3: true,
    serveClient: false,
    cors: { origin: true },
    maxHttpBufferSize: Math.max(1024 * 1024, 2 * config.maxMessageLength),
    ...(cluster ? { adapter: cluster.adapter } : {}),
  });
  const signaling = new SignalingServer({ io, config, apps, tokens, registry, store, log, clustered: cluster !== undefined });
  let port = config.port;
  httpServer.on('request', (() => {
    const handler = createHttpHandler({
      config,
      apps,
      tokens,
      registry,
      staticFiles: new StaticFiles(config.staticMounts),
      log,
      port: () => port,
      health: async () => {
        const local = { connections: signaling.connectionCount, suspended: signaling.suspendedCount };
        if (!cluster) return { ...(await registry.counts()), ...local };
        try {
          // Rooms and members of the whole cluster; connections of this instance.
          return { ...(await registry.counts()), ...local, instance: cluster.instanceId, redis: 'ok' };
        } catch {
          return { status: 'degraded', ...local, instance: cluster.instanceId, redis: 'unreachable' };
        }
      },
    });
    // engine.io answers its own path; everything else is ours.
    return (req: Parameters<typeof handler>[0], res: Parameters<typeof handler>[1]) => {
      if (!req.url?.startsWith(`${config.socketPath}/`)) handler(req, res);
    };
  })());

  try {
    await cluster?.startPresence({
      holds: (rid, sid) => signaling.holds(rid, sid),
      gone: (rid, member) => signaling.announceLeft(rid, member.sid),
      evicted: () => signaling.evictAll(),
    });
    await new Promise<void>((resolvePromise, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolvePromise();
      });
    });
  } catch (err) {
    io.close();
    await store.close();
    throw err;
  }
  port = (httpServer.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${hostForUrl}:${port}`;
  log.info('skylink server listening', { url, socketPath: config.socketPath, dev: config.dev });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      log.info('skylink server shutting down');
      await signaling.shutdown();
      // io.close() also closes the HTTP server; sockets still open after a grace period are cut.
      const closed = new Promise<void>((r) => io.close(() => r()));
      httpServer.closeIdleConnections();
      const force = setTimeout(() => sockets.forEach((s) => s.destroy()), 1000);
      force.unref();
      await closed;
      clearTimeout(force);
      await store.close();
      await cluster?.close();
      log.info('skylink server stopped');
    })();
    return closing;
  };
  return { url, port, host: config.host, httpServer, close };
}
