/**
 * @jest-environment node
 */
// Node environment: fast mode hashes with WebCrypto (crypto.subtle) and reads Blobs with arrayBuffer(),
// which jsdom lacks. The fakes need nothing from jsdom.
import { createHash } from 'node:crypto';
import Skylink from '../../../src/Skylink';
import { DATA_TRANSFER_STATE as S } from '../../../src/constants';
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import type { SkylinkEventMap } from '../../../src/events/SkylinkEventMap';
import { SkylinkLogger } from '../../../src/logger';
import { FakeNetwork, type FakeDataChannel } from '../../fakes/FakePeerConnection';
import { FakeSignalingServer } from '../../fakes/FakeSignalingServer';
import { createFakePlatform, type FakePlatform } from '../../fakes/fakePlatform';
import { patternBytes } from './enginePair';
import { selfId } from '../../helpers/selfId';

type Recorded = { [K in keyof SkylinkEventMap]?: Array<SkylinkEventMap[K]> };
const RECORDED = ['dataTransferState', 'onIncomingDataRequest', 'onIncomingData', 'onIncomingMessage', 'dataChannelState', 'peerLeft'] as const;

interface Client {
  skylink: Skylink;
  events: SkylinkEventManagerClass;
  platform: FakePlatform;
  rec: Recorded;
  /** Resolves when `predicate` holds, checked after every recorded event; rejects after 5 s. */
  until(predicate: () => boolean, what: string): Promise<void>;
  /** DATA_TRANSFER_STATE states of one transfer, in order. */
  states(transferId: string): string[];
  off(): void;
}

function makeClient(server: FakeSignalingServer, network: FakeNetwork, opts: { enableDataChannel?: boolean } = {}): Client {
  const events = new SkylinkEventManagerClass();
  const platform = createFakePlatform({ server, network });
  const skylink = new Skylink(
    { appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false, enableDataChannel: opts.enableDataChannel ?? true },
    { eventManager: events, platform },
  );
  const rec: Recorded = {};
  let waiters: Array<() => void> = [];
  const removers: Array<() => void> = [];
  for (const name of RECORDED) {
    const list: unknown[] = [];
    (rec as Record<string, unknown[]>)[name] = list;
    const listener = (e: CustomEvent<unknown>): void => {
      list.push(e.detail);
      for (const w of [...waiters]) w();
    };
    events.addEventListener(name, listener as never);
    removers.push(() => events.removeEventListener(name, listener as never));
  }
  const until = (predicate: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate()) return;
        clearTimeout(timer);
        waiters = waiters.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${what}`));
      }, 5000);
      waiters.push(check);
      check();
    });
  const states = (transferId: string): string[] => (rec.dataTransferState ?? []).filter((d) => d.transferId === transferId).map((d) => d.state);
  return { skylink, events, platform, rec, until, states, off: () => removers.forEach((r) => r()) };
}

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
        .map((peerId) =>
          c.until(
            () => (c.rec.dataChannelState ?? []).some((d) => d.roomName === room && d.peerId === peerId && d.state === 'open' && d.channelType === 'messaging'),
            `main channel to ${peerId}`,
          ),
        ),
    ),
  );
  return ids;
}

/** Accepts (or rejects) every incoming request of the client. */
function autoRespond(c: Client, accept = true): void {
  c.events.addEventListener('onIncomingDataRequest', (e) => {
    if (!e.detail.isSelf) void c.skylink.respondBlobRequest(e.detail.roomName, e.detail.peerId, e.detail.transferId, accept).catch(() => undefined);
  });
}

/** The open main channel of `a` towards `b`. */
function mainChannel(a: Client, b: Client): FakeDataChannel {
  const channel = a.platform.peerConnections
    .flatMap((pc) => pc.channels)
    .find((ch) => ch.readyState === 'open' && !ch.label.startsWith('skylink-dt:') && b.platform.peerConnections.includes(ch.counterpart?.owner as never));
  if (!channel) throw new Error('no open main channel');
  return channel;
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const blobSha = async (blob: Blob): Promise<string> => sha(new Uint8Array(await blob.arrayBuffer()));
const lastTransferId = (c: Client): string => (c.rec.dataTransferState ?? []).at(-1)?.transferId as string;

describe('RoomDataTransfer through the Skylink facade (fakes)', () => {
  let server: FakeSignalingServer;
  let network: FakeNetwork;
  const clients: Client[] = [];
  const client = (opts?: Parameters<typeof makeClient>[2]): Client => {
    const c = makeClient(server, network, opts);
    clients.push(c);
    return c;
  };

  beforeAll(() => SkylinkLogger.setLevel('SILENT'));
  afterAll(() => SkylinkLogger.setLevel('WARN'));
  beforeEach(() => {
    server = new FakeSignalingServer();
    network = new FakeNetwork();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) {
      await c.skylink.leaveAllRooms();
      c.off();
    }
    server.close();
  });

  it.each([1, 49153, 1024 * 1024 + 3])('sends %i bytes in fast mode: byte-identical, events with roomName in order on each side', async (size) => {
    const [a, b] = [client(), client()];
    const [aId, bId] = (await joinAll([a, b])) as [string, string];
    autoRespond(b);
    const bytes = patternBytes(size, size);
    const [result] = await a.skylink.sendBlobData('lobby', new Blob([bytes], { type: 'application/x-test' }), bId);
    const transferId = lastTransferId(a);
    expect(transferId.startsWith(`${aId}_`)).toBe(true);
    expect(result?.[bId]).toMatchObject({ transferType: 'upload', success: { originalSize: size, chunkType: 'arrayBuffer', percentage: 100 } });
    await b.until(() => b.states(transferId).includes(S.DOWNLOAD_COMPLETED), 'DOWNLOAD_COMPLETED');

    const sender = a.states(transferId);
    expect(sender.slice(0, 2)).toEqual([S.USER_UPLOAD_REQUEST, S.UPLOAD_STARTED]);
    expect(sender.at(-1)).toBe(S.UPLOAD_COMPLETED);
    expect(sender.slice(2, -1).every((state) => state === S.UPLOADING)).toBe(true);
    const receiver = b.states(transferId);
    expect(receiver.slice(0, 2)).toEqual([S.UPLOAD_REQUEST, S.DOWNLOAD_STARTED]);
    expect(receiver.at(-1)).toBe(S.DOWNLOAD_COMPLETED);
    expect(receiver.slice(2, -1).every((state) => state === S.DOWNLOADING)).toBe(true);
    // Progress is reported once per 1 MiB segment in fast mode.
    expect(receiver.length - 3).toBe(Math.floor((size - 1) / (16 * 65528)));
    for (const d of [...(a.rec.dataTransferState ?? []), ...(b.rec.dataTransferState ?? [])]) expect(d.roomName).toBe('lobby');
    const pcts = (b.rec.dataTransferState ?? []).filter((d) => d.transferId === transferId).map((d) => d.transferInfo.percentage);
    expect(pcts).toEqual([...pcts].sort((x, y) => x - y));
    expect(b.rec.dataTransferState?.find((d) => d.state === S.UPLOAD_REQUEST)?.peerId).toBe(aId);

    expect(a.rec.onIncomingDataRequest).toEqual([expect.objectContaining({ isSelf: true, peerId: aId, transferId, roomName: 'lobby' })]);
    expect(b.rec.onIncomingDataRequest).toEqual([expect.objectContaining({ isSelf: false, peerId: aId, transferId, roomName: 'lobby' })]);
    const got = b.rec.onIncomingData?.find((d) => d.transferId === transferId);
    expect(got).toMatchObject({ isSelf: false, peerId: aId, roomName: 'lobby' });
    expect(got?.data.size).toBe(size);
    expect(got?.data.type).toBe('application/x-test');
    expect(await blobSha(got?.data as Blob)).toBe(sha(bytes));
    expect(a.rec.onIncomingData).toEqual([expect.objectContaining({ isSelf: true, transferId, roomName: 'lobby' })]);
    // Fast mode: the data went over a dedicated channel, opened by the sender.
    expect(a.platform.peerConnections.flatMap((pc) => pc.channels).map((ch) => ch.label)).toContain(`skylink-dt:${transferId}`);
  });

  it('reports the transfer in getPeersDataChannels: main while unanswered, then its own channel', async () => {
    const [a, b] = [client(), client()];
    const [, bId] = (await joinAll([a, b])) as [string, string];
    const sending = a.skylink.sendBlobData('lobby', new Blob([patternBytes(300_000)]), bId);
    await b.until(() => (b.rec.onIncomingDataRequest ?? []).length === 1, 'request');
    const transferId = b.rec.onIncomingDataRequest?.[0]?.transferId as string;
    expect(a.skylink.getPeersDataChannels('lobby')?.[bId]?.main?.currentTransferId).toBe(transferId);
    const label = `skylink-dt:${transferId}`;
    let seen: unknown = null;
    a.events.addEventListener('dataTransferState', (e) => {
      if (e.detail.state === S.UPLOADING && seen === null) seen = a.skylink.getPeersDataChannels('lobby')?.[bId]?.[label] ?? 'missing';
    });
    await b.skylink.respondBlobRequest('lobby', selfId(a), transferId, true);
    await sending;
    expect(seen).toMatchObject({ channelName: label, channelProp: transferId, currentTransferId: transferId, channelType: 'data' });
    expect(a.skylink.getPeersDataChannels('lobby')?.[bId]?.main?.currentTransferId).toBeNull();
  });

  it('a P2P message sent during a transfer arrives exactly once (fast mode)', async () => {
    const [a, b] = [client(), client()];
    const [, bId] = (await joinAll([a, b])) as [string, string];
    autoRespond(b);
    let sent = false;
    a.events.addEventListener('dataTransferState', (e) => {
      if (e.detail.state !== S.UPLOADING || sent) return;
      sent = true;
      void a.skylink.sendP2PMessage('lobby', { during: 'transfer' }, bId);
    });
    await a.skylink.sendBlobData('lobby', new Blob([patternBytes(2 * 1024 * 1024)]), bId);
    await b.until(() => (b.rec.onIncomingData ?? []).length === 1, 'the Blob');
    await b.until(() => (b.rec.onIncomingMessage ?? []).length >= 1, 'the message');
    // One more message after it: everything sent before it has been delivered by then.
    await a.skylink.sendP2PMessage('lobby', 'after', bId);
    await b.until(() => (b.rec.onIncomingMessage ?? []).some((m) => m.message.content === 'after'), 'the later message');
    expect(sent).toBe(true);
    expect((b.rec.onIncomingMessage ?? []).map((m) => m.message.content)).toEqual([{ during: 'transfer' }, 'after']);
    expect(b.rec.onIncomingMessage?.[0]).toMatchObject({ isSelf: false, roomName: 'lobby', message: { isDataChannel: true, isPrivate: true, targetPeerId: bId } });
  });

  it('receives from an original 2.x peer (raw 2.x frames on the main channel), a P2P message in the middle arriving once', async () => {
    const [a, b] = [client(), client()];
    const [aId, bId] = (await joinAll([a, b])) as [string, string];
    autoRespond(b);
    const raw = mainChannel(a, b); // A's end, driven by hand as a 2.x client would
    const bytes = patternBytes(49153 * 2 + 1, 7); // 3 chunks, the last one 3 bytes (2.x drops its last byte)
    const chunks = [0, 1, 2].map((i) => Buffer.from(bytes.subarray(i * 49152, (i + 1) * 49152)).toString('base64'));
    const acks: number[] = [];
    raw.addEventListener('message', (e: { data: unknown }) => {
      if (typeof e.data !== 'string' || !e.data.includes('"ACK"')) return;
      const ack = JSON.parse(e.data) as { ackN: number };
      acks.push(ack.ackN);
      if (ack.ackN === 1) raw.send(JSON.stringify({ type: 'MESSAGE', isPrivate: false, sender: aId, target: null, data: 'mid-transfer' }));
      const next = chunks[ack.ackN];
      if (next !== undefined) raw.send(next);
    });
    const transferId = `${aId}_1700000000000`;
    raw.send(
      JSON.stringify({
        type: 'WRQ', transferId, name: 'legacy.bin', size: 4 * Math.ceil(bytes.length / 3), originalSize: bytes.length, dataType: 'blob',
        mimeType: 'application/octet-stream', chunkType: 'binaryString', chunkSize: 49152, timeout: 60, isPrivate: false, sender: aId,
        agent: 'chrome', version: 156, target: bId,
      }),
    );
    await b.until(() => b.states(transferId).includes(S.DOWNLOAD_COMPLETED), 'DOWNLOAD_COMPLETED');
    await a.until(() => acks.includes(3), 'final ACK');
    expect(acks).toEqual([0, 1, 2, 3]);
    const got = b.rec.onIncomingData?.[0];
    expect(got).toMatchObject({ transferId, peerId: aId, isSelf: false, roomName: 'lobby', transferInfo: { name: 'legacy.bin', chunkType: 'binaryString' } });
    expect(await blobSha(got?.data as Blob)).toBe(sha(bytes));
    expect((b.rec.onIncomingMessage ?? []).map((m) => m.message.content)).toEqual(['mid-transfer']);
    // No dedicated channel in 2.x mode.
    expect(b.platform.peerConnections.flatMap((pc) => pc.channels).some((ch) => ch.label.startsWith('skylink-dt:'))).toBe(false);
  });

  it('reject: REJECTED on the sender, USER_REJECTED on the receiver, no Blob', async () => {
    const [a, b] = [client(), client()];
    const [, bId] = (await joinAll([a, b])) as [string, string];
    autoRespond(b, false);
    const [result] = await a.skylink.sendBlobData('lobby', new Blob(['no thanks']), bId);
    const transferId = lastTransferId(a);
    expect(result?.[bId]?.error).toBeDefined();
    expect(a.states(transferId)).toEqual([S.USER_UPLOAD_REQUEST, S.REJECTED]);
    await b.until(() => b.states(transferId).includes(S.USER_REJECTED), 'USER_REJECTED');
    expect(b.states(transferId)).toEqual([S.UPLOAD_REQUEST, S.USER_REJECTED]);
    expect(b.rec.onIncomingData).toEqual([]);
  });

  it.each(['sender', 'receiver'] as const)('cancel from the %s mid-way reaches the other side', async (who) => {
    const [a, b] = [client(), client()];
    const [aId, bId] = (await joinAll([a, b])) as [string, string];
    autoRespond(b);
    let cancelled = false;
    b.events.addEventListener('dataTransferState', (e) => {
      const d = e.detail;
      if (d.state !== S.DOWNLOADING || d.transferInfo.percentage < 10 || cancelled) return;
      cancelled = true;
      if (who === 'receiver') void b.skylink.cancelBlobTransfer('lobby', aId, d.transferId);
      else void a.skylink.cancelBlobTransfer('lobby', bId, d.transferId);
    });
    const [result] = await a.skylink.sendBlobData('lobby', new Blob([patternBytes(4 * 1024 * 1024)]), bId);
    const transferId = lastTransferId(a);
    expect(cancelled).toBe(true);
    expect(result?.[bId]?.error).toBe(who === 'receiver' ? 'Remote peer cancelled data transfer' : 'User cancelled data transfer');
    await b.until(() => b.states(transferId).includes(S.CANCEL), 'CANCEL on the receiver');
    expect(a.states(transferId).at(-1)).toBe(S.CANCEL);
    expect(b.states(transferId).at(-1)).toBe(S.CANCEL);
    expect(b.rec.onIncomingData).toEqual([]);
    const remote = (who === 'receiver' ? a : b).rec.dataTransferState?.at(-1);
    expect(remote?.error?.message).toBe('Remote peer cancelled data transfer');
  });

  it('the response timeout ends the transfer with ERROR on both sides', async () => {
    const [a, b] = [client(), client()];
    const [, bId] = (await joinAll([a, b])) as [string, string];
    const [result] = await a.skylink.sendBlobData('lobby', new Blob(['waiting']), bId, 0.2);
    const transferId = lastTransferId(a);
    expect(String(result?.[bId]?.error)).toMatch(/timed out - Longer than 0.2/);
    expect(a.states(transferId)).toEqual([S.USER_UPLOAD_REQUEST, S.ERROR]);
    await b.until(() => b.states(transferId).includes(S.ERROR), 'ERROR on the receiver');
    await expect(b.skylink.respondBlobRequest('lobby', selfId(a), transferId, true)).rejects.toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
  });

  it('runs two transfers at once in both directions, between three peers', async () => {
    const [a, b, c] = [client(), client(), client()];
    const [aId, bId, cId] = (await joinAll([a, b, c])) as [string, string, string];
    for (const x of [a, b, c]) autoRespond(x);
    const one = patternBytes(700_000, 1);
    const two = patternBytes(900_001, 2);
    const [toBoth, back] = await Promise.all([
      a.skylink.sendBlobData('lobby', new Blob([one])), // every peer of the room
      b.skylink.sendBlobData('lobby', new Blob([two]), [aId]),
    ]);
    expect(toBoth.map((r) => Object.keys(r)[0]).sort()).toEqual([bId, cId].sort());
    for (const r of [...toBoth, ...back]) expect(Object.values(r)[0]).toHaveProperty('success');
    const fromA = (x: Client): Blob | undefined => x.rec.onIncomingData?.find((d) => d.peerId === aId && !d.isSelf)?.data;
    await Promise.all([b, c].map((x) => x.until(() => fromA(x) !== undefined, 'the Blob from a')));
    await a.until(() => (a.rec.onIncomingData ?? []).some((d) => !d.isSelf), 'the Blob from b');
    for (const x of [b, c]) expect(await blobSha(fromA(x) as Blob)).toBe(sha(one));
    expect(await blobSha(a.rec.onIncomingData?.find((d) => !d.isSelf)?.data as Blob)).toBe(sha(two));
  });

  it('a receiver leaving mid-transfer: the sender gets ERROR, the receiver never a Blob', async () => {
    const [a, b] = [client(), client()];
    const [, bId] = (await joinAll([a, b])) as [string, string];
    autoRespond(b);
    let left: Promise<unknown> | null = null;
    b.events.addEventListener('dataTransferState', (e) => {
      if (e.detail.state === S.DOWNLOADING && e.detail.transferInfo.percentage >= 10 && left === null) left = b.skylink.leaveRoom('lobby');
    });
    const [result] = await a.skylink.sendBlobData('lobby', new Blob([patternBytes(4 * 1024 * 1024)]), bId);
    const transferId = lastTransferId(a);
    await left;
    expect(result?.[bId]?.error).toBeDefined();
    expect(a.states(transferId).at(-1)).toBe(S.ERROR);
    expect(b.states(transferId).at(-1)).toBe(S.ERROR);
    expect(b.rec.onIncomingData).toEqual([]);
  });

  it('a sender leaving the room mid-transfer: both sides end with ERROR and neither keeps the transfer', async () => {
    const [a, b] = [client(), client()];
    const [aId, bId] = (await joinAll([a, b])) as [string, string];
    autoRespond(b);
    let left: Promise<unknown> | null = null;
    b.events.addEventListener('dataTransferState', (e) => {
      if (e.detail.state === S.DOWNLOADING && e.detail.transferInfo.percentage >= 10 && left === null) left = a.skylink.leaveRoom('lobby');
    });
    const [result] = await a.skylink.sendBlobData('lobby', new Blob([patternBytes(4 * 1024 * 1024)]), bId);
    const transferId = lastTransferId(a);
    await left;
    expect((result?.[bId]?.error as Error).message).toBe('Left the room before the transfer completed');
    await b.until(() => b.states(transferId).includes(S.ERROR), 'ERROR on the receiver');
    expect(b.rec.onIncomingData).toEqual([]);
    await expect(b.skylink.cancelBlobTransfer('lobby', aId, transferId)).rejects.toMatchObject({ code: expect.stringMatching(/PEER_NOT_FOUND|TRANSFER_NOT_FOUND/) });
    await expect(a.skylink.respondBlobRequest('lobby', bId, transferId, true)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
  });

  it('validates arguments like 2.x; a number as third argument is the timeout', async () => {
    const [a, b] = [client(), client()];
    const [, bId] = (await joinAll([a, b])) as [string, string];
    const blob = new Blob(['x']);
    await expect(a.skylink.sendBlobData('nowhere', blob)).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await expect(a.skylink.sendBlobData('lobby', 'text' as unknown as Blob)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Unable to send Blob data - Data is not type Blob' });
    await expect(a.skylink.sendBlobData('lobby', new Blob([]))).rejects.toMatchObject({ message: 'Unable to send Blob data - Invalid data' });
    await expect(a.skylink.sendBlobData('lobby', blob, { id: 1 } as unknown as string)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(a.skylink.sendBlobData('lobby', blob, bId, -1)).rejects.toMatchObject({ message: 'Unable to send Blob data - Timeout is not type number' });
    await expect(a.skylink.respondBlobRequest('lobby', bId, '', true)).rejects.toMatchObject({ message: 'Data download terminated - No Transfer ID' });
    await expect(a.skylink.cancelBlobTransfer('lobby', bId, 'nope')).rejects.toMatchObject({ code: 'TRANSFER_NOT_FOUND', roomName: 'lobby' });
    expect(a.rec.dataTransferState).toEqual([]);

    // (roomName, blob, timeout): every peer, with that timeout.
    autoRespond(b);
    const [result] = await a.skylink.sendBlobData('lobby', blob, 7);
    expect(result?.[bId]?.success?.timeout).toBe(7);

    // An unknown peer: ERROR for it and an error entry, the call still resolves.
    const [unknown] = await a.skylink.sendBlobData('lobby', blob, 'nobody');
    expect(unknown?.nobody?.error).toBeInstanceOf(Error);
    expect(a.rec.dataTransferState?.at(-1)).toMatchObject({ state: S.ERROR, peerId: 'nobody', roomName: 'lobby' });
  });

  it('refuses with NO_PEERS alone in the room and DATA_CHANNEL_DISABLED without data channels', async () => {
    const alone = client();
    await alone.skylink.joinRoom({ roomName: 'lobby' });
    await expect(alone.skylink.sendBlobData('lobby', new Blob(['x']))).rejects.toMatchObject({ code: 'NO_PEERS' });
    const noDc = client({ enableDataChannel: false });
    await noDc.skylink.joinRoom({ roomName: 'other' });
    await expect(noDc.skylink.sendBlobData('other', new Blob(['x']))).rejects.toMatchObject({ code: 'DATA_CHANNEL_DISABLED' });
  });

  it('keeps rooms apart: the same two peers in two rooms, one transfer each', async () => {
    const [a, b] = [client(), client()];
    const [, bIdLobby] = (await joinAll([a, b], 'lobby')) as [string, string];
    const [, bIdSide] = (await joinAll([a, b], 'side')) as [string, string];
    autoRespond(b);
    const [one, two] = [patternBytes(100_000, 3), patternBytes(120_000, 4)];
    await Promise.all([a.skylink.sendBlobData('lobby', new Blob([one]), bIdLobby), a.skylink.sendBlobData('side', new Blob([two]), bIdSide)]);
    await b.until(() => (b.rec.onIncomingData ?? []).length === 2, 'both Blobs');
    const byRoom = new Map((b.rec.onIncomingData ?? []).map((d) => [d.roomName, d.data]));
    expect(await blobSha(byRoom.get('lobby') as Blob)).toBe(sha(one));
    expect(await blobSha(byRoom.get('side') as Blob)).toBe(sha(two));
    await a.skylink.leaveRoom('side');
    // The other room is untouched.
    const [again] = await a.skylink.sendBlobData('lobby', new Blob([one]), bIdLobby);
    expect(again?.[bIdLobby]).toHaveProperty('success');
  });
});
