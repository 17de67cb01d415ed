/**
 * Data-channel protocol: the 2.x messages (WRQ / ACK / CANCEL / ERROR / MESSAGE, JSON text frames,
 * base64 text chunks) plus this SDK's fast-mode extension (an `fast` capability object in WRQ and ACK
 * that 2.x ignores, END, and binary chunk frames on a dedicated per-transfer channel).
 * Types are not validation: {@link parseFrame} checks every inbound frame and turns anything malformed
 * into an `invalid` frame that the engine drops and logs. Wire format: docs/data-transfer.md.
 */

/** Version of the fast-mode extension. */
export const FAST_TRANSFER_VERSION = 1;
/** Name of the fast-mode content hash (see segmentHash.ts). */
export const FAST_HASH_ALGORITHM = 'sha256-segments';
/** Label prefix of the dedicated per-transfer channels (label = prefix + transferId). */
export const TRANSFER_CHANNEL_PREFIX = 'skylink-dt:';
/** Binary chunk frame header: magic, kind, 2 reserved bytes, uint32 big-endian chunk index. */
export const CHUNK_HEADER_BYTES = 8;
const CHUNK_MAGIC = 0xd7;
const CHUNK_KIND_DATA = 0x01;

/** Fast-mode offer carried by a WRQ from this SDK. */
export interface FastOffer {
  version: number;
  /** Payload bytes per binary chunk (frame = header + payload). */
  chunkSize: number;
  /** Chunks per hashed segment. */
  segmentChunks: number;
  /** `'sha256-segments'` when the sender will send a content hash in END, else `null`. */
  hash: string | null;
}

/** Fast-mode acceptance carried by ACK 0 from this SDK. */
export interface FastAccept {
  version: number;
}

export interface WrqMessage {
  type: 'WRQ';
  transferId?: string;
  name: string;
  /** Base64 length of the content (2.x semantics). */
  size: number;
  /** Byte length of the content. */
  originalSize: number;
  dataType: string;
  mimeType: string | null;
  chunkType: string;
  chunkSize: number;
  timeout: number;
  isPrivate: boolean;
  sender: string;
  agent?: string;
  version?: string | number;
  target?: string | null;
  fast?: FastOffer;
}

export interface AckMessage {
  type: 'ACK';
  sender?: string;
  /** -1 reject, 0 accept, n = next chunk wanted (legacy) / chunks received (fast), count = completed. */
  ackN: number;
  transferId?: string;
  fast?: FastAccept;
}

export interface CancelMessage {
  type: 'CANCEL';
  sender?: string;
  content: string;
  name?: string;
  ackN?: number;
  transferId?: string;
}

export interface ErrorMessage {
  type: 'ERROR';
  sender?: string;
  content: string;
  name?: string;
  transferId?: string;
}

/** Fast mode only, on the dedicated channel after the last chunk. */
export interface EndMessage {
  type: 'END';
  transferId: string;
  /** Hex content hash (`FAST_HASH_ALGORITHM`) or `null` when the sender could not hash. */
  hash: string | null;
}

/** P2P chat message (`sendP2PMessage`). */
export interface P2PMessage {
  type: 'MESSAGE';
  isPrivate: boolean;
  sender: string;
  target: string | string[] | null;
  data: unknown;
}

export type DataProtocolMessage = WrqMessage | AckMessage | CancelMessage | ErrorMessage | EndMessage | P2PMessage;

/** One inbound data-channel frame after validation. */
export type InboundFrame =
  | { kind: 'protocol'; message: DataProtocolMessage }
  /** Non-JSON text: a 2.x base64 chunk. */
  | { kind: 'text-chunk'; text: string }
  | { kind: 'binary'; data: ArrayBuffer | ArrayBufferView }
  | { kind: 'invalid'; reason: string };

type Json = Record<string, unknown>;

const isStr = (v: unknown): v is string => typeof v === 'string';
const isOptStr = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const MAX_ID = 256;
const MAX_NAME = 4096;

/** Validates one inbound frame. Text that starts with `{` is a protocol message; other text is a chunk. */
export function parseFrame(data: unknown): InboundFrame {
  if (typeof data === 'string') {
    if (!data.startsWith('{')) return { kind: 'text-chunk', text: data };
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return { kind: 'invalid', reason: 'malformed JSON' };
    }
    return parseMessage(parsed);
  }
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return { kind: 'binary', data };
  return { kind: 'invalid', reason: `unsupported frame type ${Object.prototype.toString.call(data)}` };
}

/** Validates a parsed JSON value as a protocol message. */
export function parseMessage(value: unknown): InboundFrame {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'not an object' };
  }
  const m = value as Json;
  const reason = validate(m);
  return reason === null ? { kind: 'protocol', message: m as unknown as DataProtocolMessage } : { kind: 'invalid', reason };
}

function validate(m: Json): string | null {
  if (m.transferId !== undefined && !(isStr(m.transferId) && m.transferId.length > 0 && m.transferId.length <= MAX_ID)) {
    return 'bad transferId';
  }
  if (!isOptStr(m.sender)) return 'bad sender';
  switch (m.type) {
    case 'WRQ':
      return validateWrq(m);
    case 'ACK':
      if (typeof m.ackN !== 'number' || !Number.isSafeInteger(m.ackN) || m.ackN < -1) return 'bad ackN';
      if (m.fast !== undefined && !(isObj(m.fast) && isCount(m.fast.version))) return 'bad fast accept';
      return null;
    case 'CANCEL':
    case 'ERROR':
      if (!isOptStr(m.content) || !isOptStr(m.name)) return `bad ${m.type}`;
      if (m.content === undefined || m.content === null) m.content = '';
      return null;
    case 'END':
      if (!isStr(m.transferId)) return 'END without transferId';
      if (!(m.hash === null || (isStr(m.hash) && /^[0-9a-f]{64}$/.test(m.hash)))) return 'bad END hash';
      return null;
    case 'MESSAGE':
      if (!isStr(m.sender) && m.sender !== undefined) return 'bad MESSAGE sender';
      if (!(m.target === null || m.target === undefined || isStr(m.target) || (Array.isArray(m.target) && m.target.every(isStr)))) {
        return 'bad MESSAGE target';
      }
      return null;
    default:
      return `unknown type ${String(m.type)}`;
  }
}

function validateWrq(m: Json): string | null {
  if (m.name !== undefined && !(isStr(m.name) && m.name.length <= MAX_NAME)) return 'bad WRQ name';
  if (!isCount(m.originalSize) || m.originalSize < 1) return 'bad WRQ originalSize';
  if (m.size !== undefined && !isCount(m.size)) return 'bad WRQ size';
  if (m.chunkSize !== undefined && !(isCount(m.chunkSize) && m.chunkSize > 0)) return 'bad WRQ chunkSize';
  if (m.timeout !== undefined && m.timeout !== null && !(typeof m.timeout === 'number' && m.timeout > 0 && m.timeout <= 86400)) {
    return 'bad WRQ timeout';
  }
  if (!isOptStr(m.mimeType)) return 'bad WRQ mimeType';
  if (m.fast !== undefined && parseFastOffer(m.fast) === null) delete m.fast; // unusable offer: plain 2.x
  return null;
}

/** Returns the offer when it is one this SDK can honour, else `null`. */
export function parseFastOffer(value: unknown): FastOffer | null {
  if (!isObj(value)) return null;
  const { version, chunkSize, segmentChunks, hash } = value;
  if (version !== FAST_TRANSFER_VERSION) return null;
  if (!isCount(chunkSize) || chunkSize < 1024 || chunkSize > 256 * 1024) return null;
  if (!isCount(segmentChunks) || segmentChunks < 1 || segmentChunks > 1024) return null;
  if (!(hash === null || hash === FAST_HASH_ALGORITHM)) return null;
  return { version, chunkSize, segmentChunks, hash };
}

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Builds one binary chunk frame (header + a copy of `payload`). */
export function encodeChunkFrame(index: number, payload: Uint8Array): ArrayBuffer {
  const frame = new Uint8Array(CHUNK_HEADER_BYTES + payload.byteLength);
  writeChunkHeader(frame, index);
  frame.set(payload, CHUNK_HEADER_BYTES);
  return frame.buffer;
}

/** Writes the header of chunk `index` into the first {@link CHUNK_HEADER_BYTES} bytes of `frame`. */
export function writeChunkHeader(frame: Uint8Array, index: number): void {
  frame[0] = CHUNK_MAGIC;
  frame[1] = CHUNK_KIND_DATA;
  frame[2] = 0;
  frame[3] = 0;
  frame[4] = (index >>> 24) & 0xff;
  frame[5] = (index >>> 16) & 0xff;
  frame[6] = (index >>> 8) & 0xff;
  frame[7] = index & 0xff;
}

/** Parses a binary chunk frame; `null` when the header is not ours. The payload is a view, not a copy. */
export function decodeChunkFrame(data: ArrayBuffer | ArrayBufferView): { index: number; payload: Uint8Array } | null {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength < CHUNK_HEADER_BYTES || bytes[0] !== CHUNK_MAGIC || bytes[1] !== CHUNK_KIND_DATA) return null;
  const index = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, false);
  return { index, payload: bytes.subarray(CHUNK_HEADER_BYTES) };
}

/** Label of the dedicated channel of a fast transfer. */
export function transferChannelLabel(transferId: string): string {
  return TRANSFER_CHANNEL_PREFIX + transferId;
}

/** `true` for labels of dedicated transfer channels (route them to `DataTransferEngine.handleIncomingChannel`). */
export function isTransferChannelLabel(label: string): boolean {
  return label.startsWith(TRANSFER_CHANNEL_PREFIX) && label.length > TRANSFER_CHANNEL_PREFIX.length;
}

/** Transfer id from a dedicated channel label, or `null`. */
export function transferIdFromLabel(label: string): string | null {
  return isTransferChannelLabel(label) ? label.slice(TRANSFER_CHANNEL_PREFIX.length) : null;
}
