/**
 * The Skylink 2.x message cipher: crypto-js passphrase AES, byte-for-byte the format original skylinkjs
 * 2.x clients produce and accept (`CryptoJS.AES.encrypt(text, secret).toString()`).
 *
 * With a string key crypto-js runs the OpenSSL `enc` passphrase scheme: a random 8-byte salt,
 * EVP_BytesToKey(MD5, 1 iteration) → AES-256 key + 128-bit IV, AES-256-CBC with PKCS#7 padding, output
 * `base64("Salted__" ‖ salt ‖ ciphertext)` (always starts with `U2FsdGVkX1`). There is no integrity
 * check: see docs/encryption.md.
 * @module
 */
import AES from 'crypto-js/aes';
import Utf8 from 'crypto-js/enc-utf8';
import NoPadding from 'crypto-js/pad-nopadding';

/** Every crypto-js passphrase ciphertext starts with base64("Salted__"). */
export const COMPAT_CIPHERTEXT_PREFIX = 'U2FsdGVkX1';

const BLOCK_BYTES = 16;

/** Encrypts `plaintext` with the passphrase `secret` exactly as Skylink 2.x does. */
export function compatEncrypt(plaintext: string, secret: string): string {
  return AES.encrypt(plaintext, secret).toString();
}

/** True if `data` has the shape of a 2.x ciphertext (OpenSSL salted base64). */
export function isCompatCiphertext(data: unknown): data is string {
  return typeof data === 'string' && data.startsWith(COMPAT_CIPHERTEXT_PREFIX);
}

/**
 * Decrypts a 2.x ciphertext. Stricter than 2.x (which only rejected an empty result): the salted format,
 * the PKCS#7 padding and the UTF-8 of the plaintext are all checked, so a wrong secret is almost always
 * detected instead of sometimes yielding garbage (still no protection against deliberate tampering).
 * Throws `Error` on failure.
 */
export function compatDecrypt(ciphertext: string, secret: string): string {
  if (!isCompatCiphertext(ciphertext)) {
    throw new Error('not a Skylink 2.x ciphertext (expected OpenSSL "Salted__" base64)');
  }
  const words = AES.decrypt(ciphertext, secret, { padding: NoPadding });
  const size = words.sigBytes;
  if (size < BLOCK_BYTES || size % BLOCK_BYTES !== 0) {
    throw new Error('ciphertext length is not a whole number of AES blocks');
  }
  const byteAt = (index: number): number => ((words.words[index >>> 2] ?? 0) >>> (24 - (index % 4) * 8)) & 0xff;
  const padding = byteAt(size - 1);
  if (padding < 1 || padding > BLOCK_BYTES) throw new Error('bad padding (wrong secret?)');
  for (let i = size - padding; i < size; i += 1) {
    if (byteAt(i) !== padding) throw new Error('bad padding (wrong secret?)');
  }
  words.sigBytes = size - padding;
  try {
    return Utf8.stringify(words);
  } catch (cause) {
    throw new Error('plaintext is not valid UTF-8 (wrong secret?)', { cause });
  }
}
