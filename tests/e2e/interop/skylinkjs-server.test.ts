/**
 * Issue 3 acceptance: two ORIGINAL skylinkjs 2.7.2 clients (npm sources bundled by
 * scripts/build-skylinkjs.mjs, socket.io-client v2 as global `io`) in two headless Chromium pages
 * join one room through this project's server and exchange video (frames decoded on both sides),
 * signaling messages, P2P messages and a 1 MiB blob (same SHA-256), both ways.
 */
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  openPage,
  startSkylinkServer,
  startStaticServer,
  waitForReady,
  type StaticServer,
  type TestSkylinkServer,
} from '../rig';

jest.setTimeout(180_000);

const ROOM = 'interop-2x';

/** Every RTCPeerConnection the page creates, so getStats can be read on the original client's PCs. */
const TRACK_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  window.__pcs = [];
  class Tracked extends Native {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
    }
  }
  window.RTCPeerConnection = Tracked;
})();`;

interface LegacyPage {
  page: Page;
  logs: string[];
}

interface RecordedEvent {
  /** Key in SkylinkConstants.EVENTS, e.g. `ON_INCOMING_MESSAGE`. */
  name: string;
  detail: Record<string, any>;
}

/**
 * Opens a page with skylinkjs 2.7.2 and a `Skylink` instance in `window.t`. Events are recorded
 * under their EVENTS key (2.7.2 hands listeners `{ detail }`). The page accepts every blob
 * request, hashes every completed download, and plays every remote video stream, counting frames.
 */
async function openLegacyPage(browser: Browser, web: StaticServer, roomServer: string, name: string): Promise<LegacyPage> {
  const { page, logs } = await openPage(browser, `${web.url}/pages/skylinkjs.html`);
  await page.context().addInitScript(TRACK_PEER_CONNECTIONS);
  await page.reload();
  await waitForReady(page);
  await page.evaluate(
    ({ server, room, name: selfName }) => {
      const w = window as any;
      const mod = w.SkylinkJS;
      const EVENTS = mod.SkylinkConstants.EVENTS as Record<string, string>;
      const TRANSFER = mod.SkylinkConstants.DATA_TRANSFER_STATE as Record<string, string>;
      const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const safe = (v: unknown): unknown => {
        try {
          return JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof MediaStream || x instanceof Blob ? null : x instanceof Error ? { message: x.message } : x)));
        } catch {
          return null;
        }
      };
      const t: Record<string, any> = {
        name: selfName,
        events: [] as Array<{ name: string; detail: unknown }>,
        errors: [] as string[],
        downloads: [] as Array<{ peerId: string; size: number; sha256: string }>,
        video: null as HTMLVideoElement | null,
        presentedFrames: 0,
        hex,
        safe,
      };
      const playRemoteVideo = (stream: MediaStream): void => {
        if (t.video) return;
        const video = document.createElement('video');
        video.muted = true;
        video.autoplay = true;
        video.playsInline = true;
        video.srcObject = stream;
        document.body.appendChild(video);
        t.video = video;
        const onFrame = (_now: number, meta: { presentedFrames: number }): void => {
          t.presentedFrames = meta.presentedFrames;
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
        video.play().catch((e: Error) => t.errors.push(`play: ${e.message}`));
      };
      for (const [key, value] of Object.entries(EVENTS)) {
        mod.SkylinkEventManager.addEventListener(value, (e: { detail: any }) => {
          const d = e.detail;
          t.events.push({ name: key, detail: safe(d) });
          if (key === 'ON_INCOMING_STREAM' && !d.isSelf && d.isVideo) playRemoteVideo(d.stream);
          if (key === 'DATA_TRANSFER_STATE' && d.state === TRANSFER.UPLOAD_REQUEST) {
            t.skylink.respondBlobRequest(room, d.peerId, d.transferId, true).catch((err: Error) => t.errors.push(`respond: ${String(err?.message ?? err)}`));
          }
          if (key === 'DATA_TRANSFER_STATE' && d.state === TRANSFER.DOWNLOAD_COMPLETED) {
            const blob = d.transferInfo.data as Blob;
            blob
              .arrayBuffer()
              .then((buf) => crypto.subtle.digest('SHA-256', buf))
              .then((digest) => t.downloads.push({ peerId: d.peerId, size: blob.size, sha256: hex(digest) }))
              .catch((err: Error) => t.errors.push(`hash: ${err.message}`));
          }
        });
      }
      /** Highest framesDecoded of inbound video over the page's live peer connections. */
      t.framesDecoded = async (): Promise<number> => {
        let max = 0;
        for (const pc of (w.__pcs ?? []) as RTCPeerConnection[]) {
          if (!pc.remoteDescription || pc.connectionState === 'closed') continue;
          (await pc.getStats()).forEach((r: any) => {
            if (r.type === 'inbound-rtp' && r.kind === 'video') max = Math.max(max, r.framesDecoded ?? 0);
          });
        }
        return max;
      };
      t.skylink = new mod.default({
        appKey: 'interop-app-key',
        defaultRoom: room,
        roomServer: server,
        forceSSL: false,
        enableDataChannel: true,
        enableStatsGathering: false,
      });
      w.t = t;
    },
    { server: roomServer, room: ROOM, name },
  );
  return { page, logs };
}

/** Waits until an event recorded under `name` has a detail containing `match` (deep, partial). */
async function waitForEvent(page: Page, name: string, match: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<RecordedEvent> {
  const handle = await page.waitForFunction(
    ({ name: n, match: m }) => {
      const contains = (value: any, want: any): boolean =>
        want !== null && typeof want === 'object'
          ? value !== null && typeof value === 'object' && Object.keys(want).every((k) => contains(value[k], want[k]))
          : value === want;
      const events = (window as any).t.events as RecordedEvent[];
      return events.find((e) => e.name === n && contains(e.detail, m)) ?? false;
    },
    { name, match },
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as RecordedEvent;
}

async function joinRoom(p: LegacyPage, userData: unknown): Promise<string> {
  // 2.x joinRoom may never settle on failure: start it, then wait for our own PEER_JOINED.
  await p.page.evaluate(
    ({ room, userData: u }) => {
      const t = (window as any).t;
      t.skylink.joinRoom({ roomName: room, audio: true, video: true, userData: u }).catch((e: Error) => t.errors.push(`join: ${e?.message ?? e}`));
    },
    { room: ROOM, userData },
  );
  const self = await waitForEvent(p.page, 'PEER_JOINED', { isSelf: true });
  return self.detail.peerId as string;
}

/** Remote video really decodes: frames presented in a <video>, and framesDecoded growing in getStats. */
async function expectVideoDecoded(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const t = (window as any).t;
    return t.video !== null && t.video.videoWidth > 0 && t.presentedFrames >= 10;
  }, null, { timeout: 30_000 });
  const first = await page.evaluate(() => (window as any).t.framesDecoded() as Promise<number>);
  expect(first).toBeGreaterThan(0);
  await page.waitForFunction(async (min) => ((await (window as any).t.framesDecoded()) as number) >= min + 10, first, {
    timeout: 30_000,
    polling: 200,
  });
}

/** Sends 1 MiB of random bytes with sendBlobData; returns the sender's SHA-256 and result. */
async function sendBlob(from: Page, to: string): Promise<{ sha256: string; result: any[] }> {
  return from.evaluate(
    async ({ room, target }) => {
      const t = (window as any).t;
      const bytes = new Uint8Array(1024 * 1024);
      for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
      const sha256 = t.hex(await crypto.subtle.digest('SHA-256', bytes)) as string;
      const result = await t.skylink.sendBlobData(room, new Blob([bytes], { type: 'application/octet-stream' }), target);
      return { sha256, result: t.safe(result) as any[] };
    },
    { room: ROOM, target: to },
  );
}

describe('two original skylinkjs 2.7.2 clients through this server', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  let a: LegacyPage;
  let b: LegacyPage;
  let aId: string;
  let bId: string;

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium()]);
    a = await openLegacyPage(browser, web, server.roomServer, 'A');
    b = await openLegacyPage(browser, web, server.roomServer, 'B');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  const pageErrors = (p: LegacyPage): string[] =>
    // 2.x always POSTs stats to https://<roomServer>/rest/stats (TLS against this plain HTTP server).
    p.logs.filter((l) => l.startsWith('[pageerror]') && !l.includes('Failed to fetch'));

  it('join the same room and see each other, connected with the data channel open', async () => {
    aId = await joinRoom(a, { name: 'A' });
    bId = await joinRoom(b, { name: 'B' });
    expect(aId).not.toBe(bId);
    const bSeesA = await waitForEvent(b.page, 'PEER_JOINED', { peerId: aId, isSelf: false });
    const aSeesB = await waitForEvent(a.page, 'PEER_JOINED', { peerId: bId, isSelf: false });
    expect(bSeesA.detail.peerInfo.userData).toEqual({ name: 'A' });
    expect(aSeesB.detail.peerInfo.userData).toEqual({ name: 'B' });
    await Promise.all([
      waitForEvent(a.page, 'DATA_CHANNEL_STATE', { peerId: bId, state: 'open' }),
      waitForEvent(b.page, 'DATA_CHANNEL_STATE', { peerId: aId, state: 'open' }),
    ]);
  });

  it('exchange video: frames are decoded on both sides', async () => {
    await Promise.all([expectVideoDecoded(a.page), expectVideoDecoded(b.page)]);
  });

  it('exchange signaling messages both ways (broadcast and targeted)', async () => {
    await a.page.evaluate((room) => (window as any).t.skylink.sendMessage(room, 'hello B, from A over signaling'), ROOM);
    const atB = await waitForEvent(b.page, 'ON_INCOMING_MESSAGE', { isSelf: false, peerId: aId, message: { content: 'hello B, from A over signaling' } });
    expect(atB.detail.message).toMatchObject({ isDataChannel: false, isPrivate: false, senderPeerId: aId });
    await b.page.evaluate(({ room, to }) => (window as any).t.skylink.sendMessage(room, 'hello A, privately from B', to), { room: ROOM, to: aId });
    const atA = await waitForEvent(a.page, 'ON_INCOMING_MESSAGE', { isSelf: false, peerId: bId, message: { content: 'hello A, privately from B' } });
    expect(atA.detail.message).toMatchObject({ isDataChannel: false, isPrivate: true, senderPeerId: bId, targetPeerId: aId });
  });

  it('exchange P2P messages both ways over the data channel', async () => {
    const toB = { kind: 'p2p', from: 'A', n: 1, nested: { ok: true } };
    await a.page.evaluate(({ room, msg, to }) => (window as any).t.skylink.sendP2PMessage(room, msg, to), { room: ROOM, msg: toB, to: bId });
    const atB = await waitForEvent(b.page, 'ON_INCOMING_MESSAGE', { isSelf: false, peerId: aId, message: { isDataChannel: true } });
    expect(atB.detail.message).toMatchObject({ content: toB, isPrivate: true, senderPeerId: aId });
    const toA = { kind: 'p2p', from: 'B', list: [1, 2, 3] };
    await b.page.evaluate(({ room, msg }) => (window as any).t.skylink.sendP2PMessage(room, msg), { room: ROOM, msg: toA });
    const atA = await waitForEvent(a.page, 'ON_INCOMING_MESSAGE', { isSelf: false, peerId: bId, message: { isDataChannel: true } });
    expect(atA.detail.message).toMatchObject({ content: toA, isPrivate: false, senderPeerId: bId });
  });

  it('send a 1 MiB blob each way, accepted by the receiver, with the same SHA-256', async () => {
    for (const [from, to, toId, fromId] of [
      [a, b, bId, aId],
      [b, a, aId, bId],
    ] as const) {
      const sent = await sendBlob(from.page, toId);
      expect(sent.result).toHaveLength(1);
      expect(sent.result[0][toId]).toMatchObject({ transferType: 'upload' });
      expect(sent.result[0][toId].success).toBeTruthy();
      await waitForEvent(to.page, 'DATA_TRANSFER_STATE', { state: 'downloadCompleted', peerId: fromId });
      const download = await to.page.waitForFunction((p) => (window as any).t.downloads.find((d: any) => d.peerId === p) ?? false, fromId, {
        timeout: 30_000,
      });
      expect(await download.jsonValue()).toEqual({ peerId: fromId, size: 1024 * 1024, sha256: sent.sha256 });
    }
  });

  it('leaving: the server tells the other client (PEER_LEFT), with no page errors', async () => {
    await b.page.evaluate((room) => (window as any).t.skylink.leaveRoom(room), ROOM);
    await waitForEvent(a.page, 'PEER_LEFT', { peerId: bId, isSelf: false });
    for (const p of [a, b]) {
      expect(await p.page.evaluate(() => (window as any).t.errors)).toEqual([]);
      expect(pageErrors(p)).toEqual([]);
    }
  });
});
