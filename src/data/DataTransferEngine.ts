/**
 * DataTransferEngine: blob transfers over the data channels of every room.
 *
 * The owner (SkylinkRoom) hands it each peer's main channel (`addPeer`), routes incoming channels whose
 * label is a transfer label (`handleIncomingChannel`), and tells it when peers leave (`peerLeft`) and
 * when the room is left (`releaseRoom`). It never imports the room, the facade or the event manager:
 * it reports DATA_TRANSFER_STATE-shaped updates, data requests and completed Blobs
 * through the callbacks given to its constructor. P2P `MESSAGE` frames on the main channel are left to
 * messaging (RoomMessaging), which parses only those: each frame has exactly one consumer.
 * Wire format and modes: docs/data-transfer.md.
 */
import { DATA_TRANSFER_STATE } from '../constants';
import type { DataTransferState } from '../constants';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import type { DataTransferStateDetail, IncomingDataDetail, IncomingDataRequestDetail } from '../events/eventDetails';
import { createLogger, type Logger } from '../logger';
import type { CancelBlobTransferResult, DataTransferResult } from '../types/transfer';
import { SDK_VERSION } from '../version';
import { listen, type ChannelMessageEvent, type DataChannelLike } from './channel';
import {
  CHUNK_HEADER_BYTES,
  FAST_HASH_ALGORITHM,
  FAST_TRANSFER_VERSION,
  parseFrame,
  transferIdFromLabel,
  type FastOffer,
  type WrqMessage,
} from './dataProtocol';
import { IncomingTransfer } from './IncomingTransfer';
import { OutgoingTransfer, type AgentInfo } from './OutgoingTransfer';
import { webCryptoDigest, type DigestFn } from './SegmentHasher';
import { frameScale, type FastTuning, type Transfer, type TransferHost } from './Transfer';
import { TRANSFER_MESSAGES, transferError } from './transferErrors';

/** DATA_TRANSFER_STATE detail without `roomName` (the room adds it). */
export type TransferStateReport = Omit<DataTransferStateDetail, 'roomName'>;
/** ON_INCOMING_DATA_REQUEST detail without `roomName`. */
export type IncomingDataRequestReport = Omit<IncomingDataRequestDetail, 'roomName'>;
/** ON_INCOMING_DATA detail without `roomName`. */
export type IncomingDataReport = Omit<IncomingDataDetail, 'roomName'>;

/** Constructor options: the engine's only way to reach its owner. */
export interface DataTransferEngineOptions {
  /** Our peer id in the room (`sender` of every message); `null` before `inRoom`. */
  getSelfId(roomKey: string): string | null | undefined;
  /** Opens a new ordered, reliable data channel to the peer with this label (fast mode, sender side). */
  openChannel(roomKey: string, peerId: string, label: string): DataChannelLike | Promise<DataChannelLike>;
  /** `pc.sctp.maxMessageSize` of the peer's connection, if known. */
  getMaxMessageSize?(roomKey: string, peerId: string): number | null | undefined;
  /** Every DATA_TRANSFER_STATE, in order. */
  onTransferState(roomKey: string, detail: TransferStateReport): void;
  /** ON_INCOMING_DATA_REQUEST (`isSelf` on the sender side). */
  onIncomingDataRequest?(roomKey: string, detail: IncomingDataRequestReport): void;
  /** ON_INCOMING_DATA: the complete Blob (`isSelf` on the sender side). */
  onIncomingData?(roomKey: string, detail: IncomingDataReport): void;
  /** SHA-256 used for the fast-mode content hash; default WebCrypto, `null` disables hashing. */
  digest?: DigestFn | null;
  /** Offer and accept fast mode with peers running this SDK (default `true`). */
  enableFastTransfer?: boolean;
  /** Fast-mode tuning (see {@link DEFAULT_FAST_TUNING}). */
  tuning?: Partial<FastTuning>;
  /** WRQ `agent` / `version`. */
  agent?: AgentInfo;
  logger?: Logger;
}

/**
 * Fast-mode defaults: 64 KiB frames, 1 MiB segments, 8 MiB window, 1-4 MiB buffered. The SDK's rooms
 * use larger frames ({@link LARGE_FRAME_TUNING}). With a peer whose maxMessageSize is smaller than
 * `maxFrameBytes` (or unknown: then 64 KiB) the frames shrink and segments and window keep their size
 * in bytes (see frameScale).
 */
export const DEFAULT_FAST_TUNING: Readonly<FastTuning> = Object.freeze({
  maxFrameBytes: 64 * 1024,
  segmentChunks: 16,
  windowChunks: 128,
  highWaterBytes: 4 * 1024 * 1024,
  lowWaterBytes: 1024 * 1024,
  closeGraceMs: 5000,
  readyRepeatMs: 1000,
});

/** Frame size used when the peer's maxMessageSize is unknown: every browser takes 64 KiB messages. */
const SAFE_FRAME_BYTES = 64 * 1024;
/** Largest `segmentChunks` a receiver accepts (parseFastOffer). */
const MAX_SEGMENT_CHUNKS = 1024;

/**
 * 256 KiB frames (Chromium's SCTP maxMessageSize), 1 MiB segments, 16 MiB window: in Chromium a
 * 64 MiB transfer cost the two renderers about 10% less CPU than with 64 KiB frames (a quarter of
 * the send() calls and message events).
 */
export const LARGE_FRAME_TUNING: Readonly<Partial<FastTuning>> = Object.freeze({
  maxFrameBytes: 256 * 1024,
  segmentChunks: 4,
  windowChunks: 64,
});

/** Per room and peer: the main channel and the transfers with that peer. */
interface PeerEntry {
  readonly roomKey: string;
  readonly peerId: string;
  main: DataChannelLike | null;
  unlistenMain: (() => void) | null;
  /** The peer answered or offered fast mode: its transfers are routed by id, no single slot. */
  fastPeer: boolean;
  /** The transfer that owns the main channel in 2.x mode (or awaits an answer from an unknown peer). */
  slot: Transfer | null;
  /** Uploads waiting for the slot. */
  queue: OutgoingTransfer[];
  readonly transfers: Map<string, Transfer>;
}

export class DataTransferEngine {
  private readonly rooms = new Map<string, Map<string, PeerEntry>>();
  private readonly log: Logger;
  private readonly digest: DigestFn | null;
  private readonly tuning: FastTuning;
  private readonly fastEnabled: boolean;
  private readonly agent: AgentInfo;
  private lastStamp = 0;
  private readonly reports: Array<() => void> = [];
  private reporting = false;

  constructor(private readonly options: DataTransferEngineOptions) {
    this.log = options.logger ?? createLogger('DataTransfer');
    this.digest = options.digest === undefined ? webCryptoDigest() : options.digest;
    this.tuning = { ...DEFAULT_FAST_TUNING, ...options.tuning };
    if (this.tuning.windowChunks < 2 * this.tuning.segmentChunks) this.tuning.windowChunks = 2 * this.tuning.segmentChunks;
    this.fastEnabled = options.enableFastTransfer !== false;
    this.agent = options.agent ?? { name: 'skylink-sdk', version: SDK_VERSION };
  }

  // ---- channels and peers ----------------------------------------------------------------------

  /** Gives the engine the main (messaging) channel of a peer; replaces a previous one. */
  addPeer(roomKey: string, peerId: string, mainChannel: DataChannelLike): void {
    const entry = this.entry(roomKey, peerId, true) as PeerEntry;
    entry.unlistenMain?.();
    entry.main = mainChannel;
    entry.unlistenMain = listen(mainChannel, {
      message: (event: ChannelMessageEvent) => this.onMainMessage(entry, event.data),
      close: () => this.onMainClosed(entry, mainChannel),
    });
  }

  /**
   * Offers an incoming data channel (from `ondatachannel`). Returns `true` when it is a transfer channel
   * (label from `isTransferChannelLabel`), which the engine then owns; `false` for any other channel.
   */
  handleIncomingChannel(roomKey: string, peerId: string, channel: DataChannelLike): boolean {
    const transferId = transferIdFromLabel(channel.label);
    if (transferId === null) return false;
    const transfer = this.entry(roomKey, peerId, false)?.transfers.get(transferId);
    if (transfer instanceof IncomingTransfer && transfer.awaitsChannel) {
      transfer.attachChannel(channel);
    } else {
      this.log.warn('Closing an unexpected transfer channel', { roomKey, peerId, label: channel.label });
      channel.close();
    }
    return true;
  }

  /** The peer left: its transfers end with ERROR (no partial Blob) and its channels are released. */
  peerLeft(roomKey: string, peerId: string): void {
    const entry = this.entry(roomKey, peerId, false);
    if (!entry) return;
    this.failAll(entry, TRANSFER_MESSAGES.PEER_LEFT, false);
    entry.unlistenMain?.();
    this.rooms.get(roomKey)?.delete(peerId);
    if (this.rooms.get(roomKey)?.size === 0) this.rooms.delete(roomKey);
  }

  /** We left the room: every transfer in it ends with ERROR and nothing of the room is kept. */
  releaseRoom(roomKey: string): void {
    const peers = this.rooms.get(roomKey);
    if (!peers) return;
    for (const entry of peers.values()) {
      this.failAll(entry, TRANSFER_MESSAGES.ROOM_LEFT, true);
      entry.unlistenMain?.();
    }
    this.rooms.delete(roomKey);
  }

  /** Number of transfers (running, waiting for an answer or queued) in a room, or in all rooms. */
  activeTransferCount(roomKey?: string): number {
    let n = 0;
    for (const [key, peers] of this.rooms) {
      if (roomKey !== undefined && key !== roomKey) continue;
      for (const entry of peers.values()) n += entry.transfers.size;
    }
    return n;
  }

  /** Ids of the transfers with a peer (running, waiting for an answer or queued). */
  transferIds(roomKey: string, peerId: string): string[] {
    return [...(this.entry(roomKey, peerId, false)?.transfers.keys() ?? [])];
  }

  /**
   * The transfer that uses the peer's main channel (a 2.x-mode transfer, or one still waiting for the
   * peer's answer), or `null`: `getPeersDataChannels` `main.currentTransferId`.
   */
  mainChannelTransferId(roomKey: string, peerId: string): string | null {
    return this.entry(roomKey, peerId, false)?.slot?.transferId ?? null;
  }

  // ---- commands --------------------------------------------------------------------------------

  /**
   * Sends `blob` to each of `peerIds` (validated, de-duplicated). Rejects with a SkylinkError for bad
   * arguments; after that it always resolves with one `{ [peerId]: { success | error } }` per peer.
   */
  async sendBlobData(roomKey: string, blob: Blob, peerIds: readonly string[], timeout = 60): Promise<DataTransferResult[]> {
    if (!isBlobLike(blob)) throw transferError.invalidArgument(TRANSFER_MESSAGES.NOT_BLOB);
    if (blob.size < 1) throw transferError.invalidArgument(TRANSFER_MESSAGES.INVALID_DATA);
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
      throw transferError.invalidArgument(TRANSFER_MESSAGES.TIMEOUT_INVALID_TYPE);
    }
    if (!Array.isArray(peerIds) || peerIds.some((id) => typeof id !== 'string' || id === '')) {
      throw transferError.invalidArgument(TRANSFER_MESSAGES.PEER_ID_INVALID_TYPE);
    }
    if (peerIds.length === 0) throw new SkylinkError(SkylinkErrorCode.NO_PEERS, `${TRANSFER_MESSAGES.UNABLE_TO_SEND} - ${TRANSFER_MESSAGES.NO_PEERS}`);
    const selfId = this.options.getSelfId(roomKey);
    if (!selfId) throw new SkylinkError(SkylinkErrorCode.NOT_IN_ROOM, `${TRANSFER_MESSAGES.UNABLE_TO_SEND} - ${TRANSFER_MESSAGES.NOT_IN_ROOM}`);
    const transferId = this.newTransferId(selfId);
    const results = [...new Set(peerIds)].map((peerId) => {
      const entry = this.entry(roomKey, peerId, true) as PeerEntry;
      const transfer = new OutgoingTransfer(this.host(entry), transferId, blob, timeout, this.fastOffer(roomKey, peerId), this.agent);
      entry.transfers.set(transferId, transfer);
      if (!entry.main || entry.main.readyState !== 'open') {
        const reason = entry.main ? TRANSFER_MESSAGES.CHANNEL_NOT_OPEN : TRANSFER_MESSAGES.NO_SESSIONS;
        transfer.fail(transferError.upload(SkylinkErrorCode.DATA_CHANNEL_NOT_OPEN, reason, { peerId, transferId }), false);
      } else {
        this.schedule(entry, transfer);
      }
      return transfer.result;
    });
    return Promise.all(results);
  }

  /** Accepts or rejects an incoming request (see {@link IncomingTransfer.respond}). */
  respondBlobRequest(roomKey: string, peerId: string, transferId: string, accept: boolean): Promise<DataTransferResult> {
    const found = this.findTransfer(roomKey, peerId, transferId, 'download');
    if (found instanceof SkylinkError) return Promise.reject(found);
    if (!(found instanceof IncomingTransfer)) {
      return Promise.reject(transferError.download(SkylinkErrorCode.TRANSFER_NOT_FOUND, TRANSFER_MESSAGES.NO_TRANSFER_SESSION, { peerId, transferId }));
    }
    return found.respond(accept === true);
  }

  /** Cancels a transfer in either direction; the peer gets CANCEL. Resolves at once. */
  cancelBlobTransfer(roomKey: string, peerId: string, transferId: string): Promise<CancelBlobTransferResult> {
    const found = this.findTransfer(roomKey, peerId, transferId, 'cancel');
    if (found instanceof SkylinkError) return Promise.reject(found);
    found.cancel();
    return Promise.resolve({ peerId, transferId });
  }

  // ---- internals -------------------------------------------------------------------------------

  private entry(roomKey: string, peerId: string, create: boolean): PeerEntry | undefined {
    let peers = this.rooms.get(roomKey);
    if (!peers) {
      if (!create) return undefined;
      peers = new Map();
      this.rooms.set(roomKey, peers);
    }
    let entry = peers.get(peerId);
    if (!entry && create) {
      entry = { roomKey, peerId, main: null, unlistenMain: null, fastPeer: false, slot: null, queue: [], transfers: new Map() };
      peers.set(peerId, entry);
    }
    return entry;
  }

  private findTransfer(roomKey: string, peerId: string, transferId: string, what: 'download' | 'cancel'): Transfer | SkylinkError {
    const fail = what === 'download' ? transferError.download : transferError.cancel;
    if (typeof transferId !== 'string' || transferId === '') return fail(SkylinkErrorCode.INVALID_ARGUMENT, TRANSFER_MESSAGES.NO_TRANSFER_ID, {});
    if (typeof peerId !== 'string' || peerId === '') return fail(SkylinkErrorCode.INVALID_ARGUMENT, TRANSFER_MESSAGES.NO_PEER_ID, { transferId });
    const entry = this.entry(roomKey, peerId, false);
    if (!entry) return fail(SkylinkErrorCode.PEER_NOT_FOUND, TRANSFER_MESSAGES.NO_SESSIONS, { peerId, transferId });
    const transfer = entry.transfers.get(transferId);
    if (!transfer) return fail(SkylinkErrorCode.TRANSFER_NOT_FOUND, TRANSFER_MESSAGES.NO_TRANSFER_SESSION, { peerId, transferId });
    return transfer;
  }

  private fastOffer(roomKey: string, peerId: string): FastOffer | null {
    if (!this.fastEnabled) return null;
    const sctpMax = this.options.getMaxMessageSize?.(roomKey, peerId);
    const known = typeof sctpMax === 'number' && sctpMax > 0 ? sctpMax : SAFE_FRAME_BYTES;
    const chunkSize = Math.max(1024, Math.min(this.tuning.maxFrameBytes, known) - CHUNK_HEADER_BYTES);
    return {
      version: FAST_TRANSFER_VERSION,
      chunkSize,
      segmentChunks: Math.min(MAX_SEGMENT_CHUNKS, this.tuning.segmentChunks * frameScale(this.tuning, chunkSize)),
      hash: this.digest ? FAST_HASH_ALGORITHM : null,
    };
  }

  /** `<selfId>_<epochMs>` as 2.x, unique within this engine. */
  private newTransferId(selfId: string): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return `${selfId}_${this.lastStamp}`;
  }

  /** Starts an upload now, or queues it while the peer's main channel is busy with a 2.x transfer. */
  private schedule(entry: PeerEntry, transfer: OutgoingTransfer): void {
    if (entry.fastPeer && this.fastEnabled) {
      transfer.start();
    } else if (entry.slot === null) {
      entry.slot = transfer;
      transfer.start();
    } else {
      entry.queue.push(transfer);
    }
  }

  private drainQueue(entry: PeerEntry): void {
    while (entry.queue.length > 0 && ((entry.fastPeer && this.fastEnabled) || entry.slot === null)) {
      const next = entry.queue.shift() as OutgoingTransfer;
      if (next.isDone) continue;
      this.schedule(entry, next);
    }
  }

  private host(entry: PeerEntry): TransferHost {
    const { roomKey, peerId } = entry;
    return {
      roomKey,
      peerId,
      digest: this.digest,
      tuning: this.tuning,
      log: this.log,
      selfId: () => this.options.getSelfId(roomKey) ?? '',
      sendMain: (text) => !!entry.main && entry.main.readyState === 'open' && this.trySend(entry.main, text),
      openChannel: async (label) => this.options.openChannel(roomKey, peerId, label),
      emitState: (transfer, state, error) => this.emitState(roomKey, transfer, state, error),
      batch: (fn) => this.batch(fn),
      emitRequest: (transfer, isSelf) => {
        const detail = {
          transferId: transfer.transferId,
          peerId: isSelf ? (this.options.getSelfId(roomKey) ?? '') : peerId,
          transferInfo: transfer.info(),
          isSelf,
        };
        this.report(() => this.options.onIncomingDataRequest?.(roomKey, detail));
      },
      emitData: (transfer, data, isSelf) => {
        const detail = { data, transferId: transfer.transferId, peerId, transferInfo: transfer.info(), isSelf };
        this.report(() => this.options.onIncomingData?.(roomKey, detail));
      },
      modeKnown: (transfer, fast) => {
        if (!fast) return;
        entry.fastPeer = true;
        if (entry.slot === transfer) entry.slot = null;
        this.drainQueue(entry);
      },
      finished: (transfer) => {
        if (entry.transfers.get(transfer.transferId) === transfer) entry.transfers.delete(transfer.transferId);
        const queued = entry.queue.indexOf(transfer as OutgoingTransfer);
        if (queued >= 0) entry.queue.splice(queued, 1);
        if (entry.slot === transfer) {
          entry.slot = null;
          this.drainQueue(entry);
        }
        this.dropIfUnused(entry);
      },
    };
  }

  /** Forgets a peer that never had a main channel once its last transfer ended (e.g. an unknown peer id). */
  private dropIfUnused(entry: PeerEntry): void {
    if (entry.main !== null || entry.transfers.size > 0 || entry.queue.length > 0) return;
    const peers = this.rooms.get(entry.roomKey);
    if (peers?.get(entry.peerId) !== entry) return;
    peers.delete(entry.peerId);
    if (peers.size === 0) this.rooms.delete(entry.roomKey);
  }

  private emitState(roomKey: string, transfer: Transfer, state: DataTransferState, error?: Error | string): void {
    const detail: TransferStateReport = { state, transferId: transfer.transferId, peerId: transfer.peerId, transferInfo: transfer.info() };
    if (error !== undefined) detail.error = { message: error, transferType: transfer.direction };
    if (state === DATA_TRANSFER_STATE.ERROR) this.log.warn('Data transfer failed', { roomKey, transferId: transfer.transferId, error });
    this.report(() => this.options.onTransferState(roomKey, detail));
  }

  /**
   * Calls an owner callback. A callback that re-enters the engine (an app answering a request from its
   * UPLOAD_REQUEST listener) has its own reports queued until the current one returned, so every
   * listener sees the states in order. A throwing callback is logged and does not break the transfer.
   */
  private report(call: () => void): void {
    this.reports.push(call);
    if (!this.reporting) this.drainReports();
  }

  /** Runs `fn` with its reports held until it returned (several reports that belong together). */
  private batch(fn: () => void): void {
    if (this.reporting) {
      fn();
      return;
    }
    this.reporting = true;
    try {
      fn();
    } finally {
      this.reporting = false;
    }
    this.drainReports();
  }

  private drainReports(): void {
    this.reporting = true;
    try {
      for (let next = this.reports.shift(); next; next = this.reports.shift()) {
        try {
          next();
        } catch (error) {
          this.log.error('Data transfer callback threw', { error });
        }
      }
    } finally {
      this.reporting = false;
    }
  }

  private trySend(channel: DataChannelLike, text: string): boolean {
    try {
      channel.send(text);
      return true;
    } catch (error) {
      this.log.warn('Data channel send failed', { label: channel.label, error });
      return false;
    }
  }

  private failAll(entry: PeerEntry, reason: string, notifyPeer: boolean): void {
    for (const transfer of [...entry.transfers.values()]) {
      transfer.fail(transferError.failed(reason, { peerId: entry.peerId, transferId: transfer.transferId }), notifyPeer);
      transfer.dispose();
    }
    entry.transfers.clear();
    entry.queue.length = 0;
    entry.slot = null;
  }

  private onMainClosed(entry: PeerEntry, channel: DataChannelLike): void {
    if (entry.main !== channel) return;
    const slot = entry.slot;
    if (slot && slot.mode === 'legacy') slot.fail(transferError.failed(TRANSFER_MESSAGES.CHANNEL_CLOSED, { peerId: entry.peerId, transferId: slot.transferId }), false);
  }

  private onMainMessage(entry: PeerEntry, data: unknown): void {
    const frame = parseFrame(data);
    const { roomKey, peerId } = entry;
    if (frame.kind === 'invalid' || frame.kind === 'binary') {
      this.log.warn('Dropping an invalid data channel message', { roomKey, peerId, reason: frame.kind === 'invalid' ? frame.reason : 'binary' });
      return;
    }
    if (frame.kind === 'text-chunk') {
      if (entry.slot instanceof IncomingTransfer) entry.slot.handleLegacyChunk(frame.text);
      else this.log.warn('Dropping a data chunk without a transfer', { roomKey, peerId });
      return;
    }
    const message = frame.message;
    switch (message.type) {
      case 'WRQ':
        this.onWrq(entry, message);
        return;
      case 'MESSAGE':
        return; // P2P chat: RoomMessaging's (it listens on the same channel)
      case 'END':
        this.log.warn('Dropping END received on the main channel', { roomKey, peerId });
        return;
      default: {
        const target = message.transferId !== undefined ? entry.transfers.get(message.transferId) : entry.slot;
        if (!target) {
          this.log.warn(`Dropping ${message.type} without a matching transfer`, { roomKey, peerId, transferId: message.transferId });
        } else if (message.type === 'ACK') {
          if (target instanceof OutgoingTransfer) target.handleAck(message);
        } else if (message.type === 'CANCEL') {
          target.remoteCancel(message.content);
        } else {
          target.remoteError(message.content);
        }
      }
    }
  }

  private onWrq(entry: PeerEntry, wrq: WrqMessage): void {
    const transferId = wrq.transferId ?? `transfer_${entry.peerId}_${Date.now()}`;
    if (entry.transfers.has(transferId)) {
      this.log.warn('Dropping a duplicate WRQ', { roomKey: entry.roomKey, peerId: entry.peerId, transferId });
      return;
    }
    const offer = this.fastEnabled && wrq.fast ? wrq.fast : null;
    if (offer) {
      entry.fastPeer = true;
      this.drainQueue(entry);
    } else if (entry.slot !== null) {
      // 2.x: one transfer at a time on the main channel; refuse the second one as 2.x does.
      this.trySendMain(entry, { type: 'ACK', ackN: -1, sender: this.options.getSelfId(entry.roomKey) ?? '', transferId });
      return;
    }
    const transfer = new IncomingTransfer(this.host(entry), transferId, wrq, offer);
    entry.transfers.set(transferId, transfer);
    if (!offer) entry.slot = transfer;
    transfer.announce();
  }

  private trySendMain(entry: PeerEntry, message: Record<string, unknown>): void {
    if (entry.main && entry.main.readyState === 'open') this.trySend(entry.main, JSON.stringify(message));
  }
}

function isBlobLike(value: unknown): value is Blob {
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true;
  const v = value as { size?: unknown; slice?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof v.size === 'number' && typeof v.slice === 'function';
}
