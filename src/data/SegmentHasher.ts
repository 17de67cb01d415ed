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

/**
 * WebCrypto SHA-256 when available (secure contexts, Node), else `null` (content hash skipped). In
 * browsers with workers the hashing runs in a dedicated worker ({@link workerDigest}).
 */
export function webCryptoDigest(): DigestFn | null {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (!subtle || typeof subtle.digest !== 'function') return null;
  const direct: DigestFn = (data) => subtle.digest('SHA-256', data);
  return workerDigest(direct) ?? direct;
}

/** Worker script: SHA-256 of each `{ id, data }` it gets, answered with `{ id, digest }` or `{ id, error }`. */
const WORKER_SOURCE =
  "onmessage=function(e){var m=e.data;crypto.subtle.digest('SHA-256',m.data).then(function(d){postMessage({id:m.id,digest:d},[d])}," +
  'function(x){postMessage({id:m.id,error:String(x)})})}';

/** The worker is ended after this long without work (a new one starts on the next digest). */
export const DIGEST_WORKER_IDLE_MS = 10_000;

interface PendingDigest {
  data: Uint8Array<ArrayBuffer>;
  resolve: (digest: ArrayBuffer) => void;
  reject: (error: unknown) => void;
}

/**
 * SHA-256 in a dedicated worker started from a `blob:` URL, or `null` where there are no workers.
 * Chromium's `crypto.subtle.digest` hashes synchronously on the calling thread (64 MiB blocked the
 * page for 150-450 ms on the bench machine); in a worker the page goes on receiving or sending chunks.
 * Each call clones its data into the worker (the caller may drop it). If the worker cannot start (a CSP
 * without `blob:` workers) or fails, every digest from then on, and every pending one, uses `fallback`.
 */
export function workerDigest(fallback: DigestFn): DigestFn | null {
  const g = globalThis as { Worker?: typeof Worker; URL?: typeof URL; Blob?: typeof Blob };
  if (typeof g.Worker !== 'function' || typeof g.Blob !== 'function' || typeof g.URL?.createObjectURL !== 'function') return null;
  let worker: Worker | null = null;
  let broken = false;
  let nextId = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, PendingDigest>();

  const stop = (): void => {
    worker?.terminate();
    worker = null;
  };
  const giveUp = (): void => {
    broken = true;
    stop();
    for (const [id, p] of pending) {
      pending.delete(id);
      fallback(p.data).then(p.resolve, p.reject);
    }
  };
  const onMessage = (event: MessageEvent<{ id: number; digest?: ArrayBuffer; error?: string }>): void => {
    const { id, digest } = event.data;
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (Object.prototype.toString.call(digest) === '[object ArrayBuffer]') p.resolve(digest as ArrayBuffer);
    else {
      fallback(p.data).then(p.resolve, p.reject);
      giveUp(); // no WebCrypto in the worker: hash here from now on
    }
    if (pending.size === 0 && worker) idleTimer = setTimeout(stop, DIGEST_WORKER_IDLE_MS);
  };
  const start = (): Worker | null => {
    if (worker || broken) return worker;
    let url: string | null = null;
    try {
      url = (g.URL as typeof URL).createObjectURL(new (g.Blob as typeof Blob)([WORKER_SOURCE], { type: 'text/javascript' }));
      const w = new (g.Worker as typeof Worker)(url);
      w.onmessage = onMessage;
      w.onerror = giveUp;
      worker = w;
    } catch {
      broken = true;
    } finally {
      // The worker resolved its script URL when it was constructed.
      if (url !== null) (g.URL as typeof URL).revokeObjectURL(url);
    }
    return worker;
  };

  return (data) => {
    const w = start();
    if (!w) return fallback(data);
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
    // postMessage clones the view's whole buffer: give it exactly the bytes to hash.
    const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { data: own, resolve, reject });
      w.postMessage({ id, data: own });
    });
  };
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
