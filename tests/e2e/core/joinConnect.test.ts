import type { Browser } from 'playwright-core';
import { launchChromium, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import { join, openCorePage, pageEvents, waitConnected, waitForPageEvent, type CorePage } from './corePages';

jest.setTimeout(120_000);

describe('core: join and connect in real Chromium', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  const pages: CorePage[] = [];

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium()]);
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.page.context().close();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  async function open(n: number): Promise<CorePage[]> {
    const opened = await Promise.all(Array.from({ length: n }, () => openCorePage(browser, web, server.roomServer)));
    pages.push(...opened);
    return opened;
  }

  function pageErrors(p: CorePage): string[] {
    return p.logs.filter((l) => l.startsWith('[pageerror]'));
  }

  it('2 peers reach connected with the main data channel open', async () => {
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    const aId = await join(a.page, 'two', { name: 'A' });
    const bId = await join(b.page, 'two', { name: 'B' });
    await Promise.all([waitConnected(a.page, 'two', bId), waitConnected(b.page, 'two', aId)]);
    const joined = await waitForPageEvent(a.page, 'peerJoined', { roomName: 'two', peerId: bId, isSelf: false });
    expect((joined.detail.peerInfo as { userData: unknown }).userData).toEqual({ name: 'B' });
    const label = await a.page.evaluate(({ p }) => (window as any).t.skylink.getPeersDataChannels('two')[p].main.channelName, { p: bId });
    expect(label).toBe(`${await a.page.evaluate(() => (window as any).t.skylink.getPeerInfo('two').room.id)}_${bId}_${aId}`);
    const status = await a.page.evaluate(({ p }) => (window as any).t.skylink.getConnectionStatus('two', p), { p: bId });
    expect(status[0].selectedCandidatePair.local.ipAddress).toBe('127.0.0.1');
    expect(status[0].connection.iceConnectionState).toMatch(/connected|completed/);
    expect(pageErrors(a)).toEqual([]);
    expect(pageErrors(b)).toEqual([]);
  });

  it('4 peers reach connected with each other', async () => {
    const four = await open(4);
    const ids: string[] = [];
    for (const p of four) ids.push(await join(p.page, 'four'));
    await Promise.all(
      four.flatMap((p, i) => ids.filter((_, j) => j !== i).map((peerId) => waitConnected(p.page, 'four', peerId))),
    );
    for (const p of four) {
      const channels = await p.page.evaluate(() => (window as any).t.skylink.getPeersDataChannels('four'));
      expect(Object.keys(channels)).toHaveLength(3);
    }
  });

  it('one page in 3 rooms at once with different peers in each', async () => {
    const [hub, b, c, d] = (await open(4)) as [CorePage, CorePage, CorePage, CorePage];
    const hubIds = [await join(hub.page, 'room-1'), await join(hub.page, 'room-2'), await join(hub.page, 'room-3')];
    const others = [await join(b.page, 'room-1'), await join(c.page, 'room-2'), await join(d.page, 'room-3')];
    await Promise.all([1, 2, 3].map((n, i) => waitConnected(hub.page, `room-${n}`, others[i] as string)));
    await waitConnected(b.page, 'room-1', hubIds[0] as string);
    const rooms = await hub.page.evaluate(() => {
      const s = (window as any).t.skylink;
      return ['room-1', 'room-2', 'room-3'].map((r) => Object.keys(s.getPeersInRoom(r)).length);
    });
    expect(rooms).toEqual([2, 2, 2]);
    const bPeers = await b.page.evaluate(() => Object.keys((window as any).t.skylink.getPeersInRoom('room-1')));
    expect(bPeers.sort()).toEqual([hubIds[0], others[0]].sort());
    // Events are room-scoped: the hub never saw C in room-1.
    expect(await pageEvents(hub.page, 'peerJoined', { roomName: 'room-1', peerId: others[1] })).toEqual([]);
    await hub.page.evaluate(() => (window as any).t.skylink.leaveRoom('room-2'));
    await waitForPageEvent(c.page, 'peerLeft', { roomName: 'room-2', peerId: hubIds[1] });
    // The other rooms are untouched.
    expect(await hub.page.evaluate(() => (window as any).t.skylink.getPeersDataChannels('room-1'))).toMatchObject({
      [others[0] as string]: { main: { readyState: 'open' } },
    });
  });

  it('a locked room rejects a newcomer, and setUserData reaches the others', async () => {
    const [a, b, c] = (await open(3)) as [CorePage, CorePage, CorePage];
    const aId = await join(a.page, 'locked');
    const bId = await join(b.page, 'locked');
    await waitConnected(b.page, 'locked', aId);
    await a.page.evaluate(() => (window as any).t.skylink.lockRoom('locked'));
    await waitForPageEvent(b.page, 'roomLock', { roomName: 'locked', isLocked: true, peerId: aId });
    const rejected = await c.page.evaluate(() =>
      (window as any).t.skylink.joinRoom({ roomName: 'locked' }).then(
        () => null,
        (e: { code: string }) => e.code,
      ),
    );
    expect(rejected).toBe('ROOM_LOCKED');
    await waitForPageEvent(c.page, 'systemAction', { roomName: 'locked', action: 'reject', reason: 'locked' });
    expect(await pageEvents(a.page, 'peerJoined', { roomName: 'locked', isSelf: false })).toHaveLength(1);
    await a.page.evaluate(() => (window as any).t.skylink.setUserData('locked', { status: 'busy' }));
    const updated = await waitForPageEvent(b.page, 'peerUpdated', { roomName: 'locked', peerId: aId, isSelf: false });
    expect((updated.detail.peerInfo as { userData: unknown }).userData).toEqual({ status: 'busy' });
    expect(await b.page.evaluate(({ p }) => (window as any).t.skylink.getUserData('locked', p), { p: aId })).toEqual({ status: 'busy' });
    void bId;
  });

  it('getConnectionStatus gives a non-zero bitrate both ways once data flows', async () => {
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    const aId = await join(a.page, 'bitrate');
    const bId = await join(b.page, 'bitrate');
    await Promise.all([waitConnected(a.page, 'bitrate', bId), waitConnected(b.page, 'bitrate', aId)]);
    const status = (page: CorePage['page'], peerId: string) =>
      page.evaluate(async ({ p }) => (await (window as any).t.skylink.getConnectionStatus('bitrate', p))[0], { p: peerId });
    // Baselines: the first report has counters but no interval, hence no bitrate yet.
    const [aFirst, bFirst] = await Promise.all([status(a.page, bId), status(b.page, aId)]);
    expect(aFirst.data.sending).not.toHaveProperty('bitrate');
    expect(bFirst.total.receiving).not.toHaveProperty('bitrate');

    const COUNT = 100;
    const text = 'x'.repeat(1000);
    await a.page.evaluate(
      async ({ p, n, t }) => {
        for (let i = 0; i < n; i += 1) await (window as any).t.skylink.sendP2PMessage('bitrate', { i, t }, p);
      },
      { p: bId, n: COUNT, t: text },
    );
    await b.page.waitForFunction(
      (n) => (window as any).t.events.filter((e: any) => e.name === 'onIncomingMessage' && e.detail.message?.isDataChannel && !e.detail.isSelf).length >= n,
      COUNT,
      { timeout: 20_000 },
    );
    // Chrome may answer getStats from a cache for a few ms: poll until a report with a new timestamp.
    const measured = (page: CorePage['page'], peerId: string, direction: 'sending' | 'receiving') =>
      page.waitForFunction(
        async ({ p, d }) => {
          const [s] = await (window as any).t.skylink.getConnectionStatus('bitrate', p);
          return s.data[d].bitrate !== undefined ? s : false;
        },
        { p: peerId, d: direction },
        { timeout: 10_000, polling: 100 },
      ).then((h) => h.jsonValue());
    const [aStats, bStats] = await Promise.all([measured(a.page, bId, 'sending'), measured(b.page, aId, 'receiving')]);
    expect(aStats.data.sending.bytes).toBeGreaterThanOrEqual(COUNT * text.length);
    expect(aStats.data.sending.messages).toBeGreaterThanOrEqual(COUNT);
    expect(aStats.data.sending.bitrate).toBeGreaterThan(0);
    expect(aStats.total.sending.bitrate).toBeGreaterThan(0);
    expect(aStats.total.sending.bytes).toBeGreaterThan(aStats.data.sending.bytes);
    expect(bStats.data.receiving.bytes).toBeGreaterThanOrEqual(COUNT * text.length);
    expect(bStats.data.receiving.bitrate).toBeGreaterThan(0);
    expect(bStats.total.receiving.bitrate).toBeGreaterThan(0);
    // The 2.x parts are still there next to the additions.
    expect(aStats.selectedCandidatePair.local.ipAddress).toBe('127.0.0.1');
    expect(aStats.audio.sending).toMatchObject({ totalBytes: 0, ssrc: null });
  });

  it('refreshConnection with iceRestart renegotiates new ICE credentials and stays connected', async () => {
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    const aId = await join(a.page, 'restart');
    const bId = await join(b.page, 'restart');
    await Promise.all([waitConnected(a.page, 'restart', bId), waitConnected(b.page, 'restart', aId)]);
    const ufrag = (page: CorePage['page']) =>
      page.evaluate(async ({ p }) => {
        const [s] = await (window as any).t.skylink.getConnectionStatus('restart', p);
        return /a=ice-ufrag:(\S+)/.exec(s.connection.localDescription.sdp)?.[1];
      }, { p: aId });
    const before = await ufrag(b.page);
    const acksBefore = (await pageEvents(a.page, 'handshakeProgress', { roomName: 'restart', state: 'answerAck', peerId: bId })).length;
    const result = await b.page.evaluate(({ p }) => (window as any).t.skylink.refreshConnection('restart', p, true), { p: aId });
    expect(result.listOfPeers).toEqual([aId]);
    expect(result.refreshSettings[aId].iceRestart).toBe(true);
    await a.page.waitForFunction(
      ({ n, p }) => (window as any).t.events.filter((e: any) => e.name === 'handshakeProgress' && e.detail.state === 'answerAck' && e.detail.peerId === p).length > n,
      { n: acksBefore, p: bId },
      { timeout: 20_000 },
    );
    await waitConnected(a.page, 'restart', bId);
    expect(await ufrag(b.page)).not.toBe(before);
    expect(await pageEvents(b.page, 'dataChannelState', { roomName: 'restart', state: 'closed' })).toEqual([]);
  });
});
