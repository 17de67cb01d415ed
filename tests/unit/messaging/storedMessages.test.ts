/** @jest-environment node */
// Node env: one stored item is an authenticated-mode message (WebCrypto).
import AES from 'crypto-js/aes';
import { EncryptionMode, MessageCrypto } from '../../../src/crypto/MessageCrypto';
import { SkylinkErrorCode } from '../../../src/errors';
import { buildGetStoredMessages, decodeStoredMessages } from '../../../src/messaging/storedMessages';
import type { StoredMessageItem } from '../../../src/signaling/protocol';

const ROOM_KEY = 'rid-1';

describe('buildGetStoredMessages', () => {
  it('builds the 2.x request (target = self, empty session = current)', () => {
    expect(buildGetStoredMessages('rid-1', 'me')).toEqual({
      type: 'getStoredMessages',
      rid: 'rid-1',
      mid: 'me',
      target: 'me',
      roomSessionId: '',
    });
    expect(buildGetStoredMessages('rid-1', 'me', 'past-session').roomSessionId).toBe('past-session');
    expect(() => buildGetStoredMessages('rid-1', 'me', 5)).toThrow(expect.objectContaining({ code: SkylinkErrorCode.INVALID_ARGUMENT }));
  });
});

describe('decodeStoredMessages', () => {
  async function authenticatedItem(crypto: MessageCrypto, text: string, mid: string): Promise<string> {
    crypto.setSelectedSecret(ROOM_KEY, 'k1');
    crypto.setEncryptionMode(ROOM_KEY, EncryptionMode.AUTHENTICATED);
    const sealed = await crypto.encryptContent(ROOM_KEY, text, { senderId: mid, peerSessionId: '', targetId: '' });
    crypto.setEncryptionMode(ROOM_KEY, EncryptionMode.COMPAT);
    return sealed?.data as string;
  }

  it('orders the history, decrypts each item and keeps undecryptable ones in place with an error', async () => {
    const crypto = new MessageCrypto();
    crypto.setEncryptSecret(ROOM_KEY, 'shared', 'k1');
    // the wire allows a number (ms) or a date string (the guard accepts both)
    const items: Array<Omit<StoredMessageItem, 'timeStamp'> & { timeStamp: number | string }> = [
      { data: AES.encrypt('third', 'shared').toString(), secretId: 'k1', mid: 'P', timeStamp: 3000 },
      { data: AES.encrypt('first', 'shared').toString(), secretId: 'k1', mid: 'P', peerSessionId: 'alias', timeStamp: 1000 },
      { data: AES.encrypt('lost', 'other').toString(), secretId: 'k1', mid: 'Q', timeStamp: '1970-01-01T00:00:02.000Z' },
      { data: AES.encrypt('unknown', 'shared').toString(), secretId: 'k7', mid: 'Q', timeStamp: 2500 },
      { data: await authenticatedItem(crypto, 'fourth', 'R'), secretId: 'k1', mid: 'R', timeStamp: 4000 },
    ];
    const decoded = await decodeStoredMessages(crypto, ROOM_KEY, { mid: 'me', data: JSON.stringify(items) });
    expect(decoded.peerId).toBe('me');
    expect(decoded.isSelf).toBe(true);
    expect(decoded.storedMessages.map((m) => [m.content, m.error?.code ?? null])).toEqual([
      ['first', null],
      [null, SkylinkErrorCode.DECRYPT_FAILED],
      [null, SkylinkErrorCode.SECRET_NOT_FOUND],
      ['third', null],
      ['fourth', null],
    ]);
    expect(decoded.storedMessages[0]).toEqual({
      targetPeerId: 'me',
      senderPeerId: 'alias',
      content: 'first',
      timeStamp: '1970-01-01T00:00:01.000Z',
      isPrivate: false,
      isDataChannel: false,
      secretId: 'k1',
      encryption: 'compat',
    });
    expect(decoded.storedMessages[4]).toMatchObject({ senderPeerId: 'R', encryption: 'authenticated' });
  });

  it('detects a stored authenticated message re-attributed to another sender', async () => {
    const crypto = new MessageCrypto();
    crypto.setEncryptSecret(ROOM_KEY, 'shared', 'k1');
    const data = await authenticatedItem(crypto, 'mine', 'R');
    const decoded = await decodeStoredMessages(crypto, ROOM_KEY, {
      mid: 'me',
      data: JSON.stringify([{ data, secretId: 'k1', mid: 'MALLORY', timeStamp: 1 }]),
    });
    expect(decoded.storedMessages[0]?.error?.code).toBe(SkylinkErrorCode.DECRYPT_FAILED);
  });

  it('keeps the server order when a time stamp is not a date, and passes the stamp through', async () => {
    const crypto = new MessageCrypto();
    crypto.setEncryptSecret(ROOM_KEY, 'shared', 'k1');
    const items = [
      { data: AES.encrypt('b', 'shared').toString(), secretId: 'k1', mid: 'P', timeStamp: 'not a date' },
      { data: AES.encrypt('a', 'shared').toString(), secretId: 'k1', mid: 'P', timeStamp: 1 },
    ];
    const decoded = await decodeStoredMessages(crypto, ROOM_KEY, { mid: 'me', data: JSON.stringify(items) });
    expect(decoded.storedMessages.map((m) => [m.content, m.timeStamp])).toEqual([
      ['b', 'not a date'],
      ['a', '1970-01-01T00:00:00.001Z'],
    ]);
  });

  it('returns an empty history for an empty list and rejects data that is not a list', async () => {
    const crypto = new MessageCrypto();
    await expect(decodeStoredMessages(crypto, ROOM_KEY, { mid: 'me', data: '[]' })).resolves.toMatchObject({
      storedMessages: [],
    });
    await expect(decodeStoredMessages(crypto, ROOM_KEY, { mid: 'me', data: '{"a":1}' })).rejects.toMatchObject({
      code: SkylinkErrorCode.INVALID_ARGUMENT,
    });
    await expect(decodeStoredMessages(crypto, ROOM_KEY, { mid: 'me', data: '[not json' })).rejects.toMatchObject({
      code: SkylinkErrorCode.INVALID_ARGUMENT,
    });
  });
});
