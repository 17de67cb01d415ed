import { webcrypto } from 'node:crypto';
import { CHUNK_FILE_SIZE } from '../../../src/constants';
import {
  base64Length,
  base64ToBytes,
  bytesToBase64,
  chunkBounds,
  chunkCount,
  chunkLength,
  percentage,
} from '../../../src/data/chunking';
import { SegmentAssembler } from '../../../src/data/SegmentAssembler';
import { SegmentHasher } from '../../../src/data/SegmentHasher';
import { blobBytes, nodeDigest, patternBytes } from './enginePair';

const C = CHUNK_FILE_SIZE;

/** Splits like the sender, reassembles like the receiver. */
function roundTrip(bytes: Uint8Array, chunkSize: number, segmentSize: number): Blob {
  const assembler = new SegmentAssembler(bytes.length, segmentSize);
  for (let i = 0; i < chunkCount(bytes.length, chunkSize); i += 1) {
    const { start, end } = chunkBounds(i, bytes.length, chunkSize);
    const text = bytesToBase64(bytes.subarray(start, end));
    expect(text.length).toBe(base64Length(end - start));
    assembler.append(base64ToBytes(text) as Uint8Array);
  }
  expect(assembler.receivedBytes).toBe(bytes.length);
  return assembler.toBlob(null);
}

describe('chunk arithmetic', () => {
  it.each([
    [0, 0],
    [1, 1],
    [C - 1, 1],
    [C, 1],
    [C + 1, 2],
    [3 * C + 1, 4],
  ])('%i bytes make %i chunks, the last one holding the remainder', (size, count) => {
    expect(chunkCount(size, C)).toBe(count);
    let total = 0;
    for (let i = 0; i < count; i += 1) total += chunkLength(i, size, C);
    expect(total).toBe(size);
    if (count > 0) expect(chunkBounds(count - 1, size, C).end).toBe(size);
  });

  it('keeps the last byte of a k*49152+1 byte payload (2.x drops it)', () => {
    expect(chunkBounds(1, 49153, C)).toEqual({ start: 49152, end: 49153 });
    expect(chunkBounds(3, 3 * C + 1, C)).toEqual({ start: 3 * C, end: 3 * C + 1 });
  });

  it('rejects chunk indexes outside the payload and bad sizes', () => {
    expect(() => chunkBounds(2, 49153, C)).toThrow(RangeError);
    expect(() => chunkBounds(-1, 10, C)).toThrow(RangeError);
    expect(() => chunkBounds(0, 0, C)).toThrow(RangeError);
    expect(() => chunkCount(-1, C)).toThrow(RangeError);
    expect(() => chunkCount(10, 0)).toThrow(RangeError);
  });

  it('computes the 2.x base64 size and percentages that only reach 100 at the end', () => {
    expect(base64Length(1048576)).toBe(1398104);
    expect(base64Length(1)).toBe(4);
    expect(percentage(0, 10)).toBe(0);
    expect(percentage(1, 3)).toBe(33.33);
    expect(percentage(99999, 100000)).toBe(99.99);
    expect(percentage(10, 10)).toBe(100);
  });
});

describe('base64', () => {
  it('matches the platform encoder on every length and round-trips', () => {
    for (let n = 0; n < 70; n += 1) {
      const bytes = patternBytes(n, n);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(base64ToBytes(text) as Uint8Array)).toEqual(Array.from(bytes));
    }
    const big = patternBytes(C + 7);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('ignores whitespace like 2.x but refuses anything that is not base64', () => {
    expect(Array.from(base64ToBytes('AQ\nID\r\n') as Uint8Array)).toEqual([1, 2, 3]);
    expect(base64ToBytes('AQI')).toBeNull();
    expect(base64ToBytes('A=BC')).toBeNull();
    expect(base64ToBytes('AB*D')).toBeNull();
    expect(base64ToBytes('AQIDé===')).toBeNull();
  });
});

describe('reassembly at chunk boundaries', () => {
  it.each([1, C - 1, C, C + 1, 2 * C + 1])('%i bytes come back identical', async (size) => {
    const bytes = patternBytes(size, size);
    const blob = roundTrip(bytes, C, 100000);
    expect(blob.size).toBe(size);
    expect(await blobBytes(blob)).toEqual(bytes);
  });

  it('refuses bytes beyond the announced size and incomplete results', () => {
    const assembler = new SegmentAssembler(10, 4);
    assembler.append(new Uint8Array(6));
    expect(() => assembler.toBlob(null)).toThrow(RangeError);
    expect(() => assembler.append(new Uint8Array(5))).toThrow(RangeError);
    assembler.append(new Uint8Array(4));
    expect(assembler.toBlob('text/plain').type).toBe('text/plain');
  });

  it('hands every segment to the hash callback exactly once, in order', () => {
    const seen: Array<[number, number]> = [];
    const assembler = new SegmentAssembler(10, 4, (i, b) => seen.push([i, b.length]));
    assembler.append(new Uint8Array(3));
    assembler.append(new Uint8Array(6));
    assembler.append(new Uint8Array(1));
    expect(seen).toEqual([[0, 4], [1, 4], [2, 2]]);
    expect(assembler.segmentCount).toBe(3);
  });
});

describe('SegmentHasher', () => {
  it('is SHA-256 over the concatenated SHA-256 of each segment', async () => {
    const bytes = patternBytes(10);
    const hasher = new SegmentHasher(nodeDigest);
    hasher.add(1, bytes.slice(4, 8));
    hasher.add(0, bytes.slice(0, 4));
    hasher.add(2, bytes.slice(8));
    const sha = async (b: Uint8Array): Promise<Buffer> =>
      Buffer.from(await webcrypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>));
    const expected = await sha(Buffer.concat([await sha(bytes.slice(0, 4)), await sha(bytes.slice(4, 8)), await sha(bytes.slice(8))]));
    await expect(hasher.finish(3)).resolves.toBe(expected.toString('hex'));
  });

  it('fails when a segment is missing or added twice', async () => {
    const hasher = new SegmentHasher(nodeDigest);
    hasher.add(0, new Uint8Array(1));
    expect(() => hasher.add(0, new Uint8Array(1))).toThrow(RangeError);
    await expect(hasher.finish(2)).rejects.toThrow('segment 1');
  });
});
