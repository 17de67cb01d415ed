/**
 * Blob transfers for one room: the adapter between {@link SkylinkRoom} (hooks, peer connections, events)
 * and the shared {@link DataTransferEngine} (one per Skylink instance, per-room data under this room's
 * own key, {@link RoomDataTransfer.roomKey}).
 *
 * - Each peer's `main` channel is handed to the engine (`addPeer`), and incoming channels labelled
 *   `skylink-dt:<transferId>` (fast mode) go to `handleIncomingChannel`. Channels the engine opens through
 *   {@link RoomDataTransfer.openChannel} come back through the `dataChannel` hook and are skipped.
 * - The engine's reports become DATA_TRANSFER_STATE, ON_INCOMING_DATA_REQUEST and ON_INCOMING_DATA, with
 *   `roomName`, through the room's dispatch path.
 * - A peer that leaves (`peerClosed`) fails its transfers (`peerLeft`); leaving the room fails every
 *   transfer of the room and tells the peers (`releaseRoom`).
 * - P2P `MESSAGE` frames on the main channel are RoomMessaging's: the engine ignores them.
 *
 * Every event detail carries `roomName`.
 * @internal
 */
import {
  DataTransferEngine,
  LARGE_FRAME_TUNING,
  type DataTransferEngineOptions,
  type IncomingDataReport,
  type IncomingDataRequestReport,
  type TransferStateReport,
} from '../data/DataTransferEngine';
import type { DataChannelLike as EngineChannel } from '../data/channel';
import { isTransferChannelLabel, transferIdFromLabel } from '../data/dataProtocol';
import { TRANSFER_MESSAGES, transferError } from '../data/transferErrors';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import { createLogger } from '../logger';
import type { DataChannelLike } from '../platform/SkylinkPlatform';
import type { DataChannelInfo } from '../types/peer';
import type { CancelBlobTransferResult, DataTransferResult } from '../types/transfer';
import { generateUUID } from '../uuid';
import type { SkylinkRoom } from './SkylinkRoom';

/** Default `sendBlobData` timeout, in seconds (2.x). */
export const DEFAULT_BLOB_TIMEOUT_S = 60;

/** How the facade finds a room's adapter from the key the shared engine reports with. */
export type DataTransferRouter = (roomKey: string) => RoomDataTransfer | undefined;

/**
 * Builds the shared engine, its reports routed to each room's adapter by room key (a room already
 * released gets nothing). `overrides` are for tests (tuning, digest...).
 */
export function createDataTransferEngine(route: DataTransferRouter, overrides: Partial<DataTransferEngineOptions> = {}): DataTransferEngine {
  return new DataTransferEngine({
    getSelfId: (roomKey) => route(roomKey)?.selfId() ?? null,
    openChannel: (roomKey, peerId, label) => {
      const room = route(roomKey);
      if (!room) throw SkylinkError.invalidState('The room was left');
      return room.openChannel(peerId, label);
    },
    getMaxMessageSize: (roomKey, peerId) => route(roomKey)?.maxMessageSize(peerId) ?? null,
    onTransferState: (roomKey, detail) => route(roomKey)?.onTransferState(detail),
    onIncomingDataRequest: (roomKey, detail) => route(roomKey)?.onIncomingDataRequest(detail),
    onIncomingData: (roomKey, detail) => route(roomKey)?.onIncomingData(detail),
    logger: createLogger('DATA_TRANSFER'),
    tuning: LARGE_FRAME_TUNING,
    ...overrides,
  });
}

export interface RoomDataTransferDeps {
  readonly engine: DataTransferEngine;
  /** Called with the new adapter (the facade routes the engine's reports by roomKey). */
  register(roomKey: string, adapter: RoomDataTransfer): void;
  /** Called once the room is released (after the engine released the room). */
  unregister(roomKey: string): void;
}

export class RoomDataTransfer {
  /** Key of this room in the shared engine (unique per joined room instance). */
  readonly roomKey = generateUUID();
  readonly #room: SkylinkRoom;
  readonly #engine: DataTransferEngine;
  /** Labels of the channels we are opening right now (their `dataChannel` hook is ours, not incoming). */
  readonly #opening = new Set<string>();
  #released = false;

  constructor(room: SkylinkRoom, deps: RoomDataTransferDeps) {
    this.#room = room;
    this.#engine = deps.engine;
    deps.register(this.roomKey, this);
    room.addHooks({
      dataChannel: (peerId, channel, isMain) => this.#onChannel(peerId, channel, isMain),
      peerClosed: (peerId) => this.#engine.peerLeft(this.roomKey, peerId),
      release: () => {
        if (this.#released) return;
        this.#released = true;
        this.#engine.releaseRoom(this.roomKey); // ERROR for every transfer of the room, then forget it
        // Leaving from inside a transfer listener: the engine holds those ERROR reports until that
        // listener returned. They are delivered synchronously then, so stay routable until a microtask.
        void Promise.resolve().then(() => deps.unregister(this.roomKey));
      },
    });
  }

  get roomName(): string {
    return this.#room.roomName;
  }

  // ---- commands -------------------------------------------------------------------------------

  /**
   * `sendBlobData(roomName, blob, peerId? | peerIds?, timeout = 60)`; a number as `peerId` is the timeout
   * (2.x). No peer id: every peer of the room. Rejects on bad arguments; otherwise resolves one result
   * per peer (see {@link DataTransferEngine.sendBlobData}).
   */
  sendBlobData(blob: unknown, peerIdArg?: unknown, timeoutArg?: unknown): Promise<DataTransferResult[]> {
    this.#active();
    let target = peerIdArg;
    let timeout = timeoutArg;
    if (typeof target === 'number') {
      timeout = target;
      target = undefined;
    }
    if (timeout === undefined || timeout === null) timeout = DEFAULT_BLOB_TIMEOUT_S;
    this.#room.requireJoined();
    if (!this.#room.options.enableDataChannel) {
      throw new SkylinkError(SkylinkErrorCode.DATA_CHANNEL_DISABLED, `${TRANSFER_MESSAGES.UNABLE_TO_SEND} - Data Channel is disabled`, {
        roomName: this.roomName,
      });
    }
    let peerIds: string[];
    if (target === undefined || target === null) peerIds = [...this.#room.state.peers.keys()];
    else if (typeof target === 'string') peerIds = [target];
    else if (Array.isArray(target) && target.every((id) => typeof id === 'string')) peerIds = target as string[];
    else throw transferError.invalidArgument(TRANSFER_MESSAGES.PEER_ID_INVALID_TYPE, { roomName: this.roomName });
    return this.#engine.sendBlobData(this.roomKey, blob as Blob, peerIds, timeout as number).catch((error: unknown) => {
      throw this.#withRoom(error);
    });
  }

  /** Accepts (resolves once the Blob arrived) or rejects (resolves at once) an incoming request. */
  respondBlobRequest(peerId: unknown, transferId: unknown, accept: unknown): Promise<DataTransferResult> {
    this.#active();
    return this.#engine.respondBlobRequest(this.roomKey, peerId as string, transferId as string, accept === true).catch((error: unknown) => {
      throw this.#withRoom(error);
    });
  }

  /** Cancels a transfer in either direction; the peer gets CANCEL. */
  cancelBlobTransfer(peerId: unknown, transferId: unknown): Promise<CancelBlobTransferResult> {
    this.#active();
    return this.#engine.cancelBlobTransfer(this.roomKey, peerId as string, transferId as string).catch((error: unknown) => {
      throw this.#withRoom(error);
    });
  }

  /**
   * Fills `currentTransferId` (and `channelProp`, the transfer id, for a dedicated transfer channel) in
   * the `getPeersDataChannels` entries of this room.
   */
  annotateDataChannels(channels: Record<string, Record<string, DataChannelInfo>>): Record<string, Record<string, DataChannelInfo>> {
    for (const [peerId, entries] of Object.entries(channels)) {
      for (const [key, info] of Object.entries(entries)) {
        if (key === 'main') {
          info.currentTransferId = this.#engine.mainChannelTransferId(this.roomKey, peerId);
          continue;
        }
        const transferId = transferIdFromLabel(info.channelName);
        if (transferId !== null) {
          info.currentTransferId = transferId;
          info.channelProp = transferId;
        }
      }
    }
    return channels;
  }

  // ---- engine side (called through the router) ------------------------------------------------

  /** @internal Our peer id while in the room. */
  selfId(): string | null {
    const { state } = this.#room;
    return state.inRoom ? state.selfId : null;
  }

  /** @internal Opens a fast-mode transfer channel (ordered, reliable). */
  openChannel(peerId: string, label: string): EngineChannel {
    const peers = this.#room.peers;
    if (this.#released || !peers) throw SkylinkError.invalidState('The room was left', { roomName: this.roomName, peerId });
    this.#opening.add(label);
    try {
      return engineChannel(peers.createDataChannel(peerId, label, { ordered: true }));
    } finally {
      this.#opening.delete(label);
    }
  }

  /** @internal `pc.sctp.maxMessageSize` of the peer's connection. */
  maxMessageSize(peerId: string): number | null {
    const pc = this.#room.peers?.getPeerConnection(peerId) as { sctp?: { maxMessageSize?: number } | null } | null | undefined;
    const size = pc?.sctp?.maxMessageSize;
    return typeof size === 'number' && size > 0 ? size : null;
  }

  /** @internal */
  onTransferState(detail: TransferStateReport): void {
    this.#room.emit('dataTransferState', { ...detail, roomName: this.roomName });
  }

  /** @internal */
  onIncomingDataRequest(detail: IncomingDataRequestReport): void {
    this.#room.emit('onIncomingDataRequest', { ...detail, roomName: this.roomName });
  }

  /** @internal */
  onIncomingData(detail: IncomingDataReport): void {
    this.#room.emit('onIncomingData', { ...detail, roomName: this.roomName });
  }

  // ---- helpers --------------------------------------------------------------------------------

  #onChannel(peerId: string, channel: DataChannelLike, isMain: boolean): void {
    if (this.#released) return;
    if (isMain) {
      this.#engine.addPeer(this.roomKey, peerId, engineChannel(channel));
    } else if (isTransferChannelLabel(channel.label) && !this.#opening.has(channel.label)) {
      this.#engine.handleIncomingChannel(this.roomKey, peerId, engineChannel(channel));
    }
  }

  #withRoom(error: unknown): unknown {
    if (error instanceof SkylinkError && error.roomName === undefined) {
      Object.defineProperty(error, 'roomName', { value: this.roomName, enumerable: true, configurable: true });
    }
    return error;
  }

  #active(): void {
    if (this.#released) throw SkylinkError.invalidState(`Room "${this.roomName}" was left`, { roomName: this.roomName });
  }
}

/**
 * The platform's channel type names its events; the engine's takes any event name. Both describe an
 * RTCDataChannel, and the engine only listens to `message`, `open`, `close`, `error` and
 * `bufferedamountlow`.
 */
function engineChannel(channel: DataChannelLike): EngineChannel {
  return channel as unknown as EngineChannel;
}
