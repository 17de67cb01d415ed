// Default unit environment (jsdom): no crypto.subtle there, so WebCrypto is injected through the constructor.
import { webcrypto } from 'node:crypto';
import AES from 'crypto-js/aes';
import Utf8 from 'crypto-js/enc-utf8';
import type { WebCryptoLike } from '../../../src/crypto/aeadCipher';
import { EncryptionMode, MessageCrypto } from '../../../src/crypto/MessageCrypto';
import { SkylinkErrorCode } from '../../../src/errors';

const CTX = { senderId: 'A' };

/**
 * jsdom's ArrayBuffer is another realm's than Node's WebCrypto expects; copy buffers across the realm
 * boundary (browsers and plain Node have one realm, so production code needs no such step).
 */
function nodeRealmWebCrypto(): WebCryptoLike {
  const toNode = (value: unknown): unknown => {
    if (value instanceof ArrayBuffer) return Buffer.from(new Uint8Array(value));
    if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (value && typeof value === 'object' && !(value instanceof Array) && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toNode(v)]));
    }
    return value;
  };
  const subtle = webcrypto.subtle as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const adapted = Object.fromEntries(
    ['importKey', 'deriveKey', 'encrypt', 'decrypt'].map((name) => [
      name,
      (...args: unknown[]) => (subtle[name] as (...a: unknown[]) => Promise<unknown>).apply(subtle, args.map(toNode)),
    ]),
  );
  return {
    subtle: adapted as unknown as SubtleCrypto,
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
      const bytes = array as unknown as Uint8Array;
      bytes.set(webcrypto.getRandomValues(new Uint8Array(bytes.length)));
      return array;
    },
  };
}

describe('MessageCrypto under jsdom', () => {
  it('detects whether the environment has WebCrypto', () => {
    const hasSubtle = typeof (globalThis as { crypto?: { subtle?: unknown } }).crypto?.subtle === 'object';
    expect(new MessageCrypto().supportsAuthenticated).toBe(hasSubtle);
  });

  it('runs the 2.x cipher without WebCrypto', async () => {
    const crypto = new MessageCrypto({ webCrypto: null });
    crypto.setEncryptSecret('r', 'alpha', 's1');
    crypto.setSelectedSecret('r', 's1');
    const sealed = await crypto.encryptContent('r', 'hello', CTX);
    expect(AES.decrypt(sealed?.data as string, 'alpha').toString(Utf8)).toBe('hello');
    await expect(crypto.decryptContent('r', sealed?.data, 's1', CTX)).resolves.toMatchObject({ content: 'hello' });
    expect(() => crypto.setEncryptionMode('r', EncryptionMode.AUTHENTICATED)).toThrow(
      expect.objectContaining({ code: SkylinkErrorCode.NOT_SUPPORTED }),
    );
  });

  it('runs the authenticated mode with an injected WebCrypto', async () => {
    const crypto = new MessageCrypto({ webCrypto: nodeRealmWebCrypto() });
    crypto.setEncryptSecret('r', 'alpha', 's1');
    crypto.setSelectedSecret('r', 's1');
    crypto.setEncryptionMode('r', EncryptionMode.AUTHENTICATED);
    const sealed = await crypto.encryptContent('r', { ok: true }, CTX);
    await expect(crypto.decryptContent('r', sealed?.data, 's1', CTX)).resolves.toEqual({
      content: { ok: true },
      encryption: 'authenticated',
      secretId: 's1',
    });
  });
});
