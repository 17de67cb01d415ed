import { defineConfig } from 'tsup';

// Three outputs: the npm entry for bundlers (dependencies stay external), self-contained
// minified browser bundles (IIFE + ESM) for plain <script> use, and the Node server.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2020',
    platform: 'browser',
  },
  {
    entry: { 'skylink.bundle': 'src/index.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.js' }),
    minify: true,
    sourcemap: true,
    noExternal: [/.*/],
    target: 'es2020',
    platform: 'browser',
  },
  {
    entry: { skylink: 'src/index.ts' },
    format: ['iife'],
    // window.Skylink is the namespace of every export (Skylink.default is the class).
    globalName: 'Skylink',
    outExtension: () => ({ js: '.global.js' }),
    minify: true,
    sourcemap: true,
    noExternal: [/.*/],
    target: 'es2020',
    platform: 'browser',
  },
  {
    entry: { 'server/index': 'src/server/index.ts', 'server/cli': 'src/server/cli.ts' },
    format: ['esm'],
    dts: { entry: { 'server/index': 'src/server/index.ts' } },
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
]);
