import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** URL prefix -> directory. Only these trees are reachable; nothing else of the repo is served. */
const DEFAULT_MOUNTS: Record<string, string> = {
  '/dist/': join(ROOT, 'dist'),
  '/pages/': join(ROOT, 'tests/e2e/pages'),
  '/vendor/': join(ROOT, 'tests/e2e/.vendor'),
  '/demo/': join(ROOT, 'demo'),
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.css': 'text/css',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the built bundles and the test pages on 127.0.0.1 (a free port). */
export async function startStaticServer(mounts: Record<string, string> = DEFAULT_MOUNTS): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    const base = prefix ? mounts[prefix] : undefined;
    if (!prefix || !base) {
      res.writeHead(404).end('not found');
      return;
    }
    const file = normalize(join(base, path.slice(prefix.length)));
    if (!file.startsWith(base + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
