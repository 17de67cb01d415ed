/**
 * Blob transfers over real WebRTC data channels (node-webrtc): fast mode between two engines, and the
 * 2.x wire mode against a minimal original-2.x peer, in both directions, byte-identical (SHA-256).
 */
import { DATA_TRANSFER_STATE as S } from '../../../src/constants';
import type { DataChannelLike } from '../../../src/data/channel';
import {
  closeAll,
  connect,
  engineSide,
  Legacy2xPeer,
  newPeerConnection,
  randomBytes,
  sha256,
  until,
  type EngineSide,
} from './wrtcPair';

jest.setTimeout(60000);

const ROOM = 'room1';
const MiB = 1024 * 1024;

describe('fast mode over node-webrtc', () => {
  let alice: EngineSide;
  let bob: EngineSide;
  let mains: RTCDataChannel[];

  beforeAll(async () => {
    const a = newPeerConnection();
    const b = newPeerConnection();
    alice = engineSide('alice', a, ROOM);
    bob = engineSide('bob', b, ROOM);
    mains = await connect(a, b, `${ROOM}_alice_bob`);
    alice.engine.addPeer(ROOM, 'bob', mains[0] as unknown as DataChannelLike);
    bob.engine.addPeer(ROOM, 'alice', mains[1] as unknown as DataChannelLike);
  });

  afterAll(() => {
    alice.engine.releaseRoom(ROOM);
    bob.engine.releaseRoom(ROOM);
    closeAll([...mains, ...alice.channels, ...bob.channels], [alice.pc, bob.pc]);
  });

  it.each([1, 49153, 3 * MiB + 7])('sends %i bytes byte-identically on a dedicated channel', async (size) => {
    const bytes = randomBytes(size, size);
    const [result] = await alice.engine.sendBlobData(ROOM, new Blob([bytes], { type: 'application/x-test' }), ['bob']);
    expect(result?.bob?.success?.chunkType).toBe('arrayBuffer');
    const transferId = alice.states[alice.states.length - 1]?.transferId as string;
    await until(() => bob.data.some((d) => d.transferId === transferId), 'DOWNLOAD_COMPLETED');
    const received = bob.data.find((d) => d.transferId === transferId)?.data as Blob;
    expect(received.size).toBe(size);
    expect(received.type).toBe('application/x-test');
    expect(sha256(new Uint8Array(await received.arrayBuffer()))).toBe(sha256(bytes));
    const receiverStates = bob.states.filter((s) => s.transferId === transferId).map((s) => s.state);
    expect(receiverStates[0]).toBe(S.UPLOAD_REQUEST);
    expect(receiverStates[receiverStates.length - 1]).toBe(S.DOWNLOAD_COMPLETED);
    const pcts = bob.states.filter((s) => s.transferId === transferId).map((s) => s.transferInfo.percentage);
    expect(pcts).toEqual([...pcts].sort((x, y) => x - y));
    // The chunk size follows the negotiated sctp.maxMessageSize, capped at 64 KiB frames.
    expect(result?.bob?.success?.chunkSize).toBe(65536 - 8);
  });

  it('runs transfers in both directions at once, chat still flowing on the main channel', async () => {
    const one = randomBytes(2 * MiB, 11);
    const two = randomBytes(MiB + 3, 12);
    const three = randomBytes(700000, 13);
    const messages: unknown[] = [];
    const sends = [
      alice.engine.sendBlobData(ROOM, new Blob([one]), ['bob']),
      alice.engine.sendBlobData(ROOM, new Blob([two]), ['bob']),
      bob.engine.sendBlobData(ROOM, new Blob([three]), ['alice']),
    ];
    mains[1]?.addEventListener('message', (e) => messages.push(e.data));
    mains[0]?.send(JSON.stringify({ type: 'MESSAGE', isPrivate: false, sender: 'alice', target: null, data: 'hi while transferring' }));
    const results = await Promise.all(sends);
    for (const [r] of results) expect(Object.values(r as object)[0]).toHaveProperty('success');
    const hashes = new Set(
      await Promise.all([...bob.data, ...alice.data].filter((d) => !d.isSelf).map(async (d) => sha256(new Uint8Array(await d.data.arrayBuffer())))),
    );
    for (const b of [one, two, three]) expect(hashes.has(sha256(b))).toBe(true);
    expect(messages.some((m) => typeof m === 'string' && m.includes('hi while transferring'))).toBe(true);
  });

  it('cancels from the receiver side mid-transfer and the sender sees CANCEL', async () => {
    const before = bob.states.length;
    const sending = alice.engine.sendBlobData(ROOM, new Blob([randomBytes(32 * MiB, 5)]), ['bob']);
    const fresh = (): typeof bob.states => bob.states.slice(before);
    await until(() => fresh().some((s) => s.state === S.DOWNLOADING && s.transferInfo.percentage > 1), 'progress');
    const transferId = fresh()[0]?.transferId as string;
    await bob.engine.cancelBlobTransfer(ROOM, 'alice', transferId);
    const [result] = await sending;
    expect(result?.bob?.error).toBe('Remote peer cancelled data transfer');
    expect(alice.states.filter((s) => s.transferId === transferId).pop()?.state).toBe(S.CANCEL);
    expect(bob.data.some((d) => d.transferId === transferId)).toBe(false);
  });
});

describe('2.x wire mode against an original 2.x peer over node-webrtc', () => {
  let alice: EngineSide;
  let legacy: Legacy2xPeer;
  let mains: RTCDataChannel[];
  let legacyPc: RTCPeerConnection;

  beforeAll(async () => {
    const a = newPeerConnection();
    legacyPc = newPeerConnection();
    alice = engineSide('alice', a, ROOM);
    mains = await connect(legacyPc, a, `${ROOM}_legacy_alice`);
    legacy = new Legacy2xPeer('legacy', mains[0] as RTCDataChannel);
    alice.engine.addPeer(ROOM, 'legacy', mains[1] as unknown as DataChannelLike);
  });

  afterAll(() => {
    alice.engine.releaseRoom(ROOM);
    closeAll([...mains, ...alice.channels], [alice.pc, legacyPc]);
  });

  it.each([49153, 300 * 1024 + 1])('uploads %i bytes to the 2.x peer byte-identically', async (size) => {
    const bytes = randomBytes(size, 21);
    legacy.onRequest = () => legacy.accept();
    const [result] = await alice.engine.sendBlobData(ROOM, new File([bytes], 'legacy.bin'), ['legacy']);
    expect(result?.legacy?.success).toMatchObject({ chunkType: 'binaryString', chunkSize: 49152, percentage: 100 });
    const got = legacy.completed[legacy.completed.length - 1];
    expect(got?.name).toBe('legacy.bin');
    expect(sha256(got?.bytes as Uint8Array)).toBe(sha256(bytes));
    // The 2.x peer saw only 2.x-shaped messages it understands (extra fields are ignored by 2.x).
    expect(legacy.log.filter((m) => m.type === 'WRQ').pop()).toMatchObject({ chunkSize: 49152, size: 4 * Math.ceil(size / 3) });
  });

  it('downloads from the 2.x peer byte-identically', async () => {
    const bytes = randomBytes(3 * 49152 + 1, 22);
    const outcome = legacy.send(bytes, 'from-2x.bin', 'alice');
    await expect(outcome).resolves.toBe('completed');
    await until(() => alice.data.some((d) => d.transferInfo.name === 'from-2x.bin'), 'download');
    const got = alice.data.find((d) => d.transferInfo.name === 'from-2x.bin')?.data as Blob;
    expect(sha256(new Uint8Array(await got.arrayBuffer()))).toBe(sha256(bytes));
    expect(alice.channels).toHaveLength(0); // 2.x mode never opens a transfer channel
  });
});
