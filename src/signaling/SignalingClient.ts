/**
 * One signalling socket to one server, shared by every room on that server (2.x demultiplexes by
 * `rid`). Validates inbound messages with the protocol guards and routes them to the room registered
 * for their `rid`; drops and logs anything else.
 *
 * Beyond 2.x: when the socket drops, it reconnects by itself with exponential backoff and jitter,
 * then asks each room to resume its session (`onReconnected`). Messages a room sends while the socket
 * is down or its session is not resumed yet are buffered per room and flushed by `setRoomReady`.
 *
 * It knows nothing about peers; it reports up through constructor callbacks only.
 * @internal
 */
import { SkylinkError, SkylinkErrorCode } from '../errors';
import type { Logger } from '../logger';
import type { SignalingSocketLike, SkylinkPlatform } from '../platform/SkylinkPlatform';
import { parseServerMessage } from './guards';
import type { ClientToServerMessage, ServerToClientMessage } from './protocol';
import { encodeMessage, SIGNALING_EVENT } from './protocol';

export type SignalingState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** What a room registers to receive its messages and lifecycle notifications. */
export interface SignalingRoomHandler {
  /** A validated message whose `rid` is this room's. */
  onMessage(message: ServerToClientMessage, raw: string): void;
  /** The socket dropped; the client is retrying. The room's outgoing messages are buffered. */
  onDisconnected(reason: string): void;
  /** A new socket is up: resume the session (send `joinRoom` with `sendNow`) then `setRoomReady`. */
  onReconnected(): void;
  /** Reconnection gave up; the session is lost. */
  onConnectionLost(error: SkylinkError): void;
}

export interface SignalingClientCallbacks {
  /** The socket connected (first time or after a reconnection). */
  onOpen(socketId: string | undefined, reconnected: boolean): void;
  /** The socket closed (`reason` from socket.io, or `'client'` for our own close). */
  onClose(reason: string, willReconnect: boolean): void;
  /** A connection attempt failed. */
  onError(error: SkylinkError, attempt: number): void;
  /** A reconnection attempt is scheduled in `delayMs`. */
  onReconnectAttempt(attempt: number, delayMs: number): void;
  /** Reconnection gave up. */
  onReconnectFailed(error: SkylinkError): void;
  /** A validated inbound message for a known room (2.x CHANNEL_MESSAGE). */
  onMessage(raw: string, rid: string): void;
}

export interface ReconnectPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** 0..1: each delay is scaled by a random factor in [1 - jitter, 1]. */
  readonly jitter: number;
  readonly maxAttempts: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 8000,
  jitter: 0.5,
  maxAttempts: 20,
};

export interface SignalingClientOptions {
  readonly platform: Pick<SkylinkPlatform, 'connectSignaling'>;
  /** Socket URL (`https://host:port`). */
  readonly url: string;
  /** socket.io path (`''`/undefined = `/socket.io`). */
  readonly path?: string | undefined;
  readonly connectTimeoutMs: number;
  readonly query: Readonly<Record<string, string>>;
  readonly reconnect?: Partial<ReconnectPolicy>;
  /** Random source for the jitter (tests pass a fixed one). */
  readonly random?: () => number;
  /** Max messages buffered per room while it cannot send. */
  readonly maxBufferedPerRoom?: number;
  readonly callbacks: SignalingClientCallbacks;
  readonly logger?: Logger;
}

interface RoomEntry {
  readonly handler: SignalingRoomHandler;
  ready: boolean;
  readonly queue: string[];
}

export class SignalingClient {
  private socket: SignalingSocketLike | null = null;
  private detachSocket: (() => void) | null = null;
  private stateValue: SignalingState = 'idle';
  private readonly rooms = new Map<string, RoomEntry>();
  private readonly policy: ReconnectPolicy;
  private connectWaiters: Array<{ resolve: () => void; reject: (e: SkylinkError) => void }> = [];
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private everConnected = false;

  constructor(private readonly options: SignalingClientOptions) {
    this.policy = { ...DEFAULT_RECONNECT_POLICY, ...options.reconnect };
  }

  get state(): SignalingState {
    return this.stateValue;
  }

  get url(): string {
    return this.options.url;
  }

  get path(): string {
    return this.options.path ?? '';
  }

  get socketId(): string | undefined {
    return this.socket?.id;
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  /** Resolves once the socket is connected (at once if it is); rejects if the first attempt fails. */
  connect(): Promise<void> {
    if (this.stateValue === 'closed') {
      return Promise.reject(new SkylinkError(SkylinkErrorCode.INVALID_STATE, 'The signaling client is closed'));
    }
    if (this.stateValue === 'connected') return Promise.resolve();
    const waiter = new Promise<void>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (this.stateValue === 'idle') this.openSocket();
    return waiter;
  }

  /** Registers the handler of `rid`. Its messages are buffered until `setRoomReady(rid, true)`. */
  addRoom(rid: string, handler: SignalingRoomHandler): void {
    if (this.rooms.has(rid)) throw new SkylinkError(SkylinkErrorCode.ALREADY_IN_ROOM, `Room key ${rid} is already registered`);
    this.rooms.set(rid, { handler, ready: false, queue: [] });
  }

  /** Unregisters `rid` and drops its buffered messages. Returns how many rooms remain. */
  removeRoom(rid: string): number {
    this.rooms.delete(rid);
    return this.rooms.size;
  }

  hasRoom(rid: string): boolean {
    return this.rooms.has(rid);
  }

  /** Marks the room's session as (not) able to send; `true` flushes its buffer in order. */
  setRoomReady(rid: string, ready: boolean): void {
    const entry = this.rooms.get(rid);
    if (!entry) return;
    entry.ready = ready;
    if (ready) this.flush(entry);
  }

  /** Drops the messages buffered for `rid` (they belong to a session that is gone). */
  clearQueue(rid: string): void {
    const entry = this.rooms.get(rid);
    if (entry) entry.queue.length = 0;
  }

  /** Sends now if the room's session is ready and the socket is up, else buffers it. */
  send(message: ClientToServerMessage): void {
    const payload = encodeMessage(message);
    const rid = (message as { rid?: string }).rid;
    const entry = rid !== undefined ? this.rooms.get(rid) : undefined;
    if (entry && (!entry.ready || !this.socket?.connected)) {
      if (entry.queue.length >= (this.options.maxBufferedPerRoom ?? 1000)) entry.queue.shift();
      entry.queue.push(payload);
      return;
    }
    this.emit(payload);
  }

  /** Sends at once, bypassing the room buffer (joinRoom). Returns false when the socket is down. */
  sendNow(message: ClientToServerMessage): boolean {
    if (!this.socket?.connected) return false;
    this.emit(encodeMessage(message));
    return true;
  }

  /** Disconnects for good: no reconnection, no listener, no timer left. */
  close(): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.clearTimers();
    const socket = this.socket;
    this.dropSocket();
    this.rejectWaiters(new SkylinkError(SkylinkErrorCode.INVALID_STATE, 'The signaling client was closed'));
    this.rooms.clear();
    if (socket) {
      socket.disconnect();
      this.options.callbacks.onClose('client', false);
    }
  }

  // ---- socket lifecycle ------------------------------------------------------------------------

  private openSocket(): void {
    this.stateValue = this.everConnected ? 'reconnecting' : 'connecting';
    const { url, path, connectTimeoutMs, query } = this.options;
    let socket: SignalingSocketLike;
    try {
      socket = this.options.platform.connectSignaling(url, { path, timeoutMs: connectTimeoutMs, query });
    } catch (error) {
      this.onConnectFailure(SkylinkError.from(error, SkylinkErrorCode.SIGNALING_ERROR, 'Failed creating the signaling socket'));
      return;
    }
    this.socket = socket;
    const onConnect = (): void => this.onSocketConnect(socket);
    const onConnectError = (error: Error): void => {
      if (this.socket !== socket) return;
      this.onConnectFailure(SkylinkError.from(error, SkylinkErrorCode.SIGNALING_ERROR, `Signaling connection failed: ${error.message}`));
    };
    const onDisconnect = (reason: string): void => this.onSocketDisconnect(socket, reason);
    const onMessage = (payload: unknown): void => this.onSocketMessage(payload);
    socket.on('connect', onConnect);
    socket.on('connect_error', onConnectError);
    socket.on('disconnect', onDisconnect);
    socket.on(SIGNALING_EVENT, onMessage);
    this.detachSocket = () => {
      socket.off('connect', onConnect);
      socket.off('connect_error', onConnectError);
      socket.off('disconnect', onDisconnect);
      socket.off(SIGNALING_EVENT, onMessage);
    };
    // Backstop in case the socket neither connects nor reports an error.
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.socket === socket && !socket.connected) {
        this.onConnectFailure(
          SkylinkError.signalingTimeout('Signaling connection', connectTimeoutMs),
        );
      }
    }, connectTimeoutMs + 1000);
  }

  private onSocketConnect(socket: SignalingSocketLike): void {
    if (this.socket !== socket || this.stateValue === 'closed') return;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.attempt = 0;
    this.stateValue = 'connected';
    this.options.callbacks.onOpen(socket.id, reconnected);
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.resolve();
    if (reconnected) {
      for (const entry of [...this.rooms.values()]) entry.handler.onReconnected();
    }
  }

  private onConnectFailure(error: SkylinkError): void {
    if (this.stateValue === 'closed') return;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    const socket = this.socket;
    this.dropSocket();
    socket?.disconnect();
    this.options.callbacks.onError(error, this.attempt);
    if (!this.everConnected) {
      // First connection: the joinRoom waiting on it fails (it never hangs); retrying is up to it.
      this.stateValue = 'idle';
      this.rejectWaiters(error);
      return;
    }
    this.scheduleReconnect(error);
  }

  private onSocketDisconnect(socket: SignalingSocketLike, reason: string): void {
    if (this.socket !== socket || this.stateValue === 'closed') return;
    this.dropSocket();
    for (const entry of this.rooms.values()) entry.ready = false;
    const willReconnect = this.rooms.size > 0;
    this.options.callbacks.onClose(reason, willReconnect);
    if (!willReconnect) {
      this.stateValue = 'idle';
      return;
    }
    for (const entry of [...this.rooms.values()]) entry.handler.onDisconnected(reason);
    this.scheduleReconnect(new SkylinkError(SkylinkErrorCode.SIGNALING_ERROR, `Signaling connection lost: ${reason}`));
  }

  private scheduleReconnect(lastError: SkylinkError): void {
    if (this.attempt >= this.policy.maxAttempts) {
      this.stateValue = 'idle';
      const error = new SkylinkError(
        SkylinkErrorCode.SIGNALING_ERROR,
        `Signaling reconnection failed after ${this.attempt} attempts`,
        { cause: lastError },
      );
      const rooms = [...this.rooms.values()];
      this.rooms.clear();
      for (const entry of rooms) entry.handler.onConnectionLost(error);
      this.options.callbacks.onReconnectFailed(error);
      return;
    }
    this.attempt += 1;
    this.stateValue = 'reconnecting';
    const delay = this.backoffDelay(this.attempt);
    this.options.callbacks.onReconnectAttempt(this.attempt, delay);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stateValue === 'reconnecting') this.openSocket();
    }, delay);
  }

  /** Exponential backoff capped at maxDelayMs, scaled down by a random jitter factor. */
  private backoffDelay(attempt: number): number {
    const exp = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    const random = (this.options.random ?? Math.random)();
    return Math.round(exp * (1 - this.policy.jitter * random));
  }

  // ---- inbound ---------------------------------------------------------------------------------

  private onSocketMessage(payload: unknown): void {
    const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const result = parseServerMessage(payload);
    if (!result.ok) {
      this.options.logger?.warn(`Dropping invalid signaling message (${result.reason}): ${result.detail}`);
      return;
    }
    const message = result.message;
    const rid = (message as { rid?: string }).rid;
    const entry = rid !== undefined ? this.rooms.get(rid) : undefined;
    if (!entry || rid === undefined) {
      this.options.logger?.debug(`Dropping "${message.type}" for an unknown room`);
      return;
    }
    this.options.callbacks.onMessage(raw, rid);
    entry.handler.onMessage(message, raw);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private emit(payload: string): void {
    const socket = this.socket;
    if (!socket?.connected) {
      this.options.logger?.debug('Dropping a message: the signaling socket is not connected');
      return;
    }
    socket.emit(SIGNALING_EVENT, payload);
  }

  private flush(entry: RoomEntry): void {
    if (!this.socket?.connected) return;
    const queued = entry.queue.splice(0);
    for (const payload of queued) this.emit(payload);
  }

  private dropSocket(): void {
    this.detachSocket?.();
    this.detachSocket = null;
    this.socket = null;
  }

  private rejectWaiters(error: SkylinkError): void {
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    for (const w of waiters) w.reject(error);
  }

  private clearTimers(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.connectTimer = null;
    this.reconnectTimer = null;
  }
}
