/**
 * Server configuration: public types, defaults, and loading from a JSON file or the environment.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ServerLogLevel, ServerLogSink } from './serverLogger';
import type { MessageStore } from './stores/MessageStore';

/** One application (App Key) the server accepts. */
export interface SkylinkAppConfig {
  /** Secret for the Skylink HMAC `credentials` (scheduled rooms). Never sent to clients. */
  secret?: string;
  /** Allows `getPeers` / `introduce` (default false). */
  isPrivileged?: boolean;
  /** Peers of this app are introduced automatically on `enter` (default true). */
  autoIntroduce?: boolean;
  /** Enables persistent (stored) messages (default false). */
  hasPersistentMessage?: boolean;
  /** Allowed `Origin`s of browser pages, or `'*'` (default `'*'`). */
  allowedOrigins?: string[] | '*';
  /** Reject REST calls without `credentials` (needs `secret`; default false). */
  requireCredentials?: boolean;
  /** App space: a privileged app sees the rooms of the apps with the same parent (or itself as parent). */
  parentKey?: string;
  /** Opaque `apiOwner` value handed to clients. */
  apiOwner?: string;
}

/** STUN/TURN entries as standard `RTCIceServer`s; the server adds the 2.x `url` form. */
export interface IceServerConfig {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** TURN REST-API style ephemeral credentials (coturn `use-auth-secret`). */
export interface TurnSecretConfig {
  urls: string[];
  secret: string;
  /** Lifetime of generated credentials (default 86400 s). */
  ttlSeconds?: number;
}

export interface FloodControlConfig {
  /** Non-negotiation messages allowed in a burst (default 40). */
  burst?: number;
  /** Sustained non-negotiation messages per second (default 10). */
  ratePerSecond?: number;
  /** Minimum time between two `fastmsg` warnings (default 1000 ms). */
  warningIntervalMs?: number;
  /** Warnings within `strikeWindowMs` tolerated before disconnecting (default 3). */
  maxWarnings?: number;
  /** Window for counting warnings (default 10000 ms). */
  strikeWindowMs?: number;
  /** Hard cap on all messages (negotiation included), disconnect when exceeded (default 2000 burst). */
  hardBurst?: number;
  /** Hard cap refill per second (default 500). */
  hardRatePerSecond?: number;
}

export interface StorageConfig {
  kind: 'memory' | 'file';
  /** File path for `kind: 'file'`. */
  path?: string;
  /** Stored messages kept per room (default 200). */
  maxPerRoom?: number;
  /** Drop stored messages older than this (default 30 days). */
  maxAgeMs?: number;
}

/** Scale-out: several instances share rooms and stored messages through one Redis (see docs/scaling.md). */
export interface RedisConfig {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** Prefix of every key and pub/sub channel (default `skylink:`), so deployments can share a Redis. */
  keyPrefix?: string;
  /** An instance that has not refreshed its liveness key for this long is presumed dead (default 15000 ms). */
  instanceTtlMs?: number;
  /** How long start-up waits for Redis before failing (default 10000 ms). */
  connectTimeoutMs?: number;
}

export interface SkylinkServerConfig {
  /** TCP port (default 0 = a free port). */
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Accept any App Key without secret. Insecure; logged loudly. */
  dev?: boolean;
  /** App Key -> settings. In dev mode, unknown keys get the defaults. */
  apps?: Record<string, SkylinkAppConfig>;
  /** HMAC key of the tokens handed out by REST (default: random per process). */
  tokenSecret?: string;
  /** How long a REST token may be used to join (default 600000 ms). */
  tokenTtlMs?: number;
  /**
   * Session resume: how long the membership of a client that joined with `resumable: true`
   * outlives its socket before the room gets `bye` (default 15000 ms; 0 = immediate `bye`).
   * Original 2.x clients always get the immediate `bye`.
   */
  resumeGraceMs?: number;
  /** `redirect warning toclose` this long before a scheduled room ends (default 60000 ms). */
  closeWarningMs?: number;
  iceServers?: IceServerConfig[];
  turn?: TurnSecretConfig;
  /** `ipSigserver` handed to clients (default: the request's Host header). */
  publicHost?: string;
  /** socket.io path (default `/socket.io`). */
  socketPath?: string;
  storage?: StorageConfig;
  /** A custom store instance (takes precedence over `storage` and `redis`). */
  messageStore?: MessageStore;
  /**
   * Share rooms, locks and stored messages with other instances through Redis (socket.io Redis
   * adapter). Needs `tokenSecret` (the same on every instance). `storage.kind`/`path` are then
   * unused: stored messages live in Redis (`storage.maxPerRoom`/`maxAgeMs` still apply).
   */
  redis?: RedisConfig;
  /** Max characters of one signaling message (default 131072). */
  maxMessageLength?: number;
  /** Max rooms one socket may be in (default 16). */
  maxRoomsPerSocket?: number;
  /** Max members per room (default 100). */
  maxMembersPerRoom?: number;
  floodControl?: FloodControlConfig | false;
  /** Directory served at `/`. */
  staticDir?: string;
  /** URL prefix -> directory, e.g. `{ '/dist': distDir }`. */
  staticMounts?: Record<string, string>;
  logLevel?: ServerLogLevel;
  /** Receives every log entry (default: JSON lines on stdout). */
  logSink?: ServerLogSink;
}

/** Config with defaults applied. */
export interface ResolvedServerConfig
  extends Required<
    Pick<
      SkylinkServerConfig,
      | 'port'
      | 'host'
      | 'dev'
      | 'apps'
      | 'tokenSecret'
      | 'tokenTtlMs'
      | 'resumeGraceMs'
      | 'closeWarningMs'
      | 'iceServers'
      | 'socketPath'
      | 'maxMessageLength'
      | 'maxRoomsPerSocket'
      | 'maxMembersPerRoom'
      | 'staticMounts'
      | 'logLevel'
    >
  > {
  floodControl: Required<FloodControlConfig> | false;
  /**
   * HMAC key of the resume tokens: `tokenSecret` when configured; in dev mode without one, a fixed
   * public value so that sessions resume across restarts (dev mode is insecure anyway).
   */
  resumeSecret: string;
  storage: StorageConfig;
  turn?: TurnSecretConfig;
  publicHost?: string;
  messageStore?: MessageStore;
  redis?: Required<RedisConfig>;
  logSink?: ServerLogSink;
}

export const DEFAULT_FLOOD_CONTROL: Readonly<Required<FloodControlConfig>> = Object.freeze({
  burst: 40,
  ratePerSecond: 10,
  warningIntervalMs: 1000,
  maxWarnings: 3,
  strikeWindowMs: 10_000,
  hardBurst: 2000,
  hardRatePerSecond: 500,
});

/** Resume-token key of dev mode without `tokenSecret`: public, so resume tokens are forgeable there. */
export const DEV_RESUME_SECRET = 'skylink-dev-mode-resume-secret (insecure, public)';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function validateApps(apps: unknown): Record<string, SkylinkAppConfig> {
  if (apps === undefined) return {};
  if (!isObject(apps)) throw new ConfigError('"apps" must be an object of App Key -> settings');
  const out: Record<string, SkylinkAppConfig> = {};
  for (const [key, value] of Object.entries(apps)) {
    if (!key || key.length > 256) throw new ConfigError(`invalid App Key "${key.slice(0, 32)}"`);
    if (!isObject(value)) throw new ConfigError(`apps["${key}"] must be an object`);
    const { secret, allowedOrigins, requireCredentials } = value;
    if (secret !== undefined && (typeof secret !== 'string' || secret.length === 0)) {
      throw new ConfigError(`apps["${key}"].secret must be a non-empty string`);
    }
    if (
      allowedOrigins !== undefined &&
      allowedOrigins !== '*' &&
      !(Array.isArray(allowedOrigins) && allowedOrigins.every((o) => typeof o === 'string'))
    ) {
      throw new ConfigError(`apps["${key}"].allowedOrigins must be "*" or a list of origins`);
    }
    if (requireCredentials === true && secret === undefined) {
      throw new ConfigError(`apps["${key}"].requireCredentials needs a secret`);
    }
    for (const flag of ['isPrivileged', 'autoIntroduce', 'hasPersistentMessage', 'requireCredentials'] as const) {
      if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
        throw new ConfigError(`apps["${key}"].${flag} must be a boolean`);
      }
    }
    out[key] = value as SkylinkAppConfig;
  }
  return out;
}

function resolveRedis(redis: RedisConfig | undefined, tokenSecret: string | undefined): Required<RedisConfig> | undefined {
  if (redis === undefined) return undefined;
  if (!isObject(redis) || typeof redis.url !== 'string' || !/^rediss?:\/\/[^\s]+$/.test(redis.url)) {
    throw new ConfigError('redis.url must be a redis:// or rediss:// URL');
  }
  if (tokenSecret === undefined) {
    throw new ConfigError('redis needs tokenSecret, the same on every instance, so that each accepts the tokens of the others');
  }
  const keyPrefix = redis.keyPrefix ?? 'skylink:';
  if (typeof keyPrefix !== 'string' || keyPrefix.length > 64 || /[\s{}]/.test(keyPrefix)) {
    throw new ConfigError('redis.keyPrefix must be at most 64 characters, without spaces or braces');
  }
  const instanceTtlMs = redis.instanceTtlMs ?? 15_000;
  if (!Number.isFinite(instanceTtlMs) || instanceTtlMs < 300 || instanceTtlMs > 600_000) {
    throw new ConfigError('redis.instanceTtlMs must be between 300 and 600000');
  }
  const connectTimeoutMs = redis.connectTimeoutMs ?? 10_000;
  if (!Number.isFinite(connectTimeoutMs) || connectTimeoutMs < 100 || connectTimeoutMs > 600_000) {
    throw new ConfigError('redis.connectTimeoutMs must be between 100 and 600000');
  }
  return { url: redis.url, keyPrefix, instanceTtlMs, connectTimeoutMs };
}

/** Applies defaults and checks the config; throws `ConfigError` on invalid values. */
export function resolveServerConfig(config: SkylinkServerConfig = {}): ResolvedServerConfig {
  const apps = validateApps(config.apps);
  if (!config.dev && Object.keys(apps).length === 0) {
    throw new ConfigError('no apps configured: pass "apps" (or use dev mode, which accepts any App Key)');
  }
  const port = config.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port ${String(port)}`);
  if (config.tokenSecret !== undefined && config.tokenSecret.length < 16) {
    throw new ConfigError('tokenSecret must have at least 16 characters');
  }
  const resumeGraceMs = config.resumeGraceMs ?? 15_000;
  if (!Number.isFinite(resumeGraceMs) || resumeGraceMs < 0 || resumeGraceMs > 600_000) {
    throw new ConfigError('resumeGraceMs must be between 0 and 600000');
  }
  const tokenSecret = config.tokenSecret ?? randomBytes(32).toString('hex');
  const storage = config.storage ?? { kind: 'memory' };
  if (storage.kind === 'file' && !storage.path) throw new ConfigError('storage.path is required for kind "file"');
  return {
    port,
    host: config.host ?? '127.0.0.1',
    dev: config.dev ?? false,
    apps,
    tokenSecret,
    tokenTtlMs: config.tokenTtlMs ?? 600_000,
    resumeGraceMs,
    resumeSecret: config.tokenSecret ?? (config.dev ? DEV_RESUME_SECRET : tokenSecret),
    closeWarningMs: config.closeWarningMs ?? 60_000,
    iceServers: config.iceServers ?? [],
    turn: config.turn,
    publicHost: config.publicHost,
    socketPath: config.socketPath ?? '/socket.io',
    storage,
    messageStore: config.messageStore,
    redis: resolveRedis(config.redis, config.tokenSecret),
    maxMessageLength: config.maxMessageLength ?? 128 * 1024,
    maxRoomsPerSocket: config.maxRoomsPerSocket ?? 16,
    maxMembersPerRoom: config.maxMembersPerRoom ?? 100,
    floodControl: config.floodControl === false ? false : { ...DEFAULT_FLOOD_CONTROL, ...config.floodControl },
    staticMounts: {
      ...(config.staticDir ? { '/': config.staticDir } : {}),
      ...config.staticMounts,
    },
    logLevel: config.logLevel ?? 'info',
    logSink: config.logSink,
  };
}

/** Reads a JSON config file (same shape as `SkylinkServerConfig`, minus functions). */
export function loadConfigFile(path: string): SkylinkServerConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) throw new ConfigError(`config file ${path} must contain a JSON object`);
  return parsed as SkylinkServerConfig;
}

/**
 * Config from the environment: `PORT`, `HOST`, `SKYLINK_DEV=1`, `SKYLINK_APPS` (JSON object of
 * App Key -> settings), `SKYLINK_TOKEN_SECRET`, `SKYLINK_DATA_FILE`, `SKYLINK_PUBLIC_HOST`,
 * `SKYLINK_LOG_LEVEL`, `SKYLINK_RESUME_GRACE_MS`, `SKYLINK_REDIS_URL`.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): SkylinkServerConfig {
  const out: SkylinkServerConfig = {};
  if (env.PORT) out.port = Number(env.PORT);
  if (env.HOST) out.host = env.HOST;
  if (env.SKYLINK_DEV === '1' || env.SKYLINK_DEV === 'true') out.dev = true;
  if (env.SKYLINK_APPS) {
    try {
      out.apps = JSON.parse(env.SKYLINK_APPS) as Record<string, SkylinkAppConfig>;
    } catch {
      throw new ConfigError('SKYLINK_APPS is not valid JSON');
    }
  }
  if (env.SKYLINK_TOKEN_SECRET) out.tokenSecret = env.SKYLINK_TOKEN_SECRET;
  if (env.SKYLINK_DATA_FILE) out.storage = { kind: 'file', path: env.SKYLINK_DATA_FILE };
  if (env.SKYLINK_PUBLIC_HOST) out.publicHost = env.SKYLINK_PUBLIC_HOST;
  if (env.SKYLINK_RESUME_GRACE_MS) out.resumeGraceMs = Number(env.SKYLINK_RESUME_GRACE_MS);
  if (env.SKYLINK_LOG_LEVEL) out.logLevel = env.SKYLINK_LOG_LEVEL as ServerLogLevel;
  if (env.SKYLINK_REDIS_URL) out.redis = { url: env.SKYLINK_REDIS_URL };
  return out;
}
