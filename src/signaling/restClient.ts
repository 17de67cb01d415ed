/**
 * The 2.x room-server REST call (protocol spec section 1.1) and the signalling URL derived from it
 * (section 1.3). Pure URL builders plus one `authenticateRoom` that goes through the platform's fetch.
 * Credentials are never logged: they only appear in the request URL.
 * @internal
 */
import { SkylinkError, SkylinkErrorCode } from '../errors';
import type { HttpResponseLike, SkylinkPlatform } from '../platform/SkylinkPlatform';
import type { CredentialsOptions, SocketServerOptions } from '../types/options';
import type { RoomAuthResponse, RestErrorResponse } from './protocol';
import { SKYLINK_API_VERSION, SKYLINK_SDK_TYPE, SKYLINK_SERVER_SELECT } from './protocol';

export interface RoomAuthRequest {
  readonly appKey: string;
  readonly roomName: string;
  /** Protocol-relative `//host[:port]` (2.x), or a full `http(s)://` URL. */
  readonly roomServer: string;
  readonly forceSSL: boolean;
  readonly credentials: CredentialsOptions | null;
  readonly sdkVersion: string;
  readonly timeoutMs: number;
}

export type RoomAuthResult =
  | { readonly ok: true; readonly response: RoomAuthResponse }
  | {
      readonly ok: false;
      readonly error: SkylinkError;
      /** HTTP status, `-1` when the server could not be reached. */
      readonly status: number;
      /** The API's `error` code when it sent one, else the HTTP status (or -1). */
      readonly errorCode: number;
    };

/** `https:` when `forceSSL`, otherwise the page's protocol (2.x rule). */
export function schemeFor(forceSSL: boolean, pageProtocol: string): string {
  return forceSSL ? 'https:' : pageProtocol === 'https:' ? 'https:' : 'http:';
}

/** Prefixes a protocol-relative `//host` with the scheme; full URLs are kept as they are. */
export function withScheme(address: string, scheme: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) return address;
  return address.startsWith('//') ? `${scheme}${address}` : `${scheme}//${address}`;
}

/** The 2.x headers (also sent as socket.io query parameters). */
export function skylinkHeaders(sdkVersion: string): Record<string, string> {
  return {
    Skylink_SDK_type: SKYLINK_SDK_TYPE,
    Skylink_SDK_version: sdkVersion,
    Skylink_API_version: SKYLINK_API_VERSION,
    'X-Server-Select': SKYLINK_SERVER_SELECT,
  };
}

/**
 * `{scheme}{roomServer}/api/{appKey}/{room}?rand=…` or, with credentials,
 * `…/api/{appKey}/{room}/{startDateTime}/{duration}?cred={credentials}&rand=…`. As in 2.x the app key,
 * room and start time are inserted raw and `credentials` is expected to be URI-encoded already.
 */
export function buildRoomAuthUrl(request: RoomAuthRequest, pageProtocol: string, now: number): string {
  const base = withScheme(request.roomServer, schemeFor(request.forceSSL, pageProtocol)).replace(/\/+$/, '');
  const { appKey, roomName, credentials } = request;
  if (credentials) {
    return `${base}/api/${appKey}/${roomName}/${credentials.startDateTime}/${credentials.duration}?cred=${credentials.credentials}&rand=${now}`;
  }
  return `${base}/api/${appKey}/${roomName}?rand=${now}`;
}

function isRoomAuthResponse(body: unknown): body is RoomAuthResponse {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return typeof b.room_key === 'string' && b.room_key.length > 0 && typeof b.ipSigserver === 'string';
}

async function readJson(response: HttpResponseLike): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Calls the room server. Never throws: failures come back as `{ ok: false }`. */
export async function authenticateRoom(
  platform: Pick<SkylinkPlatform, 'fetch' | 'pageProtocol'>,
  request: RoomAuthRequest,
): Promise<RoomAuthResult> {
  const url = buildRoomAuthUrl(request, platform.pageProtocol(), Date.now());
  const context = { roomName: request.roomName };
  const abort = typeof AbortController === 'function' ? new AbortController() : null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), request.timeoutMs);
  });
  try {
    const init = { method: 'GET' as const, headers: skylinkHeaders(request.sdkVersion), ...(abort ? { signal: abort.signal } : {}) };
    const outcome = await Promise.race([platform.fetch(url, init), timeout]);
    if (outcome === 'timeout') {
      abort?.abort();
      return {
        ok: false,
        status: -1,
        errorCode: -1,
        error: new SkylinkError(SkylinkErrorCode.AUTH_FAILED, `Room server did not answer within ${request.timeoutMs} ms`, context),
      };
    }
    const body = await readJson(outcome);
    if (!outcome.ok) {
      const err = (body ?? {}) as Partial<RestErrorResponse>;
      const apiCode = typeof err.error === 'number' ? err.error : outcome.status;
      const info = typeof err.info === 'string' && err.info ? err.info : `HTTP ${outcome.status}`;
      const code = apiCode === 4004 || apiCode === 4005 ? SkylinkErrorCode.CREDENTIALS_INVALID : SkylinkErrorCode.AUTH_FAILED;
      return {
        ok: false,
        status: outcome.status,
        errorCode: apiCode,
        error: new SkylinkError(code, `Failed authentication with the room server - ${info}`, context),
      };
    }
    if (!isRoomAuthResponse(body)) {
      return {
        ok: false,
        status: outcome.status,
        errorCode: outcome.status,
        error: new SkylinkError(SkylinkErrorCode.AUTH_FAILED, 'The room server sent an invalid response', context),
      };
    }
    return { ok: true, response: body };
  } catch (error) {
    return {
      ok: false,
      status: -1,
      errorCode: -1,
      error: new SkylinkError(SkylinkErrorCode.AUTH_FAILED, 'Could not reach the room server', { ...context, cause: error }),
    };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export interface SignalingEndpoint {
  /** `http(s)://host[:port]` for socket.io. */
  readonly url: string;
  /** socket.io path; `''` = default `/socket.io`. */
  readonly path: string;
}

/**
 * Where to connect the socket (2.x rules): the `socketServer` override (string: used as is; object:
 * `{protocol}//{url}:{first port}`), else the REST `ipSigserver` + `ipSigserverPath`. When
 * `socketServer` is given without `socketServerPath`, the path is socket.io's default.
 */
export function signalingEndpoint(
  response: Pick<RoomAuthResponse, 'ipSigserver' | 'ipSigserverPath' | 'httpPortList' | 'httpsPortList'>,
  overrides: { socketServer: string | SocketServerOptions | null; socketServerPath: string | null },
  scheme: string,
): SignalingEndpoint {
  const { socketServer, socketServerPath } = overrides;
  if (typeof socketServer === 'string' && socketServer) {
    return { url: withScheme(socketServer, scheme), path: socketServerPath ?? '' };
  }
  if (socketServer && typeof socketServer === 'object' && socketServer.url) {
    const protocol = socketServer.protocol ?? scheme;
    const fallbackPorts = protocol === 'https:' ? response.httpsPortList : response.httpPortList;
    const port = socketServer.ports?.[0] ?? fallbackPorts?.[0];
    const host = withScheme(socketServer.url, protocol).replace(/\/+$/, '');
    const hasPort = /:\d+$/.test(host);
    return { url: port !== undefined && !hasPort ? `${host}:${port}` : host, path: socketServerPath ?? '' };
  }
  return {
    url: withScheme(response.ipSigserver, scheme),
    path: socketServerPath ?? response.ipSigserverPath ?? '',
  };
}
