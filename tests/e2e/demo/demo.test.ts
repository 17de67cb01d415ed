/**
 * The demo page (demo/) in real Chromium against the real server, driven only through its UI:
 * join, see each other, chat (public, private, P2P, encrypted, stored history), lock, several rooms
 * as tabs, stats, log, leave. Screenshots of the main states go to test-output/demo/.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { launchChromium, type TestSkylinkServer } from '../rig';
import {
  chatMessage,
  joinRoom,
  openDemo,
  pageErrors,
  roomView,
  screenshot,
  selectTab,
  remoteVideoPlaying,
  sendChat,
  stageDemo,
  startDemoServer,
  submitJoin,
  useSecret,
  waitPeerConnected,
  type DemoPage,
} from './demoPages';

jest.setTimeout(120_000);

describe('demo page in real Chromium', () => {
  let browser: Browser;
  let server: TestSkylinkServer;
  const pages: DemoPage[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'skylink-demo-'));
  let staged: Awaited<ReturnType<typeof stageDemo>>;

  beforeAll(async () => {
    staged = await stageDemo(dataDir);
    [server, browser] = await Promise.all([startDemoServer(dataDir, staged), launchChromium()]);
  });
  afterEach(async () => {
    const closing = pages.splice(0);
    await Promise.all(closing.map((p) => p.page.context().close()));
    for (const p of closing) expect(pageErrors(p)).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function open(...names: string[]): Promise<DemoPage[]> {
    const opened = await Promise.all(names.map((n) => openDemo(browser, server, n)));
    pages.push(...opened);
    return opened;
  }

  it('serves the page with the SDK loaded and an accessible join form', async () => {
    const [a] = (await open('Alice')) as [DemoPage];
    await a.page.locator('#sdk-info', { hasText: 'app key "skylink-demo"' }).waitFor();
    const form = a.page.locator('#join-form');
    for (const label of ['Room name', 'Display name', 'Encryption secret']) await expect(form.getByLabel(label).count()).resolves.toBe(1);
    await expect(form.getByLabel('Display name').inputValue()).resolves.toBe('Alice');
    await expect(a.page.locator('#no-rooms').isVisible()).resolves.toBe(true);
    await screenshot(a, '01-start');
  });

  it('three pages join without media, chat publicly, privately and over P2P; one starts its camera later', async () => {
    const [a, b, c] = (await open('Alice', 'Bob', 'Carol')) as [DemoPage, DemoPage, DemoPage];
    await joinRoom(a, 'meet');
    await joinRoom(b, 'meet');
    await joinRoom(c, 'meet');
    await waitPeerConnected(a, 'meet', 'Bob');
    await waitPeerConnected(b, 'meet', 'Alice');
    await waitPeerConnected(c, 'meet', 'Alice');
    // Tiles with the names from userData.
    await roomView(a, 'meet').locator('.tile[data-self="false"]', { hasText: 'Bob' }).waitFor();
    await roomView(b, 'meet').locator('.tile[data-self="false"]', { hasText: 'Alice' }).waitFor();
    await roomView(a, 'meet').locator('.tile[data-self="true"]', { hasText: 'Alice (you)' }).waitFor();

    // Public message through the signaling server.
    await sendChat(a, 'meet', 'hello everyone');
    for (const p of [b, c]) {
      const msg = chatMessage(p, 'meet', 'hello everyone');
      await msg.waitFor();
      await expect(msg.locator('.message-sender').textContent()).resolves.toBe('Alice');
      await expect(msg.getAttribute('data-path')).resolves.toBe('signaling');
      await expect(msg.getAttribute('data-encrypted')).resolves.toBe('false');
    }
    await chatMessage(a, 'meet', 'hello everyone').and(a.page.locator('.message-self')).waitFor();

    // Private message to Bob only, over the data channel.
    await sendChat(a, 'meet', 'psst bob', { to: 'Bob', via: 'p2p' });
    const priv = chatMessage(b, 'meet', 'psst bob');
    await priv.waitFor();
    await expect(priv.getAttribute('data-private')).resolves.toBe('true');
    await expect(priv.getAttribute('data-path')).resolves.toBe('p2p');
    await chatMessage(a, 'meet', 'psst bob').locator('.badge', { hasText: 'private to Bob' }).waitFor();
    // Carol gets a later public message but never the private one.
    await sendChat(b, 'meet', 'bob says hi', { via: 'p2p' });
    await chatMessage(c, 'meet', 'bob says hi').waitFor();
    await expect(chatMessage(c, 'meet', 'psst bob').count()).resolves.toBe(0);

    // Carol joined without media: "Start camera" publishes it, and Alice sees her video.
    await roomView(c, 'meet').getByRole('button', { name: 'Start camera' }).click();
    await roomView(c, 'meet').locator('.media-controls .status', { hasText: 'Camera started' }).waitFor();
    await remoteVideoPlaying(a, 'meet', 'Carol');
    await roomView(c, 'meet').getByRole('button', { name: 'Turn camera off' }).waitFor();

    await screenshot(a, '02-chat-alice');
    await screenshot(b, '02-chat-bob');
  });

  it('video: both pages see each other, mute indicators, camera off, screen-share tile, microphone switch', async () => {
    const [a, b] = (await open('Alice', 'Bob')) as [DemoPage, DemoPage];
    await joinRoom(a, 'video', { audio: true, video: true });
    await joinRoom(b, 'video', { audio: true, video: true });
    await waitPeerConnected(a, 'video', 'Bob');
    await waitPeerConnected(b, 'video', 'Alice');
    // Decoded remote video on both sides, and our own preview.
    await remoteVideoPlaying(a, 'video', 'Bob');
    await remoteVideoPlaying(b, 'video', 'Alice');
    await remoteVideoPlaying(a, 'video', 'Alice (you)', true);
    // The fake microphones beep: the SDK's active speaker gets the highlight and a "speaking" badge.
    const speaking = roomView(a, 'video').locator('.tile.speaking[data-kind="camera"]');
    await speaking.waitFor({ timeout: 20_000 });
    await speaking.locator('.badge-speaking').waitFor();
    await screenshot(a, '07-video-alice');

    const aliceAtBob = roomView(b, 'video').locator('.tile[data-kind="camera"][data-self="false"]', { hasText: 'Alice' });
    const media = roomView(a, 'video').locator('.media-controls');
    await media.getByRole('button', { name: 'Mute microphone' }).click();
    await aliceAtBob.and(b.page.locator('[data-audio-muted="true"]')).waitFor();
    await aliceAtBob.locator('.badge-muted', { hasText: 'mic off' }).waitFor();
    await media.getByRole('button', { name: 'Turn camera off' }).click();
    await aliceAtBob.and(b.page.locator('[data-video-muted="true"]')).waitFor();
    await aliceAtBob.locator('.avatar').waitFor(); // the initials replace the frozen picture
    await roomView(a, 'video').locator('.tile[data-self="true"][data-audio-muted="true"][data-video-muted="true"]').waitFor();
    await screenshot(b, '08-muted-alice-at-bob');
    await media.getByRole('button', { name: 'Unmute microphone' }).click();
    await media.getByRole('button', { name: 'Turn camera on' }).click();
    await aliceAtBob.and(b.page.locator('[data-audio-muted="false"][data-video-muted="false"]')).waitFor();
    await remoteVideoPlaying(b, 'video', 'Alice');

    // Screen share: a second tile for Alice at Bob, removed when she stops.
    await media.getByRole('button', { name: 'Share screen' }).click();
    const screenAtBob = roomView(b, 'video').locator('.tile[data-kind="screen"]', { hasText: 'Alice: screen' });
    await screenAtBob.waitFor();
    await remoteVideoPlaying(b, 'video', 'Alice: screen', false, 'screen');
    await screenshot(b, '09-screen-share-at-bob');
    await media.getByRole('button', { name: 'Stop sharing' }).click();
    await screenAtBob.waitFor({ state: 'detached' });

    // Device lists come from getStreamSources (fake devices in this Chromium).
    await expect(media.getByLabel('Camera').locator('option').count()).resolves.toBeGreaterThan(0);
    const mic = media.getByLabel('Microphone');
    const mics = await mic.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(mics.length).toBeGreaterThanOrEqual(2); // Chromium's fake devices: a default and two more inputs
    // Switching the microphone re-publishes our media; the far side keeps our video and sees us unmuted.
    const current = await mic.inputValue();
    await mic.selectOption(mics.find((v) => v !== current) as string);
    await media.locator('.status', { hasText: 'Microphone switched' }).waitFor();
    await remoteVideoPlaying(b, 'video', 'Alice');
    await aliceAtBob.and(b.page.locator('[data-audio-muted="false"]')).waitFor();
  });

  it('file transfer: accept prompt, progress to 100% on both sides, identical bytes; reject, cancel, send to everyone', async () => {
    const [a, b, c] = (await open('Alice', 'Bob', 'Carol')) as [DemoPage, DemoPage, DemoPage];
    for (const p of [a, b, c]) await joinRoom(p, 'files');
    await waitPeerConnected(a, 'files', 'Bob');
    await waitPeerConnected(a, 'files', 'Carol');
    await waitPeerConnected(b, 'files', 'Alice');
    await waitPeerConnected(c, 'files', 'Alice');
    const files = (p: DemoPage) => roomView(p, 'files').locator('.files-panel');
    const incomingAt = (p: DemoPage, name: string) => files(p).locator('.transfer[data-direction="download"]', { hasText: name });
    const outgoingTo = (peer: string, name: string) => files(a).locator('.transfer[data-direction="upload"]', { hasText: `${name} to ${peer}` });
    const offer = async (name: string, buffer: Buffer, to: string) => {
      await files(a).getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
      await files(a).getByLabel('To', { exact: true }).selectOption({ label: to });
      await files(a).getByRole('button', { name: 'Send file' }).click();
    };
    const completed = async (p: DemoPage, row: Locator, state: string) => {
      await row
        .and(p.page.locator(`[data-state="${state}"]`))
        .waitFor()
        .catch(async (err: Error) => {
          const show = async (q: DemoPage) => `${q.name}: ${await roomView(q, 'files').locator('.transfers').innerText()}\n${q.logs.slice(-20).join('\n')}`;
          throw new Error(`${err.message}\n${await show(p)}\n${await show(a)}`);
        });
      await expect(row.getAttribute('data-percent')).resolves.toBe('100');
      await expect(row.locator('progress').evaluate((el: HTMLProgressElement) => el.value)).resolves.toBe(100);
      await expect(row.locator('.speed').textContent()).resolves.toMatch(/\/s$/);
    };
    /** Size and SHA-256 of what the receiver's "Save" link holds. */
    const saved = async (p: DemoPage, name: string) => {
      const link = incomingAt(p, name).getByRole('link', { name: `Save ${name}` });
      await expect(link.getAttribute('download')).resolves.toBe(name);
      return p.page.evaluate(async (url) => {
        const buf = await (await fetch(url as string)).arrayBuffer();
        const hash = await crypto.subtle.digest('SHA-256', buf);
        return { size: buf.byteLength, sha256: [...new Uint8Array(hash)].map((x) => x.toString(16).padStart(2, '0')).join('') };
      }, await link.getAttribute('href'));
    };
    const digest = (bytes: Buffer) => ({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });

    // To Bob only: he accepts; progress to 100% on both sides; a download link with the same bytes.
    const bytes = randomBytes(700_001);
    await offer('random.bin', bytes, 'Bob');
    await outgoingTo('Bob', 'random.bin').locator('.transfer-state', { hasText: 'Waiting for Bob to accept' }).waitFor();
    await incomingAt(b, 'random.bin').getByRole('button', { name: 'Accept' }).click();
    await completed(b, incomingAt(b, 'random.bin'), 'downloadCompleted');
    await completed(a, outgoingTo('Bob', 'random.bin'), 'uploadCompleted');
    await expect(saved(b, 'random.bin')).resolves.toEqual(digest(bytes));
    await expect(incomingAt(c, 'random.bin').count()).resolves.toBe(0);
    await screenshot(b, '10-file-received');
    await screenshot(a, '10-file-sent');

    // Rejected: the sender is told.
    await offer('declined.txt', Buffer.from('no thanks'), 'Bob');
    await incomingAt(b, 'declined.txt').getByRole('button', { name: 'Reject' }).click();
    await outgoingTo('Bob', 'declined.txt').locator('.transfer-state', { hasText: 'Bob declined' }).waitFor();

    // Cancelled by the sender before the answer: both sides show it.
    await offer('cancelled.txt', Buffer.from('never mind'), 'Bob');
    await incomingAt(b, 'cancelled.txt').getByRole('button', { name: 'Accept' }).waitFor();
    await outgoingTo('Bob', 'cancelled.txt').getByRole('button', { name: 'Cancel' }).click();
    await outgoingTo('Bob', 'cancelled.txt').locator('.transfer-state', { hasText: 'Cancelled' }).waitFor();
    await incomingAt(b, 'cancelled.txt').locator('.transfer-state', { hasText: 'Cancelled' }).waitFor();

    // To everyone: one prompt per peer, one progress row per peer on the sender.
    const shared = randomBytes(150_000);
    await offer('shared.bin', shared, 'Everyone');
    for (const p of [b, c]) await incomingAt(p, 'shared.bin').getByRole('button', { name: 'Accept' }).click();
    for (const p of [b, c]) {
      await completed(p, incomingAt(p, 'shared.bin'), 'downloadCompleted');
      await expect(saved(p, 'shared.bin')).resolves.toEqual(digest(shared));
    }
    for (const peer of ['Bob', 'Carol']) await completed(a, outgoingTo(peer, 'shared.bin'), 'uploadCompleted');
  });

  it('encrypted chat shows the badge, and a peer with another secret cannot read it', async () => {
    const [a, b, c] = (await open('Alice', 'Bob', 'Carol')) as [DemoPage, DemoPage, DemoPage];
    for (const p of [a, b, c]) await joinRoom(p, 'secret-room');
    await useSecret(a, 'secret-room', 'correct horse battery staple');
    await useSecret(b, 'secret-room', 'correct horse battery staple');
    await useSecret(c, 'secret-room', 'a different secret');
    await sendChat(a, 'secret-room', 'for your eyes only');
    const atBob = chatMessage(b, 'secret-room', 'for your eyes only');
    await atBob.waitFor();
    await expect(atBob.getAttribute('data-encrypted')).resolves.toBe('true');
    await atBob.locator('.badge-encrypted', { hasText: 'encrypted' }).waitFor();
    const atCarol = roomView(c, 'secret-room').locator('.messages .message', { hasText: 'Could not decrypt' });
    await atCarol.waitFor();
    await expect(atCarol.textContent()).resolves.not.toContain('for your eyes only');
    await screenshot(b, '03-encrypted-bob');
    await screenshot(c, '03-encrypted-carol-wrong-secret');
  });

  it('stored history is loaded on join when persistence is on', async () => {
    const [a, b] = (await open('Alice', 'Bob')) as [DemoPage, DemoPage];
    const secret = 'history secret';
    await joinRoom(a, 'history', { secret });
    const chat = roomView(a, 'history').locator('.chat-panel');
    await expect(chat.getByLabel('Store public messages on the server').isChecked()).resolves.toBe(true);
    await sendChat(a, 'history', 'remember me');
    await chatMessage(a, 'history', 'remember me').waitFor();
    // Bob joins later with the same secret: the stored message is shown, decrypted, as history.
    await joinRoom(b, 'history', { secret });
    const stored = chatMessage(b, 'history', 'remember me');
    await stored.waitFor();
    await expect(stored.getAttribute('data-stored')).resolves.toBe('true');
    await expect(stored.getAttribute('data-encrypted')).resolves.toBe('true');
    await stored.locator('.message-sender', { hasText: 'Alice' }).waitFor(); // named once Alice's info arrives
    await screenshot(b, '04-stored-history');
  });

  it('lock blocks a third page until unlocked; peers see the lock state', async () => {
    const [a, b, c] = (await open('Alice', 'Bob', 'Carol')) as [DemoPage, DemoPage, DemoPage];
    await joinRoom(a, 'lockable');
    await joinRoom(b, 'lockable');
    await waitPeerConnected(a, 'lockable', 'Bob');
    await roomView(a, 'lockable').getByRole('button', { name: 'Lock room' }).click();
    await roomView(b, 'lockable').locator('[data-field="lock-state"]', { hasText: 'locked' }).and(b.page.locator('[data-on="true"]')).waitFor();
    await roomView(b, 'lockable').locator('.peers-panel .status', { hasText: 'Alice locked the room' }).waitFor();

    await submitJoin(c, 'lockable');
    await c.page.locator('#join-status', { hasText: 'Could not join "lockable": the room is locked' }).waitFor({ timeout: 20_000 });
    await expect(c.page.getByRole('tab').count()).resolves.toBe(0);
    await expect(roomView(a, 'lockable').locator('.peer').count()).resolves.toBe(2);
    await screenshot(c, '05-locked-out');
    await screenshot(a, '05-locked-owner');

    await roomView(a, 'lockable').getByRole('button', { name: 'Unlock room' }).click();
    await roomView(b, 'lockable').locator('[data-field="lock-state"][data-on="false"]').waitFor();
    await joinRoom(c, 'lockable');
    await waitPeerConnected(a, 'lockable', 'Carol');
  });

  it('one page in several rooms as tabs; stats and log panels fill; leave and leave all', async () => {
    const [a, b, c] = (await open('Alice', 'Bob', 'Carol')) as [DemoPage, DemoPage, DemoPage];
    await joinRoom(a, 'room-one');
    await joinRoom(a, 'room-two');
    await joinRoom(b, 'room-one');
    await joinRoom(c, 'room-two');
    await waitPeerConnected(a, 'room-one', 'Bob');
    await waitPeerConnected(a, 'room-two', 'Carol');
    await expect(a.page.getByRole('tab').allTextContents()).resolves.toEqual(['room-one', 'room-two']);
    // Only the selected tab's panel is visible; each room has only its own peers.
    await expect(roomView(a, 'room-two').isVisible()).resolves.toBe(true);
    await expect(roomView(a, 'room-one').isVisible()).resolves.toBe(false);
    await expect(roomView(a, 'room-two').locator('.peer', { hasText: 'Bob' }).count()).resolves.toBe(0);

    // Stats: RTT and a bitrate for the peer, and drawn charts.
    const stats = roomView(a, 'room-two').locator('.peer-stats', { hasText: 'Carol' });
    await stats.locator('[data-field="rtt"]', { hasText: /RTT \d/ }).waitFor({ timeout: 20_000 });
    await stats.locator('[data-field="bitrate"]', { hasText: 'kbit/s' }).waitFor({ timeout: 20_000 });
    await expect(stats.locator('canvas.sparkline').count()).resolves.toBe(3);
    // The bitrate chart has drawn its line (non-transparent pixels) once two samples exist.
    await a.page.waitForFunction(
      (canvas) => {
        const c = canvas as HTMLCanvasElement;
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) return true;
        return false;
      },
      await stats.locator('canvas.sparkline').first().elementHandle(),
      { timeout: 20_000 },
    );
    // The log panel shows SDK and demo entries.
    await a.page.locator('.log-message', { hasText: /^Joined "room-two"$/ }).waitFor();

    await selectTab(a, 'room-one');
    await expect(roomView(a, 'room-one').isVisible()).resolves.toBe(true);
    await screenshot(a, '06-two-rooms');

    // Leave room-one from its panel: Bob sees Alice go; room-two stays.
    await roomView(a, 'room-one').getByRole('button', { name: 'Leave room' }).click();
    await roomView(b, 'room-one').locator('.peer', { hasText: 'Alice' }).waitFor({ state: 'detached' });
    await roomView(b, 'room-one').locator('.tile', { hasText: 'Alice' }).waitFor({ state: 'detached' });
    await expect(a.page.getByRole('tab').allTextContents()).resolves.toEqual(['room-two']);
    await expect(roomView(a, 'room-two').isVisible()).resolves.toBe(true);

    // Leave all.
    await a.page.getByRole('button', { name: 'Leave all rooms' }).click();
    await roomView(c, 'room-two').locator('.peer', { hasText: 'Alice' }).waitFor({ state: 'detached' });
    await expect(a.page.getByRole('tab').count()).resolves.toBe(0);
    await a.page.locator('#no-rooms').waitFor({ state: 'visible' });
  });

  it('every control has an accessible name, and the layout fits a phone screen', async () => {
    const [a, b] = (await open('Alice', 'Bob')) as [DemoPage, DemoPage];
    await joinRoom(a, 'layout', { audio: true, video: true });
    await joinRoom(b, 'layout', { audio: true, video: true });
    await waitPeerConnected(a, 'layout', 'Bob');
    await remoteVideoPlaying(a, 'layout', 'Bob');
    const unnamed = await a.page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('input, select, button, textarea, [role="tab"]')]
        .filter((c) => {
          const labels = (c as HTMLInputElement).labels;
          const named = (labels && labels.length > 0) || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby') || c.textContent?.trim();
          return !named;
        })
        .map((c) => c.outerHTML.slice(0, 120)),
    );
    expect(unnamed).toEqual([]);
    await expect(a.page.locator('[role="log"]').count()).resolves.toBeGreaterThanOrEqual(2); // chat + log
    // A phone-sized viewport: one column, nothing wider than the screen.
    await a.page.setViewportSize({ width: 390, height: 844 });
    await a.page.waitForFunction(() => getComputedStyle(document.querySelector('.room-layout') as Element).gridTemplateColumns.split(' ').length === 1);
    const overflow = await a.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(a, '11-phone-layout');
  });

  it('shows the reconnection while the server restarts, then the room carries on', async () => {
    let own = await startDemoServer(dataDir, staged);
    try {
      const [a, b] = await Promise.all([openDemo(browser, own, 'Alice'), openDemo(browser, own, 'Bob')]);
      pages.push(a, b);
      await joinRoom(a, 'restart');
      await joinRoom(b, 'restart');
      await waitPeerConnected(a, 'restart', 'Bob');
      const status = roomView(a, 'restart').locator('.room-status .status');
      const port = own.port;
      await own.close();
      await status.and(a.page.locator('[data-tone="error"]')).filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 20_000 });
      await screenshot(a, '12-reconnecting');
      own = await startDemoServer(dataDir, staged, port);
      // Both sockets come back and both pages are taken back into the room by the new server.
      for (const p of [a, b]) {
        await p.page.locator('.log-message', { hasText: /^Back in "restart"$/ }).waitFor({ timeout: 30_000 });
        await roomView(p, 'restart').locator('.room-status .status', { hasText: `In room "restart" as ${p.name}` }).waitFor();
      }
      // Same room, same peers: the tab stayed, and chat through the new server works.
      await expect(a.page.getByRole('tab').allTextContents()).resolves.toEqual(['restart']);
      await sendChat(a, 'restart', 'after the restart');
      await chatMessage(b, 'restart', 'after the restart').waitFor({ timeout: 20_000 });
    } finally {
      await own.close();
    }
  });

  it('when the browser refuses camera and microphone, the page joins without media and says why', async () => {
    const [a] = (await open('Alice')) as [DemoPage];
    // Stand-in for a user who clicks "Block" (Chromium's fake UI always allows).
    await a.page.context().addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    await a.page.reload();
    await a.page.locator('#sdk-info', { hasText: /^SDK \d/ }).waitFor();
    await joinRoom(a, 'refused', { audio: true, video: true });
    await roomView(a, 'refused').locator('.media-controls .status', { hasText: 'MEDIA_PERMISSION_DENIED' }).waitFor();
    await roomView(a, 'refused').locator('.media-controls .status', { hasText: 'Joined without media' }).waitFor();
    await roomView(a, 'refused').getByRole('button', { name: 'Start camera' }).waitFor();
  });
});
