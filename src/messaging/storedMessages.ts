/**
 * Persisted messages (`getStoredMessages` → `storedMessages`): the request builder and the decoding of
 * the server's answer into STORED_MESSAGES material — in chronological order, each item decrypted on
 * its own. Unlike 2.x, where one undecryptable item aborted the whole batch with no event, a bad item is
 * kept in place with `content: null` and `error`.
 * @module
 */
import type { MessageCrypto } from '../crypto/MessageCrypto';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import type { GetStoredMessagesMessage, StoredMessageItem, StoredMessagesMessage } from '../signaling/protocol';
import type { StoredMessage } from '../types/messaging';
import type { StoredMessagesParts } from './types';

/**
 * `getStoredMessages` request (2.x: `target` = our own id; `roomSessionId` `''` = the current session).
 * Rejects a non-string `roomSessionId` with INVALID_ARGUMENT.
 */
export function buildGetStoredMessages(rid: string, selfId: string, roomSessionId?: unknown): GetStoredMessagesMessage {
  if (roomSessionId !== undefined && roomSessionId !== null && typeof roomSessionId !== 'string') {
    throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, 'getStoredMessages: roomSessionId must be a string');
  }
  return { type: 'getStoredMessages', rid, mid: selfId, target: selfId, roomSessionId: roomSessionId ?? '' };
}

/**
 * Decodes a `storedMessages` answer. `data` is the JSON text of the item array (already checked by the
 * signaling guard); items are sorted by `timeStamp` (stable; the server's order is kept as is when any
 * stamp is not a valid date) and decrypted with the room's secrets. Never rejects because of an item; a `data` that is
 * not an array rejects with INVALID_ARGUMENT.
 */
export async function decodeStoredMessages(
  crypto: MessageCrypto,
  roomKey: string,
  msg: Pick<StoredMessagesMessage, 'mid' | 'data'>,
): Promise<StoredMessagesParts> {
  const items = parseItems(msg.data);
  const times = items.map((item) => toTime(item.timeStamp));
  const ordered = times.some(Number.isNaN)
    ? items
    : items
        .map((item, index) => ({ item, index, time: times[index] as number }))
        .sort((a, b) => a.time - b.time || a.index - b.index)
        .map(({ item }) => item);
  const results = await crypto.decryptAll(
    roomKey,
    ordered.map((item) => ({
      data: item.data,
      secretId: item.secretId,
      context: { senderId: item.mid, peerSessionId: item.peerSessionId ?? '', targetId: '' },
    })),
  );
  const storedMessages = ordered.map((item, i): StoredMessage => {
    const result = results[i];
    const stored: StoredMessage = {
      targetPeerId: msg.mid,
      senderPeerId: item.peerSessionId || item.mid,
      content: result?.ok ? result.content : null,
      timeStamp: toIsoString(item.timeStamp),
      isPrivate: false,
      isDataChannel: false,
    };
    if (item.secretId) stored.secretId = item.secretId;
    if (result?.ok) stored.encryption = result.encryption;
    else if (result) stored.error = result.error;
    return stored;
  });
  return { storedMessages, peerId: msg.mid, isSelf: true };
}

function parseItems(data: unknown): StoredMessageItem[] {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data) as unknown;
    } catch (cause) {
      throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, 'storedMessages: data is not JSON', { cause });
    }
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'object' && item !== null)) {
    throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, 'storedMessages: data is not an array of messages');
  }
  return value as StoredMessageItem[];
}

function toTime(stamp: unknown): number {
  return typeof stamp === 'number' || typeof stamp === 'string' ? new Date(stamp).getTime() : Number.NaN;
}

/** 2.x did `new Date(stamp).toISOString()` (throws on bad dates); an invalid stamp is passed through as text. */
function toIsoString(stamp: unknown): string {
  const time = toTime(stamp);
  return Number.isNaN(time) ? String(stamp) : new Date(time).toISOString();
}
