import { createDecipheriv, createHash } from 'node:crypto';
import AES from 'crypto-js/aes';
import Utf8 from 'crypto-js/enc-utf8';
import {
  COMPAT_CIPHERTEXT_PREFIX,
  compatDecrypt,
  compatEncrypt,
  isCompatCiphertext,
} from '../../../src/crypto/compatCipher';

/** Produced once with crypto-js 4.2.0 `AES.encrypt(plaintext, secret).toString()` (as 2.x clients do). */
const CRYPTO_JS_FIXTURES: Array<[secret: string, plaintext: string, ciphertext: string]> = [
  ['s3cr3t', 'hello world', 'U2FsdGVkX1/hS5eKipdRzP96uCvKbkOG5eJQR2pNPFo='],
  ['pässwörd 🔑', 'Grüße, 世界! 😀', 'U2FsdGVkX1+COq0wObc/mNhyOtBLLEdv/EqXUV3nSlnx+lIqBGEgPXi8y9FYt8js'],
  [
    'k',
    'x'.repeat(100),
    'U2FsdGVkX19xv3xkWABcVytGN61lSCmhq2GzwtKc2xwaFcXnri7pbOgsjxuq4/jzpNrwHZDpD7PXMwEreLfF9hGxrIbse/JT8tsxGKjWLtaIaDvA+lskUbdyUZ/85gcNAq7sz3w+2oiZW9tBJ7dHs+cCmTuhG5Fgdsq/W0cp6hw=',
  ],
  ['secret-2', '{"json":true,"n":1}', 'U2FsdGVkX195QdaDnXtT29uOEts1wmeYJRZgg0z/rr6qxHkxgYwFQbvp9Ap6Rcbr'],
];

/** Produced with `echo -n 'from openssl' | openssl enc -aes-256-cbc -md md5 -a -A -k openssl-pass`. */
const OPENSSL_FIXTURE = ['openssl-pass', 'from openssl', 'U2FsdGVkX19lWBg6Sy33ntY++dgNndk7Tt29IWbQKN0='] as const;

/** Independent decryption: OpenSSL EVP_BytesToKey(MD5, 1 iteration) + AES-256-CBC via node:crypto. */
function opensslDecrypt(ciphertext: string, secret: string): string {
  const raw = Buffer.from(ciphertext, 'base64');
  expect(raw.subarray(0, 8).toString('latin1')).toBe('Salted__');
  const salt = raw.subarray(8, 16);
  const password = Buffer.from(secret, 'utf8');
  let derived = Buffer.alloc(0);
  let block = Buffer.alloc(0);
  while (derived.length < 48) {
    block = createHash('md5').update(Buffer.concat([block, password, salt])).digest();
    derived = Buffer.concat([derived, block]);
  }
  const decipher = createDecipheriv('aes-256-cbc', derived.subarray(0, 32), derived.subarray(32, 48));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

describe('compatCipher (Skylink 2.x crypto-js format)', () => {
  it.each(CRYPTO_JS_FIXTURES)('decrypts a crypto-js ciphertext (secret %j)', (secret, plaintext, ciphertext) => {
    expect(compatDecrypt(ciphertext, secret)).toBe(plaintext);
  });

  it('decrypts an OpenSSL command-line ciphertext', () => {
    const [secret, plaintext, ciphertext] = OPENSSL_FIXTURE;
    expect(compatDecrypt(ciphertext, secret)).toBe(plaintext);
  });

  it.each(CRYPTO_JS_FIXTURES)('produces output plain crypto-js and OpenSSL decrypt (secret %j)', (secret, plaintext) => {
    const ciphertext = compatEncrypt(plaintext, secret);
    expect(ciphertext.startsWith(COMPAT_CIPHERTEXT_PREFIX)).toBe(true);
    // exactly what a 2.x receiver runs (tryDecryptMessage / encryptMessage(..., true))
    expect(AES.decrypt(ciphertext, secret).toString(Utf8)).toBe(plaintext);
    expect(opensslDecrypt(ciphertext, secret)).toBe(plaintext);
  });

  it('uses a fresh random salt for every message', () => {
    const a = compatEncrypt('same', 'secret');
    const b = compatEncrypt('same', 'secret');
    expect(a).not.toBe(b);
    expect(compatDecrypt(a, 'secret')).toBe('same');
    expect(compatDecrypt(b, 'secret')).toBe('same');
  });

  it('round-trips the empty string', () => {
    expect(compatDecrypt(compatEncrypt('', 'secret'), 'secret')).toBe('');
  });

  it.each(CRYPTO_JS_FIXTURES)('rejects a wrong secret (fixture secret %j)', (_secret, _plaintext, ciphertext) => {
    expect(() => compatDecrypt(ciphertext, 'definitely-not-it')).toThrow(/wrong secret/);
  });

  it('rejects data that is not an OpenSSL salted ciphertext', () => {
    expect(() => compatDecrypt('hello', 'secret')).toThrow(/not a Skylink 2.x ciphertext/);
    expect(() => compatDecrypt('=SKYAEAD1.AAAA.AAAA', 'secret')).toThrow(/not a Skylink 2.x ciphertext/);
    expect(isCompatCiphertext({})).toBe(false);
    expect(isCompatCiphertext(CRYPTO_JS_FIXTURES[0]?.[2])).toBe(true);
  });

  it('rejects a truncated ciphertext', () => {
    const ciphertext = compatEncrypt('a message of some length', 'secret');
    const truncated = Buffer.from(ciphertext, 'base64').subarray(0, 16 + 20).toString('base64');
    expect(() => compatDecrypt(truncated, 'secret')).toThrow(/whole number of AES blocks/);
  });
});
