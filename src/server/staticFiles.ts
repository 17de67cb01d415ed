/**
 * Minimal static file serving (demo and test pages, built bundles) from configured mounts:
 * URL prefix -> directory. GET/HEAD only, no directory listing, no path escaping a mount
 * (`..`, encoded separators, NUL bytes and symlinks pointing outside are refused).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.y4m': 'application/octet-stream',
  '.wav': 'audio/wav',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

interface Mount {
  prefix: string;
  root: string;
}

const within = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

export class StaticFiles {
  readonly #mounts: Mount[];

  /** `mounts`: URL prefix (e.g. `/dist` or `/`) -> directory. */
  constructor(mounts: Record<string, string>) {
    this.#mounts = Object.entries(mounts)
      .map(([prefix, dir]) => ({ prefix: `/${prefix.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, ''), root: resolve(dir) }))
      .sort((a, b) => b.prefix.length - a.prefix.length);
  }

  get enabled(): boolean {
    return this.#mounts.length > 0;
  }

  /** Serves the request if a mount matches; returns false when no mount applies. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const mount = this.#mounts.find(
      (m) => m.prefix === '' || pathname === m.prefix || pathname.startsWith(`${m.prefix}/`),
    );
    if (!mount) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return true;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice(mount.prefix.length));
    } catch {
      res.writeHead(400).end('bad request');
      return true;
    }
    if (rel.includes('\0') || rel.includes('\\')) {
      res.writeHead(400).end('bad request');
      return true;
    }
    let file = join(mount.root, rel);
    if (!within(mount.root, file)) {
      res.writeHead(403).end('forbidden');
      return true;
    }
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      const [realRoot, realFile] = await Promise.all([realpath(mount.root), realpath(file)]);
      if (!info.isFile() || !within(realRoot, realFile)) throw new Error('not servable');
      res.writeHead(200, {
        'Content-Type': contentTypeFor(file),
        'Content-Length': info.size,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') {
        res.end();
        return true;
      }
      const stream = createReadStream(realFile);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
    }
    return true;
  }
}
