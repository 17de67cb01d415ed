#!/usr/bin/env node
// Bundles the original skylinkjs 2.7.2 client (npm ships only ES sources) for interop tests and
// benchmarks, the way its own rollup build does: everything bundled except socket.io-client,
// which it reads from the global `io` (socket.io-client v2, loaded by a classic <script>).
// Output goes to tests/e2e/.vendor/ (git-ignored), served by the e2e static server as /vendor/.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const outDir = join(root, 'tests/e2e/.vendor');
const entry = require.resolve('skylinkjs/src/index.js');
const ioDist = join(dirname(require.resolve('socket.io-client-v2/package.json')), 'dist/socket.io.js');
const out = join(outDir, 'skylinkjs-2.7.2.js');

export async function buildSkylinkjs({ force = false } = {}) {
  mkdirSync(outDir, { recursive: true });
  copyFileSync(ioDist, join(outDir, 'socket.io-v2.js'));
  if (!force && existsSync(out) && statSync(out).mtimeMs > statSync(entry).mtimeMs) return out;
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    logLevel: 'warning',
    loader: { '.json': 'json' },
    plugins: [
      {
        name: 'global-io',
        setup(b) {
          b.onResolve({ filter: /^socket\.io-client$/ }, () => ({ path: 'socket.io-client', namespace: 'global-io' }));
          b.onLoad({ filter: /.*/, namespace: 'global-io' }, () => ({ contents: 'export default window.io;' }));
        },
      },
    ],
  });
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = await buildSkylinkjs({ force: process.argv.includes('--force') });
  console.log(`skylinkjs 2.7.2 bundle: ${file} (${statSync(file).size} bytes)`);
}
