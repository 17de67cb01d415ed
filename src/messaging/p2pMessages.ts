/**
 * P2P chat (`sendP2PMessage`) over each peer's `main` data channel: planning who gets which 2.x
 * `MESSAGE` frame (in one room or across every joined room), and turning received frames into
 * ON_INCOMING_MESSAGE material. P2P messages are not encrypted by the SDK (DTLS protects the channel),
 * as in 2.x.
 * @module
 */
import type { P2PMessage } from '../data/dataProtocol';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import { utf8ByteLength } from '../crypto/encoding';
import type { SendP2PMessageRequest, TargetPeerIdArg } from './messageArgs';
import type { SkylinkMessage } from '../types/messaging';
import type { IncomingMessageParts } from './types';

/**
 * Default largest `MESSAGE` frame, in UTF-8 bytes: Chrome's SCTP `maxMessageSize` (256 KiB). Pass the
 * connection's `sctp.maxMessageSize` when smaller.
 */
export const DEFAULT_MAX_P2P_MESSAGE_BYTES = 256 * 1024;

/** Peer id of the MCU, the only channel peer allowed to relay other peers' frames. */
const MCU_PEER_ID = 'MCU';

/** One remote peer of a room as the planner needs it. */
export interface P2PPeerView {
  peerId: string;
  /** The peer's `main` data channel is open. */
  channelOpen: boolean;
}

/** One joined room as the planner needs it. */
export interface P2PRoomView {
  roomName: string;
  /** Our peer id in that room. */
  selfId: string;
  /** Remote peers (MCU and other server peers excluded). */
  peers: readonly P2PPeerView[];
}

/** One frame to write on one peer's `main` channel. */
export interface P2PSend {
  peerId: string;
  /** JSON text of a 2.x `MESSAGE` frame. */
  payload: string;
}

/** What to do in one room: the frames, then the self echo (dispatched once the frames are handed over). */
export interface P2PRoomDelivery {
  roomName: string;
  sends: P2PSend[];
  echo: IncomingMessageParts;
}

/** The 2.x `MESSAGE` frame: private frames name their one target, broadcast frames have `target: null`. */
export function buildP2PMessageFrame(selfId: string, data: unknown, target: string | null): P2PMessage {
  return { type: 'MESSAGE', isPrivate: target !== null, sender: selfId, target, data };
}

/**
 * Plans one `sendP2PMessage` call. `rooms` holds the room the call named, or every joined room when it
 * named none. Broadcasts go to every peer whose channel is open (others are skipped, as 2.x does; a room
 * with no such peer still gets its self echo). Targeted messages go to each target in every given room
 * where it is found with an open channel. Rejects, before anything is sent, with ROOM_NOT_FOUND (no room),
 * PEER_NOT_FOUND (a target in none of the rooms), DATA_CHANNEL_NOT_OPEN (a target found only with closed
 * channels) or MESSAGE_TOO_LARGE.
 */
export function planP2PDelivery(
  request: SendP2PMessageRequest,
  rooms: readonly P2PRoomView[],
  options: { maxMessageBytes?: number } = {},
): P2PRoomDelivery[] {
  if (rooms.length === 0) {
    throw request.roomName === null
      ? new SkylinkError(SkylinkErrorCode.ROOM_NOT_FOUND, 'sendP2PMessage: not in any room')
      : SkylinkError.roomNotFound(request.roomName);
  }
  const limit = options.maxMessageBytes ?? DEFAULT_MAX_P2P_MESSAGE_BYTES;
  const targets = request.targets;
  if (targets !== null) assertTargetsReachable(request, targets, rooms);
  const dataJson = embeddableJson(request);
  const deliveries: P2PRoomDelivery[] = [];
  for (const room of rooms) {
    const recipients: string[] = [];
    for (const peer of room.peers) {
      if (peer.channelOpen && (targets === null || targets.includes(peer.peerId))) recipients.push(peer.peerId);
    }
    // Targets keep the order the caller gave.
    if (targets !== null && recipients.length > 1) recipients.sort((a, b) => targets.indexOf(a) - targets.indexOf(b));
    if (targets !== null && recipients.length === 0) continue;
    const sends = recipients.map((peerId): P2PSend => {
      const target = targets === null ? null : peerId;
      const payload =
        dataJson === null
          ? JSON.stringify(buildP2PMessageFrame(room.selfId, request.message, target))
          : encodeP2PMessageFrame(room.selfId, dataJson, target);
      // A UTF-16 code unit takes at most 3 UTF-8 bytes: count only when the text could be too large.
      const bytes = payload.length * 3 <= limit ? 0 : utf8ByteLength(payload);
      if (bytes > limit) {
        throw new SkylinkError(
          SkylinkErrorCode.MESSAGE_TOO_LARGE,
          `sendP2PMessage: message too large (${bytes} > ${limit} bytes once encoded)`,
          { roomName: room.roomName, peerId },
        );
      }
      return { peerId, payload };
    });
    deliveries.push({ roomName: room.roomName, sends, echo: selfEcho(room.selfId, request, recipients) });
  }
  return deliveries;
}

/**
 * `JSON.stringify(buildP2PMessageFrame(selfId, data, target))` from the data's JSON text, which is
 * serialised once per call instead of once per recipient. Same text, byte for byte (key order
 * `type, isPrivate, sender, target, data`).
 */
export function encodeP2PMessageFrame(selfId: string, dataJson: string, target: string | null): string {
  const head = target === null ? '{"type":"MESSAGE","isPrivate":false,"sender":' : '{"type":"MESSAGE","isPrivate":true,"sender":';
  return `${head}${JSON.stringify(selfId)},"target":${target === null ? 'null' : JSON.stringify(target)},"data":${dataJson}}`;
}

/**
 * The message's JSON text as it appears inside a frame, or `null` when it must be serialised with the
 * frame: no text from the validation, or a `toJSON` method (called with its key, `'data'`, in a frame).
 */
function embeddableJson(request: SendP2PMessageRequest): string | null {
  const { message, messageJson } = request;
  if (messageJson === undefined) return null;
  if (typeof message === 'object' && message !== null && typeof (message as { toJSON?: unknown }).toJSON === 'function') return null;
  return messageJson;
}

/**
 * Turns a validated inbound `MESSAGE` frame into ON_INCOMING_MESSAGE material. On a direct (P2P) channel
 * the sender is the channel's peer whatever the frame claims; only frames relayed by the MCU name their
 * real sender in `sender` (2.x trusted `sender` everywhere).
 */
export function parseP2PMessage(frame: P2PMessage, channelPeerId: string): IncomingMessageParts {
  const claimed = typeof frame.sender === 'string' && frame.sender !== '' ? frame.sender : channelPeerId;
  const senderPeerId = channelPeerId === MCU_PEER_ID ? claimed : channelPeerId;
  const message: SkylinkMessage = {
    targetPeerId: frame.target ?? null,
    content: frame.data,
    senderPeerId,
    isDataChannel: true,
    isPrivate: frame.isPrivate === true,
  };
  return { message, peerId: senderPeerId, isSelf: false };
}

function assertTargetsReachable(request: SendP2PMessageRequest, targets: readonly string[], rooms: readonly P2PRoomView[]): void {
  for (const target of targets) {
    let firstRoom: P2PRoomView | undefined;
    let open = false;
    for (const room of rooms) {
      for (const peer of room.peers) {
        if (peer.peerId !== target) continue;
        firstRoom ??= room;
        if (peer.channelOpen) open = true;
      }
    }
    if (firstRoom === undefined) {
      const roomName = rooms.length === 1 ? rooms[0]?.roomName : undefined;
      const hint = request.unmatchedRoomName === undefined ? '' : ` (and no joined room is named "${request.unmatchedRoomName}")`;
      throw new SkylinkError(SkylinkErrorCode.PEER_NOT_FOUND, `Peer Id not found ${target}${hint}`, {
        peerId: target,
        ...(roomName === undefined ? {} : { roomName }),
      });
    }
    if (!open) throw SkylinkError.dataChannelNotOpen(firstRoom.roomName, target);
  }
}

function selfEcho(selfId: string, request: SendP2PMessageRequest, recipients: string[]): IncomingMessageParts {
  let targetPeerId: TargetPeerIdArg = null;
  if (request.targets !== null) {
    targetPeerId = typeof request.targetPeerId === 'string' ? recipients[0] ?? null : recipients;
  }
  const message: SkylinkMessage = {
    targetPeerId,
    content: request.message,
    senderPeerId: selfId,
    isDataChannel: true,
    isPrivate: request.targets !== null,
  };
  return { message, peerId: selfId, isSelf: true };
}
