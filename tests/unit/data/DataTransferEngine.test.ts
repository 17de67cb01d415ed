import { DATA_TRANSFER_STATE as S } from '../../../src/constants';
import { SkylinkError } from '../../../src/errors';
import { decodeChunkFrame, encodeChunkFrame, isTransferChannelLabel } from '../../../src/data/dataProtocol';
import type { DataChannelLike } from '../../../src/data/channel';
import { LARGE_FRAME_TUNING, type DataTransferEngineOptions } from '../../../src/data/DataTransferEngine';
import { blobBytes, enginePair, patternBytes, type Side } from './enginePair';
import { channelPair, FakeChannel, jsonSent } from './fakeChannel';

/** Small fast-mode frames so multi-segment transfers stay small: 4096-byte chunks, 16 KiB segments. */
const SMALL: Partial<DataTransferEngineOptions> = {
  tuning: { maxFrameBytes: 4104, segmentChunks: 4, windowChunks: 8, highWaterBytes: 16384, lowWaterBytes: 4096, closeGraceMs: 50 },
};
const CHUNK = 4096;

function pair(extra: { alice?: Partial<DataTransferEngineOptions>; bob?: Partial<DataTransferEngineOptions> } = {}) {
  return enginePair({ alice: { ...SMALL, ...extra.alice }, bob: { ...SMALL, ...extra.bob } });
}

/** Bob accepts every request as it comes. */
function autoAccept(bob: Side, room = 'room1'): Array<Promise<unknown>> {
  const responses: Array<Promise<unknown>> = [];
  const seen = new Set<string>();
  const original = bob.notify.bind(bob);
  bob.notify = () => {
    for (const r of bob.rec.requests) {
      if (!seen.has(r.transferId) && r.roomKey === room) {
        seen.add(r.transferId);
        const response = bob.engine.respondBlobRequest(room, r.peerId, r.transferId, true);
        response.catch(() => undefined); // asserted by the tests that care
        responses.push(response);
      }
    }
    original();
  };
  return responses;
}

describe('DataTransferEngine fast mode (two SDK peers)', () => {
  it('returns an exact channel label predicate', () => {
    expect(isTransferChannelLabel('skylink-dt:abc_1')).toBe(true);
    expect(isTransferChannelLabel('room_alice_bob')).toBe(false);
    expect(isTransferChannelLabel('skylink-dt:')).toBe(false);
  });

  it('accepts a real RTCDataChannel shape as DataChannelLike (compile-time check)', () => {
    const asLike = (c: RTCDataChannel): DataChannelLike => c;
    expect(typeof asLike).toBe('function');
  });

  it.each([1, CHUNK - 1, CHUNK, CHUNK + 1, 4 * CHUNK, 4 * CHUNK + 1, 11 * CHUNK + 17])(
    'transfers %i bytes byte-identically with every state in order',
    async (size) => {
      const { alice, bob } = pair();
      const responses = autoAccept(bob);
      const bytes = patternBytes(size, size);
      const file = new File([bytes], 'photo.bin', { type: 'application/x-test' });
      const results = await alice.engine.sendBlobData('room1', file, ['bob'], 5);
      const transferId = alice.rec.states[0]?.transferId as string;
      await bob.untilState(transferId, S.DOWNLOAD_COMPLETED);

      expect(results).toEqual([{ bob: { success: expect.objectContaining({ percentage: 100, data: file }), transferType: 'upload' } }]);
      const sender = alice.statesOf(transferId);
      expect(sender.slice(0, 3)).toEqual([S.USER_UPLOAD_REQUEST, S.UPLOAD_STARTED, S.UPLOADING]);
      expect(sender[sender.length - 1]).toBe(S.UPLOAD_COMPLETED);
      expect(new Set(sender.slice(2, -1))).toEqual(new Set([S.UPLOADING]));
      const receiver = bob.statesOf(transferId);
      expect(receiver.slice(0, 2)).toEqual([S.UPLOAD_REQUEST, S.DOWNLOAD_STARTED]);
      expect(receiver[receiver.length - 1]).toBe(S.DOWNLOAD_COMPLETED);
      expect(new Set(receiver.slice(2, -1)).size).toBeLessThanOrEqual(1);

      for (const side of [alice, bob]) {
        const pcts = side.rec.states.map((s) => s.transferInfo.percentage);
        expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
        expect(pcts[pcts.length - 1]).toBe(100);
        for (const s of side.rec.states) {
          expect(s).toMatchObject({ transferId, transferInfo: { name: 'photo.bin', mimeType: 'application/x-test', originalSize: size } });
          expect(s.transferInfo.data === null).toBe(s.transferInfo.percentage < 100);
        }
      }
      expect(alice.rec.states.every((s) => s.peerId === 'bob')).toBe(true);
      expect(bob.rec.states.every((s) => s.peerId === 'alice')).toBe(true);
      const done = bob.rec.states[bob.rec.states.length - 1];
      expect(done?.transferInfo).toMatchObject({ chunkType: 'arrayBuffer', chunkSize: CHUNK, direction: 'download' });
      expect(await blobBytes(done?.transferInfo.data as Blob)).toEqual(bytes);
      expect((done?.transferInfo.data as Blob).type).toBe('application/x-test');
      const [response] = await Promise.all(responses);
      expect(response).toEqual({ alice: { success: expect.objectContaining({ percentage: 100 }), transferType: 'download' } });

      expect(alice.rec.requests).toEqual([expect.objectContaining({ transferId, peerId: 'alice', isSelf: true })]);
      expect(bob.rec.requests).toEqual([expect.objectContaining({ transferId, peerId: 'alice', isSelf: false })]);
      expect(alice.rec.data).toEqual([expect.objectContaining({ transferId, peerId: 'bob', isSelf: true, data: file })]);
      expect(bob.rec.data).toEqual([expect.objectContaining({ transferId, peerId: 'alice', isSelf: false })]);
      await alice.until(() => alice.opened.every(([near]) => near.readyState === 'closed'), 'channel closed');
      expect(alice.engine.activeTransferCount()).toBe(0);
      expect(bob.engine.activeTransferCount()).toBe(0);
    },
  );

  it('sends binary chunks on a dedicated channel and only protocol JSON on the main channel', async () => {
    const { alice, bob, mains } = pair();
    autoAccept(bob);
    await alice.engine.sendBlobData('room1', new Blob([patternBytes(3 * CHUNK)]), ['bob']);
    const [aliceMain] = mains.get('room1') as [FakeChannel, FakeChannel];
    const wrq = jsonSent(aliceMain)[0];
    expect(wrq).toMatchObject({
      type: 'WRQ',
      size: 4 * Math.ceil((3 * CHUNK) / 3),
      originalSize: 3 * CHUNK,
      chunkSize: 49152,
      chunkType: 'binaryString',
      dataType: 'blob',
      timeout: 60,
      isPrivate: false,
      sender: 'alice',
      target: 'bob',
      fast: { version: 1, chunkSize: CHUNK, segmentChunks: 4, hash: 'sha256-segments' },
    });
    expect(aliceMain.sent.every((d) => typeof d === 'string' && d.startsWith('{'))).toBe(true);
    const [near] = alice.opened[0] as [FakeChannel, FakeChannel];
    const frames = near.sent.filter((d): d is ArrayBuffer => d instanceof ArrayBuffer).map((d) => decodeChunkFrame(d));
    expect(frames.map((f) => f?.index)).toEqual([0, 1, 2]);
    expect(jsonSent(near)).toEqual([{ type: 'END', transferId: wrq?.transferId, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it.each([
    ['unknown', undefined, 64 * 1024 - 8, 16],
    ['64 KiB', 64 * 1024, 64 * 1024 - 8, 16],
    ['256 KiB', 256 * 1024, 256 * 1024 - 8, 4],
    ['1 GiB', 2 ** 30, 256 * 1024 - 8, 4],
  ])('sizes large frames to the peer maxMessageSize (%s) and keeps 1 MiB segments', async (_name, max, chunkSize, segmentChunks) => {
    const { alice, mains } = enginePair({ alice: { getMaxMessageSize: () => max, tuning: LARGE_FRAME_TUNING } });
    void alice.engine.sendBlobData('room1', new Blob([patternBytes(100)]), ['bob']);
    const [aliceMain] = mains.get('room1') as [FakeChannel, FakeChannel];
    const wrq = jsonSent(aliceMain)[0];
    expect(wrq?.fast).toEqual({ version: 1, chunkSize, segmentChunks, hash: 'sha256-segments' });
    await alice.engine.cancelBlobTransfer('room1', 'bob', String(wrq?.transferId));
  });

  it('lets the sender read the Blob one segment at a time', async () => {
    const { alice, bob } = pair();
    autoAccept(bob);
    const blob = new Blob([patternBytes(10 * CHUNK)]);
    const slices: number[] = [];
    const slice = blob.slice.bind(blob);
    blob.slice = (start?: number, end?: number) => {
      const part = slice(start, end);
      slices.push(part.size);
      return part;
    };
    await alice.engine.sendBlobData('room1', blob, ['bob']);
    expect(Math.max(...slices)).toBe(4 * CHUNK);
    expect(slices.reduce((a, b) => a + b, 0)).toBe(10 * CHUNK);
  });

  it('runs transfers to several peers, in both directions and in several rooms at once', async () => {
    const { alice, bob, mains } = enginePair({ rooms: ['room1', 'room2'], alice: SMALL, bob: SMALL });
    // carol is a third engine-less peer of alice in room1 played by a second bob-like channel pair
    autoAccept(bob, 'room1');
    autoAccept(bob, 'room2');
    const aliceToBob = alice.engine.sendBlobData('room1', new Blob([patternBytes(9 * CHUNK, 1)]), ['bob']);
    const aliceToBob2 = alice.engine.sendBlobData('room2', new Blob([patternBytes(5 * CHUNK, 2)]), ['bob']);
    const aliceToBob3 = alice.engine.sendBlobData('room1', new Blob([patternBytes(7 * CHUNK, 3)]), ['bob']);
    const responses: Array<Promise<unknown>> = [];
    alice.notify = ((orig) => () => {
      for (const r of alice.rec.requests) {
        if (!r.isSelf && !(r as { answered?: boolean }).answered) {
          (r as { answered?: boolean }).answered = true;
          responses.push(alice.engine.respondBlobRequest(r.roomKey, r.peerId, r.transferId, true));
        }
      }
      orig();
    })(alice.notify.bind(alice));
    const bobToAlice = bob.engine.sendBlobData('room1', new Blob([patternBytes(6 * CHUNK, 4)]), ['alice']);
    const all = await Promise.all([aliceToBob, aliceToBob2, aliceToBob3, bobToAlice]);
    for (const [result] of all) expect(Object.values(result as object)[0]).toHaveProperty('success');
    await Promise.all(responses);
    const received = new Map(
      await Promise.all(
        [...bob.rec.data, ...alice.rec.data].filter((d) => !d.isSelf).map(async (d) => [`${d.roomKey}:${d.data.size}`, await blobBytes(d.data)] as const),
      ),
    );
    expect(received.get(`room1:${9 * CHUNK}`)).toEqual(patternBytes(9 * CHUNK, 1));
    expect(received.get(`room2:${5 * CHUNK}`)).toEqual(patternBytes(5 * CHUNK, 2));
    expect(received.get(`room1:${7 * CHUNK}`)).toEqual(patternBytes(7 * CHUNK, 3));
    expect(received.get(`room1:${6 * CHUNK}`)).toEqual(patternBytes(6 * CHUNK, 4));
    expect(new Set(alice.rec.states.filter((s) => s.state === S.UPLOAD_COMPLETED).map((s) => s.roomKey))).toEqual(new Set(['room1', 'room2']));
    expect(mains.size).toBe(2);
  });

  it("waits for its own end to open when the receiver's ready ACK arrives first (as Chrome can deliver it)", async () => {
    const { alice, bob } = pair({
      alice: {
        openChannel: (roomKey, peerId, label) => {
          const [near, far] = channelPair(label, { connecting: true });
          // The receiver's end opens first; what it sends reaches ours while ours still says `connecting`.
          far.send = ((data: string | ArrayBuffer) => {
            far.sent.push(data);
            queueMicrotask(() => near.emit('message', { data }));
          }) as FakeChannel['send'];
          setTimeout(() => {
            far.open();
            bob.engine.handleIncomingChannel(roomKey, 'alice', far);
            setTimeout(() => {
              far.send = FakeChannel.prototype.send.bind(far);
              near.open();
            }, 5);
          }, 0);
          alice.opened.push([near, far]);
          return near;
        },
      },
    });
    autoAccept(bob);
    const bytes = patternBytes(3 * CHUNK + 5, 3);
    const [result] = await alice.engine.sendBlobData('room1', new Blob([bytes]), ['bob']);
    expect(result?.bob).toHaveProperty('success');
    const transferId = alice.rec.states[0]?.transferId as string;
    await bob.untilState(transferId, S.DOWNLOAD_COMPLETED);
    expect(await blobBytes(bob.rec.data[0]?.data as Blob)).toEqual(bytes);
    expect(jsonSent((alice.opened[0] as [FakeChannel, FakeChannel])[1])[0]).toMatchObject({ type: 'ACK', ackN: 0 });
  });

  /**
   * A pair whose fast-mode channels get `tamper` applied to the receiver's (bob's) end before bob
   * gets it; both ends are open by then, as Chromium reports them.
   */
  function tamperedPair(tamper: (far: FakeChannel, send: (data: string | ArrayBuffer) => void) => void, bob: Partial<DataTransferEngineOptions> = {}) {
    const sides: { alice?: Side; bob?: Side } = {};
    const built = pair({
      bob,
      alice: {
        openChannel: (roomKey, _peerId, label) => {
          const [near, far] = channelPair(label, { connecting: true });
          tamper(far, FakeChannel.prototype.send.bind(far) as (data: string | ArrayBuffer) => void);
          sides.alice?.opened.push([near, far]);
          setTimeout(() => {
            near.open();
            far.open();
            sides.bob?.engine.handleIncomingChannel(roomKey, 'alice', far);
          }, 0);
          return near;
        },
      },
    });
    Object.assign(sides, built);
    return built;
  }
  const isReadyAck = (d: string | ArrayBuffer): boolean => typeof d === 'string' && JSON.parse(d).type === 'ACK' && JSON.parse(d).ackN === 0;

  it("repeats the receiver's ready ACK until the first chunk: a lost one no longer stalls the transfer", async () => {
    const ready: string[] = [];
    // Seen in Chromium under load: both ends open, bob's send() of ACK 0 returns normally, alice never gets it.
    const { alice, bob } = tamperedPair(
      (far, send) => {
        far.send = ((data: string | ArrayBuffer) => {
          if (isReadyAck(data)) ready.push(data as string);
          if (isReadyAck(data) && ready.length === 1) return; // lost
          send(data);
        }) as FakeChannel['send'];
      },
      { tuning: { ...SMALL.tuning, readyRepeatMs: 20 } },
    );
    autoAccept(bob);
    const bytes = patternBytes(9 * CHUNK + 1, 5);
    const [result] = await alice.engine.sendBlobData('room1', new Blob([bytes]), ['bob'], 2);
    expect(result?.bob).toHaveProperty('success');
    const transferId = alice.rec.states[0]?.transferId as string;
    await bob.untilState(transferId, S.DOWNLOAD_COMPLETED);
    expect(await blobBytes(bob.rec.data[0]?.data as Blob)).toEqual(bytes);
    expect(ready.length).toBeGreaterThanOrEqual(2);
    // Once chunks flow the repeats stop.
    const sentReady = ready.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(ready.length).toBe(sentReady);
  });

  it('ignores a repeated ready ACK once it is sending chunks', async () => {
    const { alice, bob } = tamperedPair((far, send) => {
      far.send = ((data: string | ArrayBuffer) => {
        send(data);
        if (isReadyAck(data)) send(data); // the repeat reaches alice right after she started sending
      }) as FakeChannel['send'];
    });
    autoAccept(bob);
    const bytes = patternBytes(6 * CHUNK, 6);
    const [result] = await alice.engine.sendBlobData('room1', new Blob([bytes]), ['bob']);
    expect(result?.bob).toHaveProperty('success');
    const far = (alice.opened[0] as [FakeChannel, FakeChannel])[1];
    expect(jsonSent(far).filter((m) => m.type === 'ACK' && m.ackN === 0)).toHaveLength(2);
  });

  it('sends to several peers with one transfer id, failing only the peer without a channel', async () => {
    const { alice, bob } = pair();
    autoAccept(bob);
    const results = await alice.engine.sendBlobData('room1', new Blob([patternBytes(100)]), ['bob', 'ghost', 'bob']);
    expect(results).toHaveLength(2);
    expect(results[0]?.bob).toHaveProperty('success');
    expect(results[1]?.ghost?.error).toBeInstanceOf(SkylinkError);
    expect((results[1]?.ghost?.error as SkylinkError).code).toBe('DATA_CHANNEL_NOT_OPEN');
    const ghost = alice.rec.states.filter((s) => s.peerId === 'ghost');
    expect(ghost.map((s) => s.state)).toEqual([S.ERROR]);
    expect(ghost[0]?.transferId).toBe(alice.rec.states.find((s) => s.peerId === 'bob')?.transferId);
  });
});

describe('DataTransferEngine answers, cancels and failures', () => {
  it('reports REJECTED to the sender and USER_REJECTED to the receiver', async () => {
    const { alice, bob } = pair();
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(10)]), ['bob']);
    await bob.until(() => bob.rec.requests.length === 1);
    const { transferId } = bob.rec.requests[0] as { transferId: string };
    const answer = await bob.engine.respondBlobRequest('room1', 'alice', transferId, false);
    expect(answer.alice?.transferType).toBe('download');
    expect((answer.alice?.error as SkylinkError).code).toBe('TRANSFER_REJECTED');
    const [result] = await sending;
    expect((result?.bob?.error as SkylinkError).code).toBe('TRANSFER_REJECTED');
    expect(alice.statesOf(transferId)).toEqual([S.USER_UPLOAD_REQUEST, S.REJECTED]);
    expect(bob.statesOf(transferId)).toEqual([S.UPLOAD_REQUEST, S.USER_REJECTED]);
    expect(alice.rec.states[1]?.error).toEqual({ message: expect.any(SkylinkError), transferType: 'upload' });
    await expect(bob.engine.respondBlobRequest('room1', 'alice', transferId, true)).rejects.toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
  });

  it('rejects a duplicate response and ignores a duplicate ACK', async () => {
    const { alice, bob, mains } = pair();
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(3 * CHUNK)]), ['bob']);
    await bob.until(() => bob.rec.requests.length === 1);
    const { transferId } = bob.rec.requests[0] as { transferId: string };
    const first = bob.engine.respondBlobRequest('room1', 'alice', transferId, true);
    await expect(bob.engine.respondBlobRequest('room1', 'alice', transferId, true)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    const [, bobMain] = mains.get('room1') as [FakeChannel, FakeChannel];
    bobMain.send(JSON.stringify({ type: 'ACK', ackN: 0, sender: 'bob', transferId, fast: { version: 1 } }));
    await first;
    await sending;
    expect(alice.statesOf(transferId).filter((s) => s === S.UPLOAD_STARTED)).toHaveLength(1);
    expect(alice.statesOf(transferId).pop()).toBe(S.UPLOAD_COMPLETED);
  });

  it.each(['sender', 'receiver'] as const)('delivers a cancel by the %s to the other side mid-transfer', async (who) => {
    const { alice, bob } = pair();
    autoAccept(bob);
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(40 * CHUNK)]), ['bob']);
    await bob.until(() => bob.rec.states.some((s) => s.state === S.DOWNLOADING), 'first DOWNLOADING');
    const transferId = bob.rec.states[0]?.transferId as string;
    const [canceller, other, otherPeer] = who === 'sender' ? [alice, bob, 'bob'] : [bob, alice, 'alice'];
    await expect(canceller.engine.cancelBlobTransfer('room1', otherPeer, transferId)).resolves.toEqual({ peerId: otherPeer, transferId });
    await other.untilState(transferId, S.CANCEL);
    const mine = canceller.rec.states.find((s) => s.state === S.CANCEL);
    const theirs = other.rec.states.find((s) => s.state === S.CANCEL);
    expect(mine?.error?.message).toBe('User cancelled data transfer');
    expect(theirs?.error?.message).toBe('Remote peer cancelled data transfer');
    const [result] = await sending;
    expect(result?.bob).toHaveProperty('error');
    expect(bob.rec.data).toEqual([]);
    expect(bob.statesOf(transferId)).not.toContain(S.DOWNLOAD_COMPLETED);
    await expect(canceller.engine.cancelBlobTransfer('room1', otherPeer, transferId)).rejects.toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
  });

  it('cancels a request before it is answered', async () => {
    const { alice, bob } = pair();
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(10)]), ['bob']);
    await bob.until(() => bob.rec.requests.length === 1);
    const { transferId } = bob.rec.requests[0] as { transferId: string };
    await alice.engine.cancelBlobTransfer('room1', 'bob', transferId);
    await bob.untilState(transferId, S.CANCEL);
    await sending;
    await expect(bob.engine.respondBlobRequest('room1', 'alice', transferId, true)).rejects.toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
  });

  it('fails the download and withholds the Blob when the content hash does not match', async () => {
    const { alice, bob } = pair({
      alice: {
        // The sender's hash is computed over different bytes.
        digest: async (data) => (await import('node:crypto')).webcrypto.subtle.digest('SHA-256', new Uint8Array([...data, 1])),
      },
    });
    const responses = autoAccept(bob);
    const [result] = await alice.engine.sendBlobData('room1', new Blob([patternBytes(9 * CHUNK)]), ['bob']);
    expect((result?.bob?.error as SkylinkError).message).toBe('Data integrity check failed - SHA-256 mismatch');
    await expect(responses[0]).rejects.toMatchObject({ code: 'TRANSFER_ERROR', message: 'Data integrity check failed - SHA-256 mismatch' });
    const transferId = bob.rec.states[0]?.transferId as string;
    expect(bob.statesOf(transferId).pop()).toBe(S.ERROR);
    expect(bob.statesOf(transferId)).not.toContain(S.DOWNLOAD_COMPLETED);
    expect(bob.rec.data).toEqual([]);
    expect(bob.rec.states.every((s) => s.transferInfo.data === null)).toBe(true);
  });

  it.each([
    ['an out-of-order chunk', (i: number) => encodeChunkFrame(i + 1, new Uint8Array(CHUNK))],
    ['a chunk of the wrong length', (i: number) => encodeChunkFrame(i, new Uint8Array(CHUNK - 1))],
    ['a frame without our header', () => new Uint8Array(CHUNK).buffer],
    ['an END before the last chunk', () => JSON.stringify({ type: 'END', transferId: 'x', hash: null })],
  ])('fails both sides on %s', async (_name, forge) => {
    const { alice, bob } = pair();
    const responses = autoAccept(bob);
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(40 * CHUNK)]), ['bob']);
    await bob.until(() => bob.rec.states.some((s) => s.state === S.DOWNLOADING), 'DOWNLOADING');
    const [near] = alice.opened[0] as [FakeChannel, FakeChannel];
    near.paused = true;
    await Promise.resolve();
    near.flush();
    const received = bob.rec.states.filter((s) => s.state === S.DOWNLOADING).length;
    near.paused = false;
    // Inject the forged frame as if the sender had sent it next (index unknown to the forger: use a late one).
    const frame = forge(received * 4 + 1000);
    (near.peer as FakeChannel).emit('message', { data: frame });
    const [result] = await sending;
    expect(result?.bob).toHaveProperty('error');
    await expect(responses[0]).rejects.toMatchObject({ code: 'TRANSFER_ERROR' });
    expect(bob.rec.data).toEqual([]);
    expect(bob.rec.states[bob.rec.states.length - 1]?.state).toBe(S.ERROR);
  });

  it('fails with ERROR when the transfer channel cannot be opened', async () => {
    const { alice, bob } = pair();
    alice.openFails = true;
    const responses = autoAccept(bob);
    const [result] = await alice.engine.sendBlobData('room1', new Blob([patternBytes(10)]), ['bob']);
    expect((result?.bob?.error as SkylinkError).message).toBe('Unable to open a data channel for the transfer');
    await expect(responses[0]).rejects.toMatchObject({ code: 'TRANSFER_ERROR' });
  });

  it('ends in-flight transfers with ERROR when the peer leaves or the room is released', async () => {
    const { alice, bob } = pair();
    const responses = autoAccept(bob);
    const sending = alice.engine.sendBlobData('room1', new Blob([patternBytes(40 * CHUNK)]), ['bob']);
    await bob.until(() => bob.rec.states.some((s) => s.state === S.DOWNLOADING), 'DOWNLOADING');
    bob.engine.peerLeft('room1', 'alice');
    await expect(responses[0]).rejects.toMatchObject({ message: 'Peer left the room before the transfer completed' });
    expect(bob.rec.data).toEqual([]);
    expect(bob.engine.activeTransferCount('room1')).toBe(0);
    // Bob dropped the transfer channel: the sender fails too instead of hanging.
    const [result] = await sending;
    expect((result?.bob?.error as SkylinkError).code).toBe('TRANSFER_ERROR');
    expect(alice.rec.states[alice.rec.states.length - 1]?.state).toBe(S.ERROR);
    expect(alice.rec.data).toEqual([]);
  });

  it('releases a room: pending requests and uploads end with ERROR and nothing is left', async () => {
    const { alice, bob } = pair();
    const upload = alice.engine.sendBlobData('room1', new Blob([patternBytes(10)]), ['bob']);
    const download = bob.engine.sendBlobData('room1', new Blob([patternBytes(10)]), ['alice']);
    await alice.until(() => alice.rec.requests.length === 2);
    alice.engine.releaseRoom('room1');
    const [result] = await upload;
    expect((result?.bob?.error as SkylinkError).message).toBe('Left the room before the transfer completed');
    expect(alice.rec.states.filter((s) => s.state === S.ERROR)).toHaveLength(2);
    expect(alice.engine.activeTransferCount()).toBe(0);
    expect(alice.engine.transferIds('room1', 'bob')).toEqual([]);
    // The peer is told (ERROR on the main channel), so its side does not wait for a timeout.
    const [bobResult] = await download;
    expect(bobResult?.alice).toHaveProperty('error');
    await bob.until(() => bob.engine.activeTransferCount() === 0, 'bob idle');
  });

  it('rejects bad arguments with a SkylinkError', async () => {
    const { alice } = pair();
    const e = alice.engine;
    await expect(e.sendBlobData('room1', 'text' as unknown as Blob, ['bob'])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Unable to send Blob data - Data is not type Blob',
    });
    await expect(e.sendBlobData('room1', new Blob([]), ['bob'])).rejects.toMatchObject({ message: 'Unable to send Blob data - Invalid data' });
    await expect(e.sendBlobData('room1', new Blob(['x']), ['bob'], -1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(e.sendBlobData('room1', new Blob(['x']), [42 as unknown as string])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(e.sendBlobData('room1', new Blob(['x']), [])).rejects.toMatchObject({ code: 'NO_PEERS' });
    await expect(e.respondBlobRequest('room1', 'bob', '', true)).rejects.toMatchObject({ message: 'Data download terminated - No Transfer ID' });
    await expect(e.respondBlobRequest('room1', '', 't', true)).rejects.toMatchObject({ message: 'Data download terminated - No Peer ID' });
    await expect(e.respondBlobRequest('room1', 'nobody', 't', true)).rejects.toMatchObject({ code: 'PEER_NOT_FOUND' });
    await expect(e.cancelBlobTransfer('room1', 'bob', 'nope')).rejects.toMatchObject({ code: 'TRANSFER_NOT_FOUND' });
    expect(alice.rec.states).toEqual([]);
  });

  it('leaves P2P MESSAGE frames to messaging and drops malformed frames without side effects', async () => {
    const { bob, mains } = pair();
    const [aliceMain] = mains.get('room1') as [FakeChannel, FakeChannel];
    aliceMain.send(JSON.stringify({ type: 'MESSAGE', isPrivate: true, sender: 'alice', target: 'bob', data: { hello: 1 } }));
    aliceMain.send('{not json');
    aliceMain.send(JSON.stringify({ type: 'WRQ', originalSize: -1 }));
    aliceMain.send('QUJD'); // a chunk without a transfer
    await bob.until(() => bob.logs.filter((l) => l.startsWith('Dropping')).length === 3, 'three dropped frames');
    // The MESSAGE frame is neither logged as dropped nor reported: RoomMessaging is its only consumer.
    expect(bob.logs.some((l) => l.includes('MESSAGE'))).toBe(false);
    expect(bob.rec.states).toEqual([]);
    expect(bob.rec.requests).toEqual([]);
    expect(bob.engine.activeTransferCount()).toBe(0);
  });
});
