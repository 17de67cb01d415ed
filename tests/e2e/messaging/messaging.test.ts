/**
 * Messaging in real Chromium against the project's server: sendMessage (through the server) and
 * sendP2PMessage (over the data channel) broadcast, private and multi-target; encrypted messages only
 * readable by secret holders (never in the server's logs); the authenticated mode and tampering; the
 * persisted history after every sender left and after a server restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser } from 'playwright-core';
import type { ServerLogEntry } from '../../../src/server';
import { join, openCorePage, pageEvents, waitConnected, waitForPageEvent, type CorePage } from '../core/corePages';
import { launchChromium, startSkylinkServer, startStaticServer, type StaticServer, type TestSkylinkServer } from '../rig';
import { call, incomingMessages, installTamperingSocket, must, receivedContents, waitIncoming } from './messagingPages';

jest.setTimeout(180_000);

describe('messaging in real Chromium', () => {
  let browser: Browser;
  let web: StaticServer;
  let server: TestSkylinkServer;
  const serverLogs: ServerLogEntry[] = [];
  const opened: CorePage[] = [];

  beforeAll(async () => {
    [web, server, browser] = await Promise.all([
      startStaticServer(),
      startSkylinkServer({ logLevel: 'debug', logSink: (entry) => serverLogs.push(entry) }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    for (const p of opened.splice(0)) await p.page.context().close();
    await browser?.close();
    await server?.close();
    await web?.close();
  });

  async function open(n: number, roomServer = server.roomServer): Promise<CorePage[]> {
    const pages = await Promise.all(Array.from({ length: n }, () => openCorePage(browser, web, roomServer)));
    opened.push(...pages);
    return pages;
  }

  async function close(pages: CorePage[]): Promise<void> {
    for (const p of pages) {
      opened.splice(opened.indexOf(p), 1);
      await p.page.context().close();
    }
  }

  /** Joins every page to `room` (in order) and waits until all of them are connected to each other. */
  async function joinConnected(pages: CorePage[], room: string): Promise<string[]> {
    const ids: string[] = [];
    for (const p of pages) ids.push(await join(p.page, room));
    await Promise.all(pages.flatMap((p, i) => ids.filter((_, j) => j !== i).map((id) => waitConnected(p.page, room, id))));
    return ids;
  }

  function pageErrors(p: CorePage): string[] {
    return p.logs.filter((l) => l.startsWith('[pageerror]'));
  }

  describe('three peers in one room', () => {
    let a: CorePage;
    let b: CorePage;
    let c: CorePage;
    let aId: string;
    let bId: string;
    let cId: string;
    const room = 'chat';

    beforeAll(async () => {
      [a, b, c] = (await open(3)) as [CorePage, CorePage, CorePage];
      [aId, bId, cId] = (await joinConnected([a, b, c], room)) as [string, string, string];
    });
    afterAll(async () => {
      for (const p of [a, b, c]) expect(pageErrors(p)).toEqual([]);
      await close([a, b, c]);
    });

    it('sendMessage through the server: broadcast, private and multi-target, with the sender copy', async () => {
      await must(a.page, 'sendMessage', room, 'hello everyone');
      const echo = await waitIncoming(a.page, room, 'hello everyone', { isSelf: true });
      expect(echo).toMatchObject({ peerId: aId, message: { isPrivate: false, isDataChannel: false, targetPeerId: null, senderPeerId: aId } });
      expect([...(echo.message.listOfPeers ?? [])].sort()).toEqual([bId, cId].sort());
      for (const [p, id] of [[b, bId], [c, cId]] as const) {
        const got = await waitIncoming(p.page, room, 'hello everyone', { isSelf: false });
        expect(got).toMatchObject({ peerId: aId, message: { isPrivate: false, isDataChannel: false, targetPeerId: id, senderPeerId: aId } });
      }
      await must(b.page, 'sendMessage', room, { poll: 'lunch?', options: ['yes', 'no'] });
      await waitIncoming(c.page, room, { poll: 'lunch?', options: ['yes', 'no'] }, { peerId: bId });

      await must(a.page, 'sendMessage', room, 'only for b', bId);
      expect(await waitIncoming(b.page, room, 'only for b')).toMatchObject({ peerId: aId, message: { isPrivate: true, targetPeerId: bId } });
      expect((await waitIncoming(a.page, room, 'only for b', { isSelf: true })).message).toMatchObject({ isPrivate: true, targetPeerId: bId });
      await must(a.page, 'sendMessage', room, 'for b and c', [bId, cId]);
      expect(await waitIncoming(b.page, room, 'for b and c')).toMatchObject({ message: { isPrivate: true, targetPeerId: bId } });
      expect(await waitIncoming(c.page, room, 'for b and c')).toMatchObject({ message: { isPrivate: true, targetPeerId: cId } });
      await must(a.page, 'sendMessage', room, 'marker 1');
      await waitIncoming(c.page, room, 'marker 1');
      // C never saw the message for B, and got every other one exactly once, in order.
      expect(await receivedContents(c.page, room)).toEqual(['hello everyone', { poll: 'lunch?', options: ['yes', 'no'] }, 'for b and c', 'marker 1']);
      expect((await incomingMessages(c.page, room)).every((d) => !d.message.isDataChannel)).toBe(true);

      expect(await call(a.page, 'sendMessage', room, 'x', 'no-such-peer')).toMatchObject({ ok: false, code: 'PEER_NOT_FOUND' });
      expect(await call(a.page, 'sendMessage', 'no-such-room', 'x')).toMatchObject({ ok: false, code: 'ROOM_NOT_FOUND' });
      expect(await call(a.page, 'sendMessage', room, 'x'.repeat(200 * 1024))).toMatchObject({ ok: false, code: 'MESSAGE_TOO_LARGE' });
    });

    it('sendP2PMessage over the data channel: broadcast, private, multi-target and without a room name', async () => {
      await must(b.page, 'sendP2PMessage', room, { cursor: { x: 10, y: 20 } });
      for (const p of [a, c]) {
        expect(await waitIncoming(p.page, room, { cursor: { x: 10, y: 20 } })).toMatchObject({
          peerId: bId,
          isSelf: false,
          message: { isDataChannel: true, isPrivate: false, targetPeerId: null, senderPeerId: bId },
        });
      }
      expect((await waitIncoming(b.page, room, { cursor: { x: 10, y: 20 } }, { isSelf: true })).message.isDataChannel).toBe(true);
      await must(b.page, 'sendP2PMessage', room, 'p2p for a', aId);
      expect(await waitIncoming(a.page, room, 'p2p for a')).toMatchObject({ message: { isDataChannel: true, isPrivate: true, targetPeerId: aId } });
      await must(b.page, 'sendP2PMessage', room, 'p2p for a and c', [aId, cId]);
      await waitIncoming(a.page, room, 'p2p for a and c', { peerId: bId });
      await waitIncoming(c.page, room, 'p2p for a and c', { peerId: bId });
      // The documented overloads without a room name: every joined room / wherever the target is.
      await must(b.page, 'sendP2PMessage', 'p2p everywhere');
      await must(b.page, 'sendP2PMessage', 'p2p to c anywhere', cId);
      await waitIncoming(a.page, room, 'p2p everywhere');
      await waitIncoming(c.page, room, 'p2p to c anywhere', { peerId: bId });
      const p2pAtC = (await incomingMessages(c.page, room)).filter((d) => d.message.isDataChannel);
      expect(p2pAtC.map((d) => d.message.content)).toEqual([{ cursor: { x: 10, y: 20 } }, 'p2p for a and c', 'p2p everywhere', 'p2p to c anywhere']);
      const p2pAtA = (await incomingMessages(a.page, room)).filter((d) => d.message.isDataChannel);
      expect(p2pAtA.map((d) => d.message.content)).toEqual([{ cursor: { x: 10, y: 20 } }, 'p2p for a', 'p2p for a and c', 'p2p everywhere']);

      expect(await call(b.page, 'sendP2PMessage', room, 'x', 'no-such-peer')).toMatchObject({ ok: false, code: 'PEER_NOT_FOUND' });
      expect(await call(b.page, 'sendP2PMessage', 'no-such-room', 'x', aId)).toMatchObject({ ok: false, code: 'ROOM_NOT_FOUND' });
      expect(await call(b.page, 'sendP2PMessage', room, 'x'.repeat(300 * 1024))).toMatchObject({ ok: false, code: 'MESSAGE_TOO_LARGE' });
    });

    it('encrypted: peers holding the secret read it; a peer without it and the server never see the plaintext', async () => {
      const plaintext = 'the eagle lands at dawn';
      for (const p of [a, b]) await must(p.page, 'setEncryptSecret', room, 'a long shared passphrase', 'k1');
      await must(a.page, 'setSelectedSecret', room, 'k1');
      await waitForPageEvent(a.page, 'encryptSecretsUpdated', { roomName: room, selectedSecretId: 'k1' });
      await must(a.page, 'sendMessage', room, plaintext);
      await must(a.page, 'sendMessage', room, 'a private secret', cId);
      expect(await waitIncoming(b.page, room, plaintext)).toMatchObject({ peerId: aId, message: { secretId: 'k1', encryption: 'compat' } });
      await c.page.waitForFunction(
        (r) => (window as any).t.events.filter((e: any) => e.name === 'onIncomingMessage' && e.detail.roomName === r && e.detail.message.secretId === 'k1').length === 2,
        room,
        { timeout: 20_000 },
      );
      const atC = (await incomingMessages(c.page, room)).filter((d) => d.message.secretId === 'k1');
      expect(atC).toHaveLength(2);
      for (const d of atC) {
        expect(d).toMatchObject({ peerId: aId, isSelf: false, message: { content: null, error: { code: 'SECRET_NOT_FOUND' } } });
      }
      // What reached C on the wire is the 2.x ciphertext.
      const raw = await pageEvents(c.page, 'channelMessage');
      const wire = raw.map((e) => (typeof e.detail.message === 'string' ? JSON.parse(e.detail.message) : e.detail.message)).filter((m) => m.type === 'message' && m.secretId === 'k1');
      expect(wire).toHaveLength(2);
      for (const m of wire) expect(m.data).toMatch(/^U2FsdGVkX1/);
      const cEverything = JSON.stringify(await c.page.evaluate(() => (window as any).t.events)) + c.logs.join('\n');
      expect(cEverything).not.toContain(plaintext);
      expect(cEverything).not.toContain('a private secret');
      // The server's log (debug level, every entry captured) never contains the plaintext or the secret.
      expect(serverLogs.length).toBeGreaterThan(0);
      const logText = JSON.stringify(serverLogs);
      expect(logText).not.toContain(plaintext);
      expect(logText).not.toContain('a private secret');
      expect(logText).not.toContain('a long shared passphrase');
      // C gets the secret later: new messages become readable.
      await must(c.page, 'setEncryptSecret', room, 'a long shared passphrase', 'k1');
      await must(a.page, 'sendMessage', room, 'now you can read it');
      expect((await waitIncoming(c.page, room, 'now you can read it')).message.encryption).toBe('compat');
      await must(a.page, 'setSelectedSecret', room, '');
    });
  });

  it('authenticated mode: round trip between holders, and a tampered message is rejected', async () => {
    const room = 'auth';
    const [a, b] = (await open(2)) as [CorePage, CorePage];
    await installTamperingSocket(b.page);
    const [aId] = (await joinConnected([a, b], room)) as [string, string];
    for (const p of [a, b]) {
      await must(p.page, 'setEncryptSecret', room, 'rotate me later', 'k1');
      await must(p.page, 'setEncryptionMode', room, 'authenticated');
    }
    expect(await must(a.page, 'getEncryptionMode', room)).toBe('authenticated');
    await must(a.page, 'setSelectedSecret', room, 'k1');
    await must(a.page, 'sendMessage', room, { text: 'signed and sealed', n: 1 });
    expect(await waitIncoming(b.page, room, { text: 'signed and sealed', n: 1 })).toMatchObject({
      peerId: aId,
      message: { secretId: 'k1', encryption: 'authenticated' },
    });
    // A hostile relay flips one ciphertext character: B reports DECRYPT_FAILED, never altered content.
    await b.page.evaluate(() => ((window as any).tamper.on = true));
    await must(a.page, 'sendMessage', room, 'tampered in transit');
    const rejected = await b.page.waitForFunction(
      (r) =>
        (window as any).t.events.find((e: any) => e.name === 'onIncomingMessage' && e.detail.roomName === r && e.detail.message.error)?.detail ?? false,
      room,
      { timeout: 20_000 },
    );
    const detail = (await rejected.jsonValue()) as { peerId: string; message: { content: unknown; error: { code: string } } };
    expect(detail).toMatchObject({ peerId: aId, message: { content: null, error: { code: 'DECRYPT_FAILED' } } });
    expect(await b.page.evaluate(() => (window as any).tamper.count)).toBe(1);
    await b.page.evaluate(() => ((window as any).tamper.on = false));
    // Key rotation: a new id on both sides; B still reads.
    for (const p of [a, b]) await must(p.page, 'setEncryptSecret', room, 'the next secret', 'k2');
    await must(a.page, 'setSelectedSecret', room, 'k2');
    await must(a.page, 'sendMessage', room, 'after rotation');
    expect((await waitIncoming(b.page, room, 'after rotation')).message).toMatchObject({ secretId: 'k2', encryption: 'authenticated' });
    expect(await receivedContents(b.page, room)).toEqual([{ text: 'signed and sealed', n: 1 }, null, 'after rotation']);
    await close([a, b]);
  });

  it('persisted history: returned after every sender left and after the server restarts', async () => {
    const dir = mkdtempSync(joinPath(tmpdir(), 'skylink-history-'));
    const config = {
      storage: { kind: 'file' as const, path: joinPath(dir, 'messages.jsonl') },
      apps: { 'e2e-app': { hasPersistentMessage: true } },
      logLevel: 'debug' as const,
      logSink: (entry: ServerLogEntry) => serverLogs.push(entry),
    };
    let store = await startSkylinkServer(config);
    try {
      const room = 'history';
      const secret = 'history passphrase';
      const [a, b] = (await open(2, store.roomServer)) as [CorePage, CorePage];
      const [aId, bId] = (await joinConnected([a, b], room)) as [string, string];
      expect(await must(a.page, 'getMessagePersistence', room)).toBe(true);
      expect(await call(a.page, 'sendMessage', room, 'not encrypted')).toMatchObject({ ok: false, code: 'INVALID_STATE' });
      for (const p of [a, b]) {
        await must(p.page, 'setEncryptSecret', room, secret, 'h1');
        await must(p.page, 'setSelectedSecret', room, 'h1');
      }
      const sent: Array<[CorePage, string]> = [[a, 'first'], [b, 'second'], [a, 'third']];
      for (const [p, text] of sent) {
        await must(p.page, 'sendMessage', room, text);
        await waitIncoming((p === a ? b : a).page, room, text);
      }
      await must(a.page, 'sendMessage', room, 'private, never stored', bId);
      await waitIncoming(b.page, room, 'private, never stored');
      await close([a, b]);

      // Every sender has left: a newcomer holding the secret reads the history, in order.
      const expected = [
        ['first', aId],
        ['second', bId],
        ['third', aId],
      ];
      const readHistory = async (roomServer: string): Promise<CorePage> => {
        const [reader] = (await open(1, roomServer)) as [CorePage];
        await join(reader.page, room);
        await must(reader.page, 'setEncryptSecret', room, secret, 'h1');
        const history = (await must(reader.page, 'getStoredMessages', room)) as Array<{ content: unknown; senderPeerId: string; isPrivate: boolean }>;
        expect(history.map((m) => [m.content, m.senderPeerId])).toEqual(expected);
        expect(history.every((m) => m.isPrivate === false)).toBe(true);
        const event = await waitForPageEvent(reader.page, 'storedMessages', { roomName: room, isSelf: true });
        expect((event.detail.storedMessages as Array<{ content: unknown }>).map((m) => m.content)).toEqual(['first', 'second', 'third']);
        return reader;
      };
      const reader = await readHistory(store.roomServer);
      // A newcomer without the secret gets every item with an error, in place, never the plaintext.
      const [stranger] = (await open(1, store.roomServer)) as [CorePage];
      await join(stranger.page, room);
      const blind = (await must(stranger.page, 'getStoredMessages', room)) as Array<{ content: unknown; error?: { code: string } }>;
      expect(blind.map((m) => [m.content, m.error?.code])).toEqual([
        [null, 'SECRET_NOT_FOUND'],
        [null, 'SECRET_NOT_FOUND'],
        [null, 'SECRET_NOT_FOUND'],
      ]);
      await close([reader, stranger]);

      // The server restarts on the same port with the same file: the history is still there.
      const port = store.port;
      await store.close();
      store = await startSkylinkServer({ ...config, port });
      await close([await readHistory(store.roomServer)]);
      const logText = JSON.stringify(serverLogs);
      for (const [text] of expected) expect(logText).not.toContain(`"${text}"`);
      expect(logText).not.toContain(secret);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
