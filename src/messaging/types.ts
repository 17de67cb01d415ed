/**
 * Shapes produced by the messaging helpers for the room to dispatch. They extend the public message
 * types with optional decryption diagnostics (additive: 2.x apps ignore them).
 * @module
 */
import type { EncryptionKind } from '../crypto/MessageCrypto';
import type { SkylinkError } from '../errors';
import type { SkylinkMessage, StoredMessage } from '../types/messaging';

/** Decryption diagnostics carried by received messages. */
export interface MessageProtection {
  /** Secret id the message was encrypted with (absent = clear text). */
  secretId?: string;
  /** How the message was protected (absent on P2P messages, which travel in clear over DTLS). */
  encryption?: EncryptionKind;
  /** Set, with `content === null`, when the message could not be decrypted. */
  error?: SkylinkError;
}

/** `message` of ON_INCOMING_MESSAGE. */
export type ReceivedMessage = SkylinkMessage & MessageProtection;

/** One entry of STORED_MESSAGES `storedMessages`. */
export type ReceivedStoredMessage = StoredMessage & MessageProtection;

/**
 * Everything of an ON_INCOMING_MESSAGE detail the messaging helpers know; the room adds `room` and
 * `peerInfo` (of `peerId`) and dispatches.
 */
export interface IncomingMessageParts {
  message: ReceivedMessage;
  /** Sender peer id (`mid`, or the data-channel peer); our own id on a self echo. */
  peerId: string;
  isSelf: boolean;
}

/** Everything of a STORED_MESSAGES detail the helpers know; the room adds `room` and `peerInfo`. */
export interface StoredMessagesParts {
  storedMessages: ReceivedStoredMessage[];
  /** The requester (our own id), as 2.x reports it. */
  peerId: string;
  isSelf: true;
}
