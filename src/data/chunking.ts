/**
 * Pure chunking helpers shared by the sender and the receiver: chunk arithmetic, progress
 * percentages and a strict base64 codec (no `Buffer`, no `atob`, so it runs unchanged in browsers,
 * jsdom and Node).
 *
 * Chunk `i` of a `size`-byte Blob covers bytes `[i * chunkSize, min(size, (i + 1) * chunkSize))`.
 * A `k * chunkSize + 1` byte Blob therefore has `k + 1` chunks, the last one 1 byte long (2.x drops
 * that byte, see skylink-protocol.md section 7 item 14).
 */

/** Number of chunks of a `size`-byte payload (0 for an empty payload). */
export function chunkCount(size: number, chunkSize: number): number {
  assertChunkSize(chunkSize);
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid size ${size}`);
  return Math.ceil(size / chunkSize);
}

/** Byte range `[start, end)` of chunk `index`. Throws `RangeError` for an index outside the payload. */
export function chunkBounds(index: number, size: number, chunkSize: number): { start: number; end: number } {
  const count = chunkCount(size, chunkSize);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`chunk ${index} is outside 0..${count - 1}`);
  }
  const start = index * chunkSize;
  return { start, end: Math.min(size, start + chunkSize) };
}

/** Length in bytes of chunk `index` (see {@link chunkBounds}). */
export function chunkLength(index: number, size: number, chunkSize: number): number {
  const { start, end } = chunkBounds(index, size, chunkSize);
  return end - start;
}

/** Length of the base64 text of `byteLength` bytes: the 2.x WRQ `size` field. */
export function base64Length(byteLength: number): number {
  return 4 * Math.ceil(byteLength / 3);
}

/** Progress in percent with two decimals; 100 only when `done >= total`. */
export function percentage(done: number, total: number): number {
  if (total <= 0 || done >= total) return 100;
  if (done <= 0) return 0;
  // Never round up to 100 before the end.
  return Math.min(99.99, Math.round((done / total) * 10000) / 100);
}

function assertChunkSize(chunkSize: number): void {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError(`invalid chunk size ${chunkSize}`);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i += 1) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Standard padded base64 of `bytes`. */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  // Build the text in slices so huge inputs never create one giant argument list.
  const SLICE = 3 * 4096;
  for (let offset = 0; offset < bytes.length; offset += SLICE) {
    const end = Math.min(bytes.length, offset + SLICE);
    let text = '';
    let i = offset;
    for (; i + 2 < end; i += 3) {
      const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
      text += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
    }
    if (i < end) {
      const b0 = bytes[i] as number;
      const b1 = i + 1 < end ? (bytes[i + 1] as number) : 0;
      const n = (b0 << 16) | (b1 << 8);
      text += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
      text += i + 1 < end ? `${ALPHABET[(n >> 6) & 63]!}=` : '==';
    }
    parts.push(text);
  }
  return parts.join('');
}

/**
 * Decodes standard base64 (whitespace ignored, as 2.x does). Returns `null` for anything that is not
 * valid padded base64, so a forged chunk can never be half-decoded.
 */
export function base64ToBytes(text: string): Uint8Array | null {
  const clean = text.replace(/[\s]/g, '');
  if (clean.length % 4 !== 0) return null;
  let padding = 0;
  if (clean.endsWith('==')) padding = 2;
  else if (clean.endsWith('=')) padding = 1;
  const out = new Uint8Array((clean.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const last = i + 4 === clean.length;
    const c0 = sextet(clean, i);
    const c1 = sextet(clean, i + 1);
    const c2 = last && padding === 2 ? 0 : sextet(clean, i + 2);
    const c3 = last && padding >= 1 ? 0 : sextet(clean, i + 3);
    if (c0 < 0 || c1 < 0 || c2 < 0 || c3 < 0) return null;
    const n = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (DECODE[code] as number) : -1;
}
