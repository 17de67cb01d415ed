/**
 * What the messaging helpers hand to the room: everything of an event detail they know; the room adds
 * `room` and `peerInfo` and dispatches.
 * @module
 */
import type { SkylinkMessage, StoredMessage } from '../types/messaging';

/** ON_INCOMING_MESSAGE material (the room adds `room` and the `peerInfo` of `peerId`). */
export interface IncomingMessageParts {
  message: SkylinkMessage;
  /** Sender peer id (`mid`, or the data-channel peer); our own id on a self echo. */
  peerId: string;
  isSelf: boolean;
}

/** STORED_MESSAGES material (the room adds `room` and `peerInfo`). */
export interface StoredMessagesParts {
  storedMessages: StoredMessage[];
  /** The requester (our own id), as 2.x reports it. */
  peerId: string;
  isSelf: true;
}
