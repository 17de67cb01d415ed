/**
 * Test kit for the server: starts a real server on 127.0.0.1 (free port), fetches REST
 * credentials, and connects real socket.io clients (v4, and v2 as original Skylink 2.x uses).
 * Inbound messages are buffered; `next(predicate)` consumes the first match or waits for it.
 */
import { io as ioV4 } from 'socket.io-client';
import { createSkylinkServer, type SkylinkServer, type SkylinkServerConfig } from '../../../src/server/index';
import type { ServerLogEntry } from '../../../src/server/serverLogger';
import type { InRoomMessage, RoomAuthResponse } from '../../../src/signaling/protocol';

// socket.io-client 2.x (what skylinkjs 2.x uses), installed under an alias; it has no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ioV2 = require('socket.io-client-v2') as (url: string, opts: Record<string, unknown>) => LegacySocket;

interface LegacySocket {
  connected: boolean;
  on(event: string, fn: (...args: unknown[]) => void): void;
  send(payload: string): void;
  emit(event: string, ...args: unknown[]): void;
  close(): void;
}

export type WireMessage = Record<string, unknown> & { type: string };

export interface TestServer {
  server: SkylinkServer;
  url: string;
  logs: ServerLogEntry[];
  /** Resolves with the first log entry (already logged or future) matching `pred`. */
  waitForLog(pred: (e: ServerLogEntry) => boolean, timeoutMs?: number): Promise<ServerLogEntry>;
  close(): Promise<void>;
}

export async function startServer(config: SkylinkServerConfig = {}): Promise<TestServer> {
  const logs: ServerLogEntry[] = [];
  let waiters: Array<(e: ServerLogEntry) => boolean> = [];
  const server = await createSkylinkServer({
    port: 0,
    host: '127.0.0.1',
    dev: true,
    logLevel: 'debug',
    logSink: (e) => {
      logs.push(e);
      waiters = waiters.filter((w) => !w(e));
    },
    ...config,
  });
  const waitForLog = (pred: (e: ServerLogEntry) => boolean, timeoutMs = 4000): Promise<ServerLogEntry> => {
    const found = logs.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = (e: ServerLogEntry): boolean => {
        if (!pred(e)) return false;
        clearTimeout(timer);
        resolve(e);
        return true;
      };
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for a server log entry; last: ${JSON.stringify(logs.slice(-5))}`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };
  return { server, url: server.url, logs, waitForLog, close: () => server.close() };
}

export interface FetchRoomOptions {
  start?: string;
  duration?: number | string;
  cred?: string;
  origin?: string;
}

export async function fetchRoom(
  url: string,
  appKey: string,
  room: string,
  opts: FetchRoomOptions = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  let path = `/api/${encodeURIComponent(appKey)}/${encodeURIComponent(room)}`;
  if (opts.start !== undefined) path += `/${opts.start}/${String(opts.duration)}`;
  const query = new URLSearchParams({ rand: String(Date.now()) });
  if (opts.cred !== undefined) query.set('cred', opts.cred);
  const res = await fetch(`${url}${path}?${query.toString()}`, {
    headers: {
      Skylink_SDK_type: 'Web SDK',
      Skylink_SDK_version: '2.7.2',
      Skylink_API_version: '9.0.0',
      'X-Server-Select': 'sig-v2',
      ...(opts.origin ? { Origin: opts.origin } : {}),
    },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/** REST call that must succeed. */
export async function auth(url: string, appKey: string, room: string, opts?: FetchRoomOptions): Promise<RoomAuthResponse> {
  const r = await fetchRoom(url, appKey, room, opts);
  if (r.status !== 200) throw new Error(`REST ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body as unknown as RoomAuthResponse;
}

/** The joinRoom message a 2.x client builds from a REST response. */
export function joinRoomMessage(a: RoomAuthResponse): WireMessage {
  return {
    type: 'joinRoom',
    rid: a.room_key,
    uid: a.username,
    cid: a.cid,
    userCred: a.userCred,
    roomCred: a.roomCred,
    timeStamp: a.timeStamp,
    apiOwner: a.apiOwner,
    start: a.start,
    len: a.len,
    isPrivileged: a.isPrivileged,
    autoIntroduce: a.autoIntroduce,
    key: a.cid,
  };
}

export class TestClient {
  /** Every message ever received (for leak assertions). */
  readonly received: WireMessage[] = [];
  /** Not yet consumed by `next`. */
  #buffer: WireMessage[] = [];
  #waiters: Array<{ pred: (m: WireMessage) => boolean; resolve: (m: WireMessage) => void }> = [];
  #disconnected = false;
  #disconnectWaiters: Array<() => void> = [];
  /** Non-string payloads received (the protocol forbids them). */
  readonly nonStringPayloads: unknown[] = [];
  /** The text of every string payload received, as it arrived. */
  readonly rawReceived: string[] = [];

  constructor(
    readonly version: 2 | 4,
    private readonly sendRaw: (payload: unknown) => void,
    readonly closeSocket: () => void,
    /** Cuts the connection without a socket.io disconnect packet (as a network failure does). */
    readonly dropTransport: () => void = closeSocket,
  ) {}

  onPayload(payload: unknown): void {
    if (typeof payload !== 'string') {
      this.nonStringPayloads.push(payload);
      return;
    }
    this.rawReceived.push(payload);
    const msg = JSON.parse(payload) as WireMessage;
    this.received.push(msg);
    const i = this.#waiters.findIndex((w) => w.pred(msg));
    if (i >= 0) {
      const [w] = this.#waiters.splice(i, 1);
      w?.resolve(msg);
    } else {
      this.#buffer.push(msg);
    }
  }

  onDisconnect(): void {
    this.#disconnected = true;
    this.#disconnectWaiters.splice(0).forEach((f) => f());
  }

  get disconnected(): boolean {
    return this.#disconnected;
  }

  /** Sends a message object as a JSON string (or any raw payload). */
  send(msg: unknown): void {
    this.sendRaw(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  sendRawPayload(payload: unknown): void {
    this.sendRaw(payload);
  }

  /** Consumes the first buffered message matching, or waits for one. */
  next(pred: (m: WireMessage) => boolean = () => true, timeoutMs = 4000, what = 'message'): Promise<WireMessage> {
    const i = this.#buffer.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.#buffer.splice(i, 1)[0] as WireMessage);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (m: WireMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.received.map((m) => m.type))}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  nextOfType(type: string, extra: (m: WireMessage) => boolean = () => true, timeoutMs?: number): Promise<WireMessage> {
    return this.next((m) => m.type === type && extra(m), timeoutMs, type);
  }

  /** Messages received so far matching `pred` (consumed or not). */
  receivedMatching(pred: (m: WireMessage) => boolean): WireMessage[] {
    return this.received.filter(pred);
  }

  waitForDisconnect(timeoutMs = 4000): Promise<void> {
    if (this.#disconnected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for disconnect')), timeoutMs);
      this.#disconnectWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    this.closeSocket();
  }
}

function connected<T>(register: (ok: () => void, fail: (e: unknown) => void) => void, client: T): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket connect timeout')), 4000);
    register(
      () => {
        clearTimeout(timer);
        resolve(client);
      },
      (e) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function connectV4(url: string, opts: { origin?: string; path?: string } = {}): Promise<TestClient> {
  const socket = ioV4(url, {
    path: opts.path ?? '/socket.io',
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(opts.origin ? { extraHeaders: { Origin: opts.origin } } : {}),
  });
  const client = new TestClient(
    4,
    (p) => socket.send(p),
    () => socket.disconnect(),
    () => socket.io.engine.close(),
  );
  socket.on('message', (p: unknown) => client.onPayload(p));
  socket.on('disconnect', () => client.onDisconnect());
  return connected((ok, fail) => {
    socket.once('connect', ok);
    socket.once('connect_error', fail);
  }, client);
}

export function connectV2(url: string): Promise<TestClient> {
  const socket = ioV2(url, {
    path: '/socket.io',
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    query: {
      Skylink_SDK_type: 'Web SDK',
      Skylink_SDK_version: '2.7.2',
      Skylink_API_version: '9.0.0',
      'X-Server-Select': 'sig-v2',
    },
  });
  const client = new TestClient(2, (p) => socket.send(p as string), () => socket.close());
  socket.on('message', (p) => client.onPayload(p));
  socket.on('disconnect', () => client.onDisconnect());
  return connected((ok, fail) => {
    socket.on('connect', ok);
    socket.on('connect_error', fail);
  }, client);
}

export type Connector = (url: string) => Promise<TestClient>;
export const CONNECTORS: Array<[string, Connector]> = [
  ['socket.io v4 client', (url) => connectV4(url)],
  ['socket.io v2 client', (url) => connectV2(url)],
];

export interface JoinedPeer {
  client: TestClient;
  auth: RoomAuthResponse;
  inRoom: InRoomMessage;
  sid: string;
  rid: string;
}

/** REST + connect + joinRoom + inRoom (no enter). */
export async function joinPeer(
  url: string,
  room: string,
  opts: {
    appKey?: string;
    connect?: Connector;
    client?: TestClient;
    restOptions?: FetchRoomOptions;
    /** Extra joinRoom fields (e.g. the resume extension). */
    joinExtra?: Record<string, unknown>;
  } = {},
): Promise<JoinedPeer> {
  const a = await auth(url, opts.appKey ?? 'test-app', room, opts.restOptions);
  const client = opts.client ?? (await (opts.connect ?? connectV4)(url));
  client.send({ ...joinRoomMessage(a), ...opts.joinExtra });
  const inRoom = (await client.nextOfType('inRoom', (m) => m.rid === a.room_key)) as unknown as InRoomMessage;
  return { client, auth: a, inRoom, sid: inRoom.sid, rid: a.room_key };
}

/** Joins and sends `enter` (as 2.x does right after inRoom). */
export async function enterPeer(
  url: string,
  room: string,
  opts: Parameters<typeof joinPeer>[2] = {},
): Promise<JoinedPeer> {
  const p = await joinPeer(url, room, opts);
  p.client.send({ type: 'enter', rid: p.rid, mid: p.sid, userInfo: { userData: p.sid }, weight: p.inRoom.tieBreaker });
  return p;
}

/**
 * Proves `from`'s earlier messages were all handled: sends a private marker to `to` and waits
 * for it (each socket's messages are handled in order, delivery keeps that order).
 */
export async function barrier(from: JoinedPeer, to: JoinedPeer, tag = 'barrier'): Promise<void> {
  const data = `${tag}-${Math.random()}`;
  from.client.send({ type: 'message', rid: from.rid, mid: from.sid, target: to.sid, data });
  await to.client.nextOfType('message', (m) => m.data === data);
}

/** Round trip on one socket: its earlier messages have been handled when this resolves. */
export async function selfBarrier(p: JoinedPeer): Promise<void> {
  p.client.send({ type: 'getStoredMessages', rid: p.rid, mid: p.sid, target: p.sid, roomSessionId: '' });
  await p.client.nextOfType('storedMessages', (m) => m.rid === p.rid);
}
