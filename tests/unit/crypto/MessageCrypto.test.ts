/** @jest-environment node */
// Node env for WebCrypto (jsdom lacks crypto.subtle); the jsdom behaviour is in MessageCrypto.jsdom.test.ts.
import { webcrypto } from 'node:crypto';
import AES from 'crypto-js/aes';
import Utf8 from 'crypto-js/enc-utf8';
import type { AeadContext, WebCryptoLike } from '../../../src/crypto/aeadCipher';
import {
  EncryptionMode,
  MessageCrypto,
  type EncryptSecretsUpdate,
  type PersistenceUpdate,
} from '../../../src/crypto/MessageCrypto';
import { SkylinkError, SkylinkErrorCode } from '../../../src/errors';

const ROOM = 'rid-1';
const CTX: AeadContext = { senderId: 'peer-A', peerSessionId: '', targetId: '' };

/** Node's WebCrypto with a counter on deriveKey, to observe the key cache. */
function countingWebCrypto(): { webCrypto: WebCryptoLike; derivations: () => number } {
  let count = 0;
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  const wrapped = Object.create(subtle) as SubtleCrypto;
  wrapped.deriveKey = ((...args: Parameters<SubtleCrypto['deriveKey']>) => {
    count += 1;
    return subtle.deriveKey(...args);
  }) as SubtleCrypto['deriveKey'];
  wrapped.importKey = subtle.importKey.bind(subtle) as SubtleCrypto['importKey'];
  wrapped.encrypt = subtle.encrypt.bind(subtle);
  wrapped.decrypt = subtle.decrypt.bind(subtle);
  return {
    webCrypto: { subtle: wrapped, getRandomValues: webcrypto.getRandomValues.bind(webcrypto) as WebCryptoLike['getRandomValues'] },
    derivations: () => count,
  };
}

function makeCrypto(): {
  crypto: MessageCrypto;
  secretUpdates: EncryptSecretsUpdate[];
  persistenceUpdates: PersistenceUpdate[];
  derivations: () => number;
} {
  const secretUpdates: EncryptSecretsUpdate[] = [];
  const persistenceUpdates: PersistenceUpdate[] = [];
  const { webCrypto, derivations } = countingWebCrypto();
  const crypto = new MessageCrypto({
    webCrypto,
    onSecretsUpdated: (u) => secretUpdates.push(u),
    onPersistenceUpdated: (u) => persistenceUpdates.push(u),
  });
  return { crypto, secretUpdates, persistenceUpdates, derivations };
}

function thrown(fn: () => unknown): SkylinkError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SkylinkError);
    return err as SkylinkError;
  }
  throw new Error('expected a throw');
}

describe('MessageCrypto secrets (2.x setEncryptSecret & co.)', () => {
  it('adds secrets, reports each change through the callback and returns copies', () => {
    const { crypto, secretUpdates } = makeCrypto();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    crypto.setEncryptSecret(ROOM, 'beta', 's2');
    expect(crypto.getEncryptSecrets(ROOM)).toEqual({ s1: 'alpha', s2: 'beta' });
    expect(secretUpdates).toEqual([
      { roomKey: ROOM, encryptSecrets: { s1: 'alpha' }, selectedSecretId: '' },
      { roomKey: ROOM, encryptSecrets: { s1: 'alpha', s2: 'beta' }, selectedSecretId: '' },
    ]);
    const copy = crypto.getEncryptSecrets(ROOM);
    copy.s1 = 'mutated';
    expect(crypto.getEncryptSecrets(ROOM).s1).toBe('alpha');
    expect(crypto.canEncrypt(ROOM)).toBe(false);
  });

  it.each<[string, unknown, unknown, string]>([
    ['missing secret', '', 's1', 'Failed setting secret - Secret and / or secret id not provided'],
    ['missing id', 'alpha', undefined, 'Failed setting secret - Secret and / or secret id not provided'],
    ['non-string secret', 42, 's1', 'Failed setting secret - Secret and secret id must be of type string and not empty'],
    ['non-string id', 'alpha', { id: 1 }, 'Failed setting secret - Secret and secret id must be of type string and not empty'],
  ])('setEncryptSecret rejects a %s with INVALID_ARGUMENT and the 2.x message', (_case, secret, id, message) => {
    const { crypto, secretUpdates } = makeCrypto();
    const err = thrown(() => crypto.setEncryptSecret(ROOM, secret, id));
    expect(err.code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect(err.message).toBe(message);
    expect(secretUpdates).toHaveLength(0);
  });

  it('setEncryptSecret rejects a duplicate id and keeps the first secret', () => {
    const { crypto } = makeCrypto();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    const err = thrown(() => crypto.setEncryptSecret(ROOM, 'other', 's1'));
    expect(err.code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect(err.message).toBe('Failed setting secret - Secret id provided is not unique');
    expect(crypto.getEncryptSecrets(ROOM)).toEqual({ s1: 'alpha' });
  });

  it('selects and clears the selected secret', () => {
    const { crypto, secretUpdates } = makeCrypto();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    crypto.setSelectedSecret(ROOM, 's1');
    expect(crypto.getSelectedSecretId(ROOM)).toBe('s1');
    expect(crypto.canEncrypt(ROOM)).toBe(true);
    expect(secretUpdates.at(-1)).toEqual({ roomKey: ROOM, encryptSecrets: { s1: 'alpha' }, selectedSecretId: 's1' });
    crypto.setSelectedSecret(ROOM, '');
    expect(crypto.getSelectedSecretId(ROOM)).toBe('');
    expect(crypto.canEncrypt(ROOM)).toBe(false);
  });

  it('setSelectedSecret rejects unknown ids (SECRET_NOT_FOUND) and bad types (INVALID_ARGUMENT)', () => {
    const { crypto } = makeCrypto();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    const unknown = thrown(() => crypto.setSelectedSecret(ROOM, 'nope'));
    expect(unknown.code).toBe(SkylinkErrorCode.SECRET_NOT_FOUND);
    expect(unknown.message).toBe('Failed setting selected secret - Secret id not found');
    const badType = thrown(() => crypto.setSelectedSecret(ROOM, 7));
    expect(badType.code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect(crypto.getSelectedSecretId(ROOM)).toBe('');
  });

  it('deletes one secret (clearing it if selected) or all of them', () => {
    const { crypto, secretUpdates } = makeCrypto();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    crypto.setEncryptSecret(ROOM, 'beta', 's2');
    crypto.setSelectedSecret(ROOM, 's2');
    crypto.deleteEncryptSecrets(ROOM, 's1');
    expect(crypto.getEncryptSecrets(ROOM)).toEqual({ s2: 'beta' });
    expect(crypto.getSelectedSecretId(ROOM)).toBe('s2');
    crypto.deleteEncryptSecrets(ROOM, 's2');
    expect(crypto.getSelectedSecretId(ROOM)).toBe('');
    crypto.setEncryptSecret(ROOM, 'gamma', 's3');
    crypto.setSelectedSecret(ROOM, 's3');
    crypto.deleteEncryptSecrets(ROOM);
    expect(crypto.getEncryptSecrets(ROOM)).toEqual({});
    expect(secretUpdates.at(-1)).toEqual({ roomKey: ROOM, encryptSecrets: {}, selectedSecretId: '' });
    const err = thrown(() => crypto.deleteEncryptSecrets(ROOM, 's1'));
    expect(err.code).toBe(SkylinkErrorCode.SECRET_NOT_FOUND);
    expect(err.message).toBe('Failed deleting secret - Secret id not found');
  });

  it('keeps rooms apart and forgets a released room', () => {
    const { crypto } = makeCrypto();
    crypto.setEncryptSecret('rid-1', 'alpha', 's1');
    crypto.setEncryptSecret('rid-2', 'other', 's1');
    expect(crypto.getEncryptSecrets('rid-2')).toEqual({ s1: 'other' });
    crypto.releaseRoom('rid-1');
    expect(crypto.roomKeys()).toEqual(['rid-2']);
    expect(crypto.getEncryptSecrets('rid-1')).toEqual({});
    crypto.releaseRoom('rid-2');
    expect(crypto.roomKeys()).toEqual([]);
  });
});

describe('MessageCrypto persistence flag', () => {
  it('starts equal to the key feature and reports changes', () => {
    const { crypto, persistenceUpdates } = makeCrypto();
    crypto.initRoom(ROOM, { hasPersistentMessage: true });
    expect(crypto.getMessagePersistence(ROOM)).toBe(true);
    expect(crypto.canPersist(ROOM)).toBe(true);
    crypto.setMessagePersistence(ROOM, false);
    expect(crypto.getMessagePersistence(ROOM)).toBe(false);
    expect(crypto.canPersist(ROOM)).toBe(false);
    expect(persistenceUpdates).toEqual([{ roomKey: ROOM, isPersistent: false }]);
  });

  it('rejects non-booleans and keys without the feature (flag unchanged, unlike 2.x)', () => {
    const { crypto, persistenceUpdates } = makeCrypto();
    crypto.initRoom(ROOM, { hasPersistentMessage: false });
    const badType = thrown(() => crypto.setMessagePersistence(ROOM, 'yes'));
    expect(badType.code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    expect(badType.message).toBe('Failed setting persistent message flag - Persistent message flag must be of type boolean');
    const disabled = thrown(() => crypto.setMessagePersistence(ROOM, true));
    expect(disabled.code).toBe(SkylinkErrorCode.FEATURE_NOT_ENABLED);
    expect(crypto.getMessagePersistence(ROOM)).toBe(false);
    expect(crypto.hasPersistentMessage(ROOM)).toBe(false);
    expect(persistenceUpdates).toEqual([]);
  });
});

describe('MessageCrypto compat (2.x) cipher', () => {
  it('encrypts with the selected secret so plain crypto-js (a 2.x client) decrypts it', () => {
    const { crypto } = makeCrypto();
    expect(crypto.encrypt(ROOM, 'hi')).toBeNull();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    crypto.setSelectedSecret(ROOM, 's1');
    const encrypted = crypto.encrypt(ROOM, 'hello 2.x');
    expect(encrypted).toMatchObject({ secretId: 's1', encryption: 'compat' });
    expect(AES.decrypt(encrypted?.data as string, 'alpha').toString(Utf8)).toBe('hello 2.x');
  });

  it('decrypts what a 2.x client sends, and distinguishes unknown ids from wrong secrets', () => {
    const { crypto } = makeCrypto();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    crypto.setEncryptSecret(ROOM, 'not-alpha', 's2');
    const fromOriginal = AES.encrypt('from 2.x', 'alpha').toString();
    expect(crypto.decrypt(ROOM, 's1', fromOriginal)).toBe('from 2.x');
    const unknown = thrown(() => crypto.decrypt(ROOM, 's9', fromOriginal));
    expect(unknown.code).toBe(SkylinkErrorCode.SECRET_NOT_FOUND);
    const wrong = thrown(() => crypto.decrypt(ROOM, 's2', fromOriginal));
    expect(wrong.code).toBe(SkylinkErrorCode.DECRYPT_FAILED);
    expect(wrong.message).toBe('Failed decrypting message - Incorrect secret provided');
    expect(wrong.cause).toBeInstanceOf(Error);
    expect(thrown(() => crypto.decrypt(ROOM, 's1', { not: 'text' })).code).toBe(SkylinkErrorCode.DECRYPT_FAILED);
  });

  it('encryptContent in compat mode JSON-encodes objects (2.x receivers get the JSON text)', async () => {
    const { crypto } = makeCrypto();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    crypto.setSelectedSecret(ROOM, 's1');
    const encrypted = await crypto.encryptContent(ROOM, { a: 1 }, CTX);
    expect(encrypted?.encryption).toBe('compat');
    expect(AES.decrypt(encrypted?.data as string, 'alpha').toString(Utf8)).toBe('{"a":1}');
    await expect(crypto.decryptContent(ROOM, encrypted?.data, 's1', CTX)).resolves.toEqual({
      content: '{"a":1}',
      encryption: 'compat',
      secretId: 's1',
    });
  });
});

describe('MessageCrypto authenticated mode', () => {
  function authenticatedPair(mode: EncryptionMode = EncryptionMode.AUTHENTICATED) {
    const sender = makeCrypto();
    const receiver = makeCrypto();
    for (const side of [sender, receiver]) side.crypto.setEncryptSecret(ROOM, 'shared passphrase', 'k1');
    sender.crypto.setSelectedSecret(ROOM, 'k1');
    sender.crypto.setEncryptionMode(ROOM, mode);
    return { sender, receiver };
  }

  it('round-trips any JSON value and derives each key once', async () => {
    const { sender, receiver } = authenticatedPair();
    const first = await sender.crypto.encryptContent(ROOM, { text: 'hé', list: [1, null] }, CTX);
    const second = await sender.crypto.encryptContent(ROOM, 'plain string', CTX);
    expect(first?.encryption).toBe('authenticated');
    expect(first?.data.startsWith('=SKYAEAD1.')).toBe(true);
    await expect(receiver.crypto.decryptContent(ROOM, first?.data, 'k1', CTX)).resolves.toEqual({
      content: { text: 'hé', list: [1, null] },
      encryption: 'authenticated',
      secretId: 'k1',
    });
    await expect(receiver.crypto.decryptContent(ROOM, second?.data, 'k1', CTX)).resolves.toMatchObject({
      content: 'plain string',
    });
    expect(sender.derivations()).toBe(1);
    expect(receiver.derivations()).toBe(1);
  });

  it('detects tampering and re-attribution with DECRYPT_FAILED', async () => {
    const { sender, receiver } = authenticatedPair();
    const sealed = await sender.crypto.encryptContent(ROOM, 'transfer 10', CTX);
    const data = sealed?.data as string;
    const flipped = `${data.slice(0, -6)}${data.at(-6) === 'A' ? 'B' : 'A'}${data.slice(-5)}`;
    await expect(receiver.crypto.decryptContent(ROOM, flipped, 'k1', CTX)).rejects.toMatchObject({
      code: SkylinkErrorCode.DECRYPT_FAILED,
    });
    await expect(
      receiver.crypto.decryptContent(ROOM, data, 'k1', { ...CTX, senderId: 'peer-M' }),
    ).rejects.toMatchObject({ code: SkylinkErrorCode.DECRYPT_FAILED });
  });

  it('rotates keys by adding a secret: old messages still open, new ones use the new id', async () => {
    const { sender, receiver } = authenticatedPair();
    const old = await sender.crypto.encryptContent(ROOM, 'before rotation', CTX);
    for (const side of [sender, receiver]) side.crypto.setEncryptSecret(ROOM, 'next passphrase', 'k2');
    sender.crypto.setSelectedSecret(ROOM, 'k2');
    const rotated = await sender.crypto.encryptContent(ROOM, 'after rotation', CTX);
    expect(rotated?.secretId).toBe('k2');
    await expect(receiver.crypto.decryptContent(ROOM, old?.data, 'k1', CTX)).resolves.toMatchObject({
      content: 'before rotation',
    });
    await expect(receiver.crypto.decryptContent(ROOM, rotated?.data, 'k2', CTX)).resolves.toMatchObject({
      content: 'after rotation',
    });
    // retiring k1: its messages now report the unknown id, distinct from a decryption failure
    receiver.crypto.deleteEncryptSecrets(ROOM, 'k1');
    await expect(receiver.crypto.decryptContent(ROOM, old?.data, 'k1', CTX)).rejects.toMatchObject({
      code: SkylinkErrorCode.SECRET_NOT_FOUND,
    });
  });

  it('re-derives after a secret id is deleted and re-added with another secret', async () => {
    const { sender, receiver } = authenticatedPair();
    receiver.crypto.deleteEncryptSecrets(ROOM, 'k1');
    receiver.crypto.setEncryptSecret(ROOM, 'a different passphrase', 'k1');
    const sealed = await sender.crypto.encryptContent(ROOM, 'x', CTX);
    await expect(receiver.crypto.decryptContent(ROOM, sealed?.data, 'k1', CTX)).rejects.toMatchObject({
      code: SkylinkErrorCode.DECRYPT_FAILED,
    });
  });

  it('accepts every inbound format in authenticated mode but refuses downgrades in authenticated-only', async () => {
    const { receiver } = authenticatedPair();
    const legacy = AES.encrypt('2.x text', 'shared passphrase').toString();
    receiver.crypto.setEncryptionMode(ROOM, EncryptionMode.AUTHENTICATED);
    await expect(receiver.crypto.decryptContent(ROOM, legacy, 'k1', CTX)).resolves.toMatchObject({
      content: '2.x text',
      encryption: 'compat',
    });
    await expect(receiver.crypto.decryptContent(ROOM, 'clear', undefined, CTX)).resolves.toEqual({
      content: 'clear',
      encryption: 'none',
    });
    receiver.crypto.setEncryptionMode(ROOM, EncryptionMode.AUTHENTICATED_ONLY);
    await expect(receiver.crypto.decryptContent(ROOM, legacy, 'k1', CTX)).rejects.toMatchObject({
      code: SkylinkErrorCode.DECRYPT_FAILED,
    });
    await expect(receiver.crypto.decryptContent(ROOM, 'clear', undefined, CTX)).rejects.toMatchObject({
      code: SkylinkErrorCode.DECRYPT_FAILED,
    });
  });

  it('rejects unknown modes, and authenticated modes without WebCrypto', async () => {
    const { crypto } = makeCrypto();
    expect(thrown(() => crypto.setEncryptionMode(ROOM, 'gcm')).code).toBe(SkylinkErrorCode.INVALID_ARGUMENT);
    const noWebCrypto = new MessageCrypto({ webCrypto: null });
    expect(noWebCrypto.supportsAuthenticated).toBe(false);
    expect(thrown(() => noWebCrypto.setEncryptionMode(ROOM, 'authenticated')).code).toBe(SkylinkErrorCode.NOT_SUPPORTED);
    noWebCrypto.setEncryptSecret(ROOM, 'shared passphrase', 'k1');
    const { sender } = authenticatedPair();
    const sealed = await sender.crypto.encryptContent(ROOM, 'x', CTX);
    await expect(noWebCrypto.decryptContent(ROOM, sealed?.data, 'k1', CTX)).rejects.toMatchObject({
      code: SkylinkErrorCode.NOT_SUPPORTED,
    });
  });
});

describe('MessageCrypto.decryptAll (stored messages)', () => {
  it('returns one result per item, in order, without aborting on bad items', async () => {
    const { crypto } = makeCrypto();
    crypto.setEncryptSecret(ROOM, 'alpha', 's1');
    crypto.setSelectedSecret(ROOM, 's1');
    crypto.setEncryptionMode(ROOM, EncryptionMode.AUTHENTICATED);
    const sealed = await crypto.encryptContent(ROOM, 'authenticated one', CTX);
    const results = await crypto.decryptAll(ROOM, [
      { data: AES.encrypt('first', 'alpha').toString(), secretId: 's1', context: CTX },
      { data: AES.encrypt('second', 'alpha').toString(), secretId: 'unknown', context: CTX },
      { data: AES.encrypt('third', 'wrong').toString(), secretId: 's1', context: CTX },
      { data: sealed?.data, secretId: 's1', context: CTX },
      { data: 'clear text', secretId: '', context: CTX },
    ]);
    expect(results.map((r) => (r.ok ? r.content : r.error.code))).toEqual([
      'first',
      SkylinkErrorCode.SECRET_NOT_FOUND,
      SkylinkErrorCode.DECRYPT_FAILED,
      'authenticated one',
      'clear text',
    ]);
    expect(results[1]).toMatchObject({ ok: false, secretId: 'unknown' });
    expect(results[4]).toEqual({ ok: true, content: 'clear text', encryption: 'none' });
  });
});
