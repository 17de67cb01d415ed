/**
 * @jest-environment node
 */
// Node environment: the authenticated mode needs WebCrypto (crypto.subtle), which jsdom lacks. The fakes
// need nothing from jsdom.
import AES from 'crypto-js/aes';
import Skylink from '../../../src/Skylink';
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import type { IncomingMessageDetail } from '../../../src/events/eventDetails';
import { SkylinkErrorCode } from '../../../src/errors';
import { SkylinkLogger } from '../../../src/logger';
import type { HttpResponseLike } from '../../../src/platform/SkylinkPlatform';
import { FakeNetwork, type FakeDataChannel } from '../../fakes/FakePeerConnection';
import { FakeSignalingServer, type FakeSocket } from '../../fakes/FakeSignalingServer';
import { createFakePlatform, type FakePlatform } from '../../fakes/fakePlatform';
import { subscribeToEvents, waitForEvent, type EventSubscription } from '../../helpers/waitForEvent';
import { selfId } from '../../helpers/selfId';

interface Client {
  skylink: Skylink;
  events: SkylinkEventManagerClass;
  platform: FakePlatform;
  sub: EventSubscription;
}

const RID = 'rk_lobby';

function makeClient(
  server: FakeSignalingServer,
  network: FakeNetwork,
  opts: { persistent?: boolean; enableDataChannel?: boolean } = {},
): Client {
  const events = new SkylinkEventManagerClass();
  const fetch = opts.persistent
    ? async (url: string, init?: Parameters<FakeSignalingServer['fetch']>[1]): Promise<HttpResponseLike> => {
        const response = await server.fetch(url, init);
        const body = (await response.json()) as Record<string, unknown>;
        return { ...response, json: async () => ({ ...body, hasPersistentMessage: true }) };
      }
    : undefined;
  const platform = createFakePlatform({ server, network, ...(fetch ? { fetch } : {}) });
  const skylink = new Skylink(
    { appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false, enableDataChannel: opts.enableDataChannel ?? true },
    { eventManager: events, platform },
  );
  const sub = subscribeToEvents(events, ['onIncomingMessage', 'storedMessages', 'encryptSecretsUpdated', 'persistentMessageState', 'dataChannelState']);
  return { skylink, events, platform, sub };
}

/** Joins every client to `room` in order and waits until every pair has its main channel open. */
async function joinAll(clients: Client[], room = 'lobby'): Promise<string[]> {
  const ids: string[] = [];
  for (const c of clients) {
    await c.skylink.joinRoom({ roomName: room });
    ids.push(selfId(c, room));
  }
  await Promise.all(
    clients.flatMap((c, i) =>
      ids
        .filter((_, j) => j !== i)
        .map((peerId) => c.sub.waitFor('dataChannelState', (d) => d.roomName === room && d.peerId === peerId && d.state === 'open')),
    ),
  );
  return ids;
}

function incoming(c: Client, predicate: (d: IncomingMessageDetail) => boolean = () => true): Promise<IncomingMessageDetail> {
  return c.sub.waitFor('onIncomingMessage', predicate);
}

function socketOf(c: Client): FakeSocket {
  return c.platform.sockets[0] as FakeSocket;
}

/** Delivers a raw server message to a client, as if the server had relayed it. */
function inject(c: Client, message: Record<string, unknown>): void {
  socketOf(c).fire('message', JSON.stringify(message));
}

function chatSent(server: FakeSignalingServer, from = 0): Array<Record<string, unknown>> {
  return server.received.slice(from).map((r) => r.message).filter((m) => m.type === 'message');
}

/** A's main channel to the client whose platform is `other`. */
function mainChannel(a: Client, other: Client): FakeDataChannel {
  const channel = a.platform.peerConnections
    .flatMap((pc) => pc.channels)
    .find((ch) => ch.readyState === 'open' && other.platform.peerConnections.includes(ch.counterpart?.owner as never));
  if (!channel) throw new Error('no open main channel');
  return channel;
}

describe('RoomMessaging through the Skylink facade (fakes)', () => {
  let server: FakeSignalingServer;
  let network: FakeNetwork;
  const clients: Client[] = [];
  const client = (opts?: Parameters<typeof makeClient>[2]): Client => {
    const c = makeClient(server, network, opts);
    clients.push(c);
    return c;
  };

  // The fake server relays getStoredMessages back to its `target` (ourselves), which the client's guard
  // drops with a warning; the project's server answers it instead.
  beforeAll(() => SkylinkLogger.setLevel('ERROR'));
  afterAll(() => SkylinkLogger.setLevel('WARN'));
  beforeEach(() => {
    server = new FakeSignalingServer();
    network = new FakeNetwork();
  });
  afterEach(async () => {
    jest.useRealTimers();
    for (const c of clients.splice(0)) {
      await c.skylink.leaveAllRooms();
      c.sub.unsubscribe();
    }
    server.close();
  });

  describe('sendMessage (signaling)', () => {
    it('broadcasts strings and JSON to every peer once; the sender gets its own copy', async () => {
      const [a, b, c] = [client(), client(), client()];
      const [aId, bId, cId] = (await joinAll([a, b, c])) as [string, string, string];
      const from = server.received.length;
      await a.skylink.sendMessage('lobby', 'hello all');
      const echo = await incoming(a);
      expect(echo).toMatchObject({
        isSelf: true,
        peerId: aId,
        roomName: 'lobby',
        room: { roomName: 'lobby', inRoom: true },
        message: { content: 'hello all', isPrivate: false, isDataChannel: false, targetPeerId: null, senderPeerId: aId, encryption: 'none' },
      });
      expect([...(echo.message.listOfPeers ?? [])].sort()).toEqual([bId, cId].sort());
      for (const [rx, id] of [[b, bId], [c, cId]] as const) {
        const got = await incoming(rx);
        expect(got).toMatchObject({
          isSelf: false,
          peerId: aId,
          roomName: 'lobby',
          message: { content: 'hello all', isPrivate: false, isDataChannel: false, targetPeerId: id, senderPeerId: aId },
        });
        expect(got.peerInfo.room.roomName).toBe('lobby');
        expect(typeof got.message.timeStamp).toBe('string');
      }
      const wire = chatSent(server, from);
      expect(wire).toHaveLength(1);
      expect(wire[0]).toMatchObject({ type: 'message', data: 'hello all', mid: aId, rid: RID, roomSessionId: 'session_lobby', peerSessionId: '' });
      expect(wire[0]).not.toHaveProperty('target');
      expect(wire[0]).not.toHaveProperty('secretId');

      await b.skylink.sendMessage('lobby', { kind: 'poll', options: [1, 2] });
      expect((await incoming(a, (d) => !d.isSelf)).message.content).toEqual({ kind: 'poll', options: [1, 2] });
      expect((await incoming(c, (d) => !d.isSelf)).message.content).toEqual({ kind: 'poll', options: [1, 2] });
      // Nothing else arrived (exactly once).
      expect(b.sub.buffered('onIncomingMessage').filter((d) => !d.isSelf)).toEqual([]);
      expect(c.sub.buffered('onIncomingMessage')).toEqual([]);
    });

    it('sends private messages to one or several peers only; unknown targets are refused before sending', async () => {
      const [a, b, c] = [client(), client(), client()];
      const [aId, bId, cId] = (await joinAll([a, b, c])) as [string, string, string];
      await a.skylink.sendMessage('lobby', 'psst', bId);
      expect(await incoming(a)).toMatchObject({ isSelf: true, message: { isPrivate: true, targetPeerId: bId, listOfPeers: [bId] } });
      expect(await incoming(b)).toMatchObject({ peerId: aId, message: { content: 'psst', isPrivate: true, targetPeerId: bId } });
      // C got nothing: the next message C receives is the broadcast marker.
      await a.skylink.sendMessage('lobby', 'marker');
      expect((await incoming(c)).message.content).toBe('marker');

      const from = server.received.length;
      await a.skylink.sendMessage('lobby', 'to both', [bId, cId]);
      const wire = chatSent(server, from);
      expect(wire.map((m) => m.target)).toEqual([bId, cId]);
      expect(wire[0]?.msgId).toBe(wire[1]?.msgId);
      expect(await incoming(b, (d) => d.message.content === 'to both')).toMatchObject({ message: { isPrivate: true, targetPeerId: bId } });
      expect(await incoming(c, (d) => d.message.content === 'to both')).toMatchObject({ message: { isPrivate: true, targetPeerId: cId } });

      const before = server.received.length;
      await expect(a.skylink.sendMessage('lobby', 'x', [bId, 'ghost'])).rejects.toMatchObject({
        code: SkylinkErrorCode.PEER_NOT_FOUND,
        peerId: 'ghost',
        roomName: 'lobby',
      });
      await expect(a.skylink.sendMessage('nowhere', 'x')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
      await expect(a.skylink.sendMessage('lobby', undefined)).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_ARGUMENT });
      await expect(a.skylink.sendMessage('lobby', 'x'.repeat(200 * 1024))).rejects.toMatchObject({ code: SkylinkErrorCode.MESSAGE_TOO_LARGE });
      expect(chatSent(server, before)).toEqual([]);
    });

    it('peerSessionId replaces our id as the sender seen by receivers', async () => {
      const [a, b] = [client(), client()];
      const [aId] = (await joinAll([a, b])) as [string, string];
      await a.skylink.sendMessage('lobby', 'hi', undefined, 'session-42');
      expect(await incoming(b)).toMatchObject({ peerId: aId, message: { senderPeerId: 'session-42' } });
      expect(await incoming(a)).toMatchObject({ isSelf: true, message: { senderPeerId: 'session-42' } });
    });

    it('handles legacy public/private messages, and messages from a peer not known yet', async () => {
      const [a, b] = [client(), client()];
      const [aId, bId] = (await joinAll([a, b])) as [string, string];
      inject(b, { type: 'public', mid: aId, rid: RID, data: 'old public', cid: 'x' });
      inject(b, { type: 'private', mid: aId, rid: RID, target: bId, data: 'old private', cid: 'x' });
      inject(b, { type: 'message', mid: 'ghost', rid: RID, data: 'from nobody' });
      inject(b, { type: 'message', mid: aId, rid: RID, data: 'last' });
      expect(await incoming(b)).toMatchObject({ peerId: aId, message: { content: 'old public', isPrivate: false } });
      expect(await incoming(b)).toMatchObject({ peerId: aId, message: { content: 'old private', isPrivate: true } });
      // A member whose welcome has not arrived yet: delivered, with a placeholder peerInfo.
      const early = await incoming(b);
      expect(early).toMatchObject({ peerId: 'ghost', message: { content: 'from nobody', senderPeerId: 'ghost' } });
      expect(early.peerInfo).toMatchObject({ userData: null, room: { roomName: 'lobby' } });
      expect((await incoming(b)).message.content).toBe('last');
    });
  });

  describe('encryption', () => {
    it('encrypts with the selected secret: holders read it, others get an error, never the plaintext', async () => {
      const [a, b, c, d] = [client(), client(), client(), client()];
      const [aId] = (await joinAll([a, b, c, d])) as [string, string, string, string];
      await a.skylink.setEncryptSecret('lobby', 'correct horse', 'k1');
      await b.skylink.setEncryptSecret('lobby', 'correct horse', 'k1');
      await d.skylink.setEncryptSecret('lobby', 'wrong horse', 'k1');
      expect(await a.sub.waitFor('encryptSecretsUpdated')).toMatchObject({
        encryptSecrets: { k1: 'correct horse' },
        selectedSecretId: '',
        peerId: aId,
        roomName: 'lobby',
        room: { roomName: 'lobby' },
      });
      await a.skylink.setSelectedSecret('lobby', 'k1');
      expect(await a.sub.waitFor('encryptSecretsUpdated')).toMatchObject({ selectedSecretId: 'k1', roomName: 'lobby' });
      expect(a.skylink.getSelectedSecret('lobby')).toBe('k1');
      const from = server.received.length;
      await a.skylink.sendMessage('lobby', 'top secret');
      expect(await incoming(a)).toMatchObject({ isSelf: true, message: { content: 'top secret', secretId: 'k1', encryption: 'compat' } });
      expect(await incoming(b)).toMatchObject({ message: { content: 'top secret', secretId: 'k1', encryption: 'compat' } });
      const missing = await incoming(c);
      expect(missing.message).toMatchObject({ content: null, secretId: 'k1' });
      expect(missing.message.error).toMatchObject({ code: SkylinkErrorCode.SECRET_NOT_FOUND });
      const wrong = await incoming(d);
      expect(wrong.message.content).toBeNull();
      expect(wrong.message.error).toMatchObject({ code: SkylinkErrorCode.DECRYPT_FAILED });
      const wire = chatSent(server, from);
      expect(wire[0]).toMatchObject({ secretId: 'k1', data: expect.stringMatching(/^U2FsdGVkX1/) });
      expect(JSON.stringify(server.received.slice(from).map((r) => r.message))).not.toContain('top secret');
      // '' turns encryption off again.
      await a.skylink.setSelectedSecret('lobby', '');
      await a.skylink.sendMessage('lobby', 'clear');
      expect(await incoming(c)).toMatchObject({ message: { content: 'clear', encryption: 'none' } });
    });

    it('keeps the 2.x validation and errors of the secret API', async () => {
      const a = client();
      await joinAll([a]);
      await expect(a.skylink.setEncryptSecret('lobby', '', 'k')).rejects.toMatchObject({
        code: SkylinkErrorCode.INVALID_ARGUMENT,
        message: 'Failed setting secret - Secret and / or secret id not provided',
      });
      await expect(a.skylink.setEncryptSecret('lobby', 5 as unknown as string, 'k')).rejects.toMatchObject({
        message: 'Failed setting secret - Secret and secret id must be of type string and not empty',
      });
      await a.skylink.setEncryptSecret('lobby', 's1', 'k1');
      await a.skylink.setEncryptSecret('lobby', 's2', 'k2');
      await expect(a.skylink.setEncryptSecret('lobby', 's3', 'k1')).rejects.toMatchObject({ message: 'Failed setting secret - Secret id provided is not unique' });
      await expect(a.skylink.setSelectedSecret('lobby', 'nope')).rejects.toMatchObject({ code: SkylinkErrorCode.SECRET_NOT_FOUND });
      await expect(a.skylink.deleteEncryptSecrets('lobby', 'nope')).rejects.toMatchObject({ code: SkylinkErrorCode.SECRET_NOT_FOUND });
      const copy = a.skylink.getEncryptSecrets('lobby') as Record<string, string>;
      expect(copy).toEqual({ k1: 's1', k2: 's2' });
      copy.k3 = 'tampered';
      expect(a.skylink.getEncryptSecrets('lobby')).toEqual({ k1: 's1', k2: 's2' });
      await a.skylink.setSelectedSecret('lobby', 'k2');
      await a.skylink.deleteEncryptSecrets('lobby', 'k2');
      expect(a.skylink.getSelectedSecret('lobby')).toBe('');
      await a.skylink.deleteEncryptSecrets('lobby');
      expect(a.skylink.getEncryptSecrets('lobby')).toEqual({});
      // Every successful change fired one event with roomName; failures fired none.
      expect(a.sub.buffered('encryptSecretsUpdated').map((d) => [d.roomName, d.selectedSecretId, Object.keys(d.encryptSecrets).length])).toEqual([
        ['lobby', '', 1],
        ['lobby', '', 2],
        ['lobby', 'k2', 2],
        ['lobby', '', 1],
        ['lobby', '', 0],
      ]);
      expect(a.skylink.getEncryptSecrets('nowhere')).toBeNull();
      expect(a.skylink.getSelectedSecret('nowhere')).toBeNull();
      expect(a.skylink.getEncryptionMode('nowhere')).toBeNull();
    });

    it('authenticated mode: round trip, order kept, tampering and re-attribution detected', async () => {
      const [a, b, c] = [client(), client(), client()];
      const [aId, bId, cId] = (await joinAll([a, b, c])) as [string, string, string];
      for (const x of [a, b, c]) await x.skylink.setEncryptSecret('lobby', 'a long shared secret', 'k1');
      await a.skylink.setSelectedSecret('lobby', 'k1');
      expect(a.skylink.getEncryptionMode('lobby')).toBe('compat');
      await expect(a.skylink.setEncryptionMode('lobby', 'bogus' as never)).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_ARGUMENT });
      await a.skylink.setEncryptionMode('lobby', 'authenticated');
      expect(a.skylink.getEncryptionMode('lobby')).toBe('authenticated');
      const from = server.received.length;
      // Sent without waiting: the first derives the key, yet the order on the wire and on receipt is kept.
      await Promise.all([
        a.skylink.sendMessage('lobby', { n: 1 }),
        a.skylink.sendMessage('lobby', { n: 2 }),
        a.skylink.sendMessage('lobby', 'three', bId),
      ]);
      const got = [await incoming(b), await incoming(b), await incoming(b)];
      expect(got.map((d) => d.message.content)).toEqual([{ n: 1 }, { n: 2 }, 'three']);
      expect(got.every((d) => d.message.encryption === 'authenticated' && d.message.secretId === 'k1')).toBe(true);
      const wire = chatSent(server, from);
      expect(wire.every((m) => typeof m.data === 'string' && m.data.startsWith('=SKYAEAD1.'))).toBe(true);

      // Tampering with the ciphertext, the claimed sender or the private target is detected.
      const original = wire[0] as Record<string, unknown> & { data: string };
      // Change a base64 character of the ciphertext proper (not the last ones: their low bits may be padding).
      const at = original.data.lastIndexOf('.') + 4;
      const flipped = { ...original, data: `${original.data.slice(0, at)}${original.data[at] === 'A' ? 'B' : 'A'}${original.data.slice(at + 1)}` };
      const privateOne = wire[2] as Record<string, unknown>;
      inject(c, flipped);
      inject(c, { ...original, mid: bId });
      inject(c, { ...privateOne, target: cId });
      inject(c, { ...original, data: 'marker', secretId: undefined });
      const seen = [await incoming(c, (d) => d.message.content === null || d.message.content === 'marker')];
      while (seen[seen.length - 1]?.message.content !== 'marker') seen.push(await incoming(c, (d) => d.message.content === null || d.message.content === 'marker'));
      expect(seen.map((d) => d.message.error?.code ?? 'ok')).toEqual([
        SkylinkErrorCode.DECRYPT_FAILED,
        SkylinkErrorCode.DECRYPT_FAILED,
        SkylinkErrorCode.DECRYPT_FAILED,
        'ok',
      ]);
      expect(seen[0]?.peerId).toBe(aId);

      // authenticated-only refuses clear text and the 2.x format.
      await c.skylink.setEncryptionMode('lobby', 'authenticated-only');
      await b.skylink.sendMessage('lobby', 'plain from b');
      const refused = await incoming(c, (d) => d.peerId === bId);
      expect(refused.message.content).toBeNull();
      expect(refused.message.error).toMatchObject({ code: SkylinkErrorCode.DECRYPT_FAILED });
    });
  });

  describe('sendP2PMessage (data channels)', () => {
    it('broadcasts and targets within a room, over the data channel', async () => {
      const [a, b, c] = [client(), client(), client()];
      const [aId, bId, cId] = (await joinAll([a, b, c])) as [string, string, string];
      const sentBefore = server.received.length;
      await a.skylink.sendP2PMessage('lobby', { cursor: [1, 2] });
      expect(await incoming(a)).toMatchObject({ isSelf: true, roomName: 'lobby', message: { content: { cursor: [1, 2] }, isDataChannel: true, isPrivate: false, targetPeerId: null } });
      for (const rx of [b, c]) {
        expect(await incoming(rx)).toMatchObject({
          isSelf: false,
          peerId: aId,
          roomName: 'lobby',
          message: { content: { cursor: [1, 2] }, isDataChannel: true, isPrivate: false, targetPeerId: null, senderPeerId: aId },
        });
      }
      await a.skylink.sendP2PMessage('lobby', 'only b', bId);
      expect(await incoming(a)).toMatchObject({ isSelf: true, message: { isPrivate: true, targetPeerId: bId } });
      expect(await incoming(b)).toMatchObject({ message: { content: 'only b', isPrivate: true, targetPeerId: bId } });
      await a.skylink.sendP2PMessage('lobby', 'both', [bId, cId]);
      expect(await incoming(a)).toMatchObject({ isSelf: true, message: { isPrivate: true, targetPeerId: [bId, cId] } });
      expect((await incoming(c)).message.content).toBe('both'); // C skipped 'only b'
      expect((await incoming(b)).message.content).toBe('both');
      // Two arguments naming a joined room: the room form.
      await a.skylink.sendP2PMessage('lobby', 'room form');
      expect((await incoming(c)).message.content).toBe('room form');
      // Nothing went through the server.
      expect(chatSent(server, sentBefore)).toEqual([]);
      // A frame claiming another sender on a direct channel is attributed to the channel's peer.
      mainChannel(b, c).send(JSON.stringify({ type: 'MESSAGE', isPrivate: false, sender: aId, target: null, data: 'spoof' }));
      expect(await incoming(c)).toMatchObject({ peerId: bId, message: { content: 'spoof', senderPeerId: bId } });
    });

    it('without a room name: every joined room, or every room where the target is found', async () => {
      const [a, b, c] = [client(), client(), client()];
      await joinAll([a, b], 'lobby');
      const [, cId] = (await joinAll([a, c], 'side')) as [string, string];
      await a.skylink.sendP2PMessage('everywhere');
      expect(await incoming(b)).toMatchObject({ roomName: 'lobby', message: { content: 'everywhere' } });
      expect(await incoming(c)).toMatchObject({ roomName: 'side', message: { content: 'everywhere' } });
      const echoes = [await incoming(a), await incoming(a)];
      expect(echoes.map((d) => d.roomName).sort()).toEqual(['lobby', 'side']);
      await a.skylink.sendP2PMessage({ only: 'c' }, cId);
      expect(await incoming(c)).toMatchObject({ roomName: 'side', message: { content: { only: 'c' }, isPrivate: true, targetPeerId: cId } });
      expect(await incoming(a)).toMatchObject({ isSelf: true, roomName: 'side' });
      await a.skylink.sendP2PMessage(null as unknown as string, 'null room', cId);
      expect((await incoming(c)).message.content).toBe('null room');
      expect((await incoming(a)).roomName).toBe('side');
      expect(a.sub.buffered('onIncomingMessage')).toEqual([]); // no echo for the room without the target
      expect(b.sub.buffered('onIncomingMessage')).toEqual([]);
    });

    it('rejects with SkylinkError when it cannot deliver', async () => {
      const lonely = client();
      await expect(lonely.skylink.sendP2PMessage('hi')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
      const [a, b, c] = [client(), client(), client()];
      const [, bId, cId] = (await joinAll([a, b, c])) as [string, string, string];
      await expect(a.skylink.sendP2PMessage('lobby', 'x', 'ghost')).rejects.toMatchObject({ code: SkylinkErrorCode.PEER_NOT_FOUND, peerId: 'ghost' });
      await expect(a.skylink.sendP2PMessage('nowhere', 'x', bId)).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
      await expect(a.skylink.sendP2PMessage('lobby', 'x'.repeat(300 * 1024))).rejects.toMatchObject({ code: SkylinkErrorCode.MESSAGE_TOO_LARGE });
      await expect(a.skylink.sendP2PMessage('lobby', () => 1)).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_ARGUMENT });
      // The channel fails while sending: DATA_CHANNEL_STATE sendMessageError, rejection, no echo.
      const toC = mainChannel(a, c);
      toC.send = () => {
        throw new Error('InvalidStateError');
      };
      await expect(a.skylink.sendP2PMessage('lobby', 'fails', cId)).rejects.toMatchObject({ code: SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, peerId: cId, roomName: 'lobby' });
      expect(await a.sub.waitFor('dataChannelState', (d) => d.state === 'sendMessageError')).toMatchObject({
        peerId: cId,
        roomName: 'lobby',
        messageType: 'message',
        channelType: 'messaging',
      });
      // A closed channel: refused before anything is sent.
      const toB = mainChannel(a, b);
      toB.close();
      await a.sub.waitFor('dataChannelState', (d) => d.peerId === bId && d.state === 'closed');
      await expect(a.skylink.sendP2PMessage('lobby', 'x', bId)).rejects.toMatchObject({ code: SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, peerId: bId });
      expect(a.sub.buffered('onIncomingMessage')).toEqual([]);
    });

    it('a channel failing in one room does not stop delivery in the other rooms', async () => {
      const [a, b, c] = [client(), client(), client()];
      await joinAll([a, b], 'lobby');
      await joinAll([a, c], 'side');
      const toB = mainChannel(a, b);
      toB.send = () => {
        throw new Error('InvalidStateError');
      };
      // Rooms are planned in join order: 'lobby' (failing) first, then 'side'.
      await expect(a.skylink.sendP2PMessage('to all')).rejects.toMatchObject({ code: SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, roomName: 'lobby' });
      expect(await incoming(c)).toMatchObject({ roomName: 'side', message: { content: 'to all' } });
      // The echo fires for the room where everything was handed over, not for the failing one.
      expect(await incoming(a)).toMatchObject({ isSelf: true, roomName: 'side' });
      expect(a.sub.buffered('onIncomingMessage')).toEqual([]);
      expect(b.sub.buffered('onIncomingMessage')).toEqual([]);
    });

    it('rejects with DATA_CHANNEL_DISABLED when data channels are off', async () => {
      const [a, b] = [client({ enableDataChannel: false }), client({ enableDataChannel: false })];
      await a.skylink.joinRoom();
      const joined = waitForEvent(a.events, 'peerJoined', (d) => !d.isSelf);
      await b.skylink.joinRoom();
      await joined;
      await expect(a.skylink.sendP2PMessage('lobby', 'x')).rejects.toMatchObject({ code: SkylinkErrorCode.DATA_CHANNEL_DISABLED });
      await expect(a.skylink.sendP2PMessage('x')).rejects.toMatchObject({ code: SkylinkErrorCode.DATA_CHANNEL_DISABLED });
    });
  });

  describe('persistence and stored messages', () => {
    it('without the key feature: flag false, setMessagePersistence and getStoredMessages refused', async () => {
      const a = client();
      await joinAll([a]);
      expect(a.skylink.getMessagePersistence('lobby')).toBe(false);
      await expect(a.skylink.setMessagePersistence('lobby', true)).rejects.toMatchObject({ code: SkylinkErrorCode.FEATURE_NOT_ENABLED });
      expect(a.skylink.getMessagePersistence('lobby')).toBe(false);
      await expect(a.skylink.getStoredMessages('lobby')).rejects.toMatchObject({ code: SkylinkErrorCode.FEATURE_NOT_ENABLED });
      expect(a.sub.buffered('persistentMessageState')).toEqual([]);
      expect(a.skylink.getMessagePersistence('nowhere')).toBeNull();
    });

    it('with the feature: public messages must be encrypted and are marked persistent; private ones are not', async () => {
      const [a, b] = [client({ persistent: true }), client({ persistent: true })];
      const [aId, bId] = (await joinAll([a, b])) as [string, string];
      expect(a.skylink.getMessagePersistence('lobby')).toBe(true);
      await expect(a.skylink.sendMessage('lobby', 'x')).rejects.toMatchObject({
        code: SkylinkErrorCode.INVALID_STATE,
        message: 'Dropping message - Secrets not provided, Secret id not provided',
      });
      await a.skylink.setEncryptSecret('lobby', 'persist me', 'p1');
      await expect(a.skylink.sendMessage('lobby', 'x')).rejects.toMatchObject({ message: 'Dropping message - Secret id not selected' });
      await a.skylink.setSelectedSecret('lobby', 'p1');
      const from = server.received.length;
      await a.skylink.sendMessage('lobby', 'kept');
      await a.skylink.sendMessage('lobby', 'private', bId);
      const [pub, priv] = chatSent(server, from);
      expect(pub).toMatchObject({ isPersistent: true, secretId: 'p1', mid: aId });
      expect(priv).not.toHaveProperty('isPersistent');
      await expect(a.skylink.setMessagePersistence('lobby', 'yes' as unknown as boolean)).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_ARGUMENT });
      await a.skylink.setMessagePersistence('lobby', false);
      expect(await a.sub.waitFor('persistentMessageState')).toMatchObject({ isPersistent: false, peerId: aId, roomName: 'lobby', room: { roomName: 'lobby' } });
      expect(a.skylink.getMessagePersistence('lobby')).toBe(false);
      const from2 = server.received.length;
      await a.skylink.sendMessage('lobby', 'not kept');
      expect(chatSent(server, from2)[0]).not.toHaveProperty('isPersistent');
    });

    it('getStoredMessages resolves the decrypted history in time order; a bad item keeps its place', async () => {
      const a = client({ persistent: true });
      const [aId] = (await joinAll([a])) as [string];
      await a.skylink.setEncryptSecret('lobby', 'history secret', 'h1');
      const items = [
        { data: AES.encrypt('second', 'history secret').toString(), secretId: 'h1', mid: 'p2', timeStamp: 2000, msgId: 'm2' },
        { data: AES.encrypt('first', 'history secret').toString(), secretId: 'h1', mid: 'p1', peerSessionId: 'ps1', timeStamp: 1000, msgId: 'm1' },
        { data: AES.encrypt('lost', 'other secret').toString(), secretId: 'h9', mid: 'p3', timeStamp: 3000, msgId: 'm3' },
      ];
      const from = server.received.length;
      const pending = a.skylink.getStoredMessages('lobby', 'session-x');
      await server.waitForReceived((m) => m.type === 'getStoredMessages', from);
      const request = server.received.slice(from).find((r) => r.message.type === 'getStoredMessages')?.message;
      expect(request).toEqual({ type: 'getStoredMessages', rid: RID, mid: aId, target: aId, roomSessionId: 'session-x' });
      inject(a, { type: 'storedMessages', rid: RID, mid: aId, data: JSON.stringify(items) });
      const stored = await pending;
      expect(stored.map((m) => [m.senderPeerId, m.content, m.timeStamp])).toEqual([
        ['ps1', 'first', new Date(1000).toISOString()],
        ['p2', 'second', new Date(2000).toISOString()],
        ['p3', null, new Date(3000).toISOString()],
      ]);
      expect(stored[2]?.error).toMatchObject({ code: SkylinkErrorCode.SECRET_NOT_FOUND });
      expect(stored.every((m) => m.isPrivate === false && m.isDataChannel === false && m.targetPeerId === aId)).toBe(true);
      const event = await a.sub.waitFor('storedMessages');
      expect(event).toMatchObject({ isSelf: true, peerId: aId, roomName: 'lobby', room: { roomName: 'lobby' } });
      expect(event.storedMessages).toEqual(stored);
    });

    it('getStoredMessages times out without an answer and fails when the room is left', async () => {
      const a = client({ persistent: true });
      await joinAll([a]);
      jest.useFakeTimers();
      const pending = a.skylink.getStoredMessages('lobby');
      const settled = pending.then(
        () => null,
        (e: { code: string }) => e.code,
      );
      await Promise.resolve();
      await Promise.resolve();
      jest.advanceTimersByTime(10_000);
      expect(await settled).toBe(SkylinkErrorCode.SIGNALING_TIMEOUT);
      jest.useRealTimers();
      const second = a.skylink.getStoredMessages('lobby');
      await a.skylink.leaveRoom('lobby');
      await expect(second).rejects.toMatchObject({ code: SkylinkErrorCode.INVALID_STATE });
    });
  });

  it('leaving releases the room: secrets forgotten, channel listeners removed, no late events', async () => {
    const [a, b] = [client(), client()];
    const [aId] = (await joinAll([a, b])) as [string, string];
    await a.skylink.setEncryptSecret('lobby', 's', 'k');
    await a.skylink.setEncryptionMode('lobby', 'authenticated');
    const channels = a.platform.peerConnections.flatMap((pc) => pc.channels);
    await a.skylink.leaveRoom('lobby');
    expect(a.skylink.getEncryptSecrets('lobby')).toBeNull();
    expect(channels.every((ch) => ch.listenerCount('message') === 0)).toBe(true);
    await expect(a.skylink.setEncryptSecret('lobby', 's', 'k')).rejects.toMatchObject({ code: SkylinkErrorCode.ROOM_NOT_FOUND });
    await a.skylink.joinRoom();
    expect(a.skylink.getEncryptSecrets('lobby')).toEqual({});
    expect(a.skylink.getEncryptionMode('lobby')).toBe('compat');
    void aId;
  });
});
