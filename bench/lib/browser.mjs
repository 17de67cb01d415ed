// Chromium for the browser cases: Debian's Chromium through playwright-core with the e2e rig's
// flags, a static server for the bench pages and bundles, and pages that drop every
// non-loopback ICE candidate (copied from tests/e2e/rig/chromium.ts, which is TypeScript).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { findChromium } from './machine.mjs';

/** Same flags as the e2e rig (tests/e2e/rig/chromium.ts). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-precise-memory-info',
  // Background pages must not be throttled while another page is measured.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/**
 * Drops every ICE candidate whose address is not loopback, in both directions (copy of
 * LOOPBACK_ONLY_ICE in tests/e2e/rig/chromium.ts). Installed before any page script runs.
 */
export const LOOPBACK_ONLY_ICE = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  const isLoopback = (c) => {
    const s = typeof c === 'string' ? c : (c && c.candidate) || '';
    if (!s) return true; // end-of-candidates marker
    const parts = s.split(' ');
    const addr = parts[4] || '';
    return addr === '127.0.0.1' || addr === '::1' || addr === 'localhost';
  };
  const origAdd = Native.prototype.addIceCandidate;
  Native.prototype.addIceCandidate = function (c, ...rest) {
    if (c && !isLoopback(c)) return Promise.resolve();
    return origAdd.call(this, c, ...rest);
  };
  const wrap = (listener) => {
    if (typeof listener !== 'function') return listener;
    if (!listener.__loopbackWrapped) {
      listener.__loopbackWrapped = function (e) {
        if (e && e.candidate && !isLoopback(e.candidate)) return;
        return listener.call(this, e);
      };
    }
    return listener.__loopbackWrapped;
  };
  const origAddListener = Native.prototype.addEventListener;
  Native.prototype.addEventListener = function (type, listener, opts) {
    return origAddListener.call(this, type, type === 'icecandidate' ? wrap(listener) : listener, opts);
  };
  const origRemoveListener = Native.prototype.removeEventListener;
  Native.prototype.removeEventListener = function (type, listener, opts) {
    return origRemoveListener.call(this, type, type === 'icecandidate' ? wrap(listener) : listener, opts);
  };
  const desc = Object.getOwnPropertyDescriptor(Native.prototype, 'onicecandidate');
  if (desc && desc.set) {
    Object.defineProperty(Native.prototype, 'onicecandidate', {
      configurable: true,
      get() { return desc.get.call(this); },
      set(fn) { desc.set.call(this, wrap(fn)); },
    });
  }
})();`;

export async function launchChromium(extraArgs = []) {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('no Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH');
  // Inside the private network namespace ICE can only find loopback anyway; the filter is kept so
  // that runs without a namespace behave the same.
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}

/**
 * A fresh context + page with the loopback ICE filter (plus `initScripts`), console capture, and
 * a wait for `window.benchReady` (set by every bench page once its SDK is loaded).
 */
export async function openPage(browser, url, { initScripts = [], readyTimeoutMs = 15_000 } = {}) {
  const context = await browser.newContext();
  await context.addInitScript(LOOPBACK_ONLY_ICE);
  for (const s of initScripts) await context.addInitScript(s);
  const page = await context.newPage();
  const logs = [];
  page.on('console', (m) => {
    if (logs.length < 500) logs.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: readyTimeoutMs });
  const isolated = await page.evaluate(() => window.crossOriginIsolated === true);
  return { context, page, logs, isolated, close: () => context.close() };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8' };

/** Serves the bench pages, `distDir` as /dist/ and the skylinkjs bundle as /vendor/ on 127.0.0.1, free port. */
export async function startStaticServer(root, distDir) {
  const mounts = {
    '/dist/': distDir,
    '/bench/': join(root, 'bench/pages'),
    '/vendor/': join(root, 'tests/e2e/.vendor'),
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    const file = prefix ? normalize(join(mounts[prefix], path.slice(prefix.length))) : '';
    if (!prefix || !file.startsWith(mounts[prefix] + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      // Cross-origin isolation: performance.now() gets 5 us resolution instead of 100 us.
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}
