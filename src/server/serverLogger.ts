/**
 * Structured JSON-lines logger of the server (one object per line on stdout by default).
 * Context fields whose name looks like a secret are redacted before they reach the sink.
 */

export type ServerLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface ServerLogEntry {
  time: string;
  level: Exclude<ServerLogLevel, 'silent'>;
  msg: string;
  [field: string]: unknown;
}

export type ServerLogSink = (entry: ServerLogEntry) => void;

export interface ServerLogger {
  debug(msg: string, context?: Record<string, unknown>): void;
  info(msg: string, context?: Record<string, unknown>): void;
  warn(msg: string, context?: Record<string, unknown>): void;
  error(msg: string, context?: Record<string, unknown>): void;
  /** A logger adding `context` to every entry. */
  child(context: Record<string, unknown>): ServerLogger;
}

const ORDER: Record<ServerLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_FIELD = /secret|credential|cred$|password|token|authorization|cookie/i;

export const stdoutSink: ServerLogSink = (entry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};

function redact(context: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(context)) {
    if (value === undefined) continue;
    if (SECRET_FIELD.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message };
    else out[key] = value;
  }
  return out;
}

export function createServerLogger(
  options: { level?: ServerLogLevel; sink?: ServerLogSink } = {},
  base: Record<string, unknown> = {},
): ServerLogger {
  const threshold = ORDER[options.level ?? 'info'];
  const sink = options.sink ?? stdoutSink;
  const write = (level: ServerLogEntry['level'], msg: string, context?: Record<string, unknown>): void => {
    if (ORDER[level] < threshold) return;
    try {
      sink({ time: new Date().toISOString(), level, msg, ...redact({ ...base, ...context }) });
    } catch {
      // A failing sink must never take the server down.
    }
  };
  return {
    debug: (msg, ctx) => write('debug', msg, ctx),
    info: (msg, ctx) => write('info', msg, ctx),
    warn: (msg, ctx) => write('warn', msg, ctx),
    error: (msg, ctx) => write('error', msg, ctx),
    child: (ctx) => createServerLogger(options, { ...base, ...ctx }),
  };
}
