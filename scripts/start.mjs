#!/usr/bin/env node
// `npm start`: builds the SDK and the demo, then runs the room/signaling server on its embedded
// default (dev mode: any app key; stored messages in a local file) serving the demo page.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!process.argv.includes('--no-build')) run(process.execPath, [join(root, 'node_modules/tsup/dist/cli-default.js')]);

// The demo is plain TypeScript compiled to one ES module that imports the built SDK bundle.
const { buildDemo, DEMO_APPS } = await import('./build-demo.mjs');
await buildDemo();

const dataDir = join(root, '.skylink-data');
mkdirSync(dataDir, { recursive: true });
const { createSkylinkServer } = await import(pathToFileURL(join(root, 'dist/server/index.js')).href);
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const server = await createSkylinkServer({
  dev: true,
  apps: DEMO_APPS,
  port,
  host,
  staticDir: join(root, 'demo'),
  staticMounts: { '/dist': join(root, 'dist') },
  storage: { kind: 'file', path: join(dataDir, 'messages.jsonl') },
});
console.log(`\nSkylink demo: ${server.url}/  (open it in two tabs to meet)\nroomServer for apps: //${host}:${server.port}\n`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
