import { BlobSegmentReader } from '../../../src/data/BlobSegmentReader';
import { CHUNK_HEADER_BYTES, decodeChunkFrame } from '../../../src/data/dataProtocol';
import { SegmentAssembler } from '../../../src/data/SegmentAssembler';
import { blobBytes, patternBytes } from './enginePair';

/**
 * A Blob-like object whose `stream()` yields `bytes` in pieces of the given sizes (cycled), as
 * Chromium's does (pieces of 64 KiB to 2 MiB, unrelated to the segments), and which counts its reads.
 */
function streamingBlob(bytes: Uint8Array, pieces: number[], withStream = true) {
  const calls = { slice: 0, stream: 0, cancelled: 0, pulled: 0 };
  let resolveCancel: () => void = () => undefined;
  const cancelled = new Promise<void>((resolve) => (resolveCancel = resolve));
  const blob = {
    size: bytes.byteLength,
    type: '',
    slice(start: number, end: number) {
      calls.slice += 1;
      return new Blob([bytes.slice(start, end)]);
    },
    ...(withStream
      ? {
          stream() {
            calls.stream += 1;
            let offset = 0;
            let i = 0;
            return new ReadableStream<Uint8Array>({
              pull(controller) {
                calls.pulled += 1;
                if (offset >= bytes.byteLength) {
                  controller.close();
                  return;
                }
                const n = pieces[i++ % pieces.length] as number;
                controller.enqueue(bytes.slice(offset, offset + n));
                offset += n;
              },
              cancel() {
                calls.cancelled += 1;
                resolveCancel();
              },
            });
          },
        }
      : {}),
  };
  return { blob: blob as unknown as Blob, calls, cancelled };
}

/** Reads every frame in order; returns the payloads joined and the frame indexes. */
async function readAll(reader: BlobSegmentReader): Promise<{ payload: Uint8Array; indexes: number[] }> {
  const parts: Uint8Array[] = [];
  const indexes: number[] = [];
  for (let i = 0; i < reader.chunkCount; i += 1) {
    const frame = decodeChunkFrame(await reader.frame(i));
    if (!frame) throw new Error(`frame ${i} has no chunk header`);
    indexes.push(frame.index);
    parts.push(frame.payload.slice()); // the reader reuses its frame buffer: keep a copy
  }
  const payload = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    payload.set(p, offset);
    offset += p.byteLength;
  }
  return { payload, indexes };
}

describe('BlobSegmentReader', () => {
  // ReadableStream is Node's (the jsdom environment has none): the reader only needs getReader().
  beforeAll(() => {
    if (typeof globalThis.ReadableStream === 'undefined') {
      Object.assign(globalThis, { ReadableStream: (require('node:stream/web') as typeof import('node:stream/web')).ReadableStream });
    }
  });

  it.each([
    ['pieces smaller than a chunk', [1000, 7, 3333]],
    ['pieces larger than a segment', [50_000]],
    ['one piece', [1 << 20]],
  ])('streams the Blob once and frames it byte for byte (%s)', async (_name, pieces) => {
    const bytes = patternBytes(23_457, 3);
    const { blob, calls } = streamingBlob(bytes, pieces);
    const segments: Array<[number, number]> = [];
    const reader = new BlobSegmentReader(blob, 1000, 4, (i, b) => segments.push([i, b.byteLength]));
    const { payload, indexes } = await readAll(reader);
    expect(payload).toEqual(bytes);
    expect(indexes).toEqual([...Array(24).keys()]);
    expect(segments).toEqual([...Array(6).keys()].map((i) => [i, i < 5 ? 4000 : 3457]));
    expect(calls).toMatchObject({ stream: 1, slice: 0 });
  });

  it('hands the hash callback the exact bytes of each segment', async () => {
    const bytes = patternBytes(10_000, 9);
    const { blob } = streamingBlob(bytes, [333]);
    const seen: Uint8Array[] = [];
    const reader = new BlobSegmentReader(blob, 1024, 2, (_i, b) => seen.push(b.slice()));
    await readAll(reader);
    expect(seen.map((s) => s.byteLength)).toEqual([2048, 2048, 2048, 2048, 1808]);
    expect(Buffer.concat(seen)).toEqual(Buffer.from(bytes));
  });

  it('rejects a frame when the stream ends before the announced size', async () => {
    const bytes = patternBytes(5000);
    const { blob } = streamingBlob(bytes, [1000]);
    Object.defineProperty(blob, 'size', { value: 9000 });
    const reader = new BlobSegmentReader(blob, 1000, 2);
    await expect(readAll(reader)).rejects.toThrow(/ended after 5000 bytes/);
  });

  it('reads with slice() where the Blob has no stream()', async () => {
    const bytes = patternBytes(4321, 5);
    const { blob, calls } = streamingBlob(bytes, [1], false);
    const reader = new BlobSegmentReader(blob, 1000, 2);
    const { payload } = await readAll(reader);
    expect(payload).toEqual(bytes);
    expect(calls.slice).toBe(3);
  });

  it('gives full frames of chunkSize + header and a short last frame', async () => {
    const { blob } = streamingBlob(patternBytes(2500), [700]);
    const reader = new BlobSegmentReader(blob, 1000, 2);
    const sizes: number[] = [];
    for (let i = 0; i < reader.chunkCount; i += 1) sizes.push((await reader.frame(i)).byteLength);
    expect(sizes).toEqual([1000 + CHUNK_HEADER_BYTES, 1000 + CHUNK_HEADER_BYTES, 500 + CHUNK_HEADER_BYTES]);
  });

  it('cancels the stream on close()', async () => {
    const { blob, calls, cancelled } = streamingBlob(patternBytes(100_000), [1000]);
    const reader = new BlobSegmentReader(blob, 1000, 4);
    await reader.frame(0);
    reader.close();
    await cancelled;
    expect(calls.cancelled).toBe(1);
  });
});

describe('SegmentAssembler Blob parts', () => {
  it.each([1, 3000, 4096, 1 << 30])('gives the same bytes whatever the part size (%i)', async (partBytes) => {
    const bytes = patternBytes(10_000, 11);
    const assembler = new SegmentAssembler(bytes.byteLength, 1024, undefined, partBytes);
    for (let offset = 0; offset < bytes.byteLength; offset += 777) assembler.append(bytes.subarray(offset, offset + 777));
    expect(await blobBytes(assembler.toBlob(null))).toEqual(bytes);
  });
});
