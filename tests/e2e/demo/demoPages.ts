/**
 * Helpers for the demo e2e test: the demo server (as `npm start` runs it, on a free port), the demo
 * compiled with scripts/build-demo.mjs, and page drivers that only use the demo's UI (form fields,
 * buttons, what the page shows). Waits are DOM conditions with timeouts, never sleeps.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { openPage, startSkylinkServer, type TestSkylinkServer } from '../rig';

const ROOT = resolve(__dirname, '../../..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output/demo');

/** Waits (up to 2 min) for a build output that a `tsup` run in the working tree may be rewriting. */
async function builtFile(path: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} is missing: run \`npx tsup\` first`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A snapshot of the site under `dir`: demo/'s static files, demo/main.ts compiled by
 * scripts/build-demo.mjs (as `npm start` does) into `site/.build/main.js`, and the SDK bundle in
 * `dist/`. Serving copies keeps the test independent of other builds running in the working tree
 * (`tsup` empties dist/ while it builds).
 */
export async function stageDemo(dir: string): Promise<{ site: string; dist: string }> {
  const site = join(dir, 'site');
  const dist = join(dir, 'dist');
  cpSync(join(ROOT, 'demo'), site, {
    recursive: true,
    filter: (src) => !/\.ts$|tsconfig\.json$|[\\/]\.build$/.test(src),
  });
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts/build-demo.mjs'), `--outfile=${join(site, '.build/main.js')}`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`demo build failed:\n${result.stderr}${result.stdout}`);
  mkdirSync(dist);
  for (const file of ['skylink.bundle.js', 'skylink.bundle.js.map']) {
    await builtFile(join(ROOT, 'dist', file));
    copyFileSync(join(ROOT, 'dist', file), join(dist, file));
  }
  return { site, dist };
}

/**
 * The project's server as `npm start` runs it (dev mode, the site at /, the bundle at /dist, stored
 * messages in a file under `dir`), on loopback and a free port (or `port`, to restart one).
 */
export function startDemoServer(dir: string, staged: { site: string; dist: string }, port = 0): Promise<TestSkylinkServer> {
  return startSkylinkServer({
    port,
    staticDir: staged.site,
    staticMounts: { '/dist': staged.dist },
    storage: { kind: 'file', path: join(dir, 'messages.jsonl') },
    // Same as scripts/build-demo.mjs DEMO_APPS: the demo's app key may store messages.
    apps: { 'skylink-demo': { hasPersistentMessage: true } },
  });
}

export interface DemoPage {
  page: Page;
  logs: string[];
  name: string;
}

/** Opens the demo as `name` and waits until the SDK is loaded. */
export async function openDemo(browser: Browser, server: TestSkylinkServer, name: string): Promise<DemoPage> {
  const { page, logs } = await openPage(browser, `${server.url}/?name=${encodeURIComponent(name)}`);
  await page.setViewportSize({ width: 1280, height: 900 });
  const p = { page, logs, name };
  // The SDK version replaces "Loading the SDK…" once the bundle and the demo module have run.
  await page
    .locator('#sdk-info', { hasText: /^SDK \d/ })
    .waitFor({ timeout: 15_000 })
    .catch((err: Error) => {
      throw new Error(`the demo did not load for ${name}: ${err.message}\n${logs.join('\n')}`);
    });
  return p;
}

export interface JoinOptions {
  audio?: boolean;
  video?: boolean;
  secret?: string;
}

/** Fills the join form and clicks Join (does not wait for the outcome). */
export async function submitJoin(p: DemoPage, room: string, opts: JoinOptions = {}): Promise<void> {
  const form = p.page.locator('#join-form');
  await form.getByLabel('Room name').fill(room);
  await form.getByLabel('Display name').fill(p.name);
  await form.getByLabel('Encryption secret').fill(opts.secret ?? '');
  await form.getByLabel('Microphone', { exact: true }).setChecked(opts.audio ?? false);
  await form.getByLabel('Camera', { exact: true }).setChecked(opts.video ?? false);
  await form.getByRole('button', { name: 'Join', exact: true }).click();
}

/** The room view of `room` (in its tab panel). */
export function roomView(p: DemoPage, room: string): Locator {
  return p.page.locator(`.room[data-room="${room}"]`);
}

/** Joins through the form and waits until the page shows the room as joined. */
export async function joinRoom(p: DemoPage, room: string, opts: JoinOptions = {}): Promise<Locator> {
  await submitJoin(p, room, opts);
  const view = roomView(p, room);
  await view
    .and(p.page.locator('[data-state="joined"]'))
    .waitFor({ state: 'attached', timeout: 20_000 })
    .catch(async (err: Error) => {
      throw new Error(`${p.name} did not join "${room}": ${err.message}\n${await describePage(p)}`);
    });
  return view;
}

/** Selects a room's tab. */
export async function selectTab(p: DemoPage, room: string): Promise<void> {
  await p.page.getByRole('tab', { name: room, exact: true }).click();
}

/** Waits until the peer list of `room` shows `name` with its connection and data channel up. */
export async function waitPeerConnected(p: DemoPage, room: string, name: string): Promise<void> {
  const peer = roomView(p, room).locator('.peer', { hasText: name });
  // Attached, not visible: the room may be in a tab that is not selected.
  const attached = { state: 'attached', timeout: 20_000 } as const;
  await peer.locator('[data-field="ice"][data-state="connected"], [data-field="ice"][data-state="completed"]').waitFor(attached);
  await peer.locator('[data-field="data"][data-state="open"]').waitFor(attached);
}

/**
 * Waits until the tile labelled `label` (a peer name, `Name (you)`, `Name: screen`) in `room` shows
 * decoded video (videoWidth > 0, not hidden behind the avatar).
 */
export async function remoteVideoPlaying(p: DemoPage, room: string, label: string, isSelf = false, kind: 'camera' | 'screen' = 'camera'): Promise<void> {
  await p.page.waitForFunction(
    ({ room: r, label: l, self, kind: k }) => {
      const tiles = document.querySelectorAll<HTMLElement>(`.room[data-room="${r}"] .tile[data-kind="${k}"][data-self="${self}"]`);
      const tile = [...tiles].find((t) => t.querySelector('.tile-name')?.textContent === l);
      const video = tile?.querySelector('video');
      return !!video && !video.hidden && video.videoWidth > 0 && video.readyState >= 2;
    },
    { room, label, self: String(isSelf), kind },
    { timeout: 20_000 },
  );
}

/** Sends a chat message through the chat form. */
export async function sendChat(
  p: DemoPage,
  room: string,
  text: string,
  opts: { to?: string; via?: 'signaling' | 'p2p' } = {},
): Promise<void> {
  const chat = roomView(p, room).locator('.chat-panel');
  await chat.getByLabel('To', { exact: true }).selectOption({ label: opts.to ?? 'Everyone' });
  await chat.getByLabel('Via', { exact: true }).selectOption(opts.via ?? 'signaling');
  await chat.getByLabel('Message', { exact: true }).fill(text);
  await chat.getByRole('button', { name: 'Send', exact: true }).click();
}

/** The chat message (list item) of `room` containing `text`. */
export function chatMessage(p: DemoPage, room: string, text: string): Locator {
  return roomView(p, room).locator('.messages .message', { hasText: text });
}

/** Sets the chat encryption secret through the chat panel. */
export async function useSecret(p: DemoPage, room: string, secret: string, secretId = 'demo-key'): Promise<void> {
  const chat = roomView(p, room).locator('.chat-panel');
  await chat.getByLabel('Secret id').fill(secretId);
  await chat.getByLabel('Secret', { exact: true }).fill(secret);
  await chat.getByRole('button', { name: 'Use secret' }).click();
  await chat.locator(`[data-field="encryption-state"]`, { hasText: secretId }).waitFor({ timeout: 10_000 });
}

/** Full-page screenshot under test-output/demo/. */
export async function screenshot(p: DemoPage, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await p.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** What the page shows (join status, room states, log panel) and its last console lines, for failure messages. */
export async function describePage(p: DemoPage): Promise<string> {
  const text = (selector: string) => p.page.locator(selector).allInnerTexts().then((t) => t.join(' | '), () => '?');
  const rooms = await p.page
    .locator('.room')
    .evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.room}=${(e as HTMLElement).dataset.state}`).join(', '))
    .catch(() => '?');
  return [
    `join status: ${await text('#join-status')}`,
    `rooms: ${rooms}; room status: ${await text('.room-status')}`,
    `log panel:\n${await text('.log-list')}`,
    `console:\n${p.logs.slice(-40).join('\n')}`,
  ].join('\n');
}

/** Uncaught page errors (the demo must not throw). */
export function pageErrors(p: DemoPage): string[] {
  return p.logs.filter((l) => l.startsWith('[pageerror]'));
}
