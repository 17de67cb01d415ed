/**
 * Download of one Blob from one peer, created by its WRQ. The app answers with `respond()`; then
 * - 2.x mode: each base64 chunk on the main channel is checked (valid base64, exact expected length)
 *   and answered with ACK n+1, exactly as skylinkjs 2.x;
 * - fast mode (the WRQ offered it): binary chunks arrive on the dedicated channel the sender opens, in
 *   order (index checked), acknowledged once per segment; END carries the sender's content hash, which
 *   must match ours before the final ACK and DOWNLOAD_COMPLETED.
 * Chunks are kept as Blob parts; nothing partial is ever reported.
 * States: UPLOAD_REQUEST -> DOWNLOAD_STARTED -> DOWNLOADING* -> DOWNLOAD_COMPLETED, or USER_REJECTED / CANCEL / ERROR.
 */
import { CHUNK_FILE_SIZE, DATA_TRANSFER_DATA_TYPE, DATA_TRANSFER_DIRECTION, DATA_TRANSFER_STATE } from '../constants';
import type { DataTransferState } from '../constants';
import { SkylinkErrorCode } from '../errors';
import type { DataTransferResult } from '../types/transfer';
import { listen, type DataChannelLike } from './channel';
import { base64Length, base64ToBytes, chunkCount, chunkLength, percentage } from './chunking';
import { decodeChunkFrame, type FastOffer, type InboundFrame, type WrqMessage } from './dataProtocol';
import { SegmentAssembler } from './SegmentAssembler';
import { SegmentHasher } from './SegmentHasher';
import { Transfer, type TransferHost } from './Transfer';
import { TRANSFER_MESSAGES, transferError } from './transferErrors';

/** Blob part size of 2.x downloads (about 21 chunks of 49152 bytes). */
const LEGACY_SEGMENT_BYTES = 1024 * 1024;

export class IncomingTransfer extends Transfer {
  readonly direction = DATA_TRANSFER_DIRECTION.DOWNLOAD;
  private responded = false;
  private assembler: SegmentAssembler | null = null;
  private hasher: SegmentHasher | null = null;
  private readonly count: number;
  private received = 0;
  private verifying = false;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  private settleResponse: { resolve: (r: DataTransferResult) => void; reject: (e: Error) => void } | null = null;

  constructor(
    host: TransferHost,
    transferId: string,
    wrq: WrqMessage,
    private readonly offer: FastOffer | null,
  ) {
    const chunkSize = offer ? offer.chunkSize : validLegacyChunkSize(wrq.chunkSize);
    super(host, transferId, {
      name: wrq.name || transferId,
      originalSize: wrq.originalSize,
      mimeType: wrq.mimeType ?? null,
      timeout: typeof wrq.timeout === 'number' ? wrq.timeout : 60,
      size: typeof wrq.size === 'number' ? wrq.size : base64Length(wrq.originalSize),
      chunkSize,
      chunkType: DATA_TRANSFER_DATA_TYPE.BINARY_STRING,
    });
    this.count = chunkCount(wrq.originalSize, chunkSize);
    if (offer) this.useFastMode(offer.chunkSize);
    else this.mode = 'legacy';
    this.announced = true;
  }

  /** Reports the request (ON_INCOMING_DATA_REQUEST + UPLOAD_REQUEST); the app must `respond()`. */
  announce(): void {
    this.host.batch(() => {
      this.host.emitRequest(this, false);
      this.host.emitState(this, DATA_TRANSFER_STATE.UPLOAD_REQUEST);
    });
  }

  /** `true` while the dedicated channel of an accepted fast transfer is awaited. */
  get awaitsChannel(): boolean {
    return this.mode === 'fast' && this.responded && !this.isDone && this.channel === null;
  }

  /**
   * The app's answer. `accept: false` resolves with the USER_REJECTED entry at once; `accept: true`
   * resolves when the Blob is complete and rejects with a SkylinkError if the transfer fails.
   */
  respond(accept: boolean): Promise<DataTransferResult> {
    if (this.responded || this.isDone) {
      return Promise.reject(transferError.download(SkylinkErrorCode.INVALID_STATE, TRANSFER_MESSAGES.ALREADY_RESPONDED, this.ctx()));
    }
    this.responded = true;
    const ack = { type: 'ACK', sender: this.host.selfId(), transferId: this.transferId };
    if (!accept) {
      this.host.sendMain(JSON.stringify({ ...ack, ackN: -1 }));
      const error = transferError.rejected(TRANSFER_MESSAGES.USER_REJECTED, this.ctx());
      this.finish(DATA_TRANSFER_STATE.USER_REJECTED, error, 'now');
      return Promise.resolve({ [this.peerId]: { error, transferType: this.direction } });
    }
    const pending = new Promise<DataTransferResult>((resolve, reject) => {
      this.settleResponse = { resolve, reject };
    });
    const fast = this.mode === 'fast' ? { fast: { version: 1 } } : {};
    if (!this.host.sendMain(JSON.stringify({ ...ack, ackN: 0, ...fast }))) {
      this.fail(transferError.download(SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, TRANSFER_MESSAGES.CHANNEL_NOT_OPEN, this.ctx()), false);
      return pending;
    }
    const segmentBytes = this.offer ? this.offer.chunkSize * this.offer.segmentChunks : LEGACY_SEGMENT_BYTES;
    if (this.offer?.hash) {
      if (this.host.digest) this.hasher = new SegmentHasher(this.host.digest);
      else this.host.log.warn('No WebCrypto here: the content hash of this transfer is not checked', { transferId: this.transferId });
    }
    const hasher = this.hasher;
    this.assembler = new SegmentAssembler(this.meta.originalSize, segmentBytes, hasher ? (i, b) => hasher.add(i, b) : undefined);
    this.host.emitState(this, DATA_TRANSFER_STATE.DOWNLOAD_STARTED);
    this.armTimer();
    return pending;
  }

  /** Takes the dedicated channel and tells the sender (ACK 0 on it) that chunks can flow. */
  override attachChannel(channel: DataChannelLike): void {
    super.attachChannel(channel);
    if (channel.readyState === 'open') this.sendReady();
    else {
      const stop = listen(channel, {
        open: () => {
          stop();
          this.sendReady();
        },
      });
    }
  }

  /**
   * The "ready" ACK 0, repeated every `readyRepeatMs` until the first chunk arrives (the sender
   * ignores the repeats). Sent once, it could be lost: in Chromium on a loaded machine both ends of
   * the channel were open and the receiver's `send()` did not throw, yet the sender never got it,
   * and both sides waited for each other until the stall timeout.
   */
  private sendReady(): void {
    this.readyTimer = undefined;
    if (this.isDone || this.received > 0 || this.channel?.readyState !== 'open') return;
    this.sendControl({ type: 'ACK', ackN: 0 });
    this.readyTimer = setTimeout(() => this.sendReady(), this.host.tuning.readyRepeatMs);
  }

  private stopReady(): void {
    if (this.readyTimer !== undefined) clearTimeout(this.readyTimer);
    this.readyTimer = undefined;
  }

  /** One 2.x base64 chunk from the main channel. */
  handleLegacyChunk(text: string): void {
    if (this.isDone || this.mode !== 'legacy' || !this.assembler) {
      this.host.log.warn('Dropping a data chunk outside an accepted transfer', { transferId: this.transferId });
      return;
    }
    const bytes = base64ToBytes(text);
    const expected = chunkLength(this.received, this.meta.originalSize, this.meta.chunkSize);
    if (bytes === null || bytes.byteLength !== expected) {
      this.invalidChunk(bytes === null ? 'not base64' : `${bytes.byteLength} bytes instead of ${expected}`);
      return;
    }
    this.assembler.append(bytes);
    this.received += 1;
    this.host.sendMain(JSON.stringify({ type: 'ACK', sender: this.host.selfId(), ackN: this.received, transferId: this.transferId }));
    if (this.received === this.count) {
      this.complete('now');
    } else {
      this.host.emitState(this, DATA_TRANSFER_STATE.DOWNLOADING);
      this.armTimer();
    }
  }

  protected progress(): number {
    return percentage(this.assembler?.receivedBytes ?? 0, this.meta.originalSize);
  }

  protected settle(state: DataTransferState, error: Error | string | undefined): void {
    this.stopReady();
    this.assembler?.discard();
    const pending = this.settleResponse;
    this.settleResponse = null;
    if (!pending) return;
    if (state === DATA_TRANSFER_STATE.DOWNLOAD_COMPLETED) {
      pending.resolve({ [this.peerId]: { success: this.info(), transferType: this.direction } });
    } else if (error instanceof Error) {
      pending.reject(error);
    } else {
      pending.reject(transferError.cancelled(error ?? TRANSFER_MESSAGES.DOWNLOAD_TERMINATED, this.ctx()));
    }
  }

  protected onChannelFrame(frame: InboundFrame): void {
    if (frame.kind === 'binary') {
      this.handleBinaryChunk(frame.data);
      return;
    }
    if (frame.kind !== 'protocol') {
      this.invalidChunk(frame.kind === 'invalid' ? frame.reason : 'text chunk on the transfer channel');
      return;
    }
    const message = frame.message;
    if (message.type === 'END') {
      if (this.received !== this.count || this.verifying) this.invalidChunk(`END after ${this.received} of ${this.count} chunks`);
      else void this.verify(message.hash);
    } else if (!this.handlePeerStop(message)) {
      this.invalidChunk(`${message.type} on the transfer channel`);
    }
  }

  private handleBinaryChunk(data: ArrayBuffer | ArrayBufferView): void {
    const chunk = decodeChunkFrame(data);
    if (!chunk || !this.assembler || this.received >= this.count) {
      this.invalidChunk(chunk ? `chunk ${chunk.index} beyond the end` : 'not a chunk frame');
      return;
    }
    if (chunk.index !== this.received) {
      this.invalidChunk(`chunk ${chunk.index} instead of ${this.received}`);
      return;
    }
    const expected = chunkLength(this.received, this.meta.originalSize, this.meta.chunkSize);
    if (chunk.payload.byteLength !== expected) {
      this.invalidChunk(`chunk ${chunk.index} has ${chunk.payload.byteLength} bytes instead of ${expected}`);
      return;
    }
    this.assembler.append(chunk.payload);
    this.received += 1;
    this.stopReady();
    this.armTimer();
    const segmentChunks = this.offer?.segmentChunks ?? 1;
    if (this.received < this.count && this.received % segmentChunks === 0) {
      this.sendControl({ type: 'ACK', ackN: this.received });
      this.host.emitState(this, DATA_TRANSFER_STATE.DOWNLOADING);
    }
  }

  private async verify(hash: string | null): Promise<void> {
    this.verifying = true;
    if (this.hasher && this.assembler) {
      let local: string;
      try {
        local = await this.hasher.finish(this.assembler.segmentCount);
      } catch (cause) {
        if (!this.isDone) this.fail(transferError.failed(TRANSFER_MESSAGES.INTEGRITY, { ...this.ctx(), cause }), true);
        return;
      }
      if (this.isDone) return;
      if (local !== hash) {
        this.host.log.error('Content hash mismatch: the download is discarded', { transferId: this.transferId, local, remote: hash });
        this.fail(transferError.failed(TRANSFER_MESSAGES.INTEGRITY, this.ctx()), true);
        return;
      }
    }
    this.sendControl({ type: 'ACK', ackN: this.count });
    this.complete('grace');
  }

  private invalidChunk(detail: string): void {
    this.host.log.warn(`${TRANSFER_MESSAGES.INVALID_CHUNK}: ${detail}`, { transferId: this.transferId, peerId: this.peerId });
    this.fail(transferError.failed(`${TRANSFER_MESSAGES.INVALID_CHUNK} - ${detail}`, this.ctx()), true);
  }

  private complete(closeChannel: 'now' | 'grace'): void {
    const blob = (this.assembler as SegmentAssembler).toBlob(this.meta.mimeType);
    this.completedData = blob;
    this.host.batch(() => {
      this.finish(DATA_TRANSFER_STATE.DOWNLOAD_COMPLETED, undefined, closeChannel);
      this.host.emitData(this, blob, false);
    });
  }
}

function validLegacyChunkSize(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= 1024 * 1024 ? value : CHUNK_FILE_SIZE;
}
