/**
 * 2.x wire mode: what an original skylinkjs 2.x peer sends and expects (skylink-protocol.md section 4,
 * skylink-wire-observed.md section 7). The "2.x peer" here is the test itself, speaking raw frames.
 */
import { CHUNK_FILE_SIZE, DATA_TRANSFER_STATE as S } from '../../../src/constants';
import { SkylinkError } from '../../../src/errors';
import { bytesToBase64 } from '../../../src/data/chunking';
import { DataTransferEngine } from '../../../src/data/DataTransferEngine';
import { blobBytes, enginePair, nodeDigest, patternBytes, quietLogger, recorder, Side } from './enginePair';
import { channelPair, jsonSent, type FakeChannel } from './fakeChannel';

const C = CHUNK_FILE_SIZE;

/** Alice on an engine, "bob" a raw 2.x peer on the other end of the main channel. */
function withLegacyPeer(): { alice: Side; raw: FakeChannel; frames: () => Array<string | ArrayBuffer> } {
  const alice = new Side('alice');
  alice.engine = new DataTransferEngine({
    getSelfId: () => 'alice',
    openChannel: () => {
      throw new Error('a 2.x peer never gets a transfer channel');
    },
    ...recorder(alice),
    digest: nodeDigest,
    logger: quietLogger(alice.logs),
  });
  const [mine, raw] = channelPair('room1_bob_alice');
  alice.engine.addPeer('room1', 'bob', mine);
  const received: Array<string | ArrayBuffer> = [];
  raw.addEventListener('message', ((e: { data: string | ArrayBuffer }) => {
    received.push(e.data);
    alice.notify();
  }) as unknown as EventListener);
  return { alice, raw, frames: () => received };
}

const send = (raw: FakeChannel, m: object): void => raw.send(JSON.stringify(m));

describe('2.x mode with an original 2.x peer', () => {
  it('uploads exactly as 2.x: WRQ, ACK per chunk, base64 chunks of 49152 bytes, last byte kept', async () => {
    const { alice, raw, frames } = withLegacyPeer();
    const bytes = patternBytes(2 * C + 1);
    const sending = alice.engine.sendBlobData('room1', new File([bytes], 'a.bin', { type: 'text/x-a' }), ['bob'], 30);
    await alice.until(() => frames().length === 1);
    const wrq = JSON.parse(frames()[0] as string) as Record<string, unknown>;
    expect(wrq).toMatchObject({
      type: 'WRQ',
      name: 'a.bin',
      size: 4 * Math.ceil((2 * C + 1) / 3),
      originalSize: 2 * C + 1,
      dataType: 'blob',
      mimeType: 'text/x-a',
      chunkType: 'binaryString',
      chunkSize: 49152,
      timeout: 30,
      isPrivate: false,
      sender: 'alice',
      target: 'bob',
    });
    expect(wrq.transferId).toMatch(/^alice_\d+$/);
    const chunks: string[] = [];
    for (let ackN = 0; ackN <= 2; ackN += 1) {
      send(raw, { type: 'ACK', sender: 'bob', ackN }); // 2.x ACKs carry no transferId
      await alice.until(() => frames().length === ackN + 2, `chunk ${ackN}`);
      chunks.push(frames()[ackN + 1] as string);
    }
    expect(chunks.map((c) => c.length)).toEqual([65536, 65536, 4]);
    expect(chunks.join('').length).toBe(wrq.size);
    expect(Buffer.concat(chunks.map((c) => Buffer.from(c, 'base64')))).toEqual(Buffer.from(bytes));
    send(raw, { type: 'ACK', sender: 'bob', ackN: 3 });
    const [result] = await sending;
    expect(result?.bob?.success).toMatchObject({ percentage: 100, chunkType: 'binaryString', chunkSize: C });
    const id = wrq.transferId as string;
    expect(alice.statesOf(id)).toEqual([S.USER_UPLOAD_REQUEST, S.UPLOAD_STARTED, S.UPLOADING, S.UPLOADING, S.UPLOADING, S.UPLOAD_COMPLETED]);
    expect(alice.rec.states.map((s) => s.transferInfo.percentage)).toEqual([0, 0, 0, 33.33, 66.67, 100]);
  });

  it('downloads exactly as 2.x and keeps name and MIME type', async () => {
    const { alice, raw, frames } = withLegacyPeer();
    const bytes = patternBytes(C + 1, 7);
    const transferId = 'bob_1700000000000';
    send(raw, {
      type: 'WRQ', transferId, name: 'b.txt', size: 4 * Math.ceil((C + 1) / 3), originalSize: C + 1, dataType: 'blob',
      mimeType: 'text/plain', chunkType: 'binaryString', chunkSize: C, timeout: 60, isPrivate: false, sender: 'bob',
      agent: 'chrome', version: 120, target: 'alice',
    });
    await alice.untilState(transferId, S.UPLOAD_REQUEST);
    expect(alice.rec.requests).toEqual([expect.objectContaining({ transferId, peerId: 'bob', isSelf: false })]);
    const answered = alice.engine.respondBlobRequest('room1', 'bob', transferId, true);
    await alice.until(() => frames().length === 1);
    expect(JSON.parse(frames()[0] as string)).toMatchObject({ type: 'ACK', ackN: 0, sender: 'alice' });
    expect(JSON.parse(frames()[0] as string)).not.toHaveProperty('fast');
    raw.send(bytesToBase64(bytes.subarray(0, C)));
    await alice.until(() => frames().length === 2);
    raw.send(bytesToBase64(bytes.subarray(C)));
    const result = await answered;
    expect(jsonSent(raw)).toHaveLength(1); // the WRQ; chunks are raw base64 text
    expect(frames().map((f) => JSON.parse(f as string).ackN)).toEqual([0, 1, 2]);
    expect(alice.statesOf(transferId)).toEqual([S.UPLOAD_REQUEST, S.DOWNLOAD_STARTED, S.DOWNLOADING, S.DOWNLOAD_COMPLETED]);
    const blob = result.bob?.success?.data as Blob;
    expect(blob.type).toBe('text/plain');
    expect(await blobBytes(blob)).toEqual(bytes);
    expect(alice.rec.data[0]).toMatchObject({ transferId, peerId: 'bob', isSelf: false, transferInfo: { name: 'b.txt' } });
  });

  it('times out instead of hanging when a buggy 2.x sender drops the last byte of a k*49152+1 file', async () => {
    jest.useFakeTimers();
    try {
      const { alice, raw, frames } = withLegacyPeer();
      const transferId = 'bob_1';
      send(raw, { type: 'WRQ', transferId, name: 'x', size: 4 * Math.ceil((C + 1) / 3), originalSize: C + 1, chunkSize: C, timeout: 10, sender: 'bob' });
      await jest.advanceTimersByTimeAsync(0);
      const answered = alice.engine.respondBlobRequest('room1', 'bob', transferId, true);
      const outcome = answered.then(() => 'resolved', (e: SkylinkError) => e.code);
      await jest.advanceTimersByTimeAsync(0);
      raw.send(bytesToBase64(patternBytes(C))); // 2.x sends chunk 0 ...
      await jest.advanceTimersByTimeAsync(0);
      expect(JSON.parse(frames()[1] as string).ackN).toBe(1); // ... we ask for chunk 1, which 2.x takes as "done"
      await jest.advanceTimersByTimeAsync(10_000);
      await expect(outcome).resolves.toBe('TRANSFER_TIMEOUT');
      expect(alice.statesOf(transferId).pop()).toBe(S.ERROR);
      expect(alice.rec.data).toEqual([]);
      expect(JSON.parse(frames()[2] as string)).toMatchObject({ type: 'ERROR', content: 'Data transfer connection timed out - Longer than 10' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails on a forged chunk of the wrong length', async () => {
    const { alice, raw } = withLegacyPeer();
    send(raw, { type: 'WRQ', transferId: 'bob_2', name: 'x', size: 8, originalSize: 5, chunkSize: C, sender: 'bob' });
    await alice.untilState('bob_2', S.UPLOAD_REQUEST);
    const answered = alice.engine.respondBlobRequest('room1', 'bob', 'bob_2', true);
    raw.send(bytesToBase64(patternBytes(4)));
    await expect(answered).rejects.toMatchObject({ code: 'TRANSFER_ERROR' });
    expect(alice.rec.data).toEqual([]);
  });

  it('queues a second upload until the 2.x main channel is free', async () => {
    const { alice, raw, frames } = withLegacyPeer();
    const first = alice.engine.sendBlobData('room1', new Blob([patternBytes(10)]), ['bob']);
    const second = alice.engine.sendBlobData('room1', new Blob([patternBytes(20)]), ['bob']);
    await alice.until(() => frames().length === 1);
    await Promise.resolve();
    expect(frames()).toHaveLength(1);
    send(raw, { type: 'ACK', sender: 'bob', ackN: 0 });
    await alice.until(() => frames().length === 2);
    send(raw, { type: 'ACK', sender: 'bob', ackN: 1 });
    await first;
    await alice.until(() => frames().length === 3, 'second WRQ');
    expect(JSON.parse(frames()[2] as string)).toMatchObject({ type: 'WRQ', originalSize: 20 });
    send(raw, { type: 'ACK', sender: 'bob', ackN: -1 });
    const [result] = await second;
    expect((result?.bob?.error as SkylinkError).code).toBe('TRANSFER_REJECTED');
  });

  it('refuses a second 2.x request while one is running, as 2.x does', async () => {
    const { alice, raw, frames } = withLegacyPeer();
    send(raw, { type: 'WRQ', transferId: 'bob_3', name: 'x', size: 8, originalSize: 5, chunkSize: C, sender: 'bob' });
    await alice.untilState('bob_3', S.UPLOAD_REQUEST);
    send(raw, { type: 'WRQ', transferId: 'bob_4', name: 'y', size: 8, originalSize: 5, chunkSize: C, sender: 'bob' });
    await alice.until(() => frames().length === 1);
    expect(JSON.parse(frames()[0] as string)).toMatchObject({ type: 'ACK', ackN: -1 });
    expect(alice.rec.requests).toHaveLength(1);
  });

  it('maps CANCEL and ERROR without transferId to the running 2.x transfer', async () => {
    const { alice, raw } = withLegacyPeer();
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(3 * C)]), ['bob']);
    await alice.until(() => alice.rec.states.length === 1);
    send(raw, { type: 'ACK', sender: 'bob', ackN: 0 });
    await alice.until(() => alice.rec.states.some((s) => s.state === S.UPLOADING));
    send(raw, { type: 'CANCEL', sender: 'bob', content: 'Remote peer cancelled data transfer', name: 'x', ackN: 0 });
    const [result] = await sending;
    expect(result?.bob?.error).toBe('Remote peer cancelled data transfer');
    const id = alice.rec.states[0]?.transferId as string;
    expect(alice.statesOf(id).pop()).toBe(S.CANCEL);

    send(raw, { type: 'WRQ', transferId: 'bob_5', name: 'x', size: 8, originalSize: 5, chunkSize: C, sender: 'bob' });
    await alice.untilState('bob_5', S.UPLOAD_REQUEST);
    const answered = alice.engine.respondBlobRequest('room1', 'bob', 'bob_5', true);
    send(raw, { type: 'ERROR', sender: 'bob', content: 'Data transfer connection timed out - Longer than 60', name: 'x' });
    await expect(answered).rejects.toMatchObject({ message: 'Data transfer connection timed out - Longer than 60' });
  });
});

describe('2.x mode between two engines (fast mode disabled)', () => {
  it('transfers 49153 bytes with base64 chunks on the main channel', async () => {
    const { alice, bob, mains } = enginePair({ alice: { enableFastTransfer: false }, bob: { enableFastTransfer: false } });
    const bytes = patternBytes(49153, 3);
    const sending = alice.engine.sendBlobData('room1', new Blob([bytes]), ['bob']);
    await bob.until(() => bob.rec.requests.length === 1);
    const { transferId } = bob.rec.requests[0] as { transferId: string };
    const answered = bob.engine.respondBlobRequest('room1', 'alice', transferId, true);
    await sending;
    const result = await answered;
    expect(await blobBytes(result.alice?.success?.data as Blob)).toEqual(bytes);
    const [aliceMain] = mains.get('room1') as [FakeChannel, FakeChannel];
    expect(jsonSent(aliceMain)[0]).not.toHaveProperty('fast');
    expect(aliceMain.sent.filter((d) => typeof d === 'string' && !d.startsWith('{')).map((d) => (d as string).length)).toEqual([65536, 4]);
    expect(alice.opened).toHaveLength(0);
  });

  it('falls back to 2.x mode when only the sender offers fast mode', async () => {
    const { alice, bob } = enginePair({ bob: { enableFastTransfer: false } });
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(100)]), ['bob']);
    await bob.until(() => bob.rec.requests.length === 1);
    const { transferId } = bob.rec.requests[0] as { transferId: string };
    await bob.engine.respondBlobRequest('room1', 'alice', transferId, true);
    const [result] = await sending;
    expect(result?.bob?.success?.chunkType).toBe('binaryString');
  });
});
