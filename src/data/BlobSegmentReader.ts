/**
 * Sender-side reading: the Blob is read one segment (`chunkSize * segmentChunks` bytes) at a time,
 * the next segment prefetched while the current one is sent, so the whole file is never in memory.
 */
import { encodeChunkFrame } from './dataProtocol';

/** Reads `[start, end)` of a Blob (`Blob.arrayBuffer`, or FileReader where it is missing). */
export function readBlobRange(blob: Blob, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  const slice = blob.slice(start, end);
  if (typeof slice.arrayBuffer === 'function') return slice.arrayBuffer().then((b) => new Uint8Array(b));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('FileReader failed'));
    reader.readAsArrayBuffer(slice);
  });
}

export class BlobSegmentReader {
  private readonly segments = new Map<number, Promise<Uint8Array<ArrayBuffer>>>();
  private readonly segmentBytes: number;
  /** Number of chunks. */
  readonly chunkCount: number;
  /** Number of segments. */
  readonly segmentCount: number;

  constructor(
    private readonly blob: Blob,
    private readonly chunkSize: number,
    private readonly segmentChunks: number,
    private readonly onSegment?: (index: number, bytes: Uint8Array<ArrayBuffer>) => void,
  ) {
    this.segmentBytes = chunkSize * segmentChunks;
    this.chunkCount = Math.ceil(blob.size / chunkSize);
    this.segmentCount = Math.ceil(blob.size / this.segmentBytes);
  }

  /** Binary frame of chunk `index` (header + payload). */
  async frame(index: number): Promise<ArrayBuffer> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.chunkCount) throw new RangeError(`no chunk ${index}`);
    const seg = Math.floor(index / this.segmentChunks);
    const bytes = await this.segment(seg);
    // Drop what was sent, prefetch what comes next.
    for (const key of this.segments.keys()) if (key < seg) this.segments.delete(key);
    if (seg + 1 < this.segmentCount) void this.segment(seg + 1).catch(() => undefined);
    const offset = (index - seg * this.segmentChunks) * this.chunkSize;
    return encodeChunkFrame(index, bytes.subarray(offset, Math.min(bytes.byteLength, offset + this.chunkSize)));
  }

  private segment(index: number): Promise<Uint8Array<ArrayBuffer>> {
    let pending = this.segments.get(index);
    if (!pending) {
      const start = index * this.segmentBytes;
      pending = readBlobRange(this.blob, start, Math.min(this.blob.size, start + this.segmentBytes)).then((bytes) => {
        this.onSegment?.(index, bytes);
        return bytes;
      });
      this.segments.set(index, pending);
    }
    return pending;
  }
}
