#!/usr/bin/env node
/**
 * `skylink-server` command line: starts the room and signaling server.
 * Precedence: defaults < --config file < environment < flags.
 */
import { parseArgs } from 'node:util';
import {
  ConfigError,
  configFromEnv,
  createSkylinkServer,
  loadConfigFile,
  type SkylinkServerConfig,
} from './index';

const USAGE = `Usage: skylink-server [options]

  --port <n>           TCP port (env PORT, default 8018)
  --host <addr>        listen address (env HOST, default 127.0.0.1)
  --config <file>      JSON config file (apps, ICE servers, limits...)
  --dev                accept any App Key without a secret (insecure; env SKYLINK_DEV=1)
  --data-file <file>   stored-messages file (env SKYLINK_DATA_FILE,
                       default .skylink-data/messages.jsonl)
  --static <dir>       serve a directory at /
  --mount <url=dir>    serve a directory under a URL prefix (repeatable), e.g. /dist=./dist
  --redis <url>        share rooms and stored messages with other instances through
                       Redis, e.g. redis://127.0.0.1:6379 (env SKYLINK_REDIS_URL;
                       needs the same token secret on every instance)
  --log-level <lvl>    debug | info | warn | error | silent (env SKYLINK_LOG_LEVEL)
  -h, --help           show this help
`;

function fail(message: string): never {
  process.stderr.write(`skylink-server: ${message}\n`);
  process.exit(2);
}

function buildConfig(argv: string[]): SkylinkServerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      dev: { type: 'boolean' },
      'data-file': { type: 'string' },
      static: { type: 'string' },
      mount: { type: 'string', multiple: true },
      'log-level': { type: 'string' },
      redis: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const fromFile = values.config ? loadConfigFile(values.config) : {};
  const fromEnv = configFromEnv(process.env);
  const config: SkylinkServerConfig = {
    port: 8018,
    storage: { kind: 'file', path: '.skylink-data/messages.jsonl' },
    ...fromFile,
    ...fromEnv,
  };
  // The URL from the environment or a flag keeps the file's other Redis settings.
  if (fromEnv.redis) config.redis = { ...fromFile.redis, ...fromEnv.redis };
  if (values.redis !== undefined) config.redis = { ...config.redis, url: values.redis };
  if (values.port !== undefined) config.port = Number(values.port);
  if (values.host !== undefined) config.host = values.host;
  if (values.dev) config.dev = true;
  if (values['data-file']) config.storage = { ...config.storage, kind: 'file', path: values['data-file'] };
  if (values.static) config.staticDir = values.static;
  for (const mount of values.mount ?? []) {
    const eq = mount.indexOf('=');
    if (eq <= 0) fail(`--mount expects <url-prefix>=<dir>, got "${mount}"`);
    config.staticMounts = { ...config.staticMounts, [mount.slice(0, eq)]: mount.slice(eq + 1) };
  }
  if (values['log-level']) config.logLevel = values['log-level'] as SkylinkServerConfig['logLevel'];
  return config;
}

async function main(): Promise<void> {
  let config: SkylinkServerConfig;
  try {
    config = buildConfig(process.argv.slice(2));
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`);
  }
  let server;
  try {
    server = await createSkylinkServer(config);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    // e.g. the port is taken, or Redis cannot be reached.
    process.stderr.write(`skylink-server: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const running = server;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1); // second signal: do not wait
    stopping = true;
    process.stderr.write(`skylink-server: ${signal} received, shutting down\n`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`skylink-server: unhandled rejection: ${String(reason)}\n`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`skylink-server: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
