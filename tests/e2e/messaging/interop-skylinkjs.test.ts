/**
 * Encrypted sendMessage between the original skylinkjs 2.7.2 (tests/e2e/pages/skylinkjs.html) and this
 * SDK, both directions, through the project's server: both register the same secret under the same id,
 * the sender selects it, and the receiver reads the plaintext while the wire carries the 2.x ciphertext.
 * P2P messages over the 2.x `main` data channel too.
 */
import type { Browser, Page } from 'playwright-core';
import { join, openCorePage, pageEvents, waitConnected, type CorePage } from '../core/corePages';
import { launchChromium, openLegacyPage, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import { must, waitIncoming } from './messagingPages';

jest.setTimeout(120_000);

const ROOM = 'interop-chat';
const SECRET = 'shared by 2.x and us';

interface LegacyMessage {
  peerId: string;
  isSelf: boolean;
  message: { content: unknown; isPrivate: boolean; isDataChannel: boolean; senderPeerId: string; targetPeerId: unknown };
}

/** Waits for the 2.7.2 page's ON_INCOMING_MESSAGE with this content. */
async function legacyIncoming(page: Page, content: unknown): Promise<LegacyMessage> {
  const handle = await page.waitForFunction(
    (c) => (window as any).t.events.find((e: any) => e.name === 'onIncomingMessage' && JSON.stringify(e.detail?.message?.content) === c)?.detail ?? false,
    JSON.stringify(content),
    { timeout: 20_000 },
  );
  return (await handle.jsonValue()) as LegacyMessage;
}

/** Calls a 2.7.2 method (some return promises, some values, some throw). */
async function legacy(page: Page, method: string, ...args: unknown[]): Promise<void> {
  await page.evaluate(
    ({ m, a }) => Promise.resolve((window as any).t.skylink[m](...a)),
    { m: method, a: args },
  );
}

describe('encrypted messages between skylinkjs 2.7.2 and this SDK', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  let old: Page;
  let ours: CorePage;
  let oldId: string;
  let oursId: string;

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([startStaticServer(), startSkylinkServer(), launchChromium()]);
    ({ page: old } = await openLegacyPage(browser, web, server.roomServer, {
      defaultRoom: 'interop',
      events: ['peerJoined', 'onIncomingMessage', 'encryptSecretsUpdated', 'dataChannelState'],
    }));
    ours = await openCorePage(browser, web, server.roomServer);
    await old.evaluate((r) => (window as any).t.skylink.joinRoom({ roomName: r }), ROOM);
    const joined = await old.waitForFunction(
      () => (window as any).t.events.find((e: any) => e.name === 'peerJoined' && e.detail.isSelf)?.detail.peerId ?? false,
      null,
      { timeout: 20_000 },
    );
    oldId = (await joined.jsonValue()) as string;
    oursId = await join(ours.page, ROOM);
    await waitConnected(ours.page, ROOM, oldId, 30_000);
    await old.waitForFunction((p) => (window as any).t.events.some((e: any) => e.name === 'peerJoined' && e.detail.peerId === p), oursId, {
      timeout: 20_000,
    });
    await legacy(old, 'setEncryptSecret', ROOM, SECRET, 'shared-id');
    await must(ours.page, 'setEncryptSecret', ROOM, SECRET, 'shared-id');
  });
  afterAll(async () => {
    await old?.context().close();
    await ours?.page.context().close();
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  it('skylinkjs 2.7.2 → this SDK: broadcast and private messages are decrypted', async () => {
    await legacy(old, 'setSelectedSecret', ROOM, 'shared-id');
    await legacy(old, 'sendMessage', ROOM, 'hello from 2.7.2');
    await legacy(old, 'sendMessage', ROOM, 'private from 2.7.2', oursId);
    expect(await waitIncoming(ours.page, ROOM, 'hello from 2.7.2')).toMatchObject({
      peerId: oldId,
      isSelf: false,
      message: { isPrivate: false, isDataChannel: false, senderPeerId: oldId, secretId: 'shared-id', encryption: 'compat' },
    });
    expect(await waitIncoming(ours.page, ROOM, 'private from 2.7.2')).toMatchObject({
      peerId: oldId,
      message: { isPrivate: true, targetPeerId: oursId, secretId: 'shared-id', encryption: 'compat' },
    });
    // It really was encrypted on the wire.
    const wire = (await pageEvents(ours.page, 'channelMessage'))
      .map((e) => (typeof e.detail.message === 'string' ? JSON.parse(e.detail.message) : e.detail.message))
      .filter((m) => m.type === 'message' && m.mid === oldId);
    expect(wire).toHaveLength(2);
    for (const m of wire) {
      expect(m).toMatchObject({ secretId: 'shared-id', data: expect.stringMatching(/^U2FsdGVkX1/) });
      expect(JSON.stringify(m)).not.toContain('from 2.7.2');
    }
    await legacy(old, 'setSelectedSecret', ROOM, '');
  });

  it('this SDK → skylinkjs 2.7.2: broadcast and private messages are decrypted', async () => {
    await must(ours.page, 'setSelectedSecret', ROOM, 'shared-id');
    await must(ours.page, 'sendMessage', ROOM, 'hello from the new SDK');
    await must(ours.page, 'sendMessage', ROOM, 'private from the new SDK', oldId);
    expect(await legacyIncoming(old, 'hello from the new SDK')).toMatchObject({
      peerId: oursId,
      isSelf: false,
      message: { isPrivate: false, isDataChannel: false, senderPeerId: oursId },
    });
    expect(await legacyIncoming(old, 'private from the new SDK')).toMatchObject({
      peerId: oursId,
      message: { isPrivate: true, senderPeerId: oursId },
    });
    // Our own copies say how they went out.
    expect((await waitIncoming(ours.page, ROOM, 'hello from the new SDK', { isSelf: true })).message).toMatchObject({
      secretId: 'shared-id',
      encryption: 'compat',
    });
  });

  it('sendP2PMessage over the 2.x main data channel, both directions', async () => {
    await old.waitForFunction((p) => (window as any).t.events.some((e: any) => e.name === 'dataChannelState' && e.detail.peerId === p && e.detail.state === 'open'), oursId, {
      timeout: 20_000,
    });
    await legacy(old, 'sendP2PMessage', ROOM, { from: '2.7.2', n: [1, 2] });
    expect(await waitIncoming(ours.page, ROOM, { from: '2.7.2', n: [1, 2] })).toMatchObject({
      peerId: oldId,
      message: { isDataChannel: true, isPrivate: false, senderPeerId: oldId },
    });
    await must(ours.page, 'sendP2PMessage', ROOM, { from: 'new SDK' }, oldId);
    expect(await legacyIncoming(old, { from: 'new SDK' })).toMatchObject({
      peerId: oursId,
      message: { isDataChannel: true, isPrivate: true, senderPeerId: oursId },
    });
  });
});
