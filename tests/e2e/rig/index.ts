/**
 * Real-browser test rig.
 *
 * - `startSkylinkServer(config?)`: the project's server (dev mode, 127.0.0.1, free port, no ICE
 *   servers); `.roomServer` is the `//127.0.0.1:PORT` init option, `.close()` stops it. Pass
 *   `{ port }` of a closed server to restart it on the same port.
 * - `startStaticServer()`: serves `/dist/*` (built bundles), `/pages/*` (tests/e2e/pages),
 *   `/vendor/*` (skylinkjs 2.7.2 bundle + socket.io v2, built by globalSetup), `/demo/*`.
 * - `launchChromium(extraArgs?)`: Debian's Chromium with fake devices and loopback ICE flags.
 * - `openPage(browser, url)`: a fresh context + page with the loopback-only ICE filter and console
 *   capture (`logs`). `pages/blank.html` exposes `window.SkylinkModule` (this SDK's ESM bundle) and
 *   sets `window.skylinkReady`; `pages/skylinkjs.html` exposes `window.SkylinkJS` (original 2.7.2).
 *   Use `waitForReady(page)` after `openPage`.
 * - `openLegacyPage(browser, web, roomServer, options)`: a 2.7.2 page with `window.t.skylink` and
 *   its events recorded in `window.t.events`.
 */
export { CHROMIUM_FLAGS, findChromium, launchChromium, openPage, LOOPBACK_ONLY_ICE } from './chromium';
export type { TestPage } from './chromium';
export { startStaticServer } from './staticServer';
export type { StaticServer } from './staticServer';
export { startSkylinkServer } from './skylinkServer';
export type { TestSkylinkServer } from './skylinkServer';

export { waitForReady } from './ready';
export { openLegacyPage } from './legacyPage';
export type { LegacyPageOptions } from './legacyPage';
