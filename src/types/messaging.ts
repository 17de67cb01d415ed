/**
 * Chat message types (ON_INCOMING_MESSAGE `message`, STORED_MESSAGES).
 * @module
 */
import type { SkylinkError } from '../errors';

/** A chat message as delivered to ON_INCOMING_MESSAGE. */
export interface SkylinkMessage {
  /** Decrypted content (signaling messages are strings; P2P messages any JSON value). */
  content: unknown;
  /** Sender peer id (or its peerSessionId when one was given). */
  senderPeerId: string;
  /** Our id on receipt; the private target(s) or `null` on a self echo / broadcast. */
  targetPeerId: string | string[] | null;
  isPrivate: boolean;
  /** `true` for `sendP2PMessage` (data channel), `false` for `sendMessage` (signaling). */
  isDataChannel: boolean;
  /** ISO time (signaling messages). */
  timeStamp?: string;
  /** Peers the message was sent to (self echo of `sendMessage`). */
  listOfPeers?: string[];
  /** Set (and `content` is `null`) when an inbound encrypted message could not be decrypted. */
  error?: SkylinkError;
  /** Id of the secret the message was encrypted with; absent for clear text. */
  secretId?: string;
  /** How the message was protected on the wire (see docs/encryption.md). */
  encryption?: 'none' | 'compat' | 'authenticated';
}

/** A persisted message returned by `getStoredMessages` / STORED_MESSAGES. */
export interface StoredMessage {
  targetPeerId: string | null;
  senderPeerId: string;
  content: unknown;
  /** ISO time. */
  timeStamp: string;
  isPrivate: false;
  isDataChannel: false;
  /** Set (and `content` is `null`) when an inbound encrypted message could not be decrypted. */
  error?: SkylinkError;
  /** Id of the secret the message was encrypted with; absent for clear text. */
  secretId?: string;
  /** How the message was protected on the wire (see docs/encryption.md). */
  encryption?: 'none' | 'compat' | 'authenticated';
}

