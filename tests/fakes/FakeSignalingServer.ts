/**
 * An in-memory Skylink room server for unit tests: the REST auth call (`fetch`) and a socket.io-like
 * socket pair (`connect`). It speaks the wire protocol (JSON strings on `message`): joinRoom → inRoom
 * or redirect, enter delivered to earlier members only, relay by `target`, broadcast otherwise (never
 * echoed), lock, bye on disconnect, and the session-resume extension (grace period for `resumable`
 * members, `resumeSid` + `resumeToken`). Tests drive failures with `down`, `dropAll()`, `restart()`.
 */
import type {
  HttpRequestInit,
  HttpResponseLike,
  SignalingConnectOptions,
  SignalingSocketEventMap,
  SignalingSocketLike,
} from '../../src/platform/SkylinkPlatform';
import { later } from './FakeEmitter';

type Listener = (...args: never[]) => void;

/** Client end of a fake socket. */
export class FakeSocket implements SignalingSocketLike {
  connected = false;
  id: string | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Payloads emitted by the client. */
  readonly sent: string[] = [];
  disconnectedByClient = false;

  constructor(
    readonly server: FakeSignalingServer,
    readonly url: string,
    readonly options: SignalingConnectOptions,
  ) {}

  emit(_event: 'message', payload: string): void {
    if (!this.connected) return;
    this.sent.push(payload);
    later(() => this.server.receive(this, payload));
  }

  on<K extends keyof SignalingSocketEventMap>(event: K, listener: SignalingSocketEventMap[K]): void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener);
  }

  off<K extends keyof SignalingSocketEventMap>(event: K, listener: SignalingSocketEventMap[K]): void {
    this.listeners.get(event)?.delete(listener as Listener);
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  disconnect(): void {
    this.disconnectedByClient = true;
    if (!this.connected) {
      this.server.forget(this);
      return;
    }
    this.connected = false;
    this.server.onClientDisconnect(this);
    this.fire('disconnect', 'io client disconnect');
  }

  /** @internal server side */
  fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  }
}

interface Member {
  sid: string;
  socket: FakeSocket | null;
  resumable: boolean;
  order: number;
  graceTimer: ReturnType<typeof setTimeout> | null;
}

interface Room {
  name: string;
  rid: string;
  locked: boolean;
  members: Map<string, Member>;
}

export interface FakeServerOptions {
  /** Grace period for resumable members after a socket drop. */
  resumeGraceMs?: number;
}

export class FakeSignalingServer {
  /** When true, connection attempts fail with connect_error. */
  down = false;
  /** When set, connections neither succeed nor fail (timeout tests). */
  silent = false;
  /** When set, the REST call answers with this status/body. */
  restFailure: { status: number; body: unknown } | null = null;
  /** When true, the REST call throws (network error). */
  restNetworkError = false;
  /** When true, joinRoom gets no answer (timeout tests). */
  ignoreJoins = false;
  readonly sockets = new Set<FakeSocket>();
  /** Every message the server received: `{ from, message }`. */
  readonly received: Array<{ socket: FakeSocket; message: Record<string, unknown> }> = [];
  readonly restCalls: Array<{ url: string; headers: Record<string, string> }> = [];
  private rooms = new Map<string, Room>();
  private seq = 0;
  private generation = 0;
  readonly resumeGraceMs: number;

  constructor(
    readonly host = 'fake.test:3000',
    options: FakeServerOptions = {},
  ) {
    this.resumeGraceMs = options.resumeGraceMs ?? 15000;
  }

  // ---- REST -------------------------------------------------------------------------------------

  async fetch(url: string, init?: HttpRequestInit): Promise<HttpResponseLike> {
    this.restCalls.push({ url, headers: { ...(init?.headers ?? {}) } });
    if (this.restNetworkError) throw new TypeError('Failed to fetch');
    const json = (status: number, body: unknown): HttpResponseLike => ({
      ok: status >= 200 && status < 300,
      status,
      json: async () => body,
    });
    if (this.restFailure) return json(this.restFailure.status, this.restFailure.body);
    const m = /\/api\/([^/?]+)\/([^/?]+)/.exec(url);
    if (!m) return json(404, { info: 'not found', error: 404 });
    const roomName = decodeURIComponent(m[2] ?? '');
    return json(200, {
      success: true,
      room_key: `rk_${roomName}`,
      ipSigserver: this.host,
      ipSigserverPath: '/socket.io',
      pc_constraints: '{}',
      offer_constraints: '{}',
      media_constraints: '{}',
      hasMCU: false,
      hasPersistentMessage: false,
      isPrivileged: false,
      autoIntroduce: true,
      cid: m[1],
      apiOwner: 'owner',
      roomCred: 'rc',
      userCred: 'uc',
      username: `user${this.seq}`,
      timeStamp: new Date(0).toISOString(),
      start: new Date(0).toISOString(),
      len: 24,
      roomSessionId: `session_${roomName}`,
      peerSessionId: `ps${this.seq}`,
      roomName,
    });
  }

  // ---- sockets ------------------------------------------------------------------------------------

  connect(url: string, options: SignalingConnectOptions): FakeSocket {
    const socket = new FakeSocket(this, url, options);
    this.sockets.add(socket);
    if (this.silent) return socket;
    later(() => {
      if (socket.disconnectedByClient) return;
      if (this.down) {
        this.sockets.delete(socket);
        socket.fire('connect_error', new Error('xhr poll error'));
        return;
      }
      this.seq += 1;
      socket.id = `sock${this.seq}`;
      socket.connected = true;
      socket.fire('connect');
    });
    return socket;
  }

  /** @internal */
  forget(socket: FakeSocket): void {
    this.sockets.delete(socket);
  }

  /** Server-side drop of every socket (like a network cut or a crash). */
  dropAll(reason = 'transport close'): void {
    for (const socket of [...this.sockets]) {
      if (!socket.connected) continue;
      socket.connected = false;
      this.sockets.delete(socket);
      this.onClientDisconnect(socket);
      socket.fire('disconnect', reason);
    }
  }

  /** A crash and restart: every socket drops and all room state is lost. */
  restart(): void {
    const rooms = [...this.rooms.values()];
    this.rooms = new Map();
    for (const room of rooms) for (const m of room.members.values()) if (m.graceTimer) clearTimeout(m.graceTimer);
    this.generation += 1;
    for (const socket of [...this.sockets]) {
      if (!socket.connected) continue;
      socket.connected = false;
      this.sockets.delete(socket);
      socket.fire('disconnect', 'transport close');
    }
  }

  /** Clears the grace timers (call in afterEach). */
  close(): void {
    for (const room of this.rooms.values()) {
      for (const m of room.members.values()) if (m.graceTimer) clearTimeout(m.graceTimer);
    }
    this.rooms.clear();
  }

  connectedSockets(): FakeSocket[] {
    return [...this.sockets].filter((s) => s.connected);
  }

  room(name: string): { locked: boolean; members: string[] } | null {
    const room = this.rooms.get(`rk_${name}`);
    return room ? { locked: room.locked, members: [...room.members.keys()] } : null;
  }

  // ---- protocol -------------------------------------------------------------------------------------

  private send(socket: FakeSocket | null, message: Record<string, unknown>): void {
    if (!socket?.connected) return;
    const payload = JSON.stringify(message);
    later(() => {
      if (socket.connected) socket.fire('message', payload);
    });
  }

  private token(rid: string, sid: string): string {
    return `tok:${rid}:${sid}`;
  }

  private readonly receiveWaiters: Array<{ match: (m: Record<string, unknown>) => boolean; resolve: () => void }> = [];

  /** Resolves once a received message matches (messages received from index `from` on count). */
  waitForReceived(match: (message: Record<string, unknown>) => boolean, from = 0): Promise<void> {
    if (this.received.slice(from).some((r) => match(r.message))) return Promise.resolve();
    return new Promise((resolve) => this.receiveWaiters.push({ match, resolve }));
  }

  /** @internal */
  receive(socket: FakeSocket, payload: string): void {
    if (!socket.connected) return;
    const message = JSON.parse(payload) as Record<string, unknown>;
    this.received.push({ socket, message });
    for (const waiter of [...this.receiveWaiters]) {
      if (!waiter.match(message)) continue;
      this.receiveWaiters.splice(this.receiveWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const rid = String(message.rid ?? '');
    if (message.type === 'joinRoom') {
      this.join(socket, rid, message);
      return;
    }
    const room = this.rooms.get(rid);
    if (!room) return;
    const sender = [...room.members.values()].find((m) => m.socket === socket);
    if (!sender) return;
    switch (message.type) {
      case 'enter':
        for (const m of room.members.values()) if (m !== sender && m.order < sender.order) this.send(m.socket, message);
        return;
      case 'roomLockEvent':
        room.locked = message.lock === true;
        break;
      case 'bye':
        this.removeMember(room, sender, true);
        return;
      default:
        break;
    }
    if (typeof message.target === 'string') {
      this.send(room.members.get(message.target)?.socket ?? null, message);
      return;
    }
    for (const m of room.members.values()) if (m !== sender) this.send(m.socket, message);
  }

  private join(socket: FakeSocket, rid: string, message: Record<string, unknown>): void {
    if (this.ignoreJoins) return;
    let room = this.rooms.get(rid);
    if (!room) {
      room = { name: rid.replace(/^rk_/, ''), rid, locked: false, members: new Map() };
      this.rooms.set(rid, room);
    }
    const resumeSid = typeof message.resumeSid === 'string' ? message.resumeSid : null;
    const tokenOk = resumeSid !== null && message.resumeToken === this.token(rid, resumeSid);
    const existing = resumeSid ? room.members.get(resumeSid) : undefined;
    if (existing && tokenOk) {
      if (existing.graceTimer) clearTimeout(existing.graceTimer);
      existing.graceTimer = null;
      existing.socket = socket;
      this.send(socket, { type: 'inRoom', rid, sid: existing.sid, tieBreaker: existing.order, pc_config: { iceServers: [] }, resumeToken: this.token(rid, existing.sid), resumed: true });
      return;
    }
    if (room.locked) {
      this.send(socket, { type: 'redirect', rid, action: 'reject', reason: 'locked', info: 'Room is locked' });
      return;
    }
    this.seq += 1;
    const sid = tokenOk && resumeSid && !room.members.has(resumeSid) ? resumeSid : `peer${this.seq}`;
    const member: Member = { sid, socket, resumable: message.resumable === true, order: this.seq, graceTimer: null };
    room.members.set(sid, member);
    this.send(socket, { type: 'inRoom', rid, sid, tieBreaker: member.order, pc_config: { iceServers: [{ url: 'turn:u@fake.test', urls: 'turn:fake.test', credential: 'x' }] }, resumeToken: this.token(rid, sid), resumed: false });
  }

  /** @internal */
  onClientDisconnect(socket: FakeSocket): void {
    this.sockets.delete(socket);
    for (const room of this.rooms.values()) {
      for (const member of [...room.members.values()]) {
        if (member.socket !== socket) continue;
        member.socket = null;
        if (member.resumable && !socket.disconnectedByClient) {
          const generation = this.generation;
          member.graceTimer = setTimeout(() => {
            member.graceTimer = null;
            if (generation === this.generation && !member.socket) this.removeMember(room, member, false);
          }, this.resumeGraceMs);
        } else {
          this.removeMember(room, member, false);
        }
      }
    }
  }

  private removeMember(room: Room, member: Member, _relayed: boolean): void {
    if (room.members.get(member.sid) !== member) return;
    if (member.graceTimer) clearTimeout(member.graceTimer);
    room.members.delete(member.sid);
    for (const m of room.members.values()) this.send(m.socket, { type: 'bye', rid: room.rid, mid: member.sid });
    if (room.members.size === 0) this.rooms.delete(room.rid);
  }
}
