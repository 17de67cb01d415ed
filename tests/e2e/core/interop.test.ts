/**
 * Wire compatibility: page A runs the original skylinkjs 2.7.2, page B this SDK, same room on the
 * project's server. Both see each other join, the connection reaches `connected`, the 2.x `main`
 * data channel opens on both sides, user-data updates and restart offers travel both ways.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openLegacyPage, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import { join, openCorePage, waitConnected, waitForPageEvent, type CorePage } from './corePages';

jest.setTimeout(120_000);

describe('interop with the original skylinkjs 2.7.2', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  const pages: Array<Page | CorePage> = [];

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium()]);
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await ('page' in p ? p.page : p).context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  async function legacyJoin(page: Page, roomName: string): Promise<string> {
    await page.evaluate((r) => (window as any).t.skylink.joinRoom({ roomName: r, userData: { name: 'legacy' } }), roomName);
    const joined = await waitForPageEvent(page, 'peerJoined', { isSelf: true });
    return joined.detail.peerId as string;
  }

  for (const order of ['legacy joins first', 'this SDK joins first'] as const) {
    it(`PEER_JOINED both ways, connected, data channel open, renegotiation both ways (${order})`, async () => {
      const room = `interop-${order.startsWith('legacy') ? 'a' : 'b'}`;
      const { page: legacy } = await openLegacyPage(browser, web, server.roomServer, { defaultRoom: 'interop' });
      const ours = await openCorePage(browser, web, server.roomServer);
      pages.push(legacy, ours);
      let legacyId: string;
      let oursId: string;
      if (order === 'legacy joins first') {
        legacyId = await legacyJoin(legacy, room);
        oursId = await join(ours.page, room, { name: 'ours' });
      } else {
        oursId = await join(ours.page, room, { name: 'ours' });
        legacyId = await legacyJoin(legacy, room);
      }
      // Ours sees the legacy peer, connects and opens the main channel.
      const seen = await waitForPageEvent(ours.page, 'peerJoined', { roomName: room, peerId: legacyId, isSelf: false });
      expect((seen.detail.peerInfo as { userData: unknown }).userData).toEqual({ name: 'legacy' });
      expect((seen.detail.peerInfo as { agent: { SMProtocolVersion: string } }).agent.SMProtocolVersion).toBe('2.1.0');
      await waitConnected(ours.page, room, legacyId, 30_000);
      // The legacy client sees us, connects and opens its main channel.
      const legacySeen = await waitForPageEvent(legacy, 'peerJoined', { peerId: oursId, isSelf: false }, 30_000);
      expect((legacySeen.detail as { peerInfo: { userData: unknown } }).peerInfo.userData).toEqual({ name: 'ours' });
      await waitForPageEvent(legacy, 'iceConnectionState', { peerId: oursId, state: 'connected' }, 30_000).catch(() =>
        waitForPageEvent(legacy, 'iceConnectionState', { peerId: oursId, state: 'completed' }, 5_000),
      );
      await waitForPageEvent(legacy, 'dataChannelState', { peerId: oursId, state: 'open' }, 30_000);
      // User data both ways.
      await ours.page.evaluate((r) => (window as any).t.skylink.setUserData(r, { name: 'ours-2' }), room);
      await legacy.waitForFunction(
        (p) => (window as any).t.events.some((e: any) => e.name === 'peerUpdated' && e.detail.peerId === p && e.detail.peerInfo?.userData?.name === 'ours-2'),
        oursId,
        { timeout: 20_000 },
      );
      await legacy.evaluate((r) => (window as any).t.skylink.setUserData(r, { name: 'legacy-2' }), room);
      const updated = await waitForPageEvent(ours.page, 'peerUpdated', { roomName: room, peerId: legacyId, isSelf: false });
      expect((updated.detail.peerInfo as { userData: unknown }).userData).toEqual({ name: 'legacy-2' });
      // Renegotiation both ways: our ICE-restart offer is answered by 2.x, and 2.x's restart offer by us.
      const acks = (p: Page, peerId: string) =>
        p.evaluate((id) => (window as any).t.events.filter((e: any) => e.name === 'handshakeProgress' && e.detail.state === 'answerAck' && e.detail.peerId === id).length, peerId);
      const ourAcks = await acks(ours.page, oursId);
      const result = await ours.page.evaluate(({ r, p }) => (window as any).t.skylink.refreshConnection(r, p, true), { r: room, p: legacyId });
      expect(result.listOfPeers).toEqual([legacyId]);
      await ours.page.waitForFunction(
        ({ id, n }) => (window as any).t.events.filter((e: any) => e.name === 'handshakeProgress' && e.detail.state === 'answerAck' && e.detail.peerId === id).length > n,
        { id: oursId, n: ourAcks },
        { timeout: 20_000 },
      );
      const remoteAcks = await acks(ours.page, legacyId);
      await legacy.evaluate((r) => (window as any).t.skylink.refreshConnection(r), room);
      await ours.page.waitForFunction(
        ({ id, n }) => (window as any).t.events.filter((e: any) => e.name === 'handshakeProgress' && e.detail.state === 'answerAck' && e.detail.peerId === id).length > n,
        { id: legacyId, n: remoteAcks },
        { timeout: 20_000 },
      );
      await waitConnected(ours.page, room, legacyId, 20_000);
      expect(await ours.page.evaluate((r) => Object.keys((window as any).t.skylink.getPeersInRoom(r)).length, room)).toBe(2);
    });
  }
});
