#!/usr/bin/env node
// Compiles the demo page (demo/main.ts and its modules) into one ES module, demo/.build/main.js.
// The SDK is not bundled: the page imports the built bundle from the server's /dist mount.
// Used by `npm start` and by the demo e2e test (which builds into a temporary copy of the site).
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** App keys the demo server should know: the demo's key may store chat messages. */
export const DEMO_APPS = Object.freeze({ 'skylink-demo': { hasPersistentMessage: true } });

/** Builds demo/.build/main.js (or `outfile`), with a source map. */
export async function buildDemo(outfile = join(root, 'demo/.build/main.js')) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'demo/main.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome91', 'firefox90', 'safari15'],
    sourcemap: true,
    external: ['/dist/*'],
    logLevel: 'warning',
  });
}

// `node scripts/build-demo.mjs [--outfile=PATH]`
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv.find((a) => a.startsWith('--outfile='));
  await buildDemo(out ? resolve(out.slice('--outfile='.length)) : undefined);
}
