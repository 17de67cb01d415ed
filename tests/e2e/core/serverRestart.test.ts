/**
 * Beyond 2.x: the signaling server is restarted mid-call. The pages' sockets reconnect by themselves,
 * resume their room sessions (same peer ids), and the peer connections, data channels and media stay
 * up the whole time (no PEER_LEFT, no channel closed, no new offer, no stream ended): the received
 * video keeps decoding before, during the outage and after the resume.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import { join, openCorePage, pageEvents, waitConnected, waitForPageEvent, type CorePage } from './corePages';

/** Received media from `peerId`, as getConnectionStatus reports it (inbound-rtp). */
function received(page: Page, peerId: string): Promise<{ frames: number; audioPackets: number }> {
  return page.evaluate(async (p) => {
    const [s] = await (window as any).t.skylink.getConnectionStatus('restart-room', p);
    return { frames: s?.video.receiving.framesDecoded ?? 0, audioPackets: s?.audio.receiving.totalPackets ?? 0 };
  }, peerId);
}

/** Resolves once more video frames (15, half a second of the fake camera) and audio packets from `peerId` were decoded. */
async function mediaKeepsFlowing(page: Page, peerId: string): Promise<void> {
  const before = await received(page, peerId);
  await page.waitForFunction(
    async ({ p, frames, audioPackets }) => {
      const [s] = await (window as any).t.skylink.getConnectionStatus('restart-room', p);
      return (s?.video.receiving.framesDecoded ?? 0) > frames && (s?.audio.receiving.totalPackets ?? 0) > audioPackets;
    },
    { p: peerId, frames: before.frames + 15, audioPackets: before.audioPackets + 20 },
    { timeout: 20_000, polling: 100 },
  );
}

jest.setTimeout(120_000);

describe('core: server restart mid-call', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  const pages: CorePage[] = [];

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium()]);
  });
  afterAll(async () => {
    for (const p of pages) await p.page.context().close();
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  it('peers resume their rooms while the peer connections and media stay up', async () => {
    const [a, b] = await Promise.all([openCorePage(browser, web, server.roomServer), openCorePage(browser, web, server.roomServer)]);
    pages.push(a, b);
    const media = { audio: true, video: true };
    const aId = await join(a.page, 'restart-room', { name: 'A' }, media);
    const bId = await join(b.page, 'restart-room', { name: 'B' }, media);
    await Promise.all([waitConnected(a.page, 'restart-room', bId), waitConnected(b.page, 'restart-room', aId)]);
    await Promise.all([
      waitForPageEvent(a.page, 'onIncomingStream', { roomName: 'restart-room', peerId: bId, isSelf: false, isVideo: true }),
      waitForPageEvent(b.page, 'onIncomingStream', { roomName: 'restart-room', peerId: aId, isSelf: false, isVideo: true }),
    ]);
    await Promise.all([mediaKeepsFlowing(a.page, bId), mediaKeepsFlowing(b.page, aId)]);
    const offersBefore = (await pageEvents(a.page, 'handshakeProgress', { roomName: 'restart-room', state: 'offer' })).length;
    const opensBefore = async (p: CorePage) => (await pageEvents(p.page, 'channelOpen')).length;
    const [aOpens, bOpens] = [await opensBefore(a), await opensBefore(b)];
    const enters = async (p: CorePage) => (await pageEvents(p.page, 'handshakeProgress', { state: 'enter' })).length;
    const [aEnters, bEnters] = [await enters(a), await enters(b)];

    const closes = async (p: CorePage) => (await pageEvents(p.page, 'channelClose')).length;
    const [aCloses, bCloses] = [await closes(a), await closes(b)];

    const port = server.port;
    await server.close();
    // Both pages saw their socket go, and the media keeps decoding while there is no signaling at all.
    for (const [p, n] of [[a, aCloses], [b, bCloses]] as const) {
      await p.page.waitForFunction((count) => (window as any).t.events.filter((e: any) => e.name === 'channelClose').length > count, n, { timeout: 20_000 });
    }
    await Promise.all([mediaKeepsFlowing(a.page, bId), mediaKeepsFlowing(b.page, aId)]);
    // The data channel works without the server too.
    await a.page.evaluate((p) => (window as any).t.skylink.sendP2PMessage('restart-room', 'during the outage', p), bId);
    await waitForPageEvent(b.page, 'onIncomingMessage', { roomName: 'restart-room', peerId: aId, isSelf: false });
    expect(await a.page.evaluate(() => (window as any).t.events.filter((e: any) => e.name === 'channelOpen').length)).toBe(aOpens);
    server = await startSkylinkServer({ port });

    // Both sockets come back by themselves and re-enter the room (the restarted server lost it).
    for (const [p, n] of [[a, aOpens], [b, bOpens]] as const) {
      await p.page.waitForFunction((count) => (window as any).t.events.filter((e: any) => e.name === 'channelOpen').length > count, n, { timeout: 30_000 });
    }
    for (const [p, n] of [[a, aEnters], [b, bEnters]] as const) {
      await p.page.waitForFunction(
        (count) => (window as any).t.events.filter((e: any) => e.name === 'handshakeProgress' && e.detail.state === 'enter').length > count,
        n,
        { timeout: 30_000 },
      );
    }
    // Signaling works again in the resumed room.
    await a.page.evaluate(() => (window as any).t.skylink.setUserData('restart-room', { name: 'A', round: 2 }));
    await b.page.waitForFunction(
      () => (window as any).t.events.some((e: any) => e.name === 'peerUpdated' && !e.detail.isSelf && e.detail.peerInfo?.userData?.round === 2),
      null,
      { timeout: 20_000 },
    );

    // Same peer ids, nobody left, the data channels never closed, no renegotiation was needed.
    const ids = await a.page.evaluate(() => Object.keys((window as any).t.skylink.getPeersInRoom('restart-room')).sort());
    expect(ids).toEqual([aId, bId].sort());
    for (const p of [a, b]) {
      expect(await pageEvents(p.page, 'peerLeft', { roomName: 'restart-room' })).toEqual([]);
      expect(await pageEvents(p.page, 'sessionDisconnect')).toEqual([]);
      expect(await pageEvents(p.page, 'dataChannelState', { roomName: 'restart-room', state: 'closed' })).toEqual([]);
    }
    expect((await pageEvents(a.page, 'handshakeProgress', { roomName: 'restart-room', state: 'offer' })).length).toBe(offersBefore);
    await waitConnected(a.page, 'restart-room', bId);
    await waitConnected(b.page, 'restart-room', aId);
    // The same streams still decode after the resume; none ended or was announced again.
    await Promise.all([mediaKeepsFlowing(a.page, bId), mediaKeepsFlowing(b.page, aId)]);
    for (const [p, other] of [[a, bId], [b, aId]] as const) {
      expect(await pageEvents(p.page, 'streamEnded', { roomName: 'restart-room' })).toEqual([]);
      expect(await pageEvents(p.page, 'onIncomingStream', { roomName: 'restart-room', peerId: other, isSelf: false, isVideo: true })).toHaveLength(1);
    }
  });
});
