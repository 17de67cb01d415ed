#!/usr/bin/env node
// Where the bytes of the self-contained browser bundle go (issue 9, case 5). Rebuilds the bundle in
// memory with the esbuild options and plugins of tsup.config.ts's `skylink.bundle` entry, then prints
// its minified / gzip -9 / brotli sizes, the same for the fixed dependencies bundled alone (the floor
// our own code sits on), and the minified bytes per package and per src/ folder. Nothing is written.
//   node scripts/bundle-breakdown.mjs [--files]   (--files: per source file instead of per folder)
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const perFile = process.argv.includes('--files');

// Loaded the way tsup loads tsup.config.ts: with tsup's own bundle-require (not a direct dependency).
const fromTsup = createRequire(createRequire(join(root, 'package.json')).resolve('tsup'));
const { bundleRequire } = fromTsup('bundle-require');
const { mod } = await bundleRequire({ filepath: join(root, 'tsup.config.ts') });
const items = mod.default ?? mod;
const item = items.find((config) => config.entry && 'skylink.bundle' in config.entry);
if (!item) throw new Error('tsup.config.ts has no skylink.bundle entry');

const options = {
  absWorkingDir: root,
  bundle: true,
  write: false,
  metafile: true,
  format: 'esm',
  platform: item.platform,
  target: item.target,
  minify: item.minify,
  plugins: item.esbuildPlugins ?? [],
  logLevel: 'error',
  outdir: join(root, 'dist'),
};

// Every module src/ imports from a package (src/platform/browserPlatform.ts, src/crypto/*).
const DEPENDENCIES_ONLY = `
import adapter from 'webrtc-adapter';
import { io } from 'socket.io-client';
import AES from 'crypto-js/aes';
import Utf8 from 'crypto-js/enc-utf8';
import NoPadding from 'crypto-js/pad-nopadding';
export { adapter, io, AES, Utf8, NoPadding };
`;

function sizes(bytes) {
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

async function bundle(extra) {
  const result = await build({ ...options, ...extra });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const output = Object.values(result.metafile.outputs).find((out) => out.entryPoint !== undefined || out.inputs);
  return { sizes: sizes(js.contents), inputs: output.inputs };
}

function groupOf(path) {
  const pkg = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(path);
  if (pkg) return pkg[1];
  if (perFile || !path.startsWith('src/')) return path;
  const folder = /^src\/([^/]+)\//.exec(path);
  return folder ? `src/${folder[1]}/` : 'src/*.ts';
}

const full = await bundle({ entryPoints: ['src/index.ts'] });
const deps = await bundle({ stdin: { contents: DEPENDENCIES_ONLY, resolveDir: root, loader: 'js' } });

const kb = (bytes) => (bytes / 1000).toFixed(1).padStart(7);
const row = (label, s) => console.log(`${label.padEnd(34)} ${kb(s.minified)} ${kb(s.gzip)} ${kb(s.brotli)}`);
console.log(`${'KB (1000 B)'.padEnd(34)} ${'min'.padStart(7)} ${'gzip'.padStart(7)} ${'brotli'.padStart(7)}`);
row('whole bundle (src/index.ts)', full.sizes);
row('dependencies alone', deps.sizes);
row('difference (~ our own code)', {
  minified: full.sizes.minified - deps.sizes.minified,
  gzip: full.sizes.gzip - deps.sizes.gzip,
  brotli: full.sizes.brotli - deps.sizes.brotli,
});

const groups = new Map();
for (const [path, input] of Object.entries(full.inputs)) {
  const group = groupOf(path);
  groups.set(group, (groups.get(group) ?? 0) + input.bytesInOutput);
}
console.log('\nminified bytes in the whole bundle');
for (const [group, bytes] of [...groups].sort((a, b) => b[1] - a[1])) {
  if (bytes > 0) console.log(`${String(bytes).padStart(8)}  ${group}`);
}
