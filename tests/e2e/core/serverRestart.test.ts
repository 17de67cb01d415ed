/**
 * Beyond 2.x: the signaling server is restarted mid-call. The pages' sockets reconnect by themselves,
 * resume their room sessions (same peer ids), and the peer connections and data channels stay up the
 * whole time (no PEER_LEFT, no channel closed, no new offer).
 */
import type { Browser } from 'playwright-core';
import { launchChromium, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import { join, openCorePage, pageEvents, waitConnected, type CorePage } from './corePages';

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

  it('peers resume their rooms while the peer connections stay up', async () => {
    const [a, b] = await Promise.all([openCorePage(browser, web, server.roomServer), openCorePage(browser, web, server.roomServer)]);
    pages.push(a, b);
    const aId = await join(a.page, 'restart-room', { name: 'A' });
    const bId = await join(b.page, 'restart-room', { name: 'B' });
    await Promise.all([waitConnected(a.page, 'restart-room', bId), waitConnected(b.page, 'restart-room', aId)]);
    const offersBefore = (await pageEvents(a.page, 'handshakeProgress', { roomName: 'restart-room', state: 'offer' })).length;
    const opensBefore = async (p: CorePage) => (await pageEvents(p.page, 'channelOpen')).length;
    const [aOpens, bOpens] = [await opensBefore(a), await opensBefore(b)];
    const enters = async (p: CorePage) => (await pageEvents(p.page, 'handshakeProgress', { state: 'enter' })).length;
    const [aEnters, bEnters] = [await enters(a), await enters(b)];

    const port = server.port;
    await server.close();
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
  });
});
