/**
 * Stored (persistent) chat messages: the store interface, the bounded in-memory index every
 * embedded store uses, and the memory-only store.
 */
import type { StoredMessageItem } from '../../signaling/protocol';

/** One stored message: what `storedMessages` returns, plus the room session it was sent in. */
export interface StoredMessageRecord extends StoredMessageItem {
  /** Server time in ms. */
  timeStamp: number;
  roomSessionId: string;
}

/** Shape check of a record read back from storage. */
export function isStoredMessageRecord(v: unknown): v is StoredMessageRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.data === 'string' &&
    typeof r.secretId === 'string' &&
    typeof r.mid === 'string' &&
    typeof r.timeStamp === 'number' &&
    typeof r.roomSessionId === 'string'
  );
}

export interface MessageQuery {
  /** Only this room session; `''`/absent = every session of the room. */
  roomSessionId?: string;
  /** Newest `limit` messages (returned oldest first). */
  limit?: number;
}

/** Storage of persistent messages, keyed by room key. Implementations bound their size. */
export interface MessageStore {
  /** Loads existing data; called once before use. */
  open(): Promise<void>;
  append(roomKey: string, record: StoredMessageRecord): Promise<void>;
  /** Messages of a room, oldest first. */
  list(roomKey: string, query?: MessageQuery): Promise<StoredMessageRecord[]>;
  /** Flushes and releases resources. */
  close(): Promise<void>;
}

export interface MessageStoreLimits {
  /** Messages kept per room (oldest dropped first). */
  maxPerRoom: number;
  /** Messages kept in total (rooms written least recently are dropped first). */
  maxTotal: number;
  /** Messages older than this are dropped. */
  maxAgeMs: number;
}

export const DEFAULT_MESSAGE_STORE_LIMITS: Readonly<MessageStoreLimits> = Object.freeze({
  maxPerRoom: 200,
  maxTotal: 50_000,
  maxAgeMs: 30 * 24 * 3_600_000,
});

/** Bounded in-memory index of stored messages (Map order = least recently written room first). */
export class MessageIndex {
  readonly #rooms = new Map<string, StoredMessageRecord[]>();
  #total = 0;

  constructor(
    readonly limits: MessageStoreLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get total(): number {
    return this.#total;
  }

  add(roomKey: string, record: StoredMessageRecord): void {
    const list = this.#rooms.get(roomKey) ?? [];
    this.#rooms.delete(roomKey); // re-insert: most recently written room last
    list.push(record);
    this.#total++;
    if (list.length > this.limits.maxPerRoom) {
      this.#total -= list.length - this.limits.maxPerRoom;
      list.splice(0, list.length - this.limits.maxPerRoom);
    }
    this.#rooms.set(roomKey, list);
    while (this.#total > this.limits.maxTotal) {
      const oldest = this.#rooms.entries().next().value;
      if (!oldest) break;
      const [key, msgs] = oldest;
      msgs.shift();
      this.#total--;
      if (msgs.length === 0) this.#rooms.delete(key);
    }
  }

  list(roomKey: string, query: MessageQuery = {}): StoredMessageRecord[] {
    const cutoff = this.now() - this.limits.maxAgeMs;
    const all = (this.#rooms.get(roomKey) ?? []).filter(
      (m) => m.timeStamp >= cutoff && (!query.roomSessionId || m.roomSessionId === query.roomSessionId),
    );
    const limit = query.limit ?? this.limits.maxPerRoom;
    return all.slice(Math.max(0, all.length - limit)).map((m) => ({ ...m }));
  }

  /** Every live record (not expired), for compaction. */
  *entries(): Generator<[string, StoredMessageRecord]> {
    const cutoff = this.now() - this.limits.maxAgeMs;
    for (const [key, msgs] of this.#rooms) {
      for (const m of msgs) if (m.timeStamp >= cutoff) yield [key, m];
    }
  }
}

/** Memory-only store: nothing survives a restart. For tests and throwaway servers. */
export class MemoryMessageStore implements MessageStore {
  readonly #index: MessageIndex;

  constructor(limits: Partial<MessageStoreLimits> = {}) {
    this.#index = new MessageIndex({ ...DEFAULT_MESSAGE_STORE_LIMITS, ...limits });
  }

  async open(): Promise<void> {}

  async append(roomKey: string, record: StoredMessageRecord): Promise<void> {
    this.#index.add(roomKey, { ...record });
  }

  async list(roomKey: string, query?: MessageQuery): Promise<StoredMessageRecord[]> {
    return this.#index.list(roomKey, query);
  }

  async close(): Promise<void> {}
}
