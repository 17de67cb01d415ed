/** @jest-environment node */
// Node env: jsdom has no crypto.subtle (checked in MessageCrypto.jsdom.test.ts).
import { createCipheriv, pbkdf2Sync, webcrypto } from 'node:crypto';
import AES from 'crypto-js/aes';
import Utf8 from 'crypto-js/enc-utf8';
import {
  AEAD_KDF_ITERATIONS,
  AEAD_PREFIX,
  AEAD_SALT_PREFIX,
  aeadAdditionalData,
  aeadDecrypt,
  aeadEncrypt,
  deriveAeadKey,
  isAeadEnvelope,
  type AeadContext,
  type WebCryptoLike,
} from '../../../src/crypto/aeadCipher';

const nodeCrypto = webcrypto as unknown as WebCryptoLike;
const CONTEXT: AeadContext = { senderId: 'peer-A', peerSessionId: 'session-A', targetId: '' };

/** Replaces one base64 character of the envelope's `part` (0 = IV, 1 = ciphertext) at `index`. */
function tamper(envelope: string, part: 0 | 1, index: number): string {
  const fields = envelope.slice(AEAD_PREFIX.length).split('.');
  const bytes = Buffer.from(fields[part] as string, 'base64');
  bytes[index] = (bytes[index] as number) ^ 0x01;
  fields[part] = bytes.toString('base64');
  return AEAD_PREFIX + fields.join('.');
}

describe('aeadCipher (authenticated mode)', () => {
  let key: CryptoKey;
  beforeAll(async () => {
    key = await deriveAeadKey(nodeCrypto, 'correct horse', 'k1');
  });

  it('round-trips unicode text', async () => {
    const text = JSON.stringify({ hello: 'wörld 😀', n: [1, 2] });
    const envelope = await aeadEncrypt(nodeCrypto, key, 'k1', text, CONTEXT);
    expect(isAeadEnvelope(envelope)).toBe(true);
    expect(envelope).toMatch(/^=SKYAEAD1\.[A-Za-z0-9+/]{16}\.[A-Za-z0-9+/=]+$/);
    await expect(aeadDecrypt(nodeCrypto, key, 'k1', envelope, CONTEXT)).resolves.toBe(text);
  });

  it('matches an independent AES-256-GCM / PBKDF2 implementation of the documented format', async () => {
    const iv = Buffer.from('000102030405060708090a0b', 'hex');
    const fixedRandom: WebCryptoLike = {
      subtle: nodeCrypto.subtle,
      getRandomValues: <T extends ArrayBufferView | null>(array: T): T => {
        new Uint8Array((array as unknown as Uint8Array).buffer).set(iv);
        return array;
      },
    };
    const envelope = await aeadEncrypt(fixedRandom, key, 'k1', 'known answer', CONTEXT);

    const rawKey = pbkdf2Sync('correct horse', `${AEAD_SALT_PREFIX}k1`, AEAD_KDF_ITERATIONS, 32, 'sha256');
    const cipher = createCipheriv('aes-256-gcm', rawKey, iv);
    cipher.setAAD(Buffer.from(JSON.stringify(['SKYAEAD1', 'k1', 'peer-A', 'session-A', '']), 'utf8'));
    const sealed = Buffer.concat([cipher.update('known answer', 'utf8'), cipher.final(), cipher.getAuthTag()]);
    expect(envelope).toBe(`${AEAD_PREFIX}${iv.toString('base64')}.${sealed.toString('base64')}`);
    expect(Buffer.from(aeadAdditionalData('k1', CONTEXT)).toString('utf8')).toBe(
      '["SKYAEAD1","k1","peer-A","session-A",""]',
    );
  });

  it('uses a fresh IV per message', async () => {
    const a = await aeadEncrypt(nodeCrypto, key, 'k1', 'same', CONTEXT);
    const b = await aeadEncrypt(nodeCrypto, key, 'k1', 'same', CONTEXT);
    expect(a).not.toBe(b);
  });

  describe('tamper detection', () => {
    let envelope: string;
    beforeAll(async () => {
      envelope = await aeadEncrypt(nodeCrypto, key, 'k1', 'pay Bob 10', CONTEXT);
    });

    it.each([0, 5, 11])('rejects a modified ciphertext byte %i', async (index) => {
      await expect(aeadDecrypt(nodeCrypto, key, 'k1', tamper(envelope, 1, index), CONTEXT)).rejects.toThrow(
        /authentication failed/,
      );
    });

    it('rejects a modified tag (last byte)', async () => {
      const sealedLength = Buffer.from(envelope.split('.')[2] as string, 'base64').length;
      await expect(aeadDecrypt(nodeCrypto, key, 'k1', tamper(envelope, 1, sealedLength - 1), CONTEXT)).rejects.toThrow(
        /authentication failed/,
      );
    });

    it('rejects a modified IV', async () => {
      await expect(aeadDecrypt(nodeCrypto, key, 'k1', tamper(envelope, 0, 3), CONTEXT)).rejects.toThrow(
        /authentication failed/,
      );
    });

    it.each<[string, AeadContext]>([
      ['another sender', { ...CONTEXT, senderId: 'peer-M' }],
      ['another peerSessionId', { ...CONTEXT, peerSessionId: 'session-M' }],
      ['a private target (replayed as private)', { ...CONTEXT, targetId: 'peer-B' }],
    ])('rejects the message re-attributed to %s', async (_what, context) => {
      await expect(aeadDecrypt(nodeCrypto, key, 'k1', envelope, context)).rejects.toThrow(/authentication failed/);
    });

    it('rejects the message presented under another key id with the same secret', async () => {
      const otherKey = await deriveAeadKey(nodeCrypto, 'correct horse', 'k2');
      await expect(aeadDecrypt(nodeCrypto, otherKey, 'k2', envelope, CONTEXT)).rejects.toThrow(/authentication failed/);
    });

    it('rejects a wrong secret', async () => {
      const wrong = await deriveAeadKey(nodeCrypto, 'battery staple', 'k1');
      await expect(aeadDecrypt(nodeCrypto, wrong, 'k1', envelope, CONTEXT)).rejects.toThrow(/authentication failed/);
    });

    it.each(['=SKYAEAD1.', '=SKYAEAD1.AAAA', '=SKYAEAD1.AAAAAAAAAAAAAAAA.AAAA', '=SKYAEAD1.!!!!.AAAA', 'U2FsdGVkX1xx'])(
      'rejects the malformed envelope %j',
      async (bad) => {
        await expect(aeadDecrypt(nodeCrypto, key, 'k1', bad, CONTEXT)).rejects.toThrow(/malformed/);
      },
    );
  });

  it('is never mistaken for plaintext by a 2.x client holding the secret (crypto-js yields "" → error)', async () => {
    const envelope = await aeadEncrypt(nodeCrypto, key, 'k1', 'secret stuff', CONTEXT);
    // 2.x tryDecryptMessage: CryptoJS.AES.decrypt(data, secret).toString(Utf8), '' => "Incorrect secret provided"
    expect(AES.decrypt(envelope, 'correct horse').toString(Utf8)).toBe('');
  });
});
