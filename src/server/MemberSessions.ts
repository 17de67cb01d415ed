/**
 * Where each room member of this process is attached: a live connection, or nothing while it is
 * suspended (session-resume extension). Delivery to members goes through here, so messages for a
 * suspended member are kept (bounded) and handed over when it resumes, in order, after `inRoom`.
 *
 * Every method is synchronous: attaching, suspending and resuming cannot interleave with a
 * delivery, so no message is lost or reordered across a resume.
 */
import type { Connection, Membership, SkylinkSocket } from './connection';

export interface BacklogLimits {
  /** Messages kept for a suspended member. */
  maxMessages: number;
  /** Characters kept for a suspended member. */
  maxChars: number;
}

export const DEFAULT_BACKLOG_LIMITS: Readonly<BacklogLimits> = Object.freeze({ maxMessages: 500, maxChars: 2 * 1024 * 1024 });

interface Attachment {
  membership: Membership;
  /** null while suspended. */
  conn: Connection | null;
  backlog: string[];
  backlogChars: number;
  graceTimer?: NodeJS.Timeout;
  onExpire?: (m: Membership, why: 'grace' | 'overflow') => void;
}

export interface Resumed {
  membership: Membership;
  /** Messages that arrived while it was suspended (JSON strings, in order). */
  backlog: string[];
  /** The connection it was taken from, when it was still attached (the old socket not yet closed). */
  takenFrom: Connection | null;
}

/** rid -> sid -> attachment (two plain lookups: no key string built per delivery). */
class AttachmentTable {
  readonly #rooms = new Map<string, Map<string, Attachment>>();

  get(rid: string, sid: string): Attachment | undefined {
    return this.#rooms.get(rid)?.get(sid);
  }

  set(a: Attachment): void {
    const { rid, sid } = a.membership;
    let room = this.#rooms.get(rid);
    if (!room) this.#rooms.set(rid, (room = new Map()));
    room.set(sid, a);
  }

  delete(rid: string, sid: string): void {
    const room = this.#rooms.get(rid);
    if (room?.delete(sid) && room.size === 0) this.#rooms.delete(rid);
  }

  *values(): IterableIterator<Attachment> {
    for (const room of this.#rooms.values()) yield* room.values();
  }
}

export class MemberSessions {
  readonly #table = new AttachmentTable();

  constructor(private readonly limits: BacklogLimits = DEFAULT_BACKLOG_LIMITS) {}

  /** Attaches a membership to a connection (fresh join). */
  attach(conn: Connection, m: Membership): void {
    conn.rooms.set(m.rid, m);
    this.#table.set({ membership: m, conn, backlog: [], backlogChars: 0 });
  }

  /**
   * Ends the membership `m` of `conn` (leave, rejoin, disconnect without grace). Returns false when
   * `m` is no longer that connection's membership (already left, resumed elsewhere).
   */
  detach(conn: Connection, m: Membership): boolean {
    if (conn.rooms.get(m.rid) !== m) return false;
    conn.rooms.delete(m.rid);
    clearMembershipTimers(m);
    if (this.#table.get(m.rid, m.sid)?.membership === m) this.#table.delete(m.rid, m.sid);
    return true;
  }

  /**
   * Suspends the membership `m` of a closed connection for `graceMs`; `onExpire` runs if it is
   * not resumed in time (or its backlog overflows).
   */
  suspend(conn: Connection, m: Membership, graceMs: number, onExpire: (m: Membership, why: 'grace' | 'overflow') => void): boolean {
    if (conn.rooms.get(m.rid) !== m) return false;
    conn.rooms.delete(m.rid);
    clearMembershipTimers(m);
    const a: Attachment = { membership: m, conn: null, backlog: [], backlogChars: 0, onExpire };
    a.graceTimer = setTimeout(() => this.#expire(a, 'grace'), graceMs);
    a.graceTimer.unref();
    this.#table.set(a);
    return true;
  }

  #expire(a: Attachment, why: 'grace' | 'overflow'): void {
    const { rid, sid } = a.membership;
    if (this.#table.get(rid, sid) !== a || a.conn !== null) return;
    this.#table.delete(rid, sid);
    clearTimeout(a.graceTimer);
    a.onExpire?.(a.membership, why);
  }

  /** This process holds the member (attached or suspended). */
  holds(rid: string, sid: string): boolean {
    return this.#table.get(rid, sid) !== undefined;
  }

  isSuspended(rid: string, sid: string): boolean {
    return this.#table.get(rid, sid)?.conn === null;
  }

  /**
   * Moves the member `sid` of `rid` to `conn`, whether suspended or still attached to another
   * (or the same) connection. The caller must send `inRoom` and then the backlog before yielding.
   */
  resume(conn: Connection, rid: string, sid: string, resumable: boolean): Resumed | undefined {
    const a = this.#table.get(rid, sid);
    if (!a) return undefined;
    const m = a.membership;
    let takenFrom: Connection | null = null;
    if (a.conn) {
      if (a.conn.rooms.get(rid) !== m) return undefined;
      a.conn.rooms.delete(rid);
      clearMembershipTimers(m);
      takenFrom = a.conn;
    }
    clearTimeout(a.graceTimer);
    const backlog = a.backlog;
    m.resumable = resumable;
    this.attach(conn, m);
    return { membership: m, backlog, takenFrom };
  }

  /**
   * Delivers a JSON message to a member of this process: sent on its socket, or kept while it is
   * suspended. Returns false when the member is not attached here.
   */
  deliver(rid: string, sid: string, json: string): boolean {
    const socket = this.#deliverOrSocket(rid, sid, json);
    if (socket === undefined) return false;
    if (socket) socket.emit('message', json);
    return true;
  }

  /**
   * `deliver` for a room broadcast: an attached member's socket is added to `sockets` (the caller
   * sends `json` to all of them with one encoding) instead of being sent to here.
   */
  deliverOrCollect(rid: string, sid: string, json: string, sockets: SkylinkSocket[]): boolean {
    const socket = this.#deliverOrSocket(rid, sid, json);
    if (socket === undefined) return false;
    if (socket) sockets.push(socket);
    return true;
  }

  /** The attached member's socket; null once kept for (or ended by) its suspension; undefined if not held. */
  #deliverOrSocket(rid: string, sid: string, json: string): SkylinkSocket | null | undefined {
    const a = this.#table.get(rid, sid);
    if (!a) return undefined;
    if (a.conn) return a.conn.socket;
    if (a.backlog.length >= this.limits.maxMessages || a.backlogChars + json.length > this.limits.maxChars) {
      // Too much missed: the session cannot be resumed faithfully; end it now.
      this.#expire(a, 'overflow');
      return null;
    }
    a.backlog.push(json);
    a.backlogChars += json.length;
    return null;
  }

  /** Members suspended right now. */
  get suspendedCount(): number {
    let n = 0;
    for (const a of this.#table.values()) if (a.conn === null) n++;
    return n;
  }

  /** Drops every suspension without running `onExpire` (server shutdown). */
  clearSuspended(): void {
    for (const a of [...this.#table.values()]) {
      if (a.conn !== null) continue;
      clearTimeout(a.graceTimer);
      this.#table.delete(a.membership.rid, a.membership.sid);
    }
  }
}

function clearMembershipTimers(m: Membership): void {
  for (const t of m.timers) clearTimeout(t);
  m.timers = [];
}
