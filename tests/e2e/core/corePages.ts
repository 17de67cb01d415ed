/**
 * Helpers for the core e2e tests: a page running this SDK's ESM bundle with a Skylink instance
 * (`window.t.skylink`) whose events are recorded (`window.t.events`, JSON-safe copies), and waits on
 * those events through `page.waitForFunction` (no sleeps).
 */
import type { Browser, Page } from 'playwright-core';
import { openPage, waitForReady, type StaticServer } from '../rig';

export interface CorePage {
  page: Page;
  logs: string[];
}

export interface RecordedEvent {
  name: string;
  detail: Record<string, unknown>;
}

export async function openCorePage(browser: Browser, web: StaticServer, roomServer: string): Promise<CorePage> {
  const { page, logs } = await openPage(browser, `${web.url}/pages/blank.html`);
  await waitForReady(page);
  await page.evaluate((server) => {
    const w = window as unknown as Record<string, any>;
    const mod = w.SkylinkModule;
    const events: Array<{ name: string; detail: unknown }> = [];
    const safe = (value: unknown): unknown => {
      try {
        return JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Error ? { message: v.message, code: (v as { code?: string }).code } : v)));
      } catch {
        return null;
      }
    };
    for (const name of Object.values(mod.SkylinkEvents) as string[]) {
      mod.SkylinkEventManager.addEventListener(name, (e: CustomEvent) => events.push({ name, detail: safe(e.detail) }));
    }
    mod.SkylinkLogger.setLevel(mod.SkylinkLogger.logLevels.WARN);
    w.t = { skylink: new mod.default({ appKey: 'e2e-app', roomServer: server, forceSSL: false }), events };
  }, roomServer);
  return { page, logs };
}

/** Waits until an event `name` whose detail contains every field of `match` was recorded. */
export async function waitForPageEvent(
  page: Page,
  name: string,
  match: Record<string, unknown> = {},
  timeoutMs = 20_000,
): Promise<RecordedEvent> {
  const handle = await page.waitForFunction(
    ({ name: n, match: m }) => {
      const events = (window as unknown as { t: { events: Array<{ name: string; detail: Record<string, unknown> }> } }).t.events;
      return events.find((e) => e.name === n && Object.entries(m).every(([k, v]) => JSON.stringify(e.detail?.[k]) === JSON.stringify(v))) ?? false;
    },
    { name, match },
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as RecordedEvent;
}

/** Every recorded event `name` whose detail contains `match`. */
export async function pageEvents(page: Page, name: string, match: Record<string, unknown> = {}): Promise<RecordedEvent[]> {
  return page.evaluate(
    ({ name: n, match: m }) =>
      (window as unknown as { t: { events: Array<{ name: string; detail: Record<string, unknown> }> } }).t.events.filter(
        (e) => e.name === n && Object.entries(m).every(([k, v]) => JSON.stringify(e.detail?.[k]) === JSON.stringify(v)),
      ),
    { name, match },
  );
}

/** Joins (with extra joinRoom `options`, e.g. `{ audio: true, video: true }`) and returns our peer id in that room. */
export async function join(page: Page, roomName: string, userData: unknown = null, options: Record<string, unknown> = {}): Promise<string> {
  return page.evaluate(
    async ({ roomName: r, userData: u, options: o }) => {
      const t = (window as unknown as { t: { skylink: any } }).t;
      await t.skylink.joinRoom({ ...o, roomName: r, userData: u });
      const peers = t.skylink.getPeersInRoom(r) as Record<string, { isSelf: boolean }>;
      return Object.keys(peers).find((id) => peers[id]?.isSelf) as string;
    },
    { roomName, userData, options },
  );
}

/** Resolves when our main data channel with `peerId` in `roomName` is open and ICE is connected. */
export async function waitConnected(page: Page, roomName: string, peerId: string, timeoutMs = 20_000): Promise<void> {
  await waitForPageEvent(page, 'dataChannelState', { roomName, peerId, state: 'open', channelType: 'messaging' }, timeoutMs);
  await page.waitForFunction(
    ({ roomName: r, peerId: p }) => {
      const t = (window as unknown as { t: { skylink: any; events: Array<{ name: string; detail: Record<string, unknown> }> } }).t;
      const ice = t.events.filter((e) => e.name === 'iceConnectionState' && e.detail.roomName === r && e.detail.peerId === p);
      const last = ice[ice.length - 1]?.detail.state;
      return (last === 'connected' || last === 'completed') && t.skylink.getPeersDataChannels(r)?.[p]?.main?.readyState === 'open';
    },
    { roomName, peerId },
    { timeout: timeoutMs },
  );
}
