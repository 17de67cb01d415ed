/**
 * The opt-in authenticated message cipher (beyond Skylink 2.x): AES-256-GCM through WebCrypto with a key
 * derived from the shared secret. Wire format and rationale: docs/encryption.md.
 *
 * Envelope (the value of the message `data` field, `secretId` = key id):
 *
 *     =SKYAEAD1.<base64 12-byte IV>.<base64 ciphertext ‖ 16-byte tag>
 *
 * The leading `=` makes crypto-js (2.x clients) parse the string as an empty ciphertext, so an original
 * client always reports "Incorrect secret provided" instead of showing garbage. Key: PBKDF2-HMAC-SHA256,
 * {@link AEAD_KDF_ITERATIONS} iterations, salt `"skylink-sdk/aead/v1/" + secretId` (deterministic, so a
 * receiver derives one key per secret id and caches it). The additional authenticated data binds the key
 * id, the sender, its peerSessionId and the private target ({@link aeadAdditionalData}).
 * @module
 */
import { base64ToBytes, bytesToBase64, utf8Decode, utf8Encode } from './encoding';

/** Prefix of an authenticated envelope (format version 1). */
export const AEAD_PREFIX = '=SKYAEAD1.';
/** PBKDF2 iteration count of format version 1 (OWASP 2023 figure for PBKDF2-HMAC-SHA256). */
export const AEAD_KDF_ITERATIONS = 600_000;
/** PBKDF2 salt prefix of format version 1; the secret id is appended. */
export const AEAD_SALT_PREFIX = 'skylink-sdk/aead/v1/';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The part of WebCrypto the cipher needs (`globalThis.crypto` in browsers and Node >= 20). */
export interface WebCryptoLike {
  readonly subtle: SubtleCrypto;
  getRandomValues<T extends ArrayBufferView | null>(array: T): T;
}

/** What an authenticated message is bound to, besides its key id. */
export interface AeadContext {
  /** Peer id of the sender in the room (`mid`). */
  senderId: string;
  /** The sender's `peerSessionId`, `''` when none. */
  peerSessionId?: string;
  /** Recipient of a private message, `''` for a public one (stored messages are public). */
  targetId?: string;
}

/** Returns the WebCrypto object of the environment, or `null` when `crypto.subtle` is missing. */
export function defaultWebCrypto(): WebCryptoLike | null {
  const candidate = (globalThis as { crypto?: Partial<WebCryptoLike> }).crypto;
  return candidate?.subtle && typeof candidate.getRandomValues === 'function' ? (candidate as WebCryptoLike) : null;
}

/** True if `data` is an authenticated envelope (any well-formedness is checked by {@link aeadDecrypt}). */
export function isAeadEnvelope(data: unknown): data is string {
  return typeof data === 'string' && data.startsWith(AEAD_PREFIX);
}

/** Derives the AES-256-GCM key of `secretId` from `secret` (slow on purpose: cache the result). */
export async function deriveAeadKey(webCrypto: WebCryptoLike, secret: string, secretId: string): Promise<CryptoKey> {
  const base = await webCrypto.subtle.importKey('raw', buffer(utf8Encode(secret)), 'PBKDF2', false, ['deriveKey']);
  return webCrypto.subtle.deriveKey(
    {
      name: 'PBKDF2',
      hash: 'SHA-256',
      salt: buffer(utf8Encode(AEAD_SALT_PREFIX + secretId)),
      iterations: AEAD_KDF_ITERATIONS,
    },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Unambiguous additional data: version, key id, sender, peerSessionId, target. */
export function aeadAdditionalData(secretId: string, context: AeadContext): Uint8Array {
  return utf8Encode(
    JSON.stringify(['SKYAEAD1', secretId, context.senderId, context.peerSessionId ?? '', context.targetId ?? '']),
  );
}

/** Encrypts `plaintext` into an envelope string. */
export async function aeadEncrypt(
  webCrypto: WebCryptoLike,
  key: CryptoKey,
  secretId: string,
  plaintext: string,
  context: AeadContext,
): Promise<string> {
  const iv = webCrypto.getRandomValues(new Uint8Array(IV_BYTES));
  const sealed = await webCrypto.subtle.encrypt(
    { name: 'AES-GCM', iv: buffer(iv), additionalData: buffer(aeadAdditionalData(secretId, context)), tagLength: 128 },
    key,
    buffer(utf8Encode(plaintext)),
  );
  return `${AEAD_PREFIX}${bytesToBase64(iv)}.${bytesToBase64(new Uint8Array(sealed))}`;
}

/**
 * Opens an envelope. Throws `Error` when it is malformed, when the key is wrong, or when the ciphertext,
 * the key id or any bound context field was changed (GCM tag mismatch).
 */
export async function aeadDecrypt(
  webCrypto: WebCryptoLike,
  key: CryptoKey,
  secretId: string,
  envelope: string,
  context: AeadContext,
): Promise<string> {
  const { iv, sealed } = parseEnvelope(envelope);
  let opened: ArrayBuffer;
  try {
    opened = await webCrypto.subtle.decrypt(
      { name: 'AES-GCM', iv: buffer(iv), additionalData: buffer(aeadAdditionalData(secretId, context)), tagLength: 128 },
      key,
      buffer(sealed),
    );
  } catch (cause) {
    throw new Error('authentication failed: wrong secret, or the message or its sender/target was altered', {
      cause,
    });
  }
  return utf8Decode(new Uint8Array(opened));
}

function parseEnvelope(envelope: string): { iv: Uint8Array; sealed: Uint8Array } {
  const parts = isAeadEnvelope(envelope) ? envelope.slice(AEAD_PREFIX.length).split('.') : [];
  if (parts.length !== 2) throw new Error('malformed authenticated envelope');
  try {
    const iv = base64ToBytes(parts[0] as string);
    const sealed = base64ToBytes(parts[1] as string);
    if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw new Error('bad IV or ciphertext length');
    return { iv, sealed };
  } catch (cause) {
    throw new Error('malformed authenticated envelope', { cause });
  }
}

/**
 * Copies into a fresh ArrayBuffer: WebCrypto implementations differ in accepting views from other realms
 * (jsdom vs Node) and TS 5.9 types `BufferSource` as ArrayBuffer-backed only.
 */
function buffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
