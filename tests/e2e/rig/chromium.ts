import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Flags every e2e browser gets: fake devices, and ICE allowed on loopback (the only network tests may use). */
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
  '--auto-select-desktop-capture-source=Entire screen',
  '--enable-precise-memory-info',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export const CHROMIUM_MISSING_MESSAGE =
  'No Chromium found for the e2e tests. Install it with `sudo apt-get install -y chromium` ' +
  '(Debian/Ubuntu) or point CHROMIUM_PATH at a Chromium/Chrome binary.';

export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(CHROMIUM_MISSING_MESSAGE);
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}

/**
 * Drops every ICE candidate whose address is not loopback, in both directions, so WebRTC in
 * tests can only send to 127.0.0.1/::1 even when the run is not inside a private network
 * namespace. Installed before any page script runs.
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

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console lines the page printed, for failure messages. */
  logs: string[];
}

/** A fresh context (own storage, own fake devices) with the loopback ICE filter and console capture. */
export async function openPage(browser: Browser, url: string): Promise<TestPage> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(LOOPBACK_ONLY_ICE);
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  await page.goto(url);
  return { context, page, logs };
}
