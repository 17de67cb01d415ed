/**
 * Logging. `SkylinkLogger` is the public control object (2.x API: `logLevels`, `setLevel`, `enableAll`,
 * `disableAll`, `getLogs`, `clearLogs`, plus `setHandler` to ship logs elsewhere). Internal modules log
 * through `createLogger(tag, contextProvider?)`.
 *
 * Secrets never reach the console, the handler or stored logs: every message and data object goes through
 * {@link redact}. Redacted object keys (case-insensitive, anywhere in the key): `secret` (covers
 * `encryptSecrets`, `appKeySecret`...), `password`, `passwd`, `credential` (covers `credentials`),
 * `token`, `authorization`, `cookie`, `privatekey` / `private_key`, `apikey` / `api_key`, `signature`.
 * In strings, query/JSON values of `cred`, `credentials`, `token`, `access_token`, `secret`, `password`,
 * `signature` are replaced. SDP bodies should be logged at `debug` only.
 * @module
 */

/** Log levels of `SkylinkLogger` (2.x numbering; differs from the legacy `SkylinkConstants.LOG_LEVEL`). */
export const LOG_LEVELS = Object.freeze({ TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, SILENT: 5 } as const);
/** A level name. */
export type SkylinkLogLevelName = keyof typeof LOG_LEVELS;
/** A level number (0 = TRACE ... 5 = SILENT). */
export type SkylinkLogLevel = (typeof LOG_LEVELS)[SkylinkLogLevelName];
/** Level names that messages can have (SILENT is a threshold only). */
export type SkylinkMessageLevelName = Exclude<SkylinkLogLevelName, 'SILENT'>;

/** Context attached to every log line. */
export interface LogContext {
  roomName?: string;
  peerId?: string;
  /** Logger tag (module name). */
  tag?: string;
}

/**
 * Receives every log entry at or above the current level. `message` and `data` are already redacted.
 * A throwing handler is ignored.
 */
export type SkylinkLogHandler = (
  level: SkylinkMessageLevelName,
  message: string,
  context: LogContext,
  data?: unknown,
) => void;

/** A stored log item: `[isoDateTimeInBrackets, LEVELNAME, message, data?]` (2.x `logItems`). */
export type StoredLogItem = [string, SkylinkMessageLevelName, string, unknown?];

const REDACTED = '[REDACTED]';
const SECRET_KEY = /secret|passw(or)?d|credential|token|authorization|cookie|private_?key|api_?key|signature/i;
const SECRET_IN_STRING =
  /((?:^|[?&\s,{"'])(?:cred|credentials|token|access_token|secret|password|signature)["']?\s*[=:]\s*["']?)([^&\s"',}]+)/gi;
const MAX_DEPTH = 6;
const MAX_STORED_LOGS = 10000;

/** Replaces secret-looking values in a string (e.g. `?cred=abc` → `?cred=[REDACTED]`). */
export function redactString(text: string): string {
  return text.replace(SECRET_IN_STRING, `$1${REDACTED}`);
}

/** `true` when a key name is treated as secret by {@link redact}. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Returns a copy of `value` safe to log: values of secret keys are replaced by `'[REDACTED]'`, strings
 * are passed through {@link redactString}. Walks plain objects and arrays (depth ≤ 6, cycles cut);
 * Errors become `{ name, message, code? }`; other objects (MediaStream, Blob...) are kept as is.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (!isArray && proto !== Object.prototype && proto !== null) return value;
  if (depth >= MAX_DEPTH) return isArray ? '[Array]' : '[Object]';
  seen.add(value);
  if (isArray) return (value as unknown[]).map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}

function levelFromInput(level: unknown): SkylinkLogLevel | undefined {
  if (typeof level === 'number' && Number.isInteger(level) && level >= LOG_LEVELS.TRACE && level <= LOG_LEVELS.SILENT) {
    return level as SkylinkLogLevel;
  }
  if (typeof level === 'string') {
    const upper = level.toUpperCase();
    if (upper in LOG_LEVELS) return LOG_LEVELS[upper as SkylinkLogLevelName];
  }
  return undefined;
}

const CONSOLE_METHOD: Record<SkylinkMessageLevelName, 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Options of {@link SkylinkLoggerClass.setHandler}. */
export interface SetLogHandlerOptions {
  /** Also keep printing to the console. Default `true`. */
  console?: boolean;
}

/**
 * The public log control (`SkylinkLogger` export is the singleton instance of this class).
 * Default level: WARN.
 */
export class SkylinkLoggerClass {
  /** Level numbers by name: `{ TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4, SILENT: 5 }`. */
  readonly logLevels = LOG_LEVELS;
  /** Current level. */
  level: SkylinkLogLevel = LOG_LEVELS.WARN;
  /** Whether entries are kept for {@link getLogs}. */
  storeLogs = false;
  /** Stored entries (the most recent 10000). */
  storedLogs: StoredLogItem[] = [];
  #handler: SkylinkLogHandler | null = null;
  #console = true;

  /**
   * Sets the level (number 0-5 or a level name such as `'DEBUG'`). An invalid value falls back to ERROR
   * (the 2.x intent). A truthy `storeLogs` turns log storage on.
   */
  setLevel(level: SkylinkLogLevel | SkylinkLogLevelName | number | string, storeLogs?: boolean): void {
    const parsed = levelFromInput(level);
    this.level = parsed ?? LOG_LEVELS.ERROR;
    if (storeLogs) this.storeLogs = true;
    if (parsed === undefined) this.write('WARN', `Invalid log level ${String(level)}; using ERROR`, { tag: 'LOGGER' });
  }

  /** Current level name. */
  getLevelName(): SkylinkLogLevelName {
    const entry = Object.entries(LOG_LEVELS).find(([, v]) => v === this.level);
    return (entry?.[0] ?? 'WARN') as SkylinkLogLevelName;
  }

  /** `setLevel(TRACE)`. */
  enableAll(): void {
    this.setLevel(LOG_LEVELS.TRACE);
  }

  /** `setLevel(SILENT)`. */
  disableAll(): void {
    this.setLevel(LOG_LEVELS.SILENT);
  }

  /**
   * Sends every entry at or above the level to `handler` (`null` removes it).
   * @example
   * ```ts
   * SkylinkLogger.setHandler((level, message, context, data) => myShipper.push({ level, message, ...context }), { console: false });
   * ```
   */
  setHandler(handler: SkylinkLogHandler | null, options: SetLogHandlerOptions = {}): void {
    this.#handler = handler;
    this.#console = handler === null ? true : options.console !== false;
  }

  /** Turns storage of log entries on or off (off also clears them). */
  setStoreLogs(store: boolean): void {
    this.storeLogs = store;
    if (!store) this.storedLogs = [];
  }

  /** Stored entries, or `null` (with a warning) when storage is off. */
  getLogs(): StoredLogItem[] | null {
    if (!this.storeLogs) {
      this.write('WARN', 'Logs are not stored: call SkylinkLogger.setLevel(level, true) first', { tag: 'LOGGER' });
      return null;
    }
    return this.storedLogs;
  }

  /** Empties the stored entries. */
  clearLogs(): void {
    this.storedLogs = [];
  }

  /** @internal Writes one entry (filtering, redaction, console, handler, storage). */
  write(level: SkylinkMessageLevelName, message: string, context: LogContext = {}, data?: unknown): void {
    if (this.level === LOG_LEVELS.SILENT || LOG_LEVELS[level] < this.level) return;
    const safeMessage = redactString(message);
    const safeData = data === undefined ? undefined : redact(data);
    const time = `[${new Date().toISOString()}]`;
    if (this.storeLogs) {
      const item: StoredLogItem = safeData === undefined ? [time, level, safeMessage] : [time, level, safeMessage, safeData];
      this.storedLogs.push(item);
      if (this.storedLogs.length > MAX_STORED_LOGS) this.storedLogs.splice(0, this.storedLogs.length - MAX_STORED_LOGS);
    }
    if (this.#console && typeof console !== 'undefined') {
      const line = `${time} Skylink - ${formatContext(context)}${safeMessage}`;
      const method = console[CONSOLE_METHOD[level]] ?? console.log;
      if (safeData === undefined) method.call(console, line);
      else method.call(console, line, safeData);
    }
    if (this.#handler) {
      try {
        this.#handler(level, safeMessage, { ...context }, safeData);
      } catch {
        // A broken handler must not break the SDK.
      }
    }
  }
}

function formatContext(ctx: LogContext): string {
  let out = '';
  if (ctx.roomName) out += `[${ctx.roomName}] `;
  if (ctx.peerId) out += `[${ctx.peerId}] `;
  if (ctx.tag) out += `<<${ctx.tag}>> `;
  return out;
}

/** The public logger control (2.x `SkylinkLogger`). */
export const SkylinkLogger = new SkylinkLoggerClass();

/** Internal per-module logger: `(message, data?, context?)`; `context` overrides the provider's. */
export interface Logger {
  trace(message: string, data?: unknown, context?: LogContext): void;
  debug(message: string, data?: unknown, context?: LogContext): void;
  info(message: string, data?: unknown, context?: LogContext): void;
  warn(message: string, data?: unknown, context?: LogContext): void;
  error(message: string, data?: unknown, context?: LogContext): void;
  /** A logger with the same tag and extra fixed context (e.g. `{ peerId }`). */
  child(context: LogContext): Logger;
}

/**
 * Creates a tagged logger. `contextProvider` is called per entry (e.g. `() => ({ roomName })`).
 * `sink` defaults to the global {@link SkylinkLogger}.
 */
export function createLogger(
  tag: string,
  contextProvider?: () => LogContext,
  sink: SkylinkLoggerClass = SkylinkLogger,
): Logger {
  const make = (fixed: LogContext): Logger => {
    const log =
      (level: SkylinkMessageLevelName) =>
      (message: string, data?: unknown, context?: LogContext): void => {
        if (sink.level === LOG_LEVELS.SILENT || LOG_LEVELS[level] < sink.level) return;
        const ctx: LogContext = { tag, ...(contextProvider ? contextProvider() : {}), ...fixed, ...context };
        sink.write(level, message, ctx, data);
      };
    return {
      trace: log('TRACE'),
      debug: log('DEBUG'),
      info: log('INFO'),
      warn: log('WARN'),
      error: log('ERROR'),
      child: (extra) => make({ ...fixed, ...extra }),
    };
  };
  return make({});
}
