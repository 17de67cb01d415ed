/**
 * Blob transfers between the original skylinkjs 2.7.2 (tests/e2e/pages/skylinkjs.html) and this SDK,
 * in real Chromium through the project's server: both directions byte-identical (SHA-256 in both
 * pages), in the 2.x wire mode (base64 chunks, one ACK per chunk), with the 2.x states on both sides.
 */
import type { Browser, Page } from 'playwright-core';
import { join, openCorePage, waitConnected, type CorePage } from '../core/corePages';
import { launchChromium, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import {
  addTrigger,
  expectMonotonicProgress,
  firedTriggers,
  installTransferKit,
  kitErrors,
  logLength,
  makeBlob,
  openLegacyDataPage,
  sendBlob,
  statesOf,
  transferLog,
  uploadId,
  waitDownload,
  waitRequest,
  waitState,
} from './dataPages';

jest.setTimeout(240_000);

const ROOM = 'interop-files';
const MiB = 1024 * 1024;

describe('blob transfers between skylinkjs 2.7.2 and this SDK', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  let old: { page: Page; logs: string[]; peerId: string };
  let ours: CorePage;
  let oursId: string;

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium()]);
    old = await openLegacyDataPage(browser, web, server.roomServer, ROOM);
    ours = await openCorePage(browser, web, server.roomServer);
    await installTransferKit(ours.page);
    oursId = await join(ours.page, ROOM);
    await waitConnected(ours.page, ROOM, old.peerId, 30_000);
    await old.page.waitForFunction(
      (p) => (window as any).dt.log.some((e: any) => e.name === 'dataChannelState' && e.peerId === p && e.state === 'open'),
      oursId,
      { timeout: 30_000 },
    );
  });
  afterAll(async () => {
    expect(await kitErrors(old.page)).toEqual([]);
    expect(await kitErrors(ours.page)).toEqual([]);
    expect(ours.logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  it.each([
    ['1 MiB', MiB],
    ['49153 B (k*49152+1: the last byte is sent)', 49153],
    ['1 B', 1],
  ])('this SDK → 2.7.2: %s arrives byte-identical in the 2.x wire mode', async (_label, size) => {
    const made = await makeBlob(ours.page, 'to-old', size, size);
    const from = await logLength(ours.page);
    const sent = await sendBlob(ours.page, ROOM, 'to-old', old.peerId);
    const transferId = await uploadId(ours.page, from);
    expect(sent.value).toEqual([
      { [old.peerId]: { success: expect.objectContaining({ originalSize: size, percentage: 100, chunkType: 'binaryString' }), transferType: 'upload' } },
    ]);
    const got = await waitDownload(old.page, transferId);
    expect(got).toMatchObject({ size, sha256: made.sha256 });
    const tx = await statesOf(ours.page, transferId);
    expect(tx.slice(0, 2)).toEqual(['userRequest', 'uploadStarted']);
    expect(tx.at(-1)).toBe('uploadCompleted');
    expect(tx.slice(2, -1).every((s) => s === 'uploading')).toBe(true);
    expect(tx.filter((s) => s === 'uploading')).toHaveLength(Math.ceil(size / 49152)); // one per chunk, as 2.x
    const rx = await statesOf(old.page, transferId);
    expect(rx[0]).toBe('request');
    expect(rx).toContain('downloadStarted');
    expect(rx.at(-1)).toBe('downloadCompleted');
    expectMonotonicProgress(await transferLog(ours.page, { transferId }));
    // 2.x mode: no dedicated channel was opened.
    expect((await transferLog(ours.page, { name: 'dataChannelState', after: from })).some((e) => String((e as any).channelName).startsWith('skylink-dt:'))).toBe(
      false,
    );
  });

  it.each([
    ['1 MiB', MiB],
    ['100000 B', 100_000],
  ])('2.7.2 → this SDK: %s arrives byte-identical', async (_label, size) => {
    const made = await makeBlob(old.page, 'to-ours', size, size + 1);
    const from = await logLength(ours.page);
    const sent = await sendBlob(old.page, ROOM, 'to-ours', oursId);
    expect(sent.ok).toBe(true);
    const transferId = await waitRequest(ours.page, old.peerId, from);
    const got = await waitDownload(ours.page, transferId);
    expect(got).toMatchObject({ size, sha256: made.sha256, peerId: old.peerId });
    const rx = await statesOf(ours.page, transferId);
    expect(rx.slice(0, 2)).toEqual(['request', 'downloadStarted']);
    expect(rx.at(-1)).toBe('downloadCompleted');
    expect(rx.slice(2, -1).every((s) => s === 'downloading')).toBe(true);
    expectMonotonicProgress(await transferLog(ours.page, { transferId }));
    const incoming = await transferLog(ours.page, { transferId, name: 'onIncomingData' });
    expect(incoming).toEqual([expect.objectContaining({ isSelf: false, peerId: old.peerId, roomName: ROOM, size, chunkType: 'binaryString' })]);
    expect((await waitState(old.page, transferId, 'uploadCompleted')).percentage).toBe(100);
    expect(sent.value[0][oursId]).toHaveProperty('success');
  });

  it('P2P messages sent during a 2.x-mode transfer (same main channel) arrive exactly once, both ways', async () => {
    const toOurs = { from: '2.7.2', during: 'upload' };
    const toOld = { from: 'this SDK', during: 'upload' };
    await addTrigger(old.page, { state: 'uploading', minPct: 20, action: { kind: 'p2p', content: toOurs } });
    await addTrigger(ours.page, { state: 'uploading', minPct: 20, action: { kind: 'p2p', content: toOld } });
    const [fromOld, fromOurs] = await Promise.all([makeBlob(old.page, 'chat-old', MiB, 91), makeBlob(ours.page, 'chat-ours', MiB, 92)]);
    const oursFrom = await logLength(ours.page);
    const oldSent = await sendBlob(old.page, ROOM, 'chat-old', oursId);
    const inbound = await waitRequest(ours.page, old.peerId, oursFrom);
    expect((await waitDownload(ours.page, inbound)).sha256).toBe(fromOld.sha256);
    expect(oldSent.value[0][oursId]).toHaveProperty('success');
    const sendFrom = await logLength(ours.page);
    const oursSent = await sendBlob(ours.page, ROOM, 'chat-ours', old.peerId);
    const outbound = await uploadId(ours.page, sendFrom);
    expect(oursSent.value[0][old.peerId]).toHaveProperty('success');
    expect((await waitDownload(old.page, outbound)).sha256).toBe(fromOurs.sha256);
    for (const [page, content] of [[ours.page, toOurs], [old.page, toOld]] as const) {
      await page.waitForFunction((c) => (window as any).dt.log.some((e: any) => e.name === 'onIncomingMessage' && JSON.stringify(e.content) === c), JSON.stringify(content), {
        timeout: 30_000,
      });
      // One more message after it: anything queued twice would have arrived by then.
      const marker = { marker: content.from };
      if (page === ours.page) await old.page.evaluate(({ r, m, p }) => (window as any).t.skylink.sendP2PMessage(r, m, p), { r: ROOM, m: marker, p: oursId });
      else await ours.page.evaluate(({ r, m, p }) => (window as any).t.skylink.sendP2PMessage(r, m, p), { r: ROOM, m: marker, p: old.peerId });
      await page.waitForFunction((c) => (window as any).dt.log.some((e: any) => e.name === 'onIncomingMessage' && JSON.stringify(e.content) === c), JSON.stringify(marker), {
        timeout: 30_000,
      });
      const got = (await transferLog(page, { name: 'onIncomingMessage' })).filter((e) => JSON.stringify(e.content) === JSON.stringify(content));
      expect(got).toHaveLength(1);
    }
    // The messages really left mid-transfer.
    for (const page of [old.page, ours.page]) expect((await firedTriggers(page)).some((f) => f.startsWith('p2p@'))).toBe(true);
  });

  it("2.7.2's k*49152+1 bug (it never sends the last byte): ERROR after its timeout, never a truncated Blob", async () => {
    await makeBlob(old.page, 'truncated', 49153, 5);
    const from = await logLength(ours.page);
    const sent = await sendBlob(old.page, ROOM, 'truncated', oursId, 2); // timeout 2 s
    // 2.7.2 believes it is done: it sent one 49152-byte chunk and got its ACK.
    expect(sent.value[0][oursId].success).toMatchObject({ originalSize: 49153, data: { blobSize: 49152 } });
    const transferId = await waitRequest(ours.page, old.peerId, from);
    const end = await waitState(ours.page, transferId, 'error', 30_000);
    expect(end.error).toBe('Data transfer connection timed out - Longer than 2');
    expect(end.percentage).toBeLessThan(100);
    expect(await transferLog(ours.page, { transferId, name: 'onIncomingData' })).toEqual([]);
  });

  it('this SDK rejects a 2.7.2 request: the 2.7.2 sender sees REJECTED', async () => {
    await ours.page.evaluate(() => ((window as any).dt.policy = 'reject'));
    try {
      await makeBlob(old.page, 'refused', 5000, 77);
      const from = await logLength(ours.page);
      const oldFrom = await logLength(old.page);
      await old.page.evaluate(
        ({ r, p }) => {
          const dt = (window as any).dt;
          void dt.send(r, 'refused', p);
        },
        { r: ROOM, p: oursId },
      );
      const transferId = await waitRequest(ours.page, old.peerId, from);
      await waitState(ours.page, transferId, 'userRejected');
      await old.page.waitForFunction(
        ({ id, n }) => (window as any).dt.log.slice(n).some((e: any) => e.transferId === id && e.state === 'rejected'),
        { id: transferId, n: oldFrom },
        { timeout: 30_000 },
      );
      expect(await statesOf(ours.page, transferId)).toEqual(['request', 'userRejected']);
    } finally {
      await ours.page.evaluate(() => ((window as any).dt.policy = 'accept'));
    }
  });
});
