/**
 * Message texts of blob transfers (2.x wording where 2.x had one) and the SkylinkError factories the
 * engine rejects with / reports in DATA_TRANSFER_STATE `error.message`.
 */
import { SkylinkError, SkylinkErrorCode } from '../errors';
import type { SkylinkErrorContext } from '../errors';

export const TRANSFER_MESSAGES = Object.freeze({
  UNABLE_TO_SEND: 'Unable to send Blob data',
  UPLOAD_TERMINATED: 'Data upload terminated',
  DOWNLOAD_TERMINATED: 'Data download terminated',
  CANCEL_TERMINATED: 'Cancel data transfer terminated',
  NOT_BLOB: 'Data is not type Blob',
  INVALID_DATA: 'Invalid data',
  NO_PEERS: 'No peers in room',
  PEER_ID_INVALID_TYPE: 'Peer ID is not type array string or string',
  TIMEOUT_INVALID_TYPE: 'Timeout is not type number',
  NO_TRANSFER_ID: 'No Transfer ID',
  NO_PEER_ID: 'No Peer ID',
  NO_SESSIONS: 'Peer Connection does not have Data Channel sessions',
  NO_TRANSFER_SESSION: 'No data transfer sessions',
  CHANNEL_NOT_OPEN: 'Data Channel connection is not open',
  NOT_IN_ROOM: 'User is not in room',
  ALREADY_RESPONDED: 'The data transfer request has already been answered',
  USER_CANCELLED: 'User cancelled data transfer',
  REMOTE_CANCELLED: 'Remote peer cancelled data transfer',
  USER_REJECTED: 'User rejected data transfer',
  REMOTE_REJECTED: 'Remote peer rejected data transfer',
  TIMEOUT: 'Data transfer connection timed out',
  PEER_LEFT: 'Peer left the room before the transfer completed',
  ROOM_LEFT: 'Left the room before the transfer completed',
  CHANNEL_CLOSED: 'Data Channel closed before the transfer completed',
  CHANNEL_OPEN_FAILED: 'Unable to open a data channel for the transfer',
  READ_FAILED: 'Failed reading the Blob',
  SEND_FAILED: 'Failed sending on the Data Channel',
  INVALID_CHUNK: 'Invalid data chunk received',
  PROTOCOL_VIOLATION: 'Unexpected data transfer message received',
  INTEGRITY: 'Data integrity check failed - SHA-256 mismatch',
} as const);

type Ctx = SkylinkErrorContext & { transferId?: string };

function make(code: SkylinkErrorCode, message: string, ctx: Ctx): SkylinkError {
  const { transferId, ...context } = ctx;
  const error = new SkylinkError(code, message, context);
  if (transferId !== undefined) Object.defineProperty(error, 'transferId', { value: transferId, enumerable: true });
  return error;
}

/** Factories for the transfer failures. */
export const transferError = {
  invalidArgument: (reason: string, ctx: Ctx = {}): SkylinkError =>
    make(SkylinkErrorCode.INVALID_ARGUMENT, `${TRANSFER_MESSAGES.UNABLE_TO_SEND} - ${reason}`, ctx),
  upload: (code: SkylinkErrorCode, reason: string, ctx: Ctx): SkylinkError =>
    make(code, `${TRANSFER_MESSAGES.UPLOAD_TERMINATED} - ${reason}`, ctx),
  download: (code: SkylinkErrorCode, reason: string, ctx: Ctx): SkylinkError =>
    make(code, `${TRANSFER_MESSAGES.DOWNLOAD_TERMINATED} - ${reason}`, ctx),
  cancel: (code: SkylinkErrorCode, reason: string, ctx: Ctx): SkylinkError =>
    make(code, `${TRANSFER_MESSAGES.CANCEL_TERMINATED} - ${reason}`, ctx),
  failed: (reason: string, ctx: Ctx): SkylinkError => make(SkylinkErrorCode.TRANSFER_ERROR, reason, ctx),
  timeout: (seconds: number, ctx: Ctx): SkylinkError =>
    make(SkylinkErrorCode.TRANSFER_TIMEOUT, `${TRANSFER_MESSAGES.TIMEOUT} - Longer than ${seconds}`, ctx),
  rejected: (message: string, ctx: Ctx): SkylinkError => make(SkylinkErrorCode.TRANSFER_REJECTED, message, ctx),
  cancelled: (message: string, ctx: Ctx): SkylinkError => make(SkylinkErrorCode.TRANSFER_CANCELLED, message, ctx),
};
