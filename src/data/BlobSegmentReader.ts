/**
 * Sender-side reading: the Blob is read one segment (`chunkSize * segmentChunks` bytes) at a time,
 * the next few segments (about 4 MiB) prefetched while the current one is sent, so the whole file
 * is never in memory.
 *
 * Segments come from one sequential `blob.stream()` read where the platform has it: in Chromium,
 * `blob.slice(a, b).arrayBuffer()` per 1 MiB segment of a Blob built from many parts cost about 5x
 * the time of streaming the same bytes, on the page's main thread. Without `stream()` (old engines,
 * some fakes) each segment is read with `slice()`.
 */
import { CHUNK_HEADER_BYTES, writeChunkHeader } from './dataProtocol';

/** How far ahead of the chunk being sent the reader reads (whole segments, at least one). */
export const PREFETCH_BYTES = 4 * 1024 * 1024;

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

/** Reads consecutive byte ranges of a Blob through one `blob.stream()` reader. */
class SequentialStreamSource {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private position = 0;
  /** Bytes read from the stream and not handed out yet. */
  private leftover: Uint8Array | null = null;
  /** Reads are chained so that each starts where the previous one ended. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
  }

  read(start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
    const next = this.tail.then(() => this.fill(start, end));
    this.tail = next.catch(() => undefined);
    return next;
  }

  cancel(): void {
    this.reader.cancel().catch(() => undefined);
  }

  private async fill(start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
    if (start !== this.position) throw new RangeError(`stream read at ${start}, position is ${this.position}`);
    const out = new Uint8Array(end - start);
    let filled = 0;
    while (filled < out.byteLength) {
      let bytes = this.leftover;
      this.leftover = null;
      if (bytes === null) {
        const { done, value } = await this.reader.read();
        if (done) throw new RangeError(`Blob ended after ${this.position + filled} bytes`);
        bytes = value;
      }
      const n = Math.min(bytes.byteLength, out.byteLength - filled);
      out.set(n === bytes.byteLength ? bytes : bytes.subarray(0, n), filled);
      filled += n;
      if (n < bytes.byteLength) this.leftover = bytes.subarray(n);
    }
    this.position = end;
    return out;
  }
}

export class BlobSegmentReader {
  private readonly segments = new Map<number, Promise<Uint8Array<ArrayBuffer>>>();
  private readonly segmentBytes: number;
  private readonly stream: SequentialStreamSource | null;
  /** One frame buffer reused for every full-size chunk: `send()` copies what it is given. */
  private readonly frameBuffer: Uint8Array<ArrayBuffer>;
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
    this.frameBuffer = new Uint8Array(CHUNK_HEADER_BYTES + chunkSize);
    const stream = typeof blob.stream === 'function' ? openStream(blob) : null;
    this.stream = stream ? new SequentialStreamSource(stream) : null;
  }

  /**
   * Binary frame of chunk `index` (header + payload). Chunks must be asked for in order. Full-size
   * frames share one buffer, overwritten by the next call: send each one before asking for the next.
   */
  async frame(index: number): Promise<ArrayBuffer> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.chunkCount) throw new RangeError(`no chunk ${index}`);
    const seg = Math.floor(index / this.segmentChunks);
    const bytes = await this.segment(seg);
    // Drop what was sent, prefetch what comes next (about PREFETCH_BYTES: a refill of the channel
    // buffer after `bufferedamountlow` takes several segments).
    for (const key of this.segments.keys()) if (key < seg) this.segments.delete(key);
    const last = Math.min(this.segmentCount - 1, seg + Math.max(1, Math.floor(PREFETCH_BYTES / this.segmentBytes)));
    for (let next = seg + 1; next <= last; next += 1) void this.segment(next).catch(() => undefined);
    const offset = (index - seg * this.segmentChunks) * this.chunkSize;
    const payload = bytes.subarray(offset, Math.min(bytes.byteLength, offset + this.chunkSize));
    const frame = payload.byteLength === this.chunkSize ? this.frameBuffer : new Uint8Array(CHUNK_HEADER_BYTES + payload.byteLength);
    writeChunkHeader(frame, index);
    frame.set(payload, CHUNK_HEADER_BYTES);
    return frame.buffer;
  }

  /** Stops reading (the transfer ended early). */
  close(): void {
    this.stream?.cancel();
    this.segments.clear();
  }

  private segment(index: number): Promise<Uint8Array<ArrayBuffer>> {
    let pending = this.segments.get(index);
    if (!pending) {
      const start = index * this.segmentBytes;
      const end = Math.min(this.blob.size, start + this.segmentBytes);
      pending = (this.stream ? this.stream.read(start, end) : readBlobRange(this.blob, start, end)).then((bytes) => {
        this.onSegment?.(index, bytes);
        return bytes;
      });
      this.segments.set(index, pending);
    }
    return pending;
  }
}

function openStream(blob: Blob): ReadableStream<Uint8Array> | null {
  try {
    return blob.stream() as ReadableStream<Uint8Array>;
  } catch {
    return null;
  }
}
