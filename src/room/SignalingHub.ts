/**
 * The facade's pool of signalling sockets: one SignalingClient per server (URL + path), shared by
 * the rooms on it and closed when its last room leaves. Turns socket-level callbacks into the
 * (not room-scoped) socket events CHANNEL_OPEN / CHANNEL_CLOSE / CHANNEL_ERROR / SOCKET_ERROR.
 * @internal
 */
import { SOCKET_ERROR, SOCKET_FALLBACK } from '../constants';
import type { SkylinkEventManagerClass } from '../events/SkylinkEventManager';
import type { Logger } from '../logger';
import type { SkylinkPlatform } from '../platform/SkylinkPlatform';
import { skylinkHeaders, type SignalingEndpoint } from '../signaling/restClient';
import { SignalingClient, type ReconnectPolicy } from '../signaling/SignalingClient';
import type { SocketSession } from '../types/misc';
import type { SignalingHub } from './SkylinkRoom';

export interface SignalingPoolOptions {
  readonly platform: SkylinkPlatform;
  readonly events: SkylinkEventManagerClass;
  readonly socketTimeoutMs: number;
  readonly sdkVersion: string;
  readonly reconnect?: Partial<ReconnectPolicy>;
  readonly logger: Logger;
}

export class SignalingPool implements SignalingHub {
  private readonly clients = new Map<string, SignalingClient>();

  constructor(private readonly options: SignalingPoolOptions) {}

  /** Open sockets (for tests and leak checks). */
  get size(): number {
    return this.clients.size;
  }

  acquire(endpoint: SignalingEndpoint): SignalingClient {
    const key = `${endpoint.url}|${endpoint.path}`;
    const existing = this.clients.get(key);
    if (existing && existing.state !== 'closed') return existing;
    const session = (attempts = 0): SocketSession => this.session(endpoint, attempts);
    const { events } = this.options;
    let attempts = 0;
    const client = new SignalingClient({
      platform: this.options.platform,
      url: endpoint.url,
      path: endpoint.path,
      connectTimeoutMs: this.options.socketTimeoutMs,
      query: skylinkHeaders(this.options.sdkVersion),
      ...(this.options.reconnect ? { reconnect: this.options.reconnect } : {}),
      logger: this.options.logger,
      callbacks: {
        onOpen: (socketId) => {
          attempts = 0;
          events.dispatch('channelOpen', { socketSession: session(), peerId: socketId ?? '' });
        },
        onClose: (reason) => events.dispatch('channelClose', { socketSession: session(attempts), reason, peerId: client.socketId ?? '' }),
        onError: (error, attempt) => {
          events.dispatch('channelError', { error, socketSession: session(attempt), peerId: '' });
          events.dispatch('socketError', {
            session: session(attempt),
            errorCode: attempt === 0 ? SOCKET_ERROR.CONNECTION_FAILED : SOCKET_ERROR.RECONNECTION_FAILED,
            type: SOCKET_FALLBACK.NON_FALLBACK,
            error,
          });
        },
        onReconnectAttempt: (attempt) => {
          attempts = attempt;
          events.dispatch('socketError', {
            session: session(attempt),
            errorCode: SOCKET_ERROR.RECONNECTION_ATTEMPT,
            type: SOCKET_FALLBACK.NON_FALLBACK,
            error: new Error(`Reconnecting to the signaling server (attempt ${attempt})`),
          });
        },
        onReconnectFailed: (error) => {
          events.dispatch('socketError', {
            session: session(attempts),
            errorCode: SOCKET_ERROR.RECONNECTION_ABORTED,
            type: SOCKET_FALLBACK.NON_FALLBACK,
            error,
          });
          this.clients.delete(key);
          client.close();
        },
        onMessage: () => undefined,
      },
    });
    this.clients.set(key, client);
    return client;
  }

  release(client: SignalingClient): void {
    if (client.roomCount > 0) return;
    for (const [key, c] of this.clients) if (c === client) this.clients.delete(key);
    client.close();
  }

  /** Closes every socket (used when the facade is discarded in tests). */
  closeAll(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private session(endpoint: SignalingEndpoint, attempts: number): SocketSession {
    return socketSessionFor(endpoint.url, endpoint.path, this.options.socketTimeoutMs, attempts);
  }
}

/** The 2.x `socketSession` description of a socket URL (carried by socket events). */
export function socketSessionFor(url: string, path: string, socketTimeoutMs: number, attempts: number): SocketSession {
  const m = /^(https?:)\/\/([^/:]+)(?::(\d+))?/.exec(url);
  const protocol = m?.[1] ?? '';
  return {
    protocol,
    socketType: 'WebSocket',
    signalingServerProtocol: protocol,
    socketSession: { finalAttempts: 0, attempts },
    fallbackType: SOCKET_FALLBACK.NON_FALLBACK,
    signalingServerPort: m?.[3] ? Number(m[3]) : null,
    socketTimeout: socketTimeoutMs,
    socketServer: m?.[2] ?? '',
    socketServerPath: path || null,
  };
}
