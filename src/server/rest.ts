/**
 * HTTP side of the server: the Skylink REST auth endpoint (`/api/:appKey/:room[/:start/:duration]`),
 * the stats sink (`POST /rest/stats/*`), `/healthz`, CORS, and static files.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  RestErrorCode,
  SKYLINK_REST_HEADERS,
  type RestErrorResponse,
  type RoomAuthResponse,
} from '../signaling/protocol';
import type { AppDirectory } from './apps';
import { roomKeyFor, verifySkylinkCredentials, type RoomGrant, type TokenService } from './auth';
import type { ResolvedServerConfig } from './config';
import type { RoomRegistry } from './RoomRegistry';
import type { ServerLogger } from './serverLogger';
import type { StaticFiles } from './staticFiles';

export interface HttpHandlerDeps {
  config: ResolvedServerConfig;
  apps: AppDirectory;
  tokens: TokenService;
  registry: RoomRegistry;
  staticFiles: StaticFiles;
  log: ServerLogger;
  /** Port actually listened on. */
  port(): number;
  /** Extra numbers for `/healthz`. */
  health(): Promise<Record<string, unknown>>;
}

const MAX_NAME_LENGTH = 256;
const MAX_STATS_BODY = 256 * 1024;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const HOST_HEADER = /^[A-Za-z0-9.\-[\]:]{1,260}$/;
const ALLOWED_HEADERS = [...SKYLINK_REST_HEADERS, 'Content-Type'].join(', ');

const validName = (s: string): boolean => s.length > 0 && s.length <= MAX_NAME_LENGTH && !CONTROL_CHARS.test(s);

class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function createHttpHandler(deps: HttpHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { config, apps, tokens, registry, staticFiles, log } = deps;

  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    return {
      'Access-Control-Allow-Origin': origin ?? '*',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
  };

  const signalingHost = (req: IncomingMessage): string => {
    if (config.publicHost) return config.publicHost;
    const host = req.headers.host;
    if (host && HOST_HEADER.test(host)) return host;
    return `${config.host.includes(':') ? `[${config.host}]` : config.host}:${deps.port()}`;
  };

  async function authenticate(req: IncomingMessage, url: URL, segments: string[]): Promise<RoomAuthResponse> {
    const [appKey = '', roomName = '', start, duration] = segments;
    if (!validName(appKey)) throw new RestError(400, RestErrorCode.INVALID_APP_KEY, 'Invalid App Key');
    if (!validName(roomName)) throw new RestError(400, RestErrorCode.NO_MEETING_RECORD, 'Invalid room name');
    const app = apps.resolve(appKey);
    if (!app) throw new RestError(403, RestErrorCode.INVALID_APP_KEY, 'Invalid App Key');
    if (!apps.isOriginAllowed(app, req.headers.origin)) {
      throw new RestError(403, RestErrorCode.CORS_DOMAIN_MISMATCH, 'Origin not allowed for this App Key');
    }
    const rid = roomKeyFor(appKey, roomName);
    let grant: RoomGrant;
    if (start !== undefined || duration !== undefined) {
      const cred = url.searchParams.get('cred');
      const hours = Number(duration);
      if (!app.secret) throw new RestError(401, RestErrorCode.CREDENTIALS_INVALID, 'Credentials are not enabled');
      if (!start || !duration || !cred || !Number.isFinite(Date.parse(start)) || !(hours > 0 && hours <= 8760)) {
        throw new RestError(401, RestErrorCode.CREDENTIALS_INVALID, 'Invalid credentials parameters');
      }
      if (!verifySkylinkCredentials(app.secret, roomName, duration, start, cred)) {
        throw new RestError(401, RestErrorCode.CREDENTIALS_MISMATCH, 'Credentials do not match');
      }
      grant = { app: appKey, room: roomName, rid, start, len: hours, scheduled: true };
    } else {
      if (app.requireCredentials) {
        throw new RestError(401, RestErrorCode.CREDENTIALS_INVALID, 'Credentials are required');
      }
      grant = { app: appKey, room: roomName, rid, start: new Date().toISOString(), len: 24, scheduled: false };
    }
    const room = await registry.touchRoom(rid, appKey, roomName);
    const issued = tokens.issue(grant);
    const ipSigserver = signalingHost(req);
    const port = Number(/:(\d+)$/.exec(ipSigserver)?.[1] ?? deps.port());
    log.info('room credentials issued', { appKey, roomName, rid, scheduled: grant.scheduled });
    return {
      success: true,
      room_key: rid,
      roomName,
      ipSigserver,
      ipSigserverPath: config.socketPath,
      portSigserver: port,
      protocol: req.headers['x-forwarded-proto'] === 'https' ? 'https:' : 'http:',
      httpPortList: [port],
      httpsPortList: [port],
      pc_constraints: '{}',
      offer_constraints: '{}',
      media_constraints: '{"audio":true,"video":true}',
      cid: appKey,
      apiOwner: app.apiOwner ?? 'skylink-server',
      isPrivileged: app.isPrivileged ?? false,
      autoIntroduce: app.autoIntroduce ?? true,
      hasMCU: false,
      hasPersistentMessage: app.hasPersistentMessage ?? false,
      enable_stats_config: false,
      roomCred: issued.roomCred,
      start: grant.start,
      len: grant.len,
      roomSessionId: room.sessionId,
      username: issued.username,
      userCred: issued.userCred,
      timeStamp: issued.timeStamp,
      peerSessionId: randomUUID(),
    };
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const cors = corsHeaders(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method !== 'GET') {
      sendJson(res, 405, { success: false, info: 'Method not allowed', error: 405 }, cors);
      return;
    }
    let segments: string[];
    try {
      segments = url.pathname.slice('/api/'.length).split('/').map(decodeURIComponent);
    } catch {
      segments = [];
    }
    try {
      if (segments.length !== 2 && segments.length !== 4) {
        throw new RestError(404, RestErrorCode.NO_MEETING_RECORD, 'Expected /api/:appKey/:room[/:start/:duration]');
      }
      sendJson(res, 200, await authenticate(req, url, segments), cors);
    } catch (err) {
      if (!(err instanceof RestError)) throw err;
      log.warn('REST request refused', { status: err.status, error: err.code, info: err.message });
      const body: RestErrorResponse = { success: false, info: err.message, error: err.code };
      sendJson(res, err.status, body, cors);
    }
  }

  function handleStats(req: IncomingMessage, res: ServerResponse): void {
    const cors = corsHeaders(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_STATS_BODY) req.destroy();
    });
    req.on('end', () => sendJson(res, 200, { success: true }, cors));
    req.on('error', () => res.destroy());
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path.startsWith('/api/')) return handleApi(req, res, url);
    if (path.startsWith('/rest/stats')) return handleStats(req, res);
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round(process.uptime()), ...(await deps.health()) });
      return;
    }
    if (await staticFiles.serve(req, res, path)) return;
    sendJson(res, 404, { success: false, info: 'Not found', error: 404 });
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      log.error('HTTP handler failed', { err: err as Error, url: req.url?.slice(0, 200) });
      if (!res.headersSent) sendJson(res, 500, { success: false, info: 'Internal error', error: 500 });
      else res.destroy();
    });
  };
}
