/**
 * What the upload and download state machines share: metadata and `transferInfo`, the stall timer,
 * the dedicated fast-mode channel, control messages (CANCEL / ERROR) and the single terminal step
 * that reports the last DATA_TRANSFER_STATE, releases everything and settles the caller's promise.
 */
import { DATA_TRANSFER_DATA_TYPE, DATA_TRANSFER_SESSION_TYPE, DATA_TRANSFER_STATE } from '../constants';
import type { DataTransferDataType, DataTransferDirection, DataTransferState } from '../constants';
import type { SkylinkError } from '../errors';
import type { Logger } from '../logger';
import type { TransferInfo } from '../types/transfer';
import { listen, type ChannelMessageEvent, type DataChannelLike } from './channel';
import { CHUNK_HEADER_BYTES, parseFrame, type DataProtocolMessage, type InboundFrame } from './dataProtocol';
import type { DigestFn } from './SegmentHasher';
import { TRANSFER_MESSAGES, transferError } from './transferErrors';

/** Tuning of fast mode (defaults in DataTransferEngine). */
export interface FastTuning {
  /** Largest binary frame (header included) ever sent, whatever sctp.maxMessageSize allows. */
  maxFrameBytes: number;
  /** Chunks per hashed segment; the receiver acknowledges once per segment (full-size frames, see frameScale). */
  segmentChunks: number;
  /** Chunks the sender may have unacknowledged (sliding window; full-size frames, see frameScale). */
  windowChunks: number;
  /** Stop sending while `bufferedAmount` is above this... */
  highWaterBytes: number;
  /** ...and resume once it is at or below this. */
  lowWaterBytes: number;
  /** How long the sender of a final CANCEL / ERROR keeps the channel for the peer to close it. */
  closeGraceMs: number;
  /** The receiver repeats its "ready" ACK 0 this often until the first chunk arrives. */
  readyRepeatMs: number;
}

/**
 * `segmentChunks` and `windowChunks` count chunks of a full `maxFrameBytes` frame; with smaller frames
 * (a peer with a smaller maxMessageSize) they are multiplied by this, so their size in bytes holds.
 */
export function frameScale(tuning: Pick<FastTuning, 'maxFrameBytes'>, chunkSize: number): number {
  return Math.max(1, Math.floor(tuning.maxFrameBytes / (chunkSize + CHUNK_HEADER_BYTES)));
}

/** Everything a transfer needs from the engine: one peer of one room. */
export interface TransferHost {
  readonly roomKey: string;
  readonly peerId: string;
  readonly digest: DigestFn | null;
  readonly tuning: FastTuning;
  readonly log: Logger;
  selfId(): string;
  /** Sends text on the peer's main channel; `false` when it is not open or the send threw. */
  sendMain(text: string): boolean;
  openChannel(label: string): Promise<DataChannelLike>;
  emitState(transfer: Transfer, state: DataTransferState, error?: Error | string): void;
  emitRequest(transfer: Transfer, isSelf: boolean): void;
  emitData(transfer: Transfer, data: Blob, isSelf: boolean): void;
  /** Holds the reports made by `fn` until it returns, so an app reacting to one sees them all in order. */
  batch(fn: () => void): void;
  /** The peer answered in fast (`true`) or 2.x (`false`) mode. */
  modeKnown(transfer: Transfer, fast: boolean): void;
  /** Called once, after the terminal state was reported. */
  finished(transfer: Transfer): void;
}

/** Static description of the content. */
export interface TransferMeta {
  name: string;
  originalSize: number;
  mimeType: string | null;
  /** Seconds without progress before the transfer fails (WRQ `timeout`). */
  timeout: number;
  /** Base64 length (2.x WRQ `size`). */
  size: number;
  chunkSize: number;
  chunkType: DataTransferDataType;
}

const TERMINAL: ReadonlySet<DataTransferState> = new Set<DataTransferState>([
  DATA_TRANSFER_STATE.UPLOAD_COMPLETED,
  DATA_TRANSFER_STATE.DOWNLOAD_COMPLETED,
  DATA_TRANSFER_STATE.REJECTED,
  DATA_TRANSFER_STATE.USER_REJECTED,
  DATA_TRANSFER_STATE.CANCEL,
  DATA_TRANSFER_STATE.ERROR,
]);

export abstract class Transfer {
  abstract readonly direction: DataTransferDirection;
  /** `pending` until the response fixes it. */
  mode: 'pending' | 'legacy' | 'fast' = 'pending';
  /** `true` once the WRQ was sent / received: the peer knows about the transfer. */
  protected announced = false;
  /** Completed, failed, cancelled or rejected. */
  isDone = false;
  protected readonly abort = new AbortController();
  protected channel: DataChannelLike | null = null;
  /** Data attached to `transferInfo` once complete. */
  protected completedData: Blob | null = null;
  private unlistenChannel: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** `Date.now()` of the last progress (see armTimer). */
  private progressAt = 0;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;

  protected constructor(
    protected readonly host: TransferHost,
    readonly transferId: string,
    readonly meta: TransferMeta,
  ) {}

  /** Progress in percent (0-100, two decimals). */
  protected abstract progress(): number;
  /** Handles one validated frame of the dedicated channel. */
  protected abstract onChannelFrame(frame: InboundFrame): void;
  /** Settles the caller's promise after the terminal state. */
  protected abstract settle(state: DataTransferState, error: Error | string | undefined): void;

  get peerId(): string {
    return this.host.peerId;
  }

  /** 2.x `transferInfo`. */
  info(): TransferInfo {
    const done = this.completedData !== null;
    return {
      name: this.meta.name,
      size: this.meta.size,
      originalSize: this.meta.originalSize,
      chunkSize: this.meta.chunkSize,
      chunkType: this.meta.chunkType,
      dataType: DATA_TRANSFER_SESSION_TYPE.BLOB,
      mimeType: this.meta.mimeType,
      direction: this.direction,
      timeout: this.meta.timeout,
      isPrivate: false,
      percentage: done ? 100 : this.progress(),
      data: this.completedData,
    };
  }

  /** Fast mode: the chunk encoding reported from now on. */
  protected useFastMode(chunkSize: number): void {
    this.mode = 'fast';
    this.meta.chunkType = DATA_TRANSFER_DATA_TYPE.ARRAY_BUFFER;
    this.meta.chunkSize = chunkSize;
  }

  /** Local `cancelBlobTransfer`. */
  cancel(): void {
    if (this.isDone) return;
    this.sendControl({ type: 'CANCEL', content: TRANSFER_MESSAGES.REMOTE_CANCELLED, name: this.meta.name, ackN: 0 });
    this.finish(DATA_TRANSFER_STATE.CANCEL, TRANSFER_MESSAGES.USER_CANCELLED);
  }

  /** CANCEL from the peer. */
  remoteCancel(content: string): void {
    this.finish(DATA_TRANSFER_STATE.CANCEL, content || TRANSFER_MESSAGES.REMOTE_CANCELLED, 'now');
  }

  /** ERROR from the peer. */
  remoteError(content: string): void {
    this.finish(DATA_TRANSFER_STATE.ERROR, transferError.failed(content || 'Remote peer reported an error', this.ctx()), 'now');
  }

  /** Handles CANCEL / ERROR from the peer; `false` for any other message. */
  protected handlePeerStop(message: DataProtocolMessage): boolean {
    if (message.type === 'CANCEL') this.remoteCancel(message.content);
    else if (message.type === 'ERROR') this.remoteError(message.content);
    else return false;
    return true;
  }

  /** Fails with ERROR; tells the peer when `notifyPeer` (and it knows about the transfer). */
  fail(error: SkylinkError, notifyPeer: boolean): void {
    if (this.isDone) return;
    if (notifyPeer) this.sendControl({ type: 'ERROR', content: error.message, name: this.meta.name });
    this.finish(DATA_TRANSFER_STATE.ERROR, error);
  }

  protected ctx(): { peerId: string; transferId: string } {
    return { peerId: this.peerId, transferId: this.transferId };
  }

  /**
   * (Re)starts the stall timer: `meta.timeout` seconds without progress fail the transfer. Called for
   * every chunk, so it only notes the time; a running timer that expires early re-arms itself for the
   * rest of the period instead of being cleared and set again each time.
   */
  protected armTimer(): void {
    if (this.isDone) return;
    this.progressAt = Date.now();
    if (this.timer === undefined) this.startTimer(this.meta.timeout * 1000);
  }

  private startTimer(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.isDone) return;
      const left = this.progressAt + this.meta.timeout * 1000 - Date.now();
      if (left > 0) {
        this.startTimer(left);
        return;
      }
      this.host.log.warn('Data transfer timed out', { transferId: this.transferId, peerId: this.peerId });
      this.fail(transferError.timeout(this.meta.timeout, this.ctx()), true);
    }, ms);
  }

  protected clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Sends a control message with this transfer's id: on the dedicated channel when it is open (so it
   * stays ordered with the chunks), else on the main channel. Returns where it went.
   */
  protected sendControl(message: Record<string, unknown>): 'channel' | 'main' | null {
    if (!this.announced) return null;
    const text = JSON.stringify({ ...message, sender: this.host.selfId(), transferId: this.transferId });
    if (this.channel && this.channel.readyState === 'open') {
      try {
        this.channel.send(text);
        return 'channel';
      } catch (error) {
        this.host.log.warn('Failed sending on the transfer channel', { transferId: this.transferId, error });
      }
    }
    return this.host.sendMain(text) ? 'main' : null;
  }

  /** Takes the dedicated channel of this transfer and starts reading it. */
  attachChannel(channel: DataChannelLike): void {
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    this.unlistenChannel = listen(channel, {
      message: (event: ChannelMessageEvent) => {
        if (!this.isDone) this.onChannelFrame(parseFrame(event.data));
      },
      close: () => this.onChannelClosed(),
      // An error (the association failed or was aborted) is followed by close: fail at once.
      error: () => {
        if (!this.isDone) this.fail(transferError.failed(TRANSFER_MESSAGES.CHANNEL_CLOSED, this.ctx()), true);
      },
    });
  }

  private onChannelClosed(): void {
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.unlistenChannel?.();
    this.unlistenChannel = null;
    if (!this.isDone) this.fail(transferError.failed(TRANSFER_MESSAGES.CHANNEL_CLOSED, this.ctx()), true);
  }

  /**
   * Reports the terminal `state` once and releases timers and waits. `closeChannel`: `now` closes the
   * dedicated channel, `grace` leaves the peer time to read a final message and close it first.
   */
  protected finish(state: DataTransferState, error?: Error | string, closeChannel: 'now' | 'grace' | 'keep' = 'grace'): void {
    if (this.isDone) return;
    if (!TERMINAL.has(state)) throw new Error(`not a terminal state: ${state}`);
    this.isDone = true;
    this.clearTimer();
    this.abort.abort();
    this.releaseChannel(closeChannel);
    this.host.emitState(this, state, error);
    this.host.finished(this);
    this.settle(state, error);
  }

  private releaseChannel(how: 'now' | 'grace' | 'keep'): void {
    const channel = this.channel;
    if (!channel) return;
    if (how === 'now' || channel.readyState !== 'open') {
      this.unlistenChannel?.();
      this.unlistenChannel = null;
      safeClose(channel);
    } else if (how === 'grace') {
      this.graceTimer = setTimeout(() => {
        this.graceTimer = undefined;
        this.unlistenChannel?.();
        this.unlistenChannel = null;
        safeClose(channel);
      }, this.host.tuning.closeGraceMs);
    } else {
      this.unlistenChannel?.();
      this.unlistenChannel = null;
    }
  }

  /** Drops the grace timer (engine teardown). */
  dispose(): void {
    if (this.graceTimer !== undefined) {
      clearTimeout(this.graceTimer);
      this.graceTimer = undefined;
      if (this.channel) safeClose(this.channel);
    }
    this.unlistenChannel?.();
    this.unlistenChannel = null;
  }
}

function safeClose(channel: DataChannelLike): void {
  try {
    channel.close();
  } catch {
    // already closed
  }
}
