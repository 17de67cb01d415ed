/**
 * `SkylinkError`: the one error class of the SDK. Every public command that fails rejects with it.
 * `code` is the stable contract (string, from {@link SkylinkErrorCode}); `message` is for humans and
 * keeps the 2.x wording where 2.x had one.
 * @module
 */

/** Stable error codes carried by {@link SkylinkError.code}. */
export const SkylinkErrorCode = Object.freeze({
  // Generic
  /** A bad argument (missing appKey, wrong type, empty id...). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** The operation is not allowed in the current state (room left, recording running...). */
  INVALID_STATE: 'INVALID_STATE',
  /** The method is not implemented in this build. */
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  /** The browser / environment lacks a needed capability (WebRTC, getDisplayMedia, enumerateDevices...). */
  NOT_SUPPORTED: 'NOT_SUPPORTED',
  /** The room/app key does not enable the feature (MCU, recording, persistence, privileged key). */
  FEATURE_NOT_ENABLED: 'FEATURE_NOT_ENABLED',
  /** Unexpected internal failure. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  // Rooms
  /** No joined room has this name. */
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  /** The room is joined but the server has not confirmed it yet (2.x 'User is not in room'). */
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  /** `joinRoom` on a room this instance is already in (or joining). */
  ALREADY_IN_ROOM: 'ALREADY_IN_ROOM',
  /** The room is locked. */
  ROOM_LOCKED: 'ROOM_LOCKED',
  /** The server rejected the join (see `reason` in the message / SYSTEM_ACTION). */
  JOIN_REJECTED: 'JOIN_REJECTED',
  /** Room authentication failed (room server error / unreachable). */
  AUTH_FAILED: 'AUTH_FAILED',
  /** The credentials are invalid or expired. */
  CREDENTIALS_INVALID: 'CREDENTIALS_INVALID',
  /** The operation needs a privileged key. */
  NOT_PRIVILEGED: 'NOT_PRIVILEGED',
  // Signaling / connection
  /** The signaling server did not answer in time. */
  SIGNALING_TIMEOUT: 'SIGNALING_TIMEOUT',
  /** The signaling connection failed or dropped. */
  SIGNALING_ERROR: 'SIGNALING_ERROR',
  /** Offer/answer or ICE negotiation failed. */
  NEGOTIATION_FAILED: 'NEGOTIATION_FAILED',
  /** The peer is not known in the room (or has no connection). */
  PEER_NOT_FOUND: 'PEER_NOT_FOUND',
  /** The room has no other peer (2.x 'No peers in room'). */
  NO_PEERS: 'NO_PEERS',
  /** The MCU is not connected. */
  MCU_NOT_CONNECTED: 'MCU_NOT_CONNECTED',
  // Data channel / messaging
  /** Data channels are disabled (`enableDataChannel: false`). */
  DATA_CHANNEL_DISABLED: 'DATA_CHANNEL_DISABLED',
  /** The data channel is not open. */
  DATA_CHANNEL_NOT_OPEN: 'DATA_CHANNEL_NOT_OPEN',
  /** The message exceeds the maximum size. */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  /** A message could not be encrypted. */
  ENCRYPT_FAILED: 'ENCRYPT_FAILED',
  /** A message could not be decrypted. */
  DECRYPT_FAILED: 'DECRYPT_FAILED',
  /** The secret id is unknown. */
  SECRET_NOT_FOUND: 'SECRET_NOT_FOUND',
  // Media
  /** The user or browser denied camera / microphone / screen access. */
  MEDIA_PERMISSION_DENIED: 'MEDIA_PERMISSION_DENIED',
  /** No device matches the request. */
  MEDIA_NOT_FOUND: 'MEDIA_NOT_FOUND',
  /** The device is in use or could not be started. */
  MEDIA_DEVICE_BUSY: 'MEDIA_DEVICE_BUSY',
  /** The constraints cannot be satisfied. */
  MEDIA_CONSTRAINTS_NOT_SATISFIED: 'MEDIA_CONSTRAINTS_NOT_SATISFIED',
  /** Other media failure. */
  MEDIA_ERROR: 'MEDIA_ERROR',
  /** The stream id is unknown / no stream to process. */
  STREAM_NOT_FOUND: 'STREAM_NOT_FOUND',
  // Data transfer
  /** A blob transfer failed. */
  TRANSFER_ERROR: 'TRANSFER_ERROR',
  /** The remote peer rejected the transfer. */
  TRANSFER_REJECTED: 'TRANSFER_REJECTED',
  /** The transfer was cancelled. */
  TRANSFER_CANCELLED: 'TRANSFER_CANCELLED',
  /** The transfer timed out. */
  TRANSFER_TIMEOUT: 'TRANSFER_TIMEOUT',
  /** A transfer with this peer is already running. */
  TRANSFER_IN_PROGRESS: 'TRANSFER_IN_PROGRESS',
  /** The transfer id is unknown. */
  TRANSFER_NOT_FOUND: 'TRANSFER_NOT_FOUND',
} as const);
/** One of the {@link SkylinkErrorCode} strings. */
export type SkylinkErrorCode = (typeof SkylinkErrorCode)[keyof typeof SkylinkErrorCode];

/** Context attached to a {@link SkylinkError}. */
export interface SkylinkErrorContext {
  /** Room the failure belongs to. */
  roomName?: string;
  /** Peer the failure belongs to. */
  peerId?: string;
  /** Underlying error (DOMException, socket error...). */
  cause?: unknown;
}

/**
 * The SDK's error. `instanceof Error`, so 2.x code reading `err.message` keeps working.
 *
 * @example
 * ```ts
 * try { await skylink.lockRoom('nope'); }
 * catch (err) { if (err instanceof SkylinkError && err.code === SkylinkErrorCode.ROOM_NOT_FOUND) ... }
 * ```
 */
export class SkylinkError extends Error {
  override readonly name = 'SkylinkError';
  /** Stable machine-readable code. */
  readonly code: SkylinkErrorCode;
  /** Room the failure belongs to, if any. */
  declare readonly roomName?: string;
  /** Peer the failure belongs to, if any. */
  declare readonly peerId?: string;
  /** Underlying error, if any. */
  declare readonly cause?: unknown;

  constructor(code: SkylinkErrorCode, message: string, context: SkylinkErrorContext = {}) {
    super(message);
    this.code = code;
    if (context.roomName !== undefined) this.roomName = context.roomName;
    if (context.peerId !== undefined) this.peerId = context.peerId;
    // Set by hand (not via the ES2022 `super(message, { cause })`) so older runtimes keep it too.
    if (context.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: context.cause, writable: false, enumerable: false, configurable: true });
    }
  }

  /** Plain-object form for logs and structured clones. */
  toJSON(): { name: string; code: SkylinkErrorCode; message: string; roomName?: string; peerId?: string } {
    const out: { name: string; code: SkylinkErrorCode; message: string; roomName?: string; peerId?: string } = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    if (this.roomName !== undefined) out.roomName = this.roomName;
    if (this.peerId !== undefined) out.peerId = this.peerId;
    return out;
  }

  /** No joined room has this name. */
  static roomNotFound(roomName: string): SkylinkError {
    return new SkylinkError(SkylinkErrorCode.ROOM_NOT_FOUND, `No room named "${roomName}" is joined`, { roomName });
  }

  /** A bad argument. */
  static invalidArgument(message: string, context?: SkylinkErrorContext): SkylinkError {
    return new SkylinkError(SkylinkErrorCode.INVALID_ARGUMENT, message, context);
  }

  /** Not allowed in the current state. */
  static invalidState(message: string, context?: SkylinkErrorContext): SkylinkError {
    return new SkylinkError(SkylinkErrorCode.INVALID_STATE, message, context);
  }

  /** The method is not implemented yet. */
  static notImplemented(method: string, context?: SkylinkErrorContext): SkylinkError {
    return new SkylinkError(SkylinkErrorCode.NOT_IMPLEMENTED, `${method} is not implemented`, context);
  }

  /** The environment lacks a capability. */
  static notSupported(message: string, context?: SkylinkErrorContext): SkylinkError {
    return new SkylinkError(SkylinkErrorCode.NOT_SUPPORTED, message, context);
  }

  /** Unknown peer. */
  static peerNotFound(roomName: string, peerId: string): SkylinkError {
    return new SkylinkError(SkylinkErrorCode.PEER_NOT_FOUND, `Peer Id not found ${peerId}`, { roomName, peerId });
  }

  /** The room is joined but not yet confirmed by the server. */
  static notInRoom(roomName: string): SkylinkError {
    return new SkylinkError(SkylinkErrorCode.NOT_IN_ROOM, 'User is not in room', { roomName });
  }

  /** The data channel with a peer is not open. */
  static dataChannelNotOpen(roomName: string, peerId?: string): SkylinkError {
    return new SkylinkError(
      SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN,
      'Failed sending message - Data Channel connection is not open',
      peerId === undefined ? { roomName } : { roomName, peerId },
    );
  }

  /** A signaling request timed out. */
  static signalingTimeout(what: string, timeoutMs: number, context?: SkylinkErrorContext): SkylinkError {
    return new SkylinkError(SkylinkErrorCode.SIGNALING_TIMEOUT, `${what} timed out after ${timeoutMs} ms`, context);
  }

  /**
   * Returns `err` if it already is a SkylinkError, otherwise wraps it with `code` (message taken from
   * `err` unless given).
   */
  static from(err: unknown, code: SkylinkErrorCode, message?: string, context: SkylinkErrorContext = {}): SkylinkError {
    if (err instanceof SkylinkError) return err;
    const text = message ?? (err instanceof Error ? err.message : String(err));
    return new SkylinkError(code, text, { ...context, cause: err });
  }
}

/** `true` when `err` is a {@link SkylinkError} (optionally with the given code). */
export function isSkylinkError(err: unknown, code?: SkylinkErrorCode): err is SkylinkError {
  return err instanceof SkylinkError && (code === undefined || err.code === code);
}

const DOM_EXCEPTION_CODES: Readonly<Record<string, SkylinkErrorCode>> = {
  NotAllowedError: SkylinkErrorCode.MEDIA_PERMISSION_DENIED,
  PermissionDeniedError: SkylinkErrorCode.MEDIA_PERMISSION_DENIED,
  SecurityError: SkylinkErrorCode.MEDIA_PERMISSION_DENIED,
  NotFoundError: SkylinkErrorCode.MEDIA_NOT_FOUND,
  DevicesNotFoundError: SkylinkErrorCode.MEDIA_NOT_FOUND,
  NotReadableError: SkylinkErrorCode.MEDIA_DEVICE_BUSY,
  TrackStartError: SkylinkErrorCode.MEDIA_DEVICE_BUSY,
  AbortError: SkylinkErrorCode.MEDIA_DEVICE_BUSY,
  OverconstrainedError: SkylinkErrorCode.MEDIA_CONSTRAINTS_NOT_SATISFIED,
  ConstraintNotSatisfiedError: SkylinkErrorCode.MEDIA_CONSTRAINTS_NOT_SATISFIED,
};

/**
 * Maps a getUserMedia / getDisplayMedia failure (a `DOMException` or DOMException-like `{ name, message }`)
 * to a {@link SkylinkError} with a media code; the original error is kept as `cause`.
 * Mapping (after LiveKit's `MediaDeviceFailure.getFailure`): NotAllowed / PermissionDenied / Security →
 * MEDIA_PERMISSION_DENIED; NotFound / DevicesNotFound → MEDIA_NOT_FOUND; NotReadable / TrackStart / Abort →
 * MEDIA_DEVICE_BUSY; Overconstrained / ConstraintNotSatisfied → MEDIA_CONSTRAINTS_NOT_SATISFIED; else MEDIA_ERROR.
 */
export function mediaErrorFromDOMException(err: unknown, context: Omit<SkylinkErrorContext, 'cause'> = {}): SkylinkError {
  if (err instanceof SkylinkError) return err;
  const name = typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string'
    ? (err as { name: string }).name
    : '';
  const rawMessage = typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string'
    ? (err as { message: string }).message
    : typeof err === 'string' ? err : '';
  const code = DOM_EXCEPTION_CODES[name] ?? SkylinkErrorCode.MEDIA_ERROR;
  const constraint = typeof err === 'object' && err !== null ? (err as { constraint?: unknown }).constraint : undefined;
  let message = rawMessage || name || 'Media access failed';
  if (name && rawMessage && !rawMessage.includes(name)) message = `${name}: ${rawMessage}`;
  if (typeof constraint === 'string' && constraint) message += ` (constraint: ${constraint})`;
  return new SkylinkError(code, message, { ...context, cause: err });
}
