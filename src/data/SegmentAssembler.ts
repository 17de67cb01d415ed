/** Completed segments are turned into one Blob part per this many bytes (see SegmentAssembler). */
export const BLOB_PART_BYTES = 16 * 1024 * 1024;

/**
 * Receiver-side reassembly: copies chunk payloads into fixed-size segments and turns completed
 * segments into Blob parts, about {@link BLOB_PART_BYTES} at a time (browsers may page Blob data out
 * of the JS heap), so a large download never lives in one ArrayBuffer nor wholly in the JS heap. In
 * Chromium each `new Blob()` costs main-thread time beyond its bytes: one per 1 MiB segment took
 * about 4x as long as one per 16 MiB. An optional callback sees each segment once (for hashing).
 */
export class SegmentAssembler {
  private parts: Blob[] = [];
  /** Completed segments not yet turned into a Blob part. */
  private done: Uint8Array<ArrayBuffer>[] = [];
  private doneBytes = 0;
  private segment: Uint8Array<ArrayBuffer> | null = null;
  private filled = 0;
  private segmentIndex = 0;
  private received = 0;

  constructor(
    private readonly totalSize: number,
    private readonly segmentSize: number,
    private readonly onSegment?: (index: number, bytes: Uint8Array<ArrayBuffer>) => void,
    private readonly partBytes = BLOB_PART_BYTES,
  ) {
    if (!Number.isSafeInteger(totalSize) || totalSize < 0) throw new RangeError(`invalid total size ${totalSize}`);
    if (!Number.isSafeInteger(segmentSize) || segmentSize < 1) throw new RangeError(`invalid segment size ${segmentSize}`);
  }

  /** Bytes appended so far. */
  get receivedBytes(): number {
    return this.received;
  }

  /** Number of segments of the whole payload. */
  get segmentCount(): number {
    return Math.ceil(this.totalSize / this.segmentSize);
  }

  /** Appends bytes in order. Throws `RangeError` if they would overflow the announced size. */
  append(bytes: Uint8Array): void {
    if (this.received + bytes.byteLength > this.totalSize) {
      throw new RangeError(`${this.received + bytes.byteLength} bytes exceed the announced ${this.totalSize}`);
    }
    let offset = 0;
    while (offset < bytes.byteLength) {
      if (this.segment === null) {
        const start = this.segmentIndex * this.segmentSize;
        this.segment = new Uint8Array(Math.min(this.segmentSize, this.totalSize - start));
      }
      const n = Math.min(bytes.byteLength - offset, this.segment.byteLength - this.filled);
      this.segment.set(bytes.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.segment.byteLength) this.flush();
    }
    this.received += bytes.byteLength;
  }

  /** The whole content; throws if it is not complete. */
  toBlob(type: string | null): Blob {
    if (this.received !== this.totalSize) throw new RangeError(`incomplete: ${this.received}/${this.totalSize} bytes`);
    this.flushParts();
    return new Blob(this.parts, type ? { type } : {});
  }

  /** Drops everything received (failed transfers never expose partial data). */
  discard(): void {
    this.parts = [];
    this.done = [];
    this.doneBytes = 0;
    this.segment = null;
  }

  private flush(): void {
    const segment = this.segment as Uint8Array<ArrayBuffer>;
    this.onSegment?.(this.segmentIndex, segment);
    this.done.push(segment);
    this.doneBytes += segment.byteLength;
    if (this.doneBytes >= this.partBytes) this.flushParts();
    this.segment = null;
    this.filled = 0;
    this.segmentIndex += 1;
  }

  private flushParts(): void {
    if (this.done.length === 0) return;
    this.parts.push(new Blob(this.done));
    this.done = [];
    this.doneBytes = 0;
  }
}
