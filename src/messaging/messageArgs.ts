/**
 * Argument parsing for `sendMessage` and `sendP2PMessage`: overloads, message content and targets.
 * Pure: throws SkylinkError (INVALID_ARGUMENT / ROOM_NOT_FOUND), touches no state.
 * @module
 */
import { SkylinkError, SkylinkErrorCode } from '../errors';

/** `targetPeerId` as the app passed it (kept for the self echo, which reports it unchanged). */
export type TargetPeerIdArg = string | string[] | null;

/** Normalised recipients. */
export interface MessageTargets {
  /** Distinct peer ids, or `null` for a broadcast (no target, `''` or an empty array, as 2.x). */
  targets: string[] | null;
  /** The argument in its original shape (`null` for a broadcast). */
  targetPeerId: TargetPeerIdArg;
}

/** A validated `sendMessage(roomName, message, targetPeerId?, peerSessionId?)` call (room resolved by the caller). */
export interface SendMessageRequest extends MessageTargets {
  message: unknown;
  /** Sender id shown to receivers instead of ours; `''` when none (2.x default). */
  peerSessionId: string;
}

/** A validated `sendP2PMessage(...)` call. */
export interface SendP2PMessageRequest extends MessageTargets {
  /** The room named by the call, or `null` = every joined room (where the target is found). */
  roomName: string | null;
  message: unknown;
  /** `JSON.stringify(message)`, computed once by the validation (the frames embed it). */
  messageJson?: string | undefined;
  /**
   * Set when a two-argument call was read as `(message, targetPeerId)` although its first argument is a
   * string: that string may have been meant as a room name, worth mentioning if the target is not found.
   */
  unmatchedRoomName?: string;
}

/**
 * Checks that `message` can travel as JSON and be read back as the same value: a string, finite number,
 * boolean, `null`, array or plain object. Rejects `undefined`, functions, symbols, bigints, class
 * instances (Date, Map, Blob, ArrayBuffer...: use sendBlobData for binary data) and cyclic values.
 * Returns `JSON.stringify(message)` (`undefined` for an object whose own `toJSON` returns undefined).
 */
export function assertJsonMessage(message: unknown, method: string): string | undefined {
  const fail = (what: string, cause?: unknown): never => {
    throw new SkylinkError(
      SkylinkErrorCode.INVALID_ARGUMENT,
      `${method}: message must be a string or a JSON-serialisable value (${what})`,
      cause === undefined ? {} : { cause },
    );
  };
  switch (typeof message) {
    case 'string':
    case 'boolean':
      return JSON.stringify(message);
    case 'number':
      if (!Number.isFinite(message)) fail('non-finite number');
      return JSON.stringify(message);
    case 'object': {
      if (message === null) return 'null';
      const proto = Object.getPrototypeOf(message) as unknown;
      if (!Array.isArray(message) && proto !== Object.prototype && proto !== null) fail('not a plain object');
      let json: string | undefined;
      try {
        json = JSON.stringify(message);
      } catch (cause) {
        fail('not serialisable', cause);
      }
      return json;
    }
    default:
      return fail(typeof message);
  }
}

/**
 * Normalises a target argument: absent, `null`, `''` or `[]` → broadcast; a non-empty string or an
 * array of non-empty strings → those peers (deduplicated, order kept).
 */
export function parseTargets(targetPeerId: unknown, method: string): MessageTargets {
  if (targetPeerId === undefined || targetPeerId === null || targetPeerId === '') {
    return { targets: null, targetPeerId: null };
  }
  if (typeof targetPeerId === 'string') return { targets: [targetPeerId], targetPeerId };
  if (Array.isArray(targetPeerId) && targetPeerId.every((id) => typeof id === 'string' && id !== '')) {
    const ids = targetPeerId as string[];
    return ids.length === 0 ? { targets: null, targetPeerId: null } : { targets: [...new Set(ids)], targetPeerId: [...ids] };
  }
  throw new SkylinkError(
    SkylinkErrorCode.INVALID_ARGUMENT,
    `${method}: targetPeerId must be a peer id or an array of peer ids`,
  );
}

/** Validates the arguments of `sendMessage` after the room name (2.x defaults: no target, `peerSessionId = ''`). */
export function parseSendMessageArgs(message: unknown, targetPeerId?: unknown, peerSessionId?: unknown): SendMessageRequest {
  assertJsonMessage(message, 'sendMessage');
  if (peerSessionId !== undefined && peerSessionId !== null && typeof peerSessionId !== 'string') {
    throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, 'sendMessage: peerSessionId must be a string');
  }
  return { message, ...parseTargets(targetPeerId, 'sendMessage'), peerSessionId: peerSessionId ?? '' };
}

/**
 * Resolves the documented `sendP2PMessage` overloads (2.x §H.16):
 * - `(message)`: broadcast in every joined room;
 * - `(message, targetPeerId | targetPeerIds)`: to those peers in every joined room where they are found;
 * - `(roomName, message, targetPeerId?)`: within that room;
 * - `(null | undefined | '', message, targetPeerId?)`: every joined room (2.x default `roomName = ''`).
 *
 * With exactly two arguments the call is the room form only when the first argument is a string naming a
 * joined room (`isJoinedRoom`, case-insensitive on the caller's side); otherwise the arguments shift to
 * `(message, targetPeerId)`. With three or more, an unknown room name is ROOM_NOT_FOUND.
 */
export function parseSendP2PMessageArgs(
  args: readonly unknown[],
  isJoinedRoom: (roomName: string) => boolean,
): SendP2PMessageRequest {
  const method = 'sendP2PMessage';
  if (args.length === 0) {
    throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, `${method}: message is required`);
  }
  const [first, second, third] = args;
  const noRoom = first === undefined || first === null || first === '';
  let roomName: string | null = null;
  let message: unknown;
  let target: unknown;
  let unmatchedRoomName: string | undefined;
  if (args.length === 1) {
    message = first;
  } else if (args.length === 2 && !noRoom && !(typeof first === 'string' && isJoinedRoom(first))) {
    message = first;
    target = second;
    if (typeof first === 'string') unmatchedRoomName = first;
    if (!isTargetShaped(second) && unmatchedRoomName !== undefined) throw SkylinkError.roomNotFound(unmatchedRoomName);
  } else {
    if (!noRoom && typeof first !== 'string') {
      throw new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, `${method}: roomName must be a string`);
    }
    if (!noRoom && !isJoinedRoom(first as string)) throw SkylinkError.roomNotFound(first as string);
    roomName = noRoom ? null : (first as string);
    message = second;
    target = third;
  }
  const messageJson = assertJsonMessage(message, method);
  const request: SendP2PMessageRequest = { roomName, message, messageJson, ...parseTargets(target, method) };
  if (unmatchedRoomName !== undefined) request.unmatchedRoomName = unmatchedRoomName;
  return request;
}

function isTargetShaped(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string' || Array.isArray(value);
}
