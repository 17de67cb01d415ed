/**
 * Scale-out over Redis: the pieces a server instance needs to share rooms with the others
 * (socket.io Redis adapter, shared registry, shared stored messages, presence). Loaded only when
 * `redis` is configured, so the embedded default never loads ioredis.
 */
import { randomUUID } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import type { RedisConfig } from '../config';
import type { ServerLogger } from '../serverLogger';
import type { MessageStoreLimits } from '../stores/MessageStore';
import { ClusterPresence, type PresenceHooks } from './ClusterPresence';
import { connectRedis } from './redisConnections';
import { RedisKeys } from './redisKeys';
import { RedisMessageStore } from './RedisMessageStore';
import { RedisRoomRegistry } from './RedisRoomRegistry';

export interface RedisCluster {
  instanceId: string;
  registry: RedisRoomRegistry;
  /** socket.io adapter constructor (`new Server(http, { adapter })`). */
  adapter: ReturnType<typeof createAdapter>;
  createMessageStore(limits: Partial<Pick<MessageStoreLimits, 'maxPerRoom' | 'maxAgeMs'>>): RedisMessageStore;
  /** Registers this instance and starts heartbeats and sweeps. */
  startPresence(hooks: PresenceHooks): Promise<void>;
  /** Unregisters this instance and closes the connections (after socket.io is closed). */
  close(): Promise<void>;
}

export async function startRedisCluster(
  config: Required<RedisConfig>,
  deps: { log: ServerLogger; emptyRoomTtlMs: number },
): Promise<RedisCluster> {
  const connections = await connectRedis(config.url, deps.log, config.connectTimeoutMs);
  const instanceId = randomUUID();
  const keys = new RedisKeys(config.keyPrefix);
  const registry = new RedisRoomRegistry({
    client: connections.data,
    keys,
    instanceId,
    emptyRoomTtlMs: deps.emptyRoomTtlMs,
  });
  const presence = new ClusterPresence({
    client: connections.data,
    keys,
    registry,
    ttlMs: config.instanceTtlMs,
    log: deps.log,
  });
  connections.onReconnect(() => presence.connectionRestored());
  const adapter = createAdapter(connections.pub, connections.sub, { key: `${config.keyPrefix}socket.io` });
  deps.log.info('sharing rooms through redis', { instance: instanceId, keyPrefix: config.keyPrefix });
  let presenceStarted = false;
  return {
    instanceId,
    registry,
    adapter,
    createMessageStore: (limits) => new RedisMessageStore({ client: connections.data, keys, ...limits }),
    startPresence: async (hooks) => {
      await presence.start(hooks);
      presenceStarted = true;
    },
    close: async () => {
      if (presenceStarted) await presence.stop();
      await connections.close();
    },
  };
}
