/**
 * Blob transfer types (`transferInfo`, `dataTransferResult`).
 * @module
 */
import type { DataTransferDataType, DataTransferDirection } from '../constants';

/** Progress and metadata of one blob transfer (2.x `transferInfo`). */
export interface TransferInfo {
  /** File name, or the transfer id when the Blob has no name. */
  name: string;
  /** Advertised (base64) size: `4 * ceil(originalSize / 3)`. */
  size: number;
  /** Size in bytes. */
  originalSize: number;
  /** Chunk size in bytes before base64 (49152). */
  chunkSize: number;
  /** Chunk encoding (`'binaryString'`). */
  chunkType: DataTransferDataType;
  /** `'blob'`. */
  dataType: string;
  mimeType: string | null;
  direction: DataTransferDirection;
  /** Timeout in seconds (restarted after every ACK / chunk). */
  timeout: number;
  isPrivate: boolean;
  /** 0-100, two decimals. */
  percentage: number;
  /** The Blob, set once `percentage` reaches 100. */
  data: Blob | null;
}

/** Outcome of a transfer with one peer. */
export interface DataTransferPeerResult {
  success?: TransferInfo;
  error?: Error | string;
  transferType: DataTransferDirection;
}

/**
 * Result of a transfer keyed by peer id (one key per object): `{ [peerId]: { success | error, transferType } }`.
 * `sendBlobData` resolves an array of these (one per target peer).
 */
export type DataTransferResult = Record<string, DataTransferPeerResult>;

/** `cancelBlobTransfer()` result. */
export interface CancelBlobTransferResult {
  peerId: string;
  transferId: string;
}
