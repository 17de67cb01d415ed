/**
 * Helpers for the media e2e tests: a core page (this SDK, events recorded in `window.t.events`) that
 * also keeps every received or local MediaStream by stream id (`window.t.streams`), and page-side
 * measures of what a stream really shows: `<video>` size, presented frames, mean luma, and the
 * inbound-rtp `framesDecoded` the SDK reports through `getConnectionStatus`. Waits use
 * `page.waitForFunction` (no sleeps).
 */
import type { Browser, Page } from 'playwright-core';
import type { StaticServer } from '../rig';
import { openCorePage, type CorePage } from '../core/corePages';

/** Page-side helpers installed on `window.t` (by {@link installMediaHelpers}). */
export interface MediaHelpers {
  streams: Record<string, MediaStream>;
  play(streamId: string, elementId: string): void;
  width(elementId: string): number;
  frames(elementId: string): number;
  luma(elementId: string): number;
}

/**
 * Installs `t.play(streamId, id)` (a muted, autoplaying `<video id>`), `t.width(id)`, `t.frames(id)`
 * (frames presented so far), `t.luma(id)` (0..255 mean of the current frame, -1 before the first) and
 * `t.streams` filled from ON_INCOMING_STREAM / ON_INCOMING_SCREEN_STREAM. `listen` subscribes a
 * listener `(name, handler(detail))` in the page's own event API.
 */
export const INSTALL_MEDIA_HELPERS = `(() => {
  const t = window.t;
  t.streams = {};
  t.keep = (detail) => { if (detail && detail.stream) t.streams[detail.streamId] = detail.stream; };
  const el = (id) => document.getElementById(id);
  t.play = (streamId, id) => {
    let v = el(id);
    if (!v) {
      v = document.createElement('video');
      v.id = id; v.muted = true; v.autoplay = true; v.playsInline = true;
      document.body.appendChild(v);
    }
    const s = t.streams[streamId];
    if (!s) throw new Error('no stream ' + streamId);
    v.srcObject = s;
    v.play().catch(() => undefined);
  };
  t.width = (id) => (el(id) ? el(id).videoWidth : 0);
  t.frames = (id) => (el(id) ? el(id).getVideoPlaybackQuality().totalVideoFrames : 0);
  t.luma = (id) => {
    const v = el(id);
    if (!v || v.videoWidth === 0) return -1;
    const c = document.createElement('canvas');
    c.width = 64; c.height = 48;
    const ctx = c.getContext('2d');
    ctx.drawImage(v, 0, 0, 64, 48);
    const d = ctx.getImageData(0, 0, 64, 48).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) sum += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
    return sum / (d.length / 4);
  };
})()`;

/** A page of this SDK with the media helpers. */
export async function openMediaPage(browser: Browser, web: StaticServer, roomServer: string): Promise<CorePage> {
  const p = await openCorePage(browser, web, roomServer);
  await p.page.evaluate(INSTALL_MEDIA_HELPERS);
  await p.page.evaluate(() => {
    const w = window as unknown as Record<string, any>;
    for (const name of ['onIncomingStream', 'onIncomingScreenStream']) {
      w.SkylinkModule.SkylinkEventManager.addEventListener(name, (e: CustomEvent) => w.t.keep(e.detail));
    }
  });
  return p;
}

/** Waits until `expression` (evaluated in the page, may use `t`) is truthy; returns its value. */
export async function until<T = unknown>(page: Page, expression: string, timeoutMs = 30_000): Promise<T> {
  const handle = await page.waitForFunction(expression, null, { timeout: timeoutMs, polling: 100 });
  return (await handle.jsonValue()) as T;
}

/** Inbound video frames decoded from `peerId` in `roomName`, as `getConnectionStatus` reports them. */
export async function framesDecoded(page: Page, roomName: string, peerId: string): Promise<number> {
  return page.evaluate(async ({ r, p }) => {
    const [stats] = await (window as any).t.skylink.getConnectionStatus(r, p);
    return (stats?.video?.receiving?.framesDecoded as number | undefined) ?? 0;
  }, { r: roomName, p: peerId });
}

/** Resolves once more than `count` further frames from `peerId` were decoded (inbound-rtp). */
export async function decodedFramesGrow(page: Page, roomName: string, peerId: string, count = 15, timeoutMs = 30_000): Promise<void> {
  const before = await framesDecoded(page, roomName, peerId);
  await page.waitForFunction(
    async ({ r, p, target }) => {
      const [stats] = await (window as any).t.skylink.getConnectionStatus(r, p);
      return ((stats?.video?.receiving?.framesDecoded as number | undefined) ?? 0) > target;
    },
    { r: roomName, p: peerId, target: before + count },
    { timeout: timeoutMs, polling: 250 },
  );
}

/** Resolves once the `<video id>` presented more than `count` further frames. */
export async function presentedFramesGrow(page: Page, elementId: string, count = 15, timeoutMs = 30_000): Promise<void> {
  const before = await page.evaluate((id) => (window as any).t.frames(id) as number, elementId);
  await until(page, `t.frames(${JSON.stringify(elementId)}) > ${before + count}`, timeoutMs);
}

/**
 * Video kbit/s received from `peerId` (inbound-rtp bytes from `getConnectionStatus`) over `windowMs` of
 * page time: the page's clock paces the measure, nothing waits on a fixed delay to synchronise.
 */
export async function receivedVideoKbps(page: Page, roomName: string, peerId: string, windowMs = 2_000): Promise<number> {
  const sample = () =>
    page.evaluate(async ({ r, p }) => {
      const [stats] = await (window as any).t.skylink.getConnectionStatus(r, p);
      return { bytes: (stats?.video?.receiving?.totalBytes as number | undefined) ?? 0, at: performance.now() };
    }, { r: roomName, p: peerId });
  const start = await sample();
  await page.waitForFunction(({ t0, span }) => performance.now() - t0 >= span, { t0: start.at, span: windowMs }, { polling: 100, timeout: windowMs + 10_000 });
  const end = await sample();
  return ((end.bytes - start.bytes) * 8) / (end.at - start.at);
}
