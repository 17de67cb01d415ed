/**
 * Upload of one Blob to one peer: WRQ on the main channel, then
 * - 2.x mode (the answer has no `fast` capability): stop-and-wait, one base64 chunk of 49152 bytes per
 *   ACK on the main channel, exactly as skylinkjs 2.x;
 * - fast mode: a dedicated channel, binary chunks sized to the peer's max message size, a sliding window
 *   of unacknowledged chunks, back-pressure on `bufferedAmount`, and END with the content hash.
 * States: USER_UPLOAD_REQUEST -> UPLOAD_STARTED -> UPLOADING* -> UPLOAD_COMPLETED, or REJECTED / CANCEL / ERROR.
 */
import { CHUNK_FILE_SIZE, DATA_TRANSFER_DATA_TYPE, DATA_TRANSFER_DIRECTION, DATA_TRANSFER_STATE } from '../constants';
import type { DataTransferState } from '../constants';
import { SkylinkErrorCode } from '../errors';
import type { DataTransferResult } from '../types/transfer';
import { BlobSegmentReader, readBlobRange } from './BlobSegmentReader';
import { waitForBufferedAmountLow, waitForOpen, type DataChannelLike } from './channel';
import { base64Length, bytesToBase64, chunkBounds, chunkCount, percentage } from './chunking';
import { transferChannelLabel, type AckMessage, type FastOffer, type InboundFrame, type WrqMessage } from './dataProtocol';
import { SegmentHasher } from './SegmentHasher';
import { frameScale, Transfer, type TransferHost } from './Transfer';
import { TRANSFER_MESSAGES, transferError } from './transferErrors';

/** Sender identification put in the WRQ (`agent`, `version`). */
export interface AgentInfo {
  name: string;
  version: string | number;
}

export class OutgoingTransfer extends Transfer {
  readonly direction = DATA_TRANSFER_DIRECTION.UPLOAD;
  /** Always resolves: `{ [peerId]: { success | error, transferType: 'upload' } }`. */
  readonly result: Promise<DataTransferResult>;
  private resolveResult!: (result: DataTransferResult) => void;
  private readonly legacyCount: number;
  /** Index of the last 2.x chunk sent (-1: none yet). */
  private legacySent = -1;
  /** Chunks acknowledged (2.x: ackN of the chunk being sent; fast: cumulative). */
  private acked = 0;
  private sent = 0;
  private reader: BlobSegmentReader | null = null;
  private hasher: SegmentHasher | null = null;
  private endSent = false;
  private pumping = false;
  /** The receiver's "ready" ACK 0 came before our end of the channel reported `open` (Chrome does that). */
  private readyEarly = false;
  private wake: (() => void) | null = null;

  constructor(
    host: TransferHost,
    transferId: string,
    private readonly blob: Blob,
    timeout: number,
    private readonly offer: FastOffer | null,
    private readonly agent: AgentInfo,
  ) {
    const name = (blob as { name?: unknown }).name;
    super(host, transferId, {
      name: typeof name === 'string' && name !== '' ? name : transferId,
      originalSize: blob.size,
      mimeType: blob.type || null,
      timeout,
      size: base64Length(blob.size),
      chunkSize: CHUNK_FILE_SIZE,
      chunkType: DATA_TRANSFER_DATA_TYPE.BINARY_STRING,
    });
    this.legacyCount = chunkCount(blob.size, CHUNK_FILE_SIZE);
    this.result = new Promise((resolve) => {
      this.resolveResult = resolve;
    });
  }

  /** Sends the WRQ and waits `timeout` seconds for the answer. */
  start(): void {
    if (this.isDone || this.announced) return;
    const wrq: WrqMessage = {
      type: 'WRQ',
      transferId: this.transferId,
      name: this.meta.name,
      size: this.meta.size,
      originalSize: this.meta.originalSize,
      dataType: 'blob',
      mimeType: this.meta.mimeType,
      chunkType: DATA_TRANSFER_DATA_TYPE.BINARY_STRING,
      chunkSize: CHUNK_FILE_SIZE,
      timeout: this.meta.timeout,
      isPrivate: false,
      sender: this.host.selfId(),
      agent: this.agent.name,
      version: this.agent.version,
      target: this.peerId,
      ...(this.offer ? { fast: this.offer } : {}),
    };
    if (!this.host.sendMain(JSON.stringify(wrq))) {
      this.fail(transferError.upload(SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, TRANSFER_MESSAGES.CHANNEL_NOT_OPEN, this.ctx()), false);
      return;
    }
    this.announced = true;
    this.armTimer();
    this.host.batch(() => {
      this.host.emitRequest(this, true);
      this.host.emitState(this, DATA_TRANSFER_STATE.USER_UPLOAD_REQUEST);
    });
  }

  /** ACK from the main channel (the answer, and every 2.x step). */
  handleAck(ack: AckMessage): void {
    if (this.isDone || !this.announced) return;
    if (ack.ackN === -1) {
      this.finish(DATA_TRANSFER_STATE.REJECTED, transferError.rejected(TRANSFER_MESSAGES.REMOTE_REJECTED, this.ctx()), 'now');
      return;
    }
    if (this.mode === 'pending') {
      if (ack.ackN !== 0) {
        this.protocolViolation(`ACK ${ack.ackN} before the request was accepted`);
      } else if (this.offer && ack.fast && ack.transferId === this.transferId) {
        void this.startFast(this.offer);
      } else {
        this.startLegacy();
      }
      return;
    }
    if (this.mode === 'legacy') this.handleLegacyAck(ack.ackN);
    else this.host.log.warn('Dropping ACK for a fast transfer received on the main channel', { transferId: this.transferId });
  }

  protected progress(): number {
    return percentage(this.acked, this.mode === 'fast' ? (this.reader?.chunkCount ?? 1) : this.legacyCount);
  }

  protected settle(state: DataTransferState, error: Error | string | undefined): void {
    const transferType = this.direction;
    if (state === DATA_TRANSFER_STATE.UPLOAD_COMPLETED) {
      this.resolveResult({ [this.peerId]: { success: this.info(), transferType } });
    } else {
      this.resolveResult({ [this.peerId]: { error: error ?? TRANSFER_MESSAGES.UPLOAD_TERMINATED, transferType } });
    }
    this.reader?.close();
    this.wake?.();
  }

  private protocolViolation(detail: string): void {
    this.host.log.warn(`${TRANSFER_MESSAGES.PROTOCOL_VIOLATION}: ${detail}`, { transferId: this.transferId });
    this.fail(transferError.failed(`${TRANSFER_MESSAGES.PROTOCOL_VIOLATION} - ${detail}`, this.ctx()), true);
  }

  private complete(): void {
    this.completedData = this.blob;
    this.host.batch(() => {
      this.finish(DATA_TRANSFER_STATE.UPLOAD_COMPLETED, undefined, 'now');
      this.host.emitData(this, this.blob, true);
    });
  }

  // ---- 2.x mode --------------------------------------------------------------------------------

  private startLegacy(): void {
    this.mode = 'legacy';
    this.host.modeKnown(this, false);
    this.host.emitState(this, DATA_TRANSFER_STATE.UPLOAD_STARTED);
    void this.sendLegacyChunk(0);
  }

  private handleLegacyAck(ackN: number): void {
    if (ackN <= this.legacySent) {
      this.host.log.debug('Ignoring duplicate ACK', { transferId: this.transferId, ackN });
    } else if (ackN !== this.legacySent + 1) {
      this.protocolViolation(`ACK ${ackN} after chunk ${this.legacySent}`);
    } else if (ackN === this.legacyCount) {
      this.acked = ackN;
      this.complete();
    } else {
      void this.sendLegacyChunk(ackN);
    }
  }

  private async sendLegacyChunk(index: number): Promise<void> {
    this.legacySent = index;
    this.acked = index;
    this.clearTimer();
    const { start, end } = chunkBounds(index, this.blob.size, CHUNK_FILE_SIZE);
    let text: string;
    try {
      text = bytesToBase64(await readBlobRange(this.blob, start, end));
    } catch (cause) {
      this.fail(transferError.failed(TRANSFER_MESSAGES.READ_FAILED, { ...this.ctx(), cause }), true);
      return;
    }
    if (this.isDone) return;
    if (!this.host.sendMain(text)) {
      this.fail(transferError.upload(SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, TRANSFER_MESSAGES.CHANNEL_NOT_OPEN, this.ctx()), false);
      return;
    }
    this.host.emitState(this, DATA_TRANSFER_STATE.UPLOADING);
    this.armTimer();
  }

  // ---- fast mode -------------------------------------------------------------------------------

  private async startFast(offer: FastOffer): Promise<void> {
    this.useFastMode(offer.chunkSize);
    this.host.modeKnown(this, true);
    if (this.host.digest && offer.hash) this.hasher = new SegmentHasher(this.host.digest);
    const hasher = this.hasher;
    this.reader = new BlobSegmentReader(this.blob, offer.chunkSize, offer.segmentChunks, hasher ? (i, b) => hasher.add(i, b) : undefined);
    this.host.emitState(this, DATA_TRANSFER_STATE.UPLOAD_STARTED);
    this.armTimer();
    let channel: DataChannelLike;
    try {
      channel = await this.host.openChannel(transferChannelLabel(this.transferId));
    } catch (cause) {
      this.fail(transferError.failed(TRANSFER_MESSAGES.CHANNEL_OPEN_FAILED, { ...this.ctx(), cause }), true);
      return;
    }
    if (this.isDone) {
      channel.close();
      return;
    }
    this.attachChannel(channel);
    try {
      await waitForOpen(channel, this.abort.signal);
    } catch (cause) {
      this.fail(transferError.failed(TRANSFER_MESSAGES.CHANNEL_OPEN_FAILED, { ...this.ctx(), cause }), true);
      return;
    }
    // Chunks wait for the receiver's ACK 0 on this channel: some implementations (node-webrtc) can
    // deliver messages before the receiver's `datachannel` handler has attached its listener.
    this.armTimer();
    if (this.readyEarly) this.startPump();
  }

  private startPump(): void {
    if (this.pumping || this.isDone || !this.channel || !this.reader) return;
    this.pumping = true;
    this.armTimer();
    this.host.emitState(this, DATA_TRANSFER_STATE.UPLOADING);
    void this.pump(this.channel, this.reader);
  }

  private async pump(channel: DataChannelLike, reader: BlobSegmentReader): Promise<void> {
    const { highWaterBytes, lowWaterBytes } = this.host.tuning;
    const { chunkSize, segmentChunks } = this.offer as FastOffer;
    const windowChunks = Math.max(2 * segmentChunks, this.host.tuning.windowChunks * frameScale(this.host.tuning, chunkSize));
    try {
      while (this.sent < reader.chunkCount) {
        if (this.isDone) return;
        if (channel.readyState !== 'open') throw new Error(`channel is ${channel.readyState}`);
        if (this.sent - this.acked >= windowChunks) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = null;
        } else if (channel.bufferedAmount > highWaterBytes) {
          await waitForBufferedAmountLow(channel, lowWaterBytes, this.abort.signal);
        } else {
          const frame = await reader.frame(this.sent);
          if (this.isDone) return;
          channel.send(frame);
          this.sent += 1;
        }
      }
      const hash = this.hasher ? await this.hasher.finish(reader.segmentCount) : null;
      if (this.isDone) return;
      channel.send(JSON.stringify({ type: 'END', transferId: this.transferId, hash }));
      this.endSent = true;
    } catch (cause) {
      if (!this.isDone) this.fail(transferError.failed(TRANSFER_MESSAGES.SEND_FAILED, { ...this.ctx(), cause }), true);
    }
  }

  protected onChannelFrame(frame: InboundFrame): void {
    if (frame.kind !== 'protocol') {
      this.protocolViolation(`unexpected ${frame.kind} frame from the receiver`);
      return;
    }
    const message = frame.message;
    if (message.type === 'ACK') this.handleFastAck(message.ackN);
    else if (!this.handlePeerStop(message)) this.protocolViolation(`${message.type} on the transfer channel`);
  }

  private handleFastAck(ackN: number): void {
    const total = this.reader?.chunkCount ?? 0;
    if (ackN === 0 && this.pumping) {
      // A repeat of the receiver's "ready" ACK (IncomingTransfer.sendReady): nothing to do.
    } else if (ackN === 0 && this.channel && this.reader) {
      // Chrome can deliver the receiver's first message before our `open` event: wait for it.
      if (this.channel.readyState === 'open') this.startPump();
      else this.readyEarly = true;
    } else if (!this.pumping) {
      this.protocolViolation(`ACK ${ackN} before the receiver was ready`);
    } else if (ackN === total && this.endSent) {
      this.acked = ackN;
      this.complete();
    } else if (ackN < 1 || ackN > this.sent || ackN >= total) {
      this.protocolViolation(`ACK ${ackN} with ${this.sent} of ${total} chunks sent`);
    } else if (ackN > this.acked) {
      this.acked = ackN;
      this.armTimer();
      this.host.emitState(this, DATA_TRANSFER_STATE.UPLOADING);
      this.wake?.();
    }
  }
}
