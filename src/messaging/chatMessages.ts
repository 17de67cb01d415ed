/**
 * Signaling chat (`sendMessage`): building the outgoing `message` wire objects exactly as Skylink 2.x
 * (encrypted and persisted as 2.x rules say) with the sender's self echo, and turning received
 * `message` / legacy `public` / `private` objects into ON_INCOMING_MESSAGE material.
 *
 * Deliberate differences from 2.x (docs/encryption.md): private recipients that are not in the room are
 * refused (PEER_NOT_FOUND) instead of silently dropped; encrypted messages keep their `peerSessionId`
 * (2.x put it in `isPersistent` by mistake); an undecryptable message is reported with `error` instead of
 * being thrown away.
 * @module
 */
import type { MessageCrypto } from '../crypto/MessageCrypto';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import { DEFAULT_GUARD_LIMITS } from '../signaling/guards';
import type { ChatMessage, PrivateMessage, PublicMessage } from '../signaling/protocol';
import { generateUUID } from '../uuid';
import type { SendMessageRequest } from './messageArgs';
import type { SkylinkMessage } from '../types/messaging';
import type { IncomingMessageParts } from './types';

/**
 * Default largest encrypted `data` of a persistent message, in characters: the project's server refuses
 * to store records over 16 KiB (src/server), and the rest of a record (ids, stamps) takes at most ~1.5 KiB.
 */
export const DEFAULT_MAX_PERSISTENT_DATA_LENGTH = 14 * 1024;

/** What the room knows when one of its users calls `sendMessage`. */
export interface ChatSendContext {
  crypto: MessageCrypto;
  /** Key of the room in `crypto`. */
  roomKey: string;
  /** Room key on the wire (`rid`). */
  rid: string;
  /** Our peer id in the room (`mid`). */
  selfId: string;
  /** REST `roomSessionId` (`''` if unknown). */
  roomSessionId: string;
  /** Remote peers currently in the room (MCU and other server peers excluded). */
  peerIds: readonly string[];
  /** For error context. */
  roomName?: string;
  /** Largest serialised wire message, in UTF-16 code units as the server's guard counts. Default: the guard's limit. */
  maxMessageLength?: number;
  /** Largest `data` of a persistent message (see {@link DEFAULT_MAX_PERSISTENT_DATA_LENGTH}). */
  maxPersistentDataLength?: number;
  newMessageId?: () => string;
  now?: () => Date;
}

/** The messages to send (in order) and the self echo to dispatch once they are handed to the socket. */
export interface OutgoingChat {
  messages: ChatMessage[];
  echo: IncomingMessageParts;
  /** Whether the (public) message asks the server to store it. */
  isPersistent: boolean;
}

/** Receiving-side context. */
export interface ChatReceiveContext {
  crypto: MessageCrypto;
  roomKey: string;
  /** Our peer id in the room. */
  selfId: string;
  now?: () => Date;
}

/**
 * Builds the wire messages of one `sendMessage` call: one broadcast, or one private message per target
 * (sharing `msgId`). Encrypts with the room's selected secret (binding sender and target in the
 * authenticated mode). Rejects with PEER_NOT_FOUND (unknown target), INVALID_STATE (persistence on but no
 * selected secret, as 2.x) or MESSAGE_TOO_LARGE; nothing is to be sent when it rejects.
 */
export async function prepareChatMessages(ctx: ChatSendContext, request: SendMessageRequest): Promise<OutgoingChat> {
  const { crypto, roomKey } = ctx;
  const errorContext = ctx.roomName === undefined ? {} : { roomName: ctx.roomName };
  const isPrivate = request.targets !== null;
  const recipients = isPrivate ? resolveRecipients(ctx, request.targets as string[]) : [...ctx.peerIds];
  const isPersistent = !isPrivate && crypto.canPersist(roomKey);
  if (isPersistent && !crypto.canEncrypt(roomKey)) {
    const hasSecrets = Object.keys(crypto.getEncryptSecrets(roomKey)).length > 0;
    throw new SkylinkError(
      SkylinkErrorCode.INVALID_STATE,
      `Dropping message - ${hasSecrets ? 'Secret id not selected' : 'Secrets not provided, Secret id not provided'}`,
      errorContext,
    );
  }
  const msgId = (ctx.newMessageId ?? generateUUID)();
  const base = {
    type: 'message' as const,
    mid: ctx.selfId,
    rid: ctx.rid,
    msgId,
    roomSessionId: ctx.roomSessionId,
    peerSessionId: request.peerSessionId,
  };
  let protection: Pick<SkylinkMessage, 'secretId' | 'encryption'> = { encryption: 'none' };
  const build = async (target: string | undefined): Promise<ChatMessage> => {
    const encrypted = await crypto.encryptContent(roomKey, request.message, {
      senderId: ctx.selfId,
      peerSessionId: request.peerSessionId,
      targetId: target ?? '',
    });
    const wire: ChatMessage = { ...base, data: encrypted ? encrypted.data : request.message };
    if (encrypted) {
      wire.secretId = encrypted.secretId;
      protection = { secretId: encrypted.secretId, encryption: encrypted.encryption };
    }
    if (target !== undefined) wire.target = target;
    if (isPersistent) wire.isPersistent = true;
    return wire;
  };
  const messages = await Promise.all(isPrivate ? recipients.map((id) => build(id)) : [build(undefined)]);
  const tooLarge = (what: string, length: number, limit: number): SkylinkError =>
    new SkylinkError(
      SkylinkErrorCode.MESSAGE_TOO_LARGE,
      `sendMessage: message too large ${what} (${length} > ${limit} characters once encoded)`,
      errorContext,
    );
  const limit = ctx.maxMessageLength ?? DEFAULT_GUARD_LIMITS.maxMessageLength;
  const persistentLimit = ctx.maxPersistentDataLength ?? DEFAULT_MAX_PERSISTENT_DATA_LENGTH;
  for (const wire of messages) {
    const length = JSON.stringify(wire).length;
    if (length > limit) throw tooLarge('to send', length, limit);
    const dataLength = String(wire.data).length;
    if (isPersistent && dataLength > persistentLimit) {
      throw tooLarge('to be persisted (turn persistence off to send it unstored)', dataLength, persistentLimit);
    }
  }
  const echoMessage: SkylinkMessage = {
    targetPeerId: isPrivate ? request.targetPeerId : null,
    content: request.message,
    senderPeerId: request.peerSessionId || ctx.selfId,
    isDataChannel: false,
    isPrivate,
    timeStamp: (ctx.now ?? (() => new Date()))().toISOString(),
    listOfPeers: recipients,
    ...protection,
  };
  return { messages, echo: { message: echoMessage, peerId: ctx.selfId, isSelf: true }, isPersistent };
}

/**
 * Turns a received chat message into ON_INCOMING_MESSAGE material, decrypting it if it carries a
 * `secretId`. Never rejects: a message that cannot be decrypted comes back with `content: null` and
 * `error` (SECRET_NOT_FOUND or DECRYPT_FAILED).
 */
export async function parseIncomingChat(
  ctx: ChatReceiveContext,
  msg: ChatMessage | PublicMessage | PrivateMessage,
): Promise<IncomingMessageParts> {
  const target = 'target' in msg ? msg.target : undefined;
  const peerSessionId = msg.type === 'message' ? (msg.peerSessionId ?? '') : '';
  const secretId = msg.type === 'message' ? msg.secretId : undefined;
  const message: SkylinkMessage = {
    targetPeerId: ctx.selfId,
    content: null,
    senderPeerId: peerSessionId || msg.mid,
    isDataChannel: false,
    isPrivate: msg.type === 'public' ? false : msg.type === 'private' ? true : !!target,
    timeStamp: (ctx.now ?? (() => new Date()))().toISOString(),
  };
  const [result] = await ctx.crypto.decryptAll(ctx.roomKey, [
    { data: msg.data, secretId, context: { senderId: msg.mid, peerSessionId, targetId: target ?? '' } },
  ]);
  if (result?.ok) {
    message.content = result.content;
    message.encryption = result.encryption;
    if (result.secretId !== undefined) message.secretId = result.secretId;
  } else if (result) {
    message.error = result.error;
    if (result.secretId !== undefined) message.secretId = result.secretId;
  }
  return { message, peerId: msg.mid, isSelf: false };
}

function resolveRecipients(ctx: ChatSendContext, targets: readonly string[]): string[] {
  const known = new Set(ctx.peerIds);
  const missing = targets.find((id) => !known.has(id));
  if (missing !== undefined) {
    throw ctx.roomName === undefined
      ? new SkylinkError(SkylinkErrorCode.PEER_NOT_FOUND, `Peer Id not found ${missing}`, { peerId: missing })
      : SkylinkError.peerNotFound(ctx.roomName, missing);
  }
  return [...targets];
}
