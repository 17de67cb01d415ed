/**
 * Liveness of the server instances sharing a Redis, and repair of the shared registry:
 *
 * - every instance refreshes its liveness key (`ttlMs`) every `ttlMs / 3`;
 * - every `ttlMs / 2` an instance sweeps: the members of instances whose liveness key expired
 *   (crashed, or cut from Redis) are removed and their rooms get `bye`; members Redis attributes
 *   to this instance but that it no longer holds (their removal failed during a Redis outage) are
 *   removed the same way when found twice in a row;
 * - an instance whose own liveness key had expired (the others may have swept it), or whose
 *   registration vanished (Redis lost its data), is *evicted*: its members are no longer in the
 *   registry, so it drops its sockets and lets the clients join again.
 *
 * Sweeping waits `ttlMs` after each (re)connection, so that after a Redis outage the other
 * instances have refreshed their keys before anyone is declared dead.
 */
import type { Redis } from 'ioredis';
import type { RoomMember } from '../RoomRegistry';
import type { ServerLogger } from '../serverLogger';
import type { RedisKeys } from './redisKeys';
import type { RedisRoomRegistry } from './RedisRoomRegistry';

export interface PresenceHooks {
  /** True while this instance holds the member (attached or suspended). */
  holds(rid: string, sid: string): boolean;
  /** A member was removed on behalf of a dead instance (or of this one): its room gets `bye`. */
  gone(rid: string, member: RoomMember): Promise<void>;
  /** The registry no longer knows this instance's members. */
  evicted(): void;
}

export interface ClusterPresenceOptions {
  client: Redis;
  keys: RedisKeys;
  registry: RedisRoomRegistry;
  ttlMs: number;
  log: ServerLogger;
  now?: () => number;
}

export class ClusterPresence {
  readonly #o: ClusterPresenceOptions;
  readonly #id: string;
  #hooks?: PresenceHooks;
  #registered = false;
  #sweepAllowedAt = 0;
  /** Own members found unheld by the last sweep. */
  #suspects = new Set<string>();
  #timers: NodeJS.Timeout[] = [];
  #busy = { beat: false, sweep: false };
  #stopped = false;

  constructor(options: ClusterPresenceOptions) {
    this.#o = options;
    this.#id = options.registry.instanceId;
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  /** Registers this instance (rejects when Redis refuses) and starts the timers. */
  async start(hooks: PresenceHooks): Promise<void> {
    this.#hooks = hooks;
    await this.beat();
    this.connectionRestored();
    const every = (ms: number, task: () => Promise<void>): void => {
      const timer = setInterval(() => void task(), ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(Math.max(50, Math.floor(this.#o.ttlMs / 3)), () => this.#guarded('beat', () => this.beat()));
    every(Math.max(50, Math.floor(this.#o.ttlMs / 2)), () => this.#guarded('sweep', () => this.sweep()));
  }

  /** After a (re)connection to Redis: give the other instances one TTL to refresh their keys. */
  connectionRestored(): void {
    this.#sweepAllowedAt = this.#now() + this.#o.ttlMs;
  }

  async #guarded(kind: 'beat' | 'sweep', task: () => Promise<void>): Promise<void> {
    if (this.#busy[kind] || this.#stopped) return;
    this.#busy[kind] = true;
    try {
      await task();
    } catch (err) {
      this.#o.log.debug(`cluster ${kind} failed`, { err: (err as Error).message });
    } finally {
      this.#busy[kind] = false;
    }
  }

  /** Refreshes the liveness key; detects an eviction. */
  async beat(): Promise<void> {
    const { client, keys, ttlMs } = this.#o;
    const results = await client
      .multi()
      .set(keys.instanceAlive(this.#id), String(this.#now()), 'PX', ttlMs, 'GET')
      .sadd(keys.instances, this.#id)
      .exec();
    if (!results || results.some(([err]) => err)) throw new Error('heartbeat transaction failed');
    const previous = results[0]?.[1];
    const added = results[1]?.[1];
    if (this.#registered && !this.#stopped && (previous === null || added === 1)) {
      this.#o.log.error('this instance was presumed dead (or Redis lost its data): dropping its connections', {
        instance: this.#id,
      });
      this.#suspects.clear();
      this.#hooks?.evicted();
    }
    this.#registered = true;
  }

  /** Removes the members of dead instances, and this instance's members it no longer holds. */
  async sweep(): Promise<void> {
    const hooks = this.#hooks;
    if (!hooks || this.#now() < this.#sweepAllowedAt) return;
    const { client, keys, registry, log } = this.#o;
    for (const id of await client.smembers(keys.instances)) {
      if (id === this.#id || (await client.exists(keys.instanceAlive(id))) === 1) continue;
      const members = await registry.membersOfInstance(id);
      log.warn('server instance is gone: removing its members', { instance: id, members: members.length });
      for (const { rid, sid } of members) {
        // Atomic: when two instances sweep together, each member is removed (and announced) once.
        const removed = await registry.removeMember(rid, sid);
        if (removed) await hooks.gone(rid, removed);
      }
      await registry.dropInstanceMembers(id);
      await client.srem(keys.instances, id);
    }
    const suspects = new Set<string>();
    for (const { rid, sid } of await registry.membersOfInstance(this.#id)) {
      if (hooks.holds(rid, sid)) continue;
      const ref = `${rid} ${sid}`;
      if (!this.#suspects.has(ref)) {
        suspects.add(ref);
        continue;
      }
      const removed = await registry.removeMember(rid, sid);
      if (removed) {
        log.warn('removed a member this instance no longer holds', { rid, sid });
        await hooks.gone(rid, removed);
      }
    }
    this.#suspects = suspects;
  }

  /** Stops the timers and unregisters this instance (best effort). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timers.forEach((t) => clearInterval(t));
    this.#timers = [];
    const { client, keys } = this.#o;
    try {
      await client.del(keys.instanceAlive(this.#id));
      // Members whose removal failed stay registered: the other instances sweep them now.
      if ((await client.scard(keys.instanceMembers(this.#id))) === 0) await client.srem(keys.instances, this.#id);
    } catch {
      // Redis away: the key expires and the others sweep what is left.
    }
  }
}
