/** @jest-environment node */
// Node env: the authenticated-mode cases need WebCrypto (absent under jsdom).
import AES from 'crypto-js/aes';
import Utf8 from 'crypto-js/enc-utf8';
import { EncryptionMode, MessageCrypto } from '../../../src/crypto/MessageCrypto';
import { SkylinkErrorCode } from '../../../src/errors';
import { parseIncomingChat, prepareChatMessages, type ChatSendContext } from '../../../src/messaging/chatMessages';
import { parseSendMessageArgs } from '../../../src/messaging/messageArgs';
import type { ChatMessage } from '../../../src/signaling/protocol';

const NOW = new Date('2030-01-02T03:04:05.678Z');
const ROOM_KEY = 'rid-xyz';

function sender(crypto = new MessageCrypto()): ChatSendContext {
  return {
    crypto,
    roomKey: ROOM_KEY,
    rid: ROOM_KEY,
    selfId: 'A',
    roomSessionId: 'session-1',
    peerIds: ['B', 'C'],
    roomName: 'lobby',
    newMessageId: () => 'msg-1',
    now: () => NOW,
  };
}

function receive(crypto: MessageCrypto, msg: ChatMessage, selfId = 'B') {
  return parseIncomingChat({ crypto, roomKey: ROOM_KEY, selfId, now: () => NOW }, msg);
}

describe('prepareChatMessages (sendMessage wire format)', () => {
  it('builds one broadcast in the 2.x shape and the self echo', async () => {
    const out = await prepareChatMessages(sender(), parseSendMessageArgs('hello'));
    expect(out.messages).toEqual([
      { type: 'message', data: 'hello', mid: 'A', rid: ROOM_KEY, msgId: 'msg-1', roomSessionId: 'session-1', peerSessionId: '' },
    ]);
    expect(out.isPersistent).toBe(false);
    expect(out.echo).toEqual({
      peerId: 'A',
      isSelf: true,
      message: {
        targetPeerId: null,
        content: 'hello',
        senderPeerId: 'A',
        isDataChannel: false,
        isPrivate: false,
        timeStamp: NOW.toISOString(),
        listOfPeers: ['B', 'C'],
        encryption: 'none',
      },
    });
  });

  it('builds one private message per target sharing the msgId, and echoes the target as given', async () => {
    const out = await prepareChatMessages(sender(), parseSendMessageArgs({ n: 1 }, ['B', 'C'], 'alias-A'));
    expect(out.messages.map((m) => [m.target, m.msgId, m.data, m.peerSessionId])).toEqual([
      ['B', 'msg-1', { n: 1 }, 'alias-A'],
      ['C', 'msg-1', { n: 1 }, 'alias-A'],
    ]);
    expect(out.echo.message).toMatchObject({
      targetPeerId: ['B', 'C'],
      isPrivate: true,
      senderPeerId: 'alias-A',
      listOfPeers: ['B', 'C'],
    });
  });

  it('refuses a private message to a peer that is not in the room', async () => {
    await expect(prepareChatMessages(sender(), parseSendMessageArgs('x', ['B', 'Z']))).rejects.toMatchObject({
      code: SkylinkErrorCode.PEER_NOT_FOUND,
      peerId: 'Z',
      roomName: 'lobby',
    });
  });

  it('encrypts with the selected secret so a 2.x client decrypts it', async () => {
    const crypto = new MessageCrypto();
    crypto.setEncryptSecret(ROOM_KEY, 'shared', 's1');
    crypto.setSelectedSecret(ROOM_KEY, 's1');
    const out = await prepareChatMessages(sender(crypto), parseSendMessageArgs('top secret', 'B'));
    const [wire] = out.messages;
    expect(wire).toMatchObject({ secretId: 's1', target: 'B' });
    expect(AES.decrypt(wire?.data as string, 'shared').toString(Utf8)).toBe('top secret');
    expect(out.echo.message).toMatchObject({ content: 'top secret', secretId: 's1', encryption: 'compat' });
  });

  it('persists public messages only when encrypted, as 2.x', async () => {
    const crypto = new MessageCrypto();
    crypto.initRoom(ROOM_KEY, { hasPersistentMessage: true });
    await expect(prepareChatMessages(sender(crypto), parseSendMessageArgs('x'))).rejects.toMatchObject({
      code: SkylinkErrorCode.INVALID_STATE,
      message: 'Dropping message - Secrets not provided, Secret id not provided',
    });
    crypto.setEncryptSecret(ROOM_KEY, 'shared', 's1');
    await expect(prepareChatMessages(sender(crypto), parseSendMessageArgs('x'))).rejects.toMatchObject({
      message: 'Dropping message - Secret id not selected',
    });
    crypto.setSelectedSecret(ROOM_KEY, 's1');
    const persisted = await prepareChatMessages(sender(crypto), parseSendMessageArgs('kept'));
    expect(persisted.isPersistent).toBe(true);
    expect(persisted.messages[0]).toMatchObject({ isPersistent: true, secretId: 's1' });
    // private messages are sent but never persisted
    const privateOut = await prepareChatMessages(sender(crypto), parseSendMessageArgs('dm', 'B'));
    expect(privateOut.isPersistent).toBe(false);
    expect(privateOut.messages[0]).not.toHaveProperty('isPersistent');
    // persistence switched off: a public message may go in clear again
    crypto.setMessagePersistence(ROOM_KEY, false);
    crypto.setSelectedSecret(ROOM_KEY, '');
    const clear = await prepareChatMessages(sender(crypto), parseSendMessageArgs('clear'));
    expect(clear.messages[0]).not.toHaveProperty('isPersistent');
  });

  it('rejects a message whose encoded form exceeds the limit', async () => {
    const ctx = { ...sender(), maxMessageLength: 200 };
    await expect(prepareChatMessages(ctx, parseSendMessageArgs('x'.repeat(200)))).rejects.toMatchObject({
      code: SkylinkErrorCode.MESSAGE_TOO_LARGE,
    });
    await expect(prepareChatMessages(ctx, parseSendMessageArgs('x'.repeat(20)))).resolves.toBeDefined();
  });

  it('rejects a persistent message the server would refuse to store', async () => {
    const crypto = new MessageCrypto();
    crypto.initRoom(ROOM_KEY, { hasPersistentMessage: true });
    crypto.setEncryptSecret(ROOM_KEY, 'shared', 's1');
    crypto.setSelectedSecret(ROOM_KEY, 's1');
    const ctx = { ...sender(crypto), maxPersistentDataLength: 100 };
    await expect(prepareChatMessages(ctx, parseSendMessageArgs('x'.repeat(80)))).rejects.toMatchObject({
      code: SkylinkErrorCode.MESSAGE_TOO_LARGE,
      message: expect.stringContaining('to be persisted') as string,
    });
    await expect(prepareChatMessages(ctx, parseSendMessageArgs('x'.repeat(40)))).resolves.toMatchObject({
      isPersistent: true,
    });
    // the same text privately is not persisted, so not limited
    await expect(prepareChatMessages(ctx, parseSendMessageArgs('x'.repeat(80), 'B'))).resolves.toBeDefined();
  });
});

describe('parseIncomingChat (ON_INCOMING_MESSAGE material)', () => {
  const wire = (extra: Partial<ChatMessage>): ChatMessage => ({
    type: 'message',
    data: 'hi',
    mid: 'A',
    rid: ROOM_KEY,
    msgId: 'm',
    roomSessionId: 's',
    peerSessionId: '',
    ...extra,
  });

  it('reads a public clear-text message', async () => {
    await expect(receive(new MessageCrypto(), wire({}))).resolves.toEqual({
      peerId: 'A',
      isSelf: false,
      message: {
        targetPeerId: 'B',
        content: 'hi',
        senderPeerId: 'A',
        isDataChannel: false,
        isPrivate: false,
        timeStamp: NOW.toISOString(),
        encryption: 'none',
      },
    });
  });

  it('reads private messages, peerSessionId senders and legacy public/private types', async () => {
    const crypto = new MessageCrypto();
    const dm = await receive(crypto, wire({ target: 'B', peerSessionId: 'alias' }));
    expect(dm.message).toMatchObject({ isPrivate: true, senderPeerId: 'alias' });
    expect(dm.peerId).toBe('A');
    const legacyPublic = await parseIncomingChat(
      { crypto, roomKey: ROOM_KEY, selfId: 'B' },
      { type: 'public', data: 'old', mid: 'A', rid: ROOM_KEY },
    );
    expect(legacyPublic.message).toMatchObject({ isPrivate: false, content: 'old' });
    const legacyPrivate = await parseIncomingChat(
      { crypto, roomKey: ROOM_KEY, selfId: 'B' },
      { type: 'private', data: 'old', mid: 'A', rid: ROOM_KEY, target: 'B' },
    );
    expect(legacyPrivate.message.isPrivate).toBe(true);
  });

  it('decrypts a message from an original 2.x client', async () => {
    const crypto = new MessageCrypto();
    crypto.setEncryptSecret(ROOM_KEY, 'shared', 's1');
    const msg = wire({ data: AES.encrypt('from 2.7.2', 'shared').toString(), secretId: 's1' });
    await expect(receive(crypto, msg)).resolves.toMatchObject({
      message: { content: 'from 2.7.2', secretId: 's1', encryption: 'compat' },
    });
  });

  it('reports (does not throw) unknown secret ids and wrong secrets', async () => {
    const crypto = new MessageCrypto();
    crypto.setEncryptSecret(ROOM_KEY, 'not-shared', 's1');
    const unknown = await receive(crypto, wire({ data: AES.encrypt('x', 'shared').toString(), secretId: 's9' }));
    expect(unknown.message.content).toBeNull();
    expect(unknown.message.error?.code).toBe(SkylinkErrorCode.SECRET_NOT_FOUND);
    expect(unknown.message.secretId).toBe('s9');
    const wrong = await receive(crypto, wire({ data: AES.encrypt('x', 'shared').toString(), secretId: 's1' }));
    expect(wrong.message.error?.code).toBe(SkylinkErrorCode.DECRYPT_FAILED);
  });

  it('round-trips an authenticated private message and rejects it when replayed to another peer', async () => {
    const alice = new MessageCrypto();
    const bob = new MessageCrypto();
    const carol = new MessageCrypto();
    for (const c of [alice, bob, carol]) c.setEncryptSecret(ROOM_KEY, 'shared', 'k1');
    alice.setSelectedSecret(ROOM_KEY, 'k1');
    alice.setEncryptionMode(ROOM_KEY, EncryptionMode.AUTHENTICATED);
    const out = await prepareChatMessages(sender(alice), parseSendMessageArgs({ amount: 10 }, 'B'));
    const [toBob] = out.messages as [ChatMessage];
    expect(String(toBob.data).startsWith('=SKYAEAD1.')).toBe(true);
    await expect(receive(bob, toBob, 'B')).resolves.toMatchObject({
      message: { content: { amount: 10 }, encryption: 'authenticated', isPrivate: true },
    });
    // a relay re-targets the same ciphertext to C: authentication fails
    const replayed = await receive(carol, { ...toBob, target: 'C' }, 'C');
    expect(replayed.message.error?.code).toBe(SkylinkErrorCode.DECRYPT_FAILED);
    expect(replayed.message.content).toBeNull();
  });
});
