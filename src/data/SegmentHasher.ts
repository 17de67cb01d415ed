/**
 * Content hash of fast-mode transfers, computed incrementally with WebCrypto.
 *
 * WebCrypto has no incremental SHA-256, so the content is hashed per segment and the segment digests
 * are hashed again: `H = SHA-256(SHA-256(seg_0) || SHA-256(seg_1) || ... || SHA-256(seg_n-1))`, where
 * segment `i` is bytes `[i * S, min(size, (i + 1) * S))` and `S = chunkSize * segmentChunks` (both
 * sent in the WRQ). Each segment is digested as soon as it is complete, off the main thread in
 * browsers, so neither side ever holds the whole content in memory to hash it.
 */

/** SHA-256 of `data` (WebCrypto `subtle.digest('SHA-256', ...)` or a test double). */
export type DigestFn = (data: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer>;

/** WebCrypto SHA-256 when available (secure contexts, Node), else `null` (content hash skipped). */
export function webCryptoDigest(): DigestFn | null {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle || typeof subtle.digest !== 'function') return null;
  return (data) => subtle.digest('SHA-256', data);
}

/** Collects the digests of the segments of one transfer and combines them. */
export class SegmentHasher {
  private readonly digests: Array<Promise<ArrayBuffer>> = [];

  constructor(private readonly digest: DigestFn) {}

  /** Starts digesting segment `index` (WebCrypto copies the bytes, so the caller may drop them). */
  add(index: number, segment: Uint8Array<ArrayBuffer>): void {
    if (this.digests[index] !== undefined) throw new RangeError(`segment ${index} hashed twice`);
    const pending = this.digest(segment);
    pending.catch(() => undefined); // reported by finish()
    this.digests[index] = pending;
  }

  /** Hex hash over `segmentCount` segments; rejects if one is missing or a digest failed. */
  async finish(segmentCount: number): Promise<string> {
    const parts: ArrayBuffer[] = [];
    for (let i = 0; i < segmentCount; i += 1) {
      const pending = this.digests[i];
      if (pending === undefined) throw new RangeError(`segment ${i} was never hashed`);
      parts.push(await pending);
    }
    const all = new Uint8Array(32 * parts.length);
    parts.forEach((d, i) => all.set(new Uint8Array(d), 32 * i));
    return toHex(await this.digest(all));
  }
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}
