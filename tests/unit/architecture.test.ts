/**
 * @jest-environment node
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// The dependency rules of STYLE.md, checked on the import statements of src/.
const SRC = resolve(__dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

const files = sourceFiles(SRC).map((path) => {
  const text = readFileSync(path, 'utf8');
  const specifiers = [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
  return { file: relative(SRC, path).replace(/\\/g, '/'), specifiers };
});

const SERVICE_DIRS = ['signaling/', 'peer/', 'media/', 'data/', 'crypto/', 'messaging/', 'platform/'];
const isService = (file: string) => SERVICE_DIRS.some((d) => file.startsWith(d));
const isServer = (file: string) => file.startsWith('server/');

function violations(rule: (file: string, spec: string) => boolean): string[] {
  return files.flatMap(({ file, specifiers }) => specifiers.filter((s) => rule(file, s)).map((s) => `${file} -> ${s}`));
}

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('services never import the facade, the room or the event manager', () => {
    expect(
      violations((file, spec) => isService(file) && /(^|\/)(Skylink|room\/.*|events\/SkylinkEventManager)$/.test(spec)),
    ).toEqual([]);
  });

  it('only the browser platform imports webrtc-adapter or socket.io-client', () => {
    expect(
      violations((file, spec) => /^(webrtc-adapter|socket\.io-client)/.test(spec) && file !== 'platform/browserPlatform.ts'),
    ).toEqual([]);
  });

  it('only the server imports socket.io (server) or node: modules', () => {
    expect(violations((file, spec) => (/^socket\.io(\/|$)/.test(spec) || spec.startsWith('node:')) && !isServer(file))).toEqual([]);
  });

  it('browser code never imports the server', () => {
    expect(violations((file, spec) => !isServer(file) && /(^|\/)server(\/|$)/.test(spec))).toEqual([]);
  });

  it('crypto-js is imported per module, never whole', () => {
    expect(violations((_file, spec) => spec === 'crypto-js')).toEqual([]);
  });
});
