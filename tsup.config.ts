import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { privatePropertyNames } from './scripts/privatePropertyNames';

// The self-contained browser bundles target the browsers the SDK runs on (the demo's targets too):
// their native class fields and private methods are ~1.4 KB gzip smaller than es2020's lowered helpers.
const BROWSER_BUNDLE_TARGET = ['chrome91', 'firefox90', 'safari15'];

// The SDK always connects with `transports: ['websocket']` (as 2.x clients did), but engine.io-client's
// default transport table also pulls HTTP long-polling (XHR, plus a pagehide listener that aborts its
// requests) and WebTransport into the bundle. In the self-contained bundles the table holds only the
// WebSocket transport, and the now unreferenced polling/WebTransport modules are marked side-effect
// free so they drop out. Bundlers of the npm entry resolve socket.io-client themselves.
const engineIoWebSocketOnly: Plugin = {
  name: 'engine-io-websocket-only',
  setup(build) {
    build.onLoad({ filter: /engine\.io-client[\\/]build[\\/]esm[\\/]transports[\\/]index\.js$/ }, (args) => ({
      contents: 'import { WS } from "./websocket.node.js";\nexport const transports = { websocket: WS };\n',
      loader: 'js',
      resolveDir: args.path.replace(/[\\/]index\.js$/, ''),
    }));
    build.onResolve({ filter: /(polling[\w.-]*|webtransport)\.js$/ }, async (args) => {
      if (args.pluginData === 'engine-io-websocket-only' || !/engine\.io-client/.test(args.importer)) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'engine-io-websocket-only',
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

// crypto-js/evpkdf requires ./sha1 and ./hmac, but the only KDF the bundle runs is the OpenSSL
// passphrase scheme of crypto-js/aes, whose default hasher is MD5 (src/crypto/compatCipher.ts never
// passes another); nothing else in the bundle uses SHA1 or HMAC. The self-contained bundles load
// those two modules as empty ones.
const cryptoJsUnusedHashers: Plugin = {
  name: 'crypto-js-unused-hashers',
  setup(build) {
    build.onResolve({ filter: /^\.\/(sha1|hmac)$/ }, (args) =>
      /crypto-js[\\/]evpkdf\.js$/.test(args.importer) ? { path: args.path, namespace: 'crypto-js-unused' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'crypto-js-unused' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

// webrtc-adapter's own entry returns an object that exposes every shim module and the whole 'sdp'
// package, so nothing of them can be tree-shaken. The self-contained bundles load the adapter through
// scripts/webrtc-adapter-bundle-core.mjs instead (the package's factory, calling the package's shim
// modules; see that file for why the result is the same on every browser the bundles run on), and load
// 'sdp' (one object of 47 helpers, CommonJS) as an ES module of separate functions, so only the four
// helpers the common shims call, and what they call, stay. The rewrites check what they rewrite and
// fail the build if a new version of either package no longer has that shape.
const webrtcAdapterSlim: Plugin = {
  name: 'webrtc-adapter-slim',
  setup(build) {
    const jsDir = /webrtc-adapter[\\/]src[\\/]js[\\/]/;
    build.onLoad({ filter: /webrtc-adapter[\\/]src[\\/]js[\\/]adapter_core\.js$/ }, async (args) => ({
      contents: await readFile(new URL('./scripts/webrtc-adapter-bundle-core.mjs', import.meta.url), 'utf8'),
      loader: 'js',
      resolveDir: args.path.replace(/[\\/]adapter_core\.js$/, ''),
    }));
    build.onLoad({ filter: /webrtc-adapter[\\/]src[\\/]js[\\/]common_shim\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const defaultImport = "import SDPUtils from 'sdp';";
      if (!jsDir.test(args.path) || source.split(defaultImport).length !== 2) {
        throw new Error(`webrtc-adapter-slim: ${args.path} no longer has "${defaultImport}"`);
      }
      return { contents: source.replace(defaultImport, "import * as SDPUtils from 'sdp';"), loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]node_modules[\\/]sdp[\\/]sdp\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const names: string[] = [];
      let esm = source
        .replace(/^SDPUtils\.(\w+) = /gm, (_match, name: string) => {
          names.push(name);
          return `const SDPUtils$${name} = `;
        })
        .replace(/\bSDPUtils\.(\w+)\b/g, (_match, name: string) => `SDPUtils$${name}`);
      const header = 'const SDPUtils = {};\n';
      const footer = /\/\/ Expose public methods\.\nif \(typeof module === 'object'\) \{\n {2}module\.exports = SDPUtils;\n\}\n?$/;
      if (names.length < 40 || esm.split(header).length !== 2 || !footer.test(esm)) {
        throw new Error(`webrtc-adapter-slim: ${args.path} is not the SDPUtils object module it expects`);
      }
      esm = esm.replace(header, '').replace(footer, '');
      if (/\bSDPUtils\b(?!\$)/.test(esm)) throw new Error(`webrtc-adapter-slim: ${args.path} uses SDPUtils as a whole`);
      esm += `export { ${names.map((name) => `SDPUtils$${name} as ${name}`).join(', ')} };\n`;
      return { contents: esm, loader: 'js' };
    });
  },
};

// Our TypeScript `private` member names (~176, many long) are renamed in the self-contained bundles,
// as esbuild already does for `#private` ones: the list comes from the type checker (see
// scripts/privatePropertyNames.ts for what makes a name safe) and leaves out every word found in the
// files of the packages below. Every dependency file the bundle loads is checked again: one that
// contains a renamed name fails the build instead of having its property silently renamed.
const BUNDLED_PACKAGES = [
  'webrtc-adapter',
  'sdp',
  'socket.io-client',
  'engine.io-client',
  'engine.io-parser',
  'socket.io-parser',
  '@socket.io/component-emitter',
  'crypto-js',
];
const ROOT = dirname(fileURLToPath(import.meta.url));
const words = (text: string): string[] => text.match(/[A-Za-z_$][\w$]*/g) ?? [];

async function privateNames(): Promise<Set<string>> {
  const dependencyWords = new Set<string>();
  for (const pkg of BUNDLED_PACKAGES) {
    // (Dirent.parentPath is Node 20.12+; `path` is its older name.)
    const entries = await readdir(join(ROOT, 'node_modules', pkg), { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      if (!entry.isFile() || !/\.[cm]?js$/.test(entry.name)) continue;
      for (const word of words(await readFile(join(entry.parentPath ?? entry.path, entry.name), 'utf8'))) dependencyWords.add(word);
    }
  }
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!config) throw new Error('mangle-private-members: cannot read tsconfig.json');
  const sources = config.fileNames.filter((file) => /[\\/]src[\\/]/.test(file) && !/[\\/]src[\\/]server[\\/]/.test(file));
  return new Set(privatePropertyNames(sources, config.options, dependencyWords).names);
}

// Computed once per tsup process (both browser bundles share it); a watch session must be restarted
// after private members change.
let mangled: Promise<Set<string>> | undefined;
const manglePrivateMembers: Plugin = {
  name: 'mangle-private-members',
  async setup(build) {
    const names = await (mangled ??= privateNames());
    build.initialOptions.mangleProps = new RegExp(`^(?:${[...names].join('|')})$`);
    build.onLoad({ filter: /[\\/]node_modules[\\/]/ }, async (args) => {
      const clash = words(await readFile(args.path, 'utf8')).find((word) => names.has(word));
      if (clash) {
        throw new Error(`mangle-private-members: ${args.path} uses "${clash}"; add its package to BUNDLED_PACKAGES in tsup.config.ts`);
      }
      return undefined;
    });
  },
};

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
    target: BROWSER_BUNDLE_TARGET,
    platform: 'browser',
    esbuildPlugins: [manglePrivateMembers, engineIoWebSocketOnly, cryptoJsUnusedHashers, webrtcAdapterSlim],
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
    target: BROWSER_BUNDLE_TARGET,
    platform: 'browser',
    esbuildPlugins: [manglePrivateMembers, engineIoWebSocketOnly, cryptoJsUnusedHashers, webrtcAdapterSlim],
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
