/**
 * The socket.io side: one `Connection` per socket (several rooms per socket, routed by `rid`),
 * validation of every inbound message, join/leave, relay by `target`, broadcast without echo,
 * ordered `enter` delivery, flood control and scheduled-room timers. Server-side features
 * (stored messages, privileged peers, legacy bundles) live in `roomFeatures.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'socket.io';
import { parseClientMessage, type GuardLimits } from '../signaling/guards';
import {
  NEGOTIATION_TYPES,
  SystemAction,
  SystemActionReason,
  type ClientToServerEvents,
  type ClientToServerMessage,
  type IceServerEntry,
  type ServerToClientEvents,
  type ServerToClientMessage,
} from '../signaling/protocol';
import type { AppDirectory } from './apps';
import { turnRestCredentials, type TokenService } from './auth';
import type { ResolvedServerConfig } from './config';
import type { Connection, Membership, SkylinkSocket } from './connection';
import { FloodController } from './FloodControl';
import type { RoomGrant } from './auth';
import { MemberSessions } from './MemberSessions';
import type { RoomMember, RoomRegistry } from './RoomRegistry';
import type { ServerLogger } from './serverLogger';
import type { MessageStore } from './stores/MessageStore';
import { RoomFeatures } from './roomFeatures';

/** Between server instances (through the socket.io Redis adapter). */
export interface InterServerEvents {
  /** A message for members of `rid` that another instance holds. */
  'skylink:deliver': (rid: string, sids: string[], json: string) => void;
}

export type SkylinkIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;

export interface SignalingDeps {
  io: SkylinkIo;
  config: ResolvedServerConfig;
  apps: AppDirectory;
  tokens: TokenService;
  registry: RoomRegistry;
  store: MessageStore;
  log: ServerLogger;
  /**
   * Other instances share the registry (Redis): members not held here are reached through
   * `serverSideEmit`, which also reaches members suspended on another instance.
   */
  clustered?: boolean;
}

/** Longest delay Node timers accept. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** `raw`: the JSON text `msg` was parsed from, relayed as is when `msg` is forwarded unchanged. */
type Handler<T extends ClientToServerMessage['type']> = (
  conn: Connection,
  msg: Extract<ClientToServerMessage, { type: T }>,
  raw?: string,
) => Promise<void>;
type Handlers = { [T in ClientToServerMessage['type']]: Handler<T> };
/** A message relayed to its `target` or, without one, to the rest of the room. */
type Routed = ClientToServerMessage & { rid: string; target?: string };

export class SignalingServer {
  readonly #deps: SignalingDeps;
  readonly #log: ServerLogger;
  readonly #connections = new Set<Connection>();
  readonly #features: RoomFeatures;
  readonly #sessions = new MemberSessions();
  /** One object for every message: the guards merge it with their defaults once. */
  readonly #guardLimits: Partial<GuardLimits>;
  #tieBreaker = 0;
  #shuttingDown = false;

  constructor(deps: SignalingDeps) {
    this.#deps = deps;
    this.#log = deps.log;
    this.#guardLimits = { maxMessageLength: deps.config.maxMessageLength };
    this.#features = new RoomFeatures({
      ...deps,
      send: (socketId, msg) => this.send(socketId, msg),
      deliver: (rid, member, msg) => this.#deliver(rid, member, JSON.stringify(msg)),
      membership: (conn, msg) => this.membership(conn, msg),
      handle: (conn, msg) => this.#handle(conn, msg),
    });
    deps.io.on('connection', (socket) => this.#onConnection(socket));
    if (deps.clustered) {
      deps.io.on('skylink:deliver', (rid, sids, json) => {
        if (typeof rid !== 'string' || !Array.isArray(sids) || typeof json !== 'string') return;
        for (const sid of sids) if (typeof sid === 'string') this.#sessions.deliver(rid, sid, json);
      });
    }
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Members whose socket dropped and that may still resume. */
  get suspendedCount(): number {
    return this.#sessions.suspendedCount;
  }

  // ---- connection lifecycle ------------------------------------------------------------------

  #onConnection(socket: SkylinkSocket): void {
    const { floodControl } = this.#deps.config;
    const conn: Connection = {
      socket,
      rooms: new Map(),
      flood: floodControl ? new FloodController(floodControl) : undefined,
      queue: Promise.resolve(),
      pending: 0,
      closed: false,
    };
    this.#connections.add(conn);
    this.#log.debug('socket connected', { socketId: socket.id, eio: socket.conn.protocol });
    socket.on('message', (payload: unknown) => this.#onMessage(conn, payload));
    socket.on('error', (err) => this.#log.warn('socket error', { socketId: socket.id, err }));
    socket.on('disconnect', (reason) => {
      conn.closed = true;
      this.#connections.delete(conn);
      this.#log.debug('socket disconnected', { socketId: socket.id, reason });
      this.#enqueue(conn, () => this.#onDisconnect(conn, reason));
    });
  }

  #enqueue(conn: Connection, task: () => Promise<void>): void {
    conn.pending++;
    conn.queue = conn.queue.then(task).then(
      () => {
        conn.pending--;
      },
      (err: unknown) => {
        conn.pending--;
        this.#log.error('message handler failed', { socketId: conn.socket.id, err: err as Error });
      },
    );
  }

  #onMessage(conn: Connection, payload: unknown): void {
    if (conn.closed) return;
    const parsed = parseClientMessage(payload, this.#guardLimits);
    const type = parsed.ok ? parsed.message.type : undefined;
    if (!this.#admitByRate(conn, type, parsed.ok ? (parsed.message as { rid?: string }).rid : undefined)) return;
    if (!parsed.ok) {
      this.#log.warn('dropped invalid message', {
        socketId: conn.socket.id,
        reason: parsed.reason,
        detail: parsed.detail,
      });
      return;
    }
    const msg = parsed.message;
    const raw = typeof payload === 'string' ? payload : undefined;
    // Nothing of this socket waits before it: a plain relay goes out now (in order) when the
    // registry answers synchronously, without a promise chain per message.
    if (conn.pending === 0 && this.#relayNow(conn, msg, raw)) return;
    this.#enqueue(conn, () => this.#handle(conn, msg, raw));
  }

  /** Relays `msg` synchronously if it is a plain relay and the registry lists members at once; else false. */
  #relayNow(conn: Connection, msg: ClientToServerMessage, raw: string | undefined): boolean {
    const { registry } = this.#deps;
    if (!registry.membersNow || !this.#isPlainRelay(msg)) return false;
    const m = this.membership(conn, msg);
    if (!m) return true;
    const members = registry.membersNow(m.rid);
    const { target } = msg;
    if (target === undefined) {
      this.#deliverAll(m.rid, members.filter((member) => member.sid !== m.sid), raw ?? JSON.stringify(msg));
    } else {
      this.#sendTo(m, msg, target === m.sid ? undefined : members.find((member) => member.sid === target), raw);
    }
    return true;
  }

  /** `msg`'s handler does nothing but `#route` it. */
  #isPlainRelay(msg: ClientToServerMessage): msg is Routed {
    if ((this.#handlers[msg.type] as unknown) === this.#routeHandler) return true;
    if (msg.type === 'enter') return msg.target !== undefined;
    return msg.type === 'message' && !RoomFeatures.persists(msg);
  }

  /** Flood control; returns false when the message must be dropped. */
  #admitByRate(conn: Connection, type: string | undefined, rid: string | undefined): boolean {
    if (!conn.flood) return true;
    const verdict = conn.flood.check(type !== undefined && NEGOTIATION_TYPES.has(type));
    if (verdict === 'ok') return true;
    if (verdict === 'disconnect') {
      this.#log.warn('disconnecting flooding socket', { socketId: conn.socket.id });
      conn.closed = true;
      conn.kicked = true;
      conn.socket.disconnect(true);
      return false;
    }
    if (verdict === 'warn') {
      const membership = (rid && conn.rooms.get(rid)) || conn.rooms.values().next().value;
      this.#log.warn('flood warning sent', { socketId: conn.socket.id, type });
      if (membership) {
        conn.socket.emit(
          'message',
          JSON.stringify({
            type: 'redirect',
            rid: membership.rid,
            action: SystemAction.WARNING,
            reason: SystemActionReason.FAST_MESSAGE,
            info: 'You are sending messages too fast; they are being dropped',
          }),
        );
      }
    }
    return false;
  }

  // ---- delivery --------------------------------------------------------------------------------

  /** To a socket of this instance. */
  send(socketId: string, msg: ServerToClientMessage | ClientToServerMessage): void {
    this.#deps.io.local.to(socketId).emit('message', JSON.stringify(msg));
  }

  /** To a room member: its current socket, or its backlog while it is suspended. */
  #deliver(rid: string, member: RoomMember, json: string): void {
    this.#deliverAll(rid, [member], json);
  }

  /**
   * To room members held here (attached ones all at once: one encoding, as a socket.io room
   * broadcast), then (one message) to those held by other instances.
   */
  #deliverAll(rid: string, members: readonly RoomMember[], json: string): void {
    const sockets: SkylinkSocket[] = [];
    const elsewhere: RoomMember[] = [];
    for (const member of members) {
      if (!this.#sessions.deliverOrCollect(rid, member.sid, json, sockets)) elsewhere.push(member);
    }
    if (sockets.length === 1) sockets[0]?.emit('message', json);
    else if (sockets.length > 1) this.#deps.io.local.to(sockets.map((socket) => socket.id)).emit('message', json);
    if (elsewhere.length === 0) return;
    if (this.#deps.clustered) {
      this.#deps.io.serverSideEmit('skylink:deliver', rid, elsewhere.map((m) => m.sid), json);
      return;
    }
    for (const member of elsewhere) this.#deps.io.to(member.socketId).emit('message', json);
  }

  #redirect(conn: Connection, rid: string, action: SystemAction, reason: SystemActionReason, info: string): void {
    conn.socket.emit('message', JSON.stringify({ type: 'redirect', rid, action, reason, info }));
  }

  /**
   * The sender's membership for `msg.rid`, checking that `mid` (when present) is its own id.
   * Logs and returns undefined otherwise.
   */
  membership(conn: Connection, msg: { type: string; rid?: string; mid?: string }): Membership | undefined {
    const m = msg.rid !== undefined ? conn.rooms.get(msg.rid) : undefined;
    if (!m) {
      this.#log.warn('dropped message for a room the socket is not in', { socketId: conn.socket.id, type: msg.type });
      return undefined;
    }
    if (msg.mid !== undefined && msg.mid !== m.sid) {
      this.#log.warn('dropped message with spoofed mid', { socketId: conn.socket.id, type: msg.type, rid: m.rid });
      return undefined;
    }
    return m;
  }

  /** Relays to `target` (a member of the same room) or broadcasts to the other members. */
  async #route(conn: Connection, msg: Routed, raw?: string): Promise<void> {
    const m = this.membership(conn, msg);
    if (!m) return;
    if (msg.target === undefined) return this.#broadcast(m, msg, undefined, raw);
    this.#sendTo(m, msg, msg.target === m.sid ? undefined : await this.#deps.registry.getMember(m.rid, msg.target), raw);
  }

  /** To the member `target` of the sender's room (undefined: unknown, or the sender itself). */
  #sendTo(m: Membership, msg: Routed, target: Readonly<RoomMember> | undefined, raw: string | undefined): void {
    if (!target) {
      this.#log.info('dropped message to unknown target', { rid: m.rid, type: msg.type, from: m.sid });
      return;
    }
    this.#deliver(m.rid, target, raw ?? JSON.stringify(msg));
  }

  /** To the other members of the room (those `filter` accepts); `raw`: the JSON text of `msg`. */
  async #broadcast(
    from: { rid: string; sid: string },
    msg: ServerToClientMessage | ClientToServerMessage,
    filter?: (member: RoomMember) => boolean,
    raw?: string,
  ): Promise<void> {
    const members = await this.#deps.registry.listMembers(from.rid);
    const to = members.filter((member) => member.sid !== from.sid && (!filter || filter(member)));
    this.#deliverAll(from.rid, to, raw ?? JSON.stringify(msg));
  }

  // ---- message handlers ----------------------------------------------------------------------

  readonly #routeHandler = (conn: Connection, msg: Routed, raw?: string): Promise<void> => this.#route(conn, msg, raw);

  readonly #handlers: Handlers = {
    joinRoom: (conn, msg) => this.#join(conn, msg),
    enter: async (conn, msg, raw) => {
      if (msg.target !== undefined) return this.#route(conn, msg, raw);
      const m = this.membership(conn, msg);
      if (!m) return;
      const self = await this.#deps.registry.getMember(m.rid, m.sid);
      if (!self) return;
      // Only members admitted before the sender get its `enter`: they welcome it and it offers.
      // Two simultaneous joiners therefore never both wait in `welcoming`.
      await this.#broadcast(m, msg, (o) => o.seq < self.seq && self.autoIntroduce && o.autoIntroduce, raw);
    },
    welcome: this.#routeHandler,
    offer: this.#routeHandler,
    answer: this.#routeHandler,
    answerAck: this.#routeHandler,
    candidate: this.#routeHandler,
    endOfCandidates: this.#routeHandler,
    restart: this.#routeHandler,
    private: this.#routeHandler,
    public: this.#routeHandler,
    stream: this.#routeHandler,
    muteAudioEvent: this.#routeHandler,
    muteVideoEvent: this.#routeHandler,
    mediaInfoEvent: this.#routeHandler,
    startRTMP: this.#routeHandler,
    stopRTMP: this.#routeHandler,
    updateUserEvent: async (conn, msg, raw) => {
      const m = this.membership(conn, msg);
      if (!m) return;
      await this.#deps.registry.setUserData(m.rid, m.sid, msg.userData);
      await this.#broadcast(m, msg, undefined, raw);
    },
    roomLockEvent: async (conn, msg, raw) => {
      const m = this.membership(conn, msg);
      if (!m) return;
      await this.#deps.registry.setLocked(m.rid, msg.lock);
      this.#log.info('room lock changed', { rid: m.rid, locked: msg.lock, by: m.sid });
      await this.#broadcast(m, msg, undefined, raw);
    },
    bye: async (conn, msg) => {
      const m = this.membership(conn, msg);
      if (m) await this.#leave(conn, m, 'bye');
    },
    message: (conn, msg, raw) => this.#features.chatMessage(conn, msg, (c, x) => this.#route(c, x, x === msg ? raw : undefined)),
    getStoredMessages: (conn, msg) => this.#features.getStoredMessages(conn, msg),
    getPeers: (conn, msg) => this.#features.getPeers(conn, msg),
    introduce: (conn, msg) => this.#features.introduce(conn, msg),
    group: (conn, msg) => this.#features.group(conn, msg),
    startRecordingRoom: async (conn, msg) => this.#features.recording(conn, msg),
    stopRecordingRoom: async (conn, msg) => this.#features.recording(conn, msg),
  };

  async #handle(conn: Connection, msg: ClientToServerMessage, raw?: string): Promise<void> {
    const handler = this.#handlers[msg.type] as (c: Connection, m: ClientToServerMessage, raw?: string) => Promise<void>;
    await handler(conn, msg, raw);
  }

  // ---- join / leave --------------------------------------------------------------------------

  async #join(conn: Connection, msg: Extract<ClientToServerMessage, { type: 'joinRoom' }>): Promise<void> {
    try {
      await this.#tryJoin(conn, msg);
    } catch (err) {
      // The shared registry is unreachable (Redis down): refuse instead of leaving the client waiting.
      this.#log.error('join failed', { socketId: conn.socket.id, rid: msg.rid, err: err as Error });
      this.#redirect(conn, msg.rid, SystemAction.REJECT, SystemActionReason.SERVER_ERROR, 'The room service is unavailable');
    }
  }

  async #tryJoin(conn: Connection, msg: Extract<ClientToServerMessage, { type: 'joinRoom' }>): Promise<void> {
    const { config, tokens, registry, apps } = this.#deps;
    const reject = (reason: SystemActionReason, info: string): void => {
      this.#log.warn('join rejected', { socketId: conn.socket.id, rid: msg.rid, reason });
      this.#redirect(conn, msg.rid, SystemAction.REJECT, reason, info);
    };
    const previous = conn.rooms.get(msg.rid);
    if (!previous && conn.rooms.size >= config.maxRoomsPerSocket) {
      return reject(SystemActionReason.SERVER_ERROR, 'Too many rooms on one connection');
    }
    const check = tokens.verifyJoin(msg);
    if (!check.ok) return reject(check.reason, check.info);
    tokens.consume(msg.userCred ?? '');
    if (!(await registry.claimJoinToken(msg.userCred ?? '', config.tokenTtlMs))) {
      return reject(SystemActionReason.DUPLICATED_LOGIN, 'Credentials already used to join');
    }
    const { grant } = check;
    const app = apps.resolve(grant.app);
    if (!app) return reject(SystemActionReason.KEY_FAILED, 'App Key is not accepted');
    if (!apps.isOriginAllowed(app, conn.socket.handshake.headers.origin)) {
      return reject(SystemActionReason.KEY_FAILED, 'Origin not allowed for this App Key');
    }
    const resumeSid = this.#verifiedResumeSid(msg, grant.rid);
    if (previous && previous.sid !== resumeSid) await this.#leave(conn, previous, 'rejoin');
    if (resumeSid !== undefined && (await this.#resume(conn, msg, grant, app, resumeSid))) return;

    const isPrivileged = app.isPrivileged ?? false;
    // A shared registry may raise it to keep it unique and increasing in the room.
    this.#tieBreaker = Math.max(this.#tieBreaker + 1, Date.now() * 100);
    const tieBreaker = this.#tieBreaker;
    const newMember = (sid: string): Parameters<RoomRegistry['admit']>[3] => ({
      sid,
      socketId: conn.socket.id,
      appKey: grant.app,
      isPrivileged,
      autoIntroduce: app.autoIntroduce ?? true,
      joinedAt: Date.now(),
      tieBreaker,
    });
    // A verified resumeSid unknown here (e.g. after a restart) gets its sid back when it is free.
    let admitted = await registry.admit(grant.rid, grant.app, grant.room, newMember(resumeSid ?? randomUUID()), config.maxMembersPerRoom);
    if (!admitted.ok && admitted.reason === 'taken') {
      admitted = await registry.admit(grant.rid, grant.app, grant.room, newMember(randomUUID()), config.maxMembersPerRoom);
    }
    if (!admitted.ok) {
      return admitted.reason === 'locked'
        ? reject(SystemActionReason.LOCKED, 'The room is locked')
        : reject(SystemActionReason.SERVER_ERROR, 'The room is full');
    }
    const { sid } = admitted.member;
    if (conn.closed) {
      await registry.removeMember(grant.rid, sid);
      return;
    }
    this.#tieBreaker = Math.max(this.#tieBreaker, admitted.member.tieBreaker ?? tieBreaker);
    const membership: Membership = {
      rid: grant.rid,
      sid,
      appKey: grant.app,
      roomName: grant.room,
      app,
      sessionId: admitted.room.sessionId,
      isPrivileged,
      tieBreaker: admitted.member.tieBreaker ?? tieBreaker,
      resumable: msg.resumable === true,
      timers: [],
    };
    this.#sessions.attach(conn, membership);
    conn.socket.emit('message', JSON.stringify(this.#inRoom(membership, admitted.room.locked, false)));
    this.#log.info('peer joined', {
      rid: grant.rid,
      appKey: grant.app,
      room: grant.room,
      sid,
      ...(resumeSid !== undefined ? { resumeSid, sameSid: sid === resumeSid } : {}),
    });
    if (grant.scheduled) this.#scheduleClose(conn, membership, Date.parse(grant.start) + grant.len * 3_600_000);
  }

  #inRoom(m: Membership, isLocked: boolean, resumed: boolean): ServerToClientMessage {
    return {
      type: 'inRoom',
      rid: m.rid,
      sid: m.sid,
      mid: m.sid,
      pc_config: { iceServers: this.#iceServers() },
      tieBreaker: m.tieBreaker,
      isPrivileged: m.isPrivileged,
      autoIntroduce: m.app.autoIntroduce ?? true,
      isLocked,
      // Resume extension fields only for clients that asked for it (2.x never does).
      ...(m.resumable ? { resumeToken: this.#deps.tokens.resumeToken(m.rid, m.sid), resumed } : {}),
    };
  }

  /** The `resumeSid` of a joinRoom whose `resumeToken` proves it, else undefined. */
  #verifiedResumeSid(msg: Extract<ClientToServerMessage, { type: 'joinRoom' }>, rid: string): string | undefined {
    const { resumeSid, resumeToken } = msg;
    if (resumeSid === undefined && resumeToken === undefined) return undefined;
    if (resumeSid !== undefined && resumeToken !== undefined && this.#deps.tokens.verifyResume(rid, resumeSid, resumeToken)) {
      return resumeSid;
    }
    this.#log.warn('resume token rejected: joining as a new peer', { rid, resumeSid: resumeSid?.slice(0, 64) });
    return undefined;
  }

  /**
   * Reattaches the member `sid` (suspended, or still on an old socket) to `conn`: `inRoom` with
   * `resumed: true`, then what it missed. Nobody else is told. Not subject to the lock: it was
   * admitted before. Returns false when this server does not hold that member.
   */
  async #resume(
    conn: Connection,
    msg: Extract<ClientToServerMessage, { type: 'joinRoom' }>,
    grant: RoomGrant,
    app: Membership['app'],
    sid: string,
  ): Promise<boolean> {
    const room = await this.#deps.registry.getRoom(grant.rid);
    if (!room || conn.closed) return false;
    // From here to the backlog flush nothing yields: no delivery can slip in between.
    const resumed = this.#sessions.resume(conn, grant.rid, sid, msg.resumable === true);
    if (!resumed) return false;
    const { membership: m, backlog, takenFrom } = resumed;
    m.app = app;
    conn.socket.emit('message', JSON.stringify(this.#inRoom(m, room.locked, true)));
    for (const json of backlog) conn.socket.emit('message', json);
    this.#log.info('peer resumed', {
      rid: m.rid,
      sid,
      backlog: backlog.length,
      ...(takenFrom && takenFrom !== conn ? { tookOverSocket: takenFrom.socket.id } : {}),
    });
    if (grant.scheduled) this.#scheduleClose(conn, m, Date.parse(grant.start) + grant.len * 3_600_000);
    try {
      await this.#deps.registry.setSocket(m.rid, sid, conn.socket.id);
    } catch (err) {
      this.#log.error('recording the resumed socket failed', { rid: m.rid, sid, err: err as Error });
    }
    return true;
  }

  #scheduleClose(conn: Connection, m: Membership, endsAt: number): void {
    const at = (time: number, fn: () => void): void => {
      const delay = time - Date.now();
      const timer = setTimeout(
        () => {
          m.timers = m.timers.filter((t) => t !== timer);
          if (time - Date.now() > 0) at(time, fn);
          else fn();
        },
        Math.max(0, Math.min(delay, MAX_TIMER_MS)),
      );
      timer.unref();
      m.timers.push(timer);
    };
    const warnAt = endsAt - this.#deps.config.closeWarningMs;
    if (warnAt > Date.now()) {
      at(warnAt, () => {
        if (conn.rooms.get(m.rid) !== m) return;
        this.#redirect(conn, m.rid, SystemAction.WARNING, SystemActionReason.TO_CLOSE, 'The room is about to close');
      });
    }
    at(endsAt, () => {
      if (conn.rooms.get(m.rid) !== m) return;
      this.#redirect(conn, m.rid, SystemAction.REJECT, SystemActionReason.ROOM_CLOSE, 'The room has closed');
      this.#enqueue(conn, () => this.#leave(conn, m, 'roomclose'));
    });
  }

  async #leave(conn: Connection, m: Membership, why: string): Promise<void> {
    if (!this.#sessions.detach(conn, m)) return;
    const removed = await this.#deps.registry.removeMember(m.rid, m.sid);
    this.#log.info('peer left', { rid: m.rid, sid: m.sid, why });
    if (!removed) return;
    const bye = { type: 'bye', rid: m.rid, mid: m.sid } as const;
    if (!this.#shuttingDown) {
      await this.#broadcast(m, bye);
    } else if (this.#deps.clustered && !m.resumable) {
      // Shutdown: members here get `roomclose`; those on other instances stay and must learn that a
      // 2.x member is gone (resumable members come back through another instance: no bye).
      await this.#broadcast(m, bye, (other) => !this.#sessions.holds(m.rid, other.sid));
    }
  }

  /**
   * Socket gone: resumable members wait for their client to come back, the others leave now. A
   * client that closed its socket itself (socket.io disconnect packet) meant to leave: no grace.
   */
  async #onDisconnect(conn: Connection, reason: string): Promise<void> {
    const graceMs = this.#deps.config.resumeGraceMs;
    const deliberate = reason === 'client namespace disconnect';
    for (const m of [...conn.rooms.values()]) {
      const suspend = m.resumable && graceMs > 0 && !deliberate && !conn.kicked && !this.#shuttingDown;
      if (suspend && this.#sessions.suspend(conn, m, graceMs, (x, why) => this.#endSuspended(x, why))) {
        this.#log.info('peer suspended until it resumes', { rid: m.rid, sid: m.sid, graceMs });
      } else {
        try {
          await this.#leave(conn, m, 'disconnect');
        } catch (err) {
          // Left here; a shared registry is repaired by the next cluster sweep.
          this.#log.error('leaving a room failed', { rid: m.rid, sid: m.sid, err: err as Error });
        }
      }
    }
  }

  /** This instance holds the member (attached or suspended). */
  holds(rid: string, sid: string): boolean {
    return this.#sessions.holds(rid, sid);
  }

  /** A member was removed from the shared registry on another's behalf: its room gets `bye`. */
  async announceLeft(rid: string, sid: string): Promise<void> {
    this.#log.info('peer left', { rid, sid, why: 'instance gone' });
    if (!this.#shuttingDown) await this.#broadcast({ rid, sid }, { type: 'bye', rid, mid: sid });
  }

  /**
   * Drops every connection and suspension at once, without grace or `bye`: the shared registry
   * no longer knows this instance's members (it was presumed dead, or Redis lost its data).
   * Clients join again (this SDK resumes with the same sid when it is free).
   */
  evictAll(): void {
    this.#sessions.clearSuspended();
    for (const conn of this.#connections) {
      conn.kicked = true;
      conn.closed = true;
      conn.socket.disconnect(true);
    }
  }

  /** A suspended member did not come back in time (or missed too much): it leaves the room. */
  #endSuspended(m: Membership, why: 'grace' | 'overflow'): void {
    const task = async (): Promise<void> => {
      const removed = await this.#deps.registry.removeMember(m.rid, m.sid);
      this.#log.info('peer left', { rid: m.rid, sid: m.sid, why: why === 'grace' ? 'resume grace expired' : 'resume backlog overflow' });
      if (removed && !this.#shuttingDown) await this.#broadcast(m, { type: 'bye', rid: m.rid, mid: m.sid });
    };
    task().catch((err: unknown) => this.#log.error('ending a suspended member failed', { rid: m.rid, err: err as Error }));
  }

  #iceServers(): IceServerEntry[] {
    const { iceServers, turn } = this.#deps.config;
    const entries: IceServerEntry[] = [];
    const add = (url: string, username?: string, credential?: string): void => {
      // 2.x reads the singular `url`, with the TURN username inside it: turn:user@host.
      const legacy = username && /^turns?:/.test(url) ? url.replace(/^(turns?):/, `$1:${username}@`) : url;
      entries.push({ url: legacy, urls: url, ...(username ? { username } : {}), ...(credential ? { credential } : {}) });
    };
    for (const server of iceServers) {
      for (const url of Array.isArray(server.urls) ? server.urls : [server.urls]) {
        add(url, server.username, server.credential);
      }
    }
    if (turn) {
      const { username, credential } = turnRestCredentials(turn.secret, turn.ttlSeconds ?? 86_400, Date.now());
      for (const url of turn.urls) add(url, username, credential);
    }
    return entries;
  }

  // ---- shutdown ------------------------------------------------------------------------------

  /**
   * Tells every member its room closes, then disconnects everybody (waiting for the flush).
   * Resumable members are told nothing: their client resumes on the next server (same `sid`).
   */
  async shutdown(graceMs = 1000): Promise<void> {
    this.#shuttingDown = true;
    this.#sessions.clearSuspended();
    const connections = [...this.#connections];
    const flushed = connections.map((conn) => {
      const transport = conn.socket.conn;
      if (transport.readyState === 'closed') return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        timer.unref();
        transport.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    });
    for (const conn of connections) {
      for (const m of conn.rooms.values()) {
        if (m.resumable) continue;
        this.#redirect(conn, m.rid, SystemAction.REJECT, SystemActionReason.ROOM_CLOSE, 'The server is shutting down');
      }
      conn.socket.disconnect(true);
    }
    await Promise.all([...flushed, ...connections.map((c) => c.queue)]);
  }
}
