/** Sliding window, back-pressure and timeouts of the fast mode, on fake channels. */
import { DATA_TRANSFER_STATE as S } from '../../../src/constants';
import type { SkylinkError } from '../../../src/errors';
import { waitForBufferedAmountLow } from '../../../src/data/channel';
import type { DataTransferEngineOptions } from '../../../src/data/DataTransferEngine';
import { decodeChunkFrame } from '../../../src/data/dataProtocol';
import { DataTransferEngine } from '../../../src/data/DataTransferEngine';
import { enginePair, nodeDigest, patternBytes, quietLogger, recorder, Side } from './enginePair';
import { channelPair, FakeChannel, type FakeChannelOptions } from './fakeChannel';

const FRAME = 4104; // 4096-byte chunks + 8-byte header

function pair(tuning: Partial<NonNullable<DataTransferEngineOptions['tuning']>>, channel: FakeChannelOptions = {}) {
  const options: Partial<DataTransferEngineOptions> = {
    tuning: { maxFrameBytes: FRAME, segmentChunks: 4, windowChunks: 8, highWaterBytes: 1 << 20, lowWaterBytes: 1 << 19, closeGraceMs: 50, ...tuning },
  };
  const sides = enginePair({ alice: options, bob: options });
  sides.alice.channelOptions = channel;
  return sides;
}

async function acceptFirst(bob: Side): Promise<{ transferId: string; response: Promise<unknown> }> {
  await bob.until(() => bob.rec.requests.length === 1, 'request');
  const { transferId } = bob.rec.requests[0] as { transferId: string };
  const response = bob.engine.respondBlobRequest('room1', 'alice', transferId, true);
  response.catch(() => undefined);
  return { transferId, response };
}

const chunksSent = (c: FakeChannel): number => c.sent.filter((d) => d instanceof ArrayBuffer).length;
const ticks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i += 1) await new Promise((r) => setTimeout(r, 1));
};

describe('fast mode flow control', () => {
  it('stops at the window of unacknowledged chunks and resumes on ACK', async () => {
    const { alice, bob } = pair({ windowChunks: 8 });
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(40 * 4096)]), ['bob']);
    await acceptFirst(bob);
    await alice.until(() => alice.opened.length === 1, 'channel');
    const [near, far] = alice.opened[0] as [FakeChannel, FakeChannel];
    // Bob's progress ACKs are held back (his "ready" ACK 0 goes through).
    const held: string[] = [];
    const send = far.send.bind(far) as (d: string) => void;
    far.send = ((d: string) => (typeof d === 'string' && JSON.parse(d).ackN > 0 ? held.push(d) : send(d))) as FakeChannel['send'];
    await alice.until(() => chunksSent(near) === 8, 'window filled');
    await ticks(10);
    expect(chunksSent(near)).toBe(8);
    expect(held.map((d) => JSON.parse(d).ackN)).toEqual([4, 8]);
    far.send = send as FakeChannel['send'];
    for (const d of held) send(d);
    const [result] = await sending;
    expect(result?.bob).toHaveProperty('success');
    // Never more than the window in flight: every chunk index i was sent after ACK >= i - 8.
    expect(chunksSent(near)).toBe(40);
  });

  it.each([
    ['closes', (end: FakeChannel) => {
      end.readyState = 'closed';
      end.emit('close', {});
    }],
    ['errors', (end: FakeChannel) => end.emit('error', { error: new Error('sctp-failure') })],
  ])('fails the download at once when the transfer channel %s mid-transfer (the sender is gone)', async (_name, kill) => {
    const { alice, bob } = pair({ windowChunks: 8 });
    void alice.engine.sendBlobData('room1', new Blob([patternBytes(40 * 4096)]), ['bob']);
    const { transferId, response } = await acceptFirst(bob);
    await alice.until(() => alice.opened.length === 1, 'channel');
    const [near, far] = alice.opened[0] as [FakeChannel, FakeChannel];
    // Bob's progress ACKs are lost: the transfer stays mid-way, as when the sender's page died.
    const send = far.send.bind(far) as (d: string) => void;
    far.send = ((d: string) => (typeof d === 'string' && JSON.parse(d).ackN > 0 ? undefined : send(d))) as FakeChannel['send'];
    await alice.until(() => chunksSent(near) === 8, 'window filled');
    await bob.until(() => bob.statesOf(transferId).includes(S.DOWNLOADING), 'downloading');
    near.readyState = 'closed'; // the sender's end is gone with its page: it hears nothing more
    kill(far);
    expect(bob.statesOf(transferId).at(-1)).toBe(S.ERROR);
    const last = bob.rec.states.at(-1);
    expect(last?.error?.message).toMatchObject({ message: 'Data Channel closed before the transfer completed' });
    expect(last?.transferInfo.data).toBeNull();
    expect(bob.rec.data).toEqual([]);
    await expect(response).rejects.toMatchObject({ message: 'Data Channel closed before the transfer completed' });
  });

  it.each([true, false])('waits for bufferedAmount to drain (bufferedamountlow event: %s)', async (firesLowEvent) => {
    const { alice, bob } = pair({ windowChunks: 64, highWaterBytes: 3 * FRAME, lowWaterBytes: FRAME }, { firesLowEvent, paused: true });
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(20 * 4096)]), ['bob']);
    await acceptFirst(bob);
    await alice.until(() => alice.opened.length === 1, 'channel');
    const [near] = alice.opened[0] as [FakeChannel, FakeChannel];
    await alice.until(() => chunksSent(near) === 4, 'buffer above high water');
    await ticks(10);
    expect(chunksSent(near)).toBe(4);
    expect(near.bufferedAmount).toBe(4 * FRAME);
    near.flush(2); // 2 frames left buffered: still above low water
    await ticks(10);
    expect(chunksSent(near)).toBe(4);
    near.flush(1); // 1 frame left: at low water, sending resumes
    await alice.until(() => chunksSent(near) > 4, 'resumed');
    near.paused = false;
    near.flush();
    const [result] = await sending;
    expect(result?.bob).toHaveProperty('success');
    const indexes = near.sent.filter((d): d is ArrayBuffer => d instanceof ArrayBuffer).map((d) => decodeChunkFrame(d)?.index);
    expect(indexes).toEqual([...Array(20).keys()]);
  });

  it('waitForBufferedAmountLow ends when the channel closes or the wait is aborted', async () => {
    const channel = new FakeChannel('x', { paused: true, firesLowEvent: false });
    channel.send(new ArrayBuffer(100));
    const aborter = new AbortController();
    const waiting = waitForBufferedAmountLow(channel, 10, aborter.signal);
    aborter.abort();
    await expect(waiting).resolves.toBeUndefined();
    const closing = waitForBufferedAmountLow(channel, 10, new AbortController().signal);
    channel.readyState = 'closed';
    await expect(closing).resolves.toBeUndefined();
  });
});

describe('timeouts (fake timers)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fails both sides with ERROR when the receiver never answers', async () => {
    const { alice, bob } = pair({});
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(10)]), ['bob'], 30);
    await jest.advanceTimersByTimeAsync(0);
    expect(bob.rec.requests).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(29_999);
    expect(alice.rec.states.map((s) => s.state)).toEqual([S.USER_UPLOAD_REQUEST]);
    await jest.advanceTimersByTimeAsync(1);
    const [result] = await sending;
    expect((result?.bob?.error as SkylinkError).code).toBe('TRANSFER_TIMEOUT');
    expect(alice.rec.states.pop()).toMatchObject({ state: S.ERROR, error: { transferType: 'upload' } });
    expect(bob.rec.states.map((s) => s.state)).toEqual([S.UPLOAD_REQUEST, S.ERROR]);
    expect(bob.engine.activeTransferCount()).toBe(0);
  });

  it('fails the receiver when chunks stop arriving, and tells the sender', async () => {
    const { alice, bob } = pair({});
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(40 * 4096)]), ['bob'], 10);
    await jest.advanceTimersByTimeAsync(0);
    const { response } = await acceptFirst(bob);
    await jest.advanceTimersByTimeAsync(0);
    const [near] = alice.opened[0] as [FakeChannel, FakeChannel];
    near.paused = true; // the sender's data stalls
    await jest.advanceTimersByTimeAsync(10_000);
    await expect(response).rejects.toMatchObject({ code: 'TRANSFER_TIMEOUT' });
    near.paused = false;
    const [result] = await sending;
    expect((result?.bob?.error as SkylinkError).message).toBe('Data transfer connection timed out - Longer than 10');
    expect(bob.rec.data).toEqual([]);
  });

  it('fails the sender when ACKs stop arriving', async () => {
    // Bob accepts in fast mode and then goes silent: a raw peer that never reads its channel.
    const alice = new Side('alice');
    const [aliceMain, bobMain] = channelPair('room1_alice_bob');
    let transferChannel: FakeChannel | null = null;
    let bobEnd: FakeChannel | null = null;
    alice.engine = new DataTransferEngine({
      getSelfId: () => 'alice',
      openChannel: (_room, _peer, label) => {
        [transferChannel, bobEnd] = channelPair(label);
        return transferChannel;
      },
      ...recorder(alice),
      digest: nodeDigest,
      logger: quietLogger(),
      tuning: { maxFrameBytes: FRAME, segmentChunks: 4, windowChunks: 8 },
    });
    alice.engine.addPeer('room1', 'bob', aliceMain);
    // A Blob-like whose reads resolve on microtasks (jsdom's FileReader uses timers jest cannot fake).
    const bytes = patternBytes(40 * 4096);
    const blobLike = {
      size: bytes.length,
      type: '',
      slice: (start: number, end: number) => ({ size: end - start, arrayBuffer: async () => bytes.slice(start, end).buffer }),
    } as unknown as Blob;
    const sending = alice.engine.sendBlobData('room1', blobLike, ['bob'], 10);
    await jest.advanceTimersByTimeAsync(0);
    const transferId = alice.rec.states[0]?.transferId;
    bobMain.send(JSON.stringify({ type: 'ACK', ackN: 0, sender: 'bob', transferId, fast: { version: 1 } }));
    // Let the pump run: fake queueMicrotask only runs when timers advance, promise chains in between.
    for (let i = 0; i < 20; i += 1) {
      await jest.advanceTimersByTimeAsync(0);
      for (let j = 0; j < 20; j += 1) await Promise.resolve();
    }
    expect(chunksSent(transferChannel as unknown as FakeChannel)).toBe(0); // waits for bob's ready ACK 0
    (bobEnd as unknown as FakeChannel).send(JSON.stringify({ type: 'ACK', ackN: 0, sender: 'bob', transferId }));
    for (let i = 0; i < 20; i += 1) {
      await jest.advanceTimersByTimeAsync(0);
      for (let j = 0; j < 20; j += 1) await Promise.resolve();
    }
    expect(chunksSent(transferChannel as unknown as FakeChannel)).toBe(8);
    await jest.advanceTimersByTimeAsync(9_999);
    expect(alice.rec.states.map((s) => s.state)).toEqual([S.USER_UPLOAD_REQUEST, S.UPLOAD_STARTED, S.UPLOADING]);
    await jest.advanceTimersByTimeAsync(1);
    const [result] = await sending;
    expect((result?.bob?.error as SkylinkError).code).toBe('TRANSFER_TIMEOUT');
  });
});
