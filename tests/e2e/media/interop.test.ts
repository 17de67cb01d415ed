/**
 * Media interop: page A runs the original skylinkjs 2.7.2, page B this SDK, both joining one room of
 * the project's server with camera and microphone. Video decodes both ways (checked on presented
 * frames and picture, not only on events), and a mute on either side reaches the other as
 * STREAM_MUTED and blacks the picture out there. 2.7.2's event listeners receive `{ detail }`.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openLegacyPage, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import { waitConnected, waitForPageEvent, type CorePage } from '../core/corePages';
import { INSTALL_MEDIA_HELPERS, decodedFramesGrow, openMediaPage, presentedFramesGrow, until } from './mediaPages';

jest.setTimeout(180_000);

type Detail = Record<string, any>;

/** A 2.7.2 page: events in `window.t.events` (JSON copies), received streams in `window.t.streams`. */
async function openLegacyMediaPage(browser: Browser, web: StaticServer, roomServer: string): Promise<Page> {
  const { page } = await openLegacyPage(browser, web, roomServer, { defaultRoom: 'media-interop' });
  await page.evaluate(INSTALL_MEDIA_HELPERS);
  await page.evaluate(() => {
    const w = window as unknown as Record<string, any>;
    for (const name of ['onIncomingStream', 'onIncomingScreenStream']) {
      w.SkylinkJS.SkylinkEventManager.addEventListener(name, (e: { detail: unknown }) => w.t.keep(e.detail));
    }
  });
  return page;
}

async function legacyJoin(page: Page, roomName: string): Promise<string> {
  await page.evaluate((r) => (window as any).t.skylink.joinRoom({ roomName: r, audio: true, video: true, userData: { name: 'legacy' } }), roomName);
  return (await waitForPageEvent(page, 'peerJoined', { isSelf: true }, 30_000)).detail.peerId as string;
}

async function oursJoin(page: Page, roomName: string): Promise<string> {
  return page.evaluate(async (r) => {
    const t = (window as any).t;
    await t.skylink.joinRoom({ roomName: r, audio: true, video: true, userData: { name: 'ours' } });
    const peers = t.skylink.getPeersInRoom(r) as Record<string, { isSelf: boolean }>;
    return Object.keys(peers).find((id) => peers[id]?.isSelf) as string;
  }, roomName);
}

describe('media interop with the original skylinkjs 2.7.2', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  const pages: Page[] = [];

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium()]);
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  for (const order of ['legacy joins first', 'this SDK joins first'] as const) {
    it(`video decodes both ways and mutes are seen both ways (${order})`, async () => {
      const room = `media-interop-${order.startsWith('legacy') ? 'a' : 'b'}`;
      const legacy = await openLegacyMediaPage(browser, web, server.roomServer);
      const ours: CorePage = await openMediaPage(browser, web, server.roomServer);
      pages.push(legacy, ours.page);
      let legacyId: string;
      let oursId: string;
      if (order === 'legacy joins first') {
        legacyId = await legacyJoin(legacy, room);
        oursId = await oursJoin(ours.page, room);
      } else {
        oursId = await oursJoin(ours.page, room);
        legacyId = await legacyJoin(legacy, room);
      }
      await waitConnected(ours.page, room, legacyId, 60_000);

      // 2.7.2 → this SDK.
      const fromLegacy = (await waitForPageEvent(ours.page, 'onIncomingStream', { roomName: room, peerId: legacyId, isSelf: false, isVideo: true }, 60_000)).detail as Detail;
      await ours.page.evaluate((id) => (window as any).t.play(id, 'legacy'), fromLegacy.streamId);
      await until(ours.page, `t.luma('legacy') > 40`);
      await decodedFramesGrow(ours.page, room, legacyId);
      // This SDK → 2.7.2.
      const fromOurs = (await waitForPageEvent(legacy, 'onIncomingStream', { peerId: oursId, isSelf: false, isVideo: true }, 60_000)).detail as Detail;
      await legacy.evaluate((id) => (window as any).t.play(id, 'ours'), fromOurs.streamId);
      await until(legacy, `t.width('ours') > 0 && t.luma('ours') > 40`);
      await presentedFramesGrow(legacy, 'ours');

      // This SDK mutes its camera: 2.7.2 fires STREAM_MUTED with our new mediaStatus, the picture goes black.
      await ours.page.evaluate((r) => (window as any).t.skylink.muteStreams(r, { audioMuted: false, videoMuted: true }), room);
      const seenByLegacy = (await waitForPageEvent(legacy, 'streamMuted', { peerId: oursId, isSelf: false, isVideo: true }, 30_000)).detail as Detail;
      expect(seenByLegacy.peerInfo.mediaStatus[fromOurs.streamId]).toEqual({ audioMuted: -1, videoMuted: 0 });
      await until(legacy, `t.luma('ours') >= 0 && t.luma('ours') < 5`);

      // 2.7.2 mutes its camera: this SDK fires STREAM_MUTED, updates mediaStatus, the picture goes black.
      await legacy.evaluate((r) => (window as any).t.skylink.muteStreams(r, { audioMuted: false, videoMuted: true }), room);
      const seenByOurs = (await waitForPageEvent(ours.page, 'streamMuted', { roomName: room, peerId: legacyId, isSelf: false, isVideo: true }, 30_000)).detail as Detail;
      expect(seenByOurs.streamId).toBe(fromLegacy.streamId);
      expect(seenByOurs.peerInfo.mediaStatus[fromLegacy.streamId]).toMatchObject({ videoMuted: 0 });
      await until(ours.page, `t.luma('legacy') >= 0 && t.luma('legacy') < 5`);
      const status = await ours.page.evaluate(([r, p]) => (window as any).t.skylink.getPeerInfo(r, p).mediaStatus, [room, legacyId]);
      expect(status[fromLegacy.streamId]).toMatchObject({ videoMuted: 0 });

      // Both unmute: the pictures come back.
      await ours.page.evaluate((r) => (window as any).t.skylink.muteStreams(r, { audioMuted: false, videoMuted: false }), room);
      await legacy.evaluate((r) => (window as any).t.skylink.muteStreams(r, { audioMuted: false, videoMuted: false }), room);
      await until(legacy, `t.luma('ours') > 40`);
      await until(ours.page, `t.luma('legacy') > 40`);
      await presentedFramesGrow(legacy, 'ours');
      await decodedFramesGrow(ours.page, room, legacyId);
    });
  }

  it('screen shares reach the other side as ON_INCOMING_SCREEN_STREAM, both ways', async () => {
    const room = 'media-interop-screen';
    const legacy = await openLegacyMediaPage(browser, web, server.roomServer);
    const ours: CorePage = await openMediaPage(browser, web, server.roomServer);
    pages.push(legacy, ours.page);
    const legacyId = await legacyJoin(legacy, room);
    const oursId = await oursJoin(ours.page, room);
    await waitConnected(ours.page, room, legacyId, 60_000);
    await waitForPageEvent(legacy, 'onIncomingStream', { peerId: oursId, isSelf: false, isVideo: true }, 60_000);

    const ourScreen = await ours.page.evaluate(async (r) => ((await (window as any).t.skylink.shareScreen(r)) as MediaStream).id, room);
    const atLegacy = (await waitForPageEvent(legacy, 'onIncomingScreenStream', { peerId: oursId, isSelf: false }, 60_000)).detail as Detail;
    expect(atLegacy.streamId).toBe(ourScreen);
    await legacy.evaluate((id) => (window as any).t.play(id, 'screen'), ourScreen);
    await presentedFramesGrow(legacy, 'screen');
    await ours.page.evaluate((r) => (window as any).t.skylink.stopScreen(r), room);
    await waitForPageEvent(legacy, 'streamEnded', { peerId: oursId, isSelf: false, isScreensharing: true }, 30_000);

    await legacy.evaluate((r) => (window as any).t.skylink.shareScreen(r), room);
    const atOurs = (await waitForPageEvent(ours.page, 'onIncomingScreenStream', { roomName: room, peerId: legacyId, isSelf: false }, 60_000)).detail as Detail;
    await ours.page.evaluate((id) => (window as any).t.play(id, 'screen'), atOurs.streamId);
    await presentedFramesGrow(ours.page, 'screen');
  });

  it('this SDK joining without media after a 2.7.2 peer with a camera still receives its video', async () => {
    const room = 'media-interop-viewer';
    const legacy = await openLegacyMediaPage(browser, web, server.roomServer);
    const ours: CorePage = await openMediaPage(browser, web, server.roomServer);
    pages.push(legacy, ours.page);
    const legacyId = await legacyJoin(legacy, room);
    await ours.page.evaluate((r) => (window as any).t.skylink.joinRoom({ roomName: r }), room);
    const oursId = await ours.page.evaluate((r) => Object.keys((window as any).t.skylink.getPeersInRoom(r)).find((k) => (window as any).t.skylink.getPeersInRoom(r)[k].isSelf), room);
    await waitConnected(ours.page, room, legacyId, 60_000);
    // Our first offer had no media; a second one asks for the camera 2.7.2 advertises.
    await until(ours.page, `t.events.filter((e) => e.name === 'handshakeProgress' && e.detail.state === 'offer' && e.detail.peerId === ${JSON.stringify(oursId)}).length === 2`);
    const fromLegacy = (await waitForPageEvent(ours.page, 'onIncomingStream', { roomName: room, peerId: legacyId, isSelf: false, isVideo: true }, 60_000)).detail as Detail;
    await ours.page.evaluate((id) => (window as any).t.play(id, 'legacy'), fromLegacy.streamId);
    await until(ours.page, `t.luma('legacy') > 40`);
    await decodedFramesGrow(ours.page, room, legacyId);
  });
});
