/**
 * `MessageStore` in Redis, shared by every server instance: one list of JSON records per room,
 * trimmed to the newest `maxPerRoom` on every append, and expiring `maxAgeMs` after the room's
 * last write (older records are also filtered out when read). Durability across Redis restarts is
 * Redis's own (enable AOF or RDB snapshots there); server restarts lose nothing.
 */
import type { Redis } from 'ioredis';
import {
  DEFAULT_MESSAGE_STORE_LIMITS,
  isStoredMessageRecord,
  type MessageQuery,
  type MessageStore,
  type MessageStoreLimits,
  type StoredMessageRecord,
} from '../stores/MessageStore';
import type { RedisKeys } from './redisKeys';

export interface RedisMessageStoreOptions extends Partial<Pick<MessageStoreLimits, 'maxPerRoom' | 'maxAgeMs'>> {
  client: Redis;
  keys: RedisKeys;
  now?: () => number;
}

export class RedisMessageStore implements MessageStore {
  readonly #client: Redis;
  readonly #keys: RedisKeys;
  readonly #now: () => number;
  readonly maxPerRoom: number;
  readonly maxAgeMs: number;

  /** The client belongs to the caller: `close()` leaves it open. */
  constructor(options: RedisMessageStoreOptions) {
    this.#client = options.client;
    this.#keys = options.keys;
    this.#now = options.now ?? Date.now;
    this.maxPerRoom = options.maxPerRoom ?? DEFAULT_MESSAGE_STORE_LIMITS.maxPerRoom;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MESSAGE_STORE_LIMITS.maxAgeMs;
  }

  async open(): Promise<void> {}

  /** Atomic append + trim + expiry: resolves once Redis has the record. */
  async append(roomKey: string, record: StoredMessageRecord): Promise<void> {
    const key = this.#keys.messages(roomKey);
    const results = await this.#client
      .multi()
      .rpush(key, JSON.stringify(record))
      .ltrim(key, -this.maxPerRoom, -1)
      .pexpire(key, Math.max(1, Math.round(this.maxAgeMs)))
      .exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw failed?.[0] ?? new Error('stored message transaction aborted');
  }

  async list(roomKey: string, query: MessageQuery = {}): Promise<StoredMessageRecord[]> {
    const raw = await this.#client.lrange(this.#keys.messages(roomKey), 0, -1);
    const cutoff = this.#now() - this.maxAgeMs;
    const out: StoredMessageRecord[] = [];
    for (const line of raw) {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        continue;
      }
      if (!isStoredMessageRecord(record) || record.timeStamp < cutoff) continue;
      if (query.roomSessionId && record.roomSessionId !== query.roomSessionId) continue;
      out.push(record);
    }
    const limit = query.limit ?? this.maxPerRoom;
    return out.slice(Math.max(0, out.length - limit));
  }

  async close(): Promise<void> {}
}
