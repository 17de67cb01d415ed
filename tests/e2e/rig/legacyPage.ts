import type { Browser } from 'playwright-core';
import { openPage, type TestPage } from './chromium';
import type { StaticServer } from './staticServer';
import { waitForReady } from './ready';

export interface LegacyPageOptions {
  /** `defaultRoom` init option of the 2.7.2 instance. */
  defaultRoom: string;
  /** Event names (2.x values, e.g. `peerJoined`) to record; every event of SkylinkConstants.EVENTS when omitted. */
  events?: readonly string[];
}

/**
 * Opens `pages/skylinkjs.html` (original skylinkjs 2.7.2) and creates `window.t.skylink` on the
 * project's room server. Events are recorded in `window.t.events` as JSON copies (MediaStreams
 * become null), by their 2.x value; 2.7.2 hands listeners `{ detail }`. Tests that need more
 * (kept streams, transfer hooks) add their own listeners on `window.SkylinkJS.SkylinkEventManager`.
 */
export async function openLegacyPage(browser: Browser, web: StaticServer, roomServer: string, options: LegacyPageOptions): Promise<TestPage> {
  const opened = await openPage(browser, `${web.url}/pages/skylinkjs.html`);
  await waitForReady(opened.page);
  await opened.page.evaluate(
    ({ server, defaultRoom, only }) => {
      const w = window as unknown as Record<string, any>;
      const mod = w.SkylinkJS;
      const events: Array<{ name: string; detail: unknown }> = [];
      const safe = (v: unknown): unknown => {
        try {
          return JSON.parse(JSON.stringify(v, (_k, x) => (typeof MediaStream !== 'undefined' && x instanceof MediaStream ? null : x)));
        } catch {
          return null;
        }
      };
      const names = only ?? (Object.values(mod.SkylinkConstants.EVENTS) as string[]);
      for (const name of names) {
        mod.SkylinkEventManager.addEventListener(name, (e: { detail: unknown }) => events.push({ name, detail: safe(e.detail) }));
      }
      w.t = {
        skylink: new mod.default({ appKey: 'e2e-app', defaultRoom, roomServer: server, forceSSL: false, enableStatsGathering: false }),
        events,
      };
    },
    { server: roomServer, defaultRoom: options.defaultRoom, only: options.events ? [...options.events] : null },
  );
  return opened;
}
