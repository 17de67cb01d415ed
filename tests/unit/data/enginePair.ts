/**
 * Two DataTransferEngines ("alice" and "bob") joined by FakeChannel main channels, with every callback
 * recorded. `openChannel` creates a FakeChannel pair and hands the far end to the other engine's
 * `handleIncomingChannel`, as the room does from `ondatachannel`.
 */
import { webcrypto } from 'node:crypto';
import { DataTransferEngine, type DataTransferEngineOptions, type TransferStateReport } from '../../../src/data/DataTransferEngine';
import type { IncomingDataReport, IncomingDataRequestReport } from '../../../src/data/DataTransferEngine';
import type { DigestFn } from '../../../src/data/SegmentHasher';
import type { Logger } from '../../../src/logger';
import { channelPair, type FakeChannel, type FakeChannelOptions } from './fakeChannel';

export const nodeDigest: DigestFn = (data) => webcrypto.subtle.digest('SHA-256', data);

/** Logger that records instead of printing (warnings are expected in failure tests). */
export function quietLogger(lines: string[] = []): Logger {
  const log = (message: string): void => {
    lines.push(message);
  };
  const logger: Logger = { trace: log, debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

export interface Recorded {
  states: Array<TransferStateReport & { roomKey: string }>;
  requests: Array<IncomingDataRequestReport & { roomKey: string }>;
  data: Array<IncomingDataReport & { roomKey: string }>;
}

export class Side {
  readonly rec: Recorded = { states: [], requests: [], data: [] };
  readonly logs: string[] = [];
  engine!: DataTransferEngine;
  other!: Side;
  /** Channels opened by this side's engine (fast mode), near end first. */
  readonly opened: Array<[FakeChannel, FakeChannel]> = [];
  private waiters: Array<() => void> = [];
  channelOptions: FakeChannelOptions = {};
  /** When set, openChannel throws. */
  openFails = false;

  constructor(readonly id: string) {}

  /** States of one transfer, in order. */
  statesOf(transferId: string): string[] {
    return this.rec.states.filter((s) => s.transferId === transferId).map((s) => s.state);
  }

  /** Resolves when `predicate` holds (checked after every callback and every 2 ms); rejects after 4 s. */
  until(predicate: () => boolean, what = 'condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let poll: ReturnType<typeof setTimeout> | undefined;
      const stop = (): void => {
        clearTimeout(timer);
        clearTimeout(poll);
        this.waiters = this.waiters.filter((w) => w !== check);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`timed out waiting for ${what} on ${this.id}`));
      }, 4000);
      const check = (): void => {
        if (predicate()) {
          stop();
          resolve();
        }
      };
      const tick = (): void => {
        check();
        if (this.waiters.includes(check)) poll = setTimeout(tick, 2);
      };
      this.waiters.push(check);
      poll = setTimeout(tick, 2);
    });
  }

  /** Resolves when the transfer reached `state`. */
  untilState(transferId: string, state: string): Promise<void> {
    return this.until(() => this.statesOf(transferId).includes(state), `${state} of ${transferId}`);
  }

  notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Callbacks that record into `side.rec` (and wake its waiters). */
export function recorder(side: Side): Pick<DataTransferEngineOptions, 'onTransferState' | 'onIncomingDataRequest' | 'onIncomingData'> {
  return {
    onTransferState: (roomKey, detail) => {
      side.rec.states.push({ ...detail, roomKey });
      side.notify();
    },
    onIncomingDataRequest: (roomKey, detail) => {
      side.rec.requests.push({ ...detail, roomKey });
      side.notify();
    },
    onIncomingData: (roomKey, detail) => {
      side.rec.data.push({ ...detail, roomKey });
      side.notify();
    },
  };
}

export interface PairOptions {
  alice?: Partial<DataTransferEngineOptions>;
  bob?: Partial<DataTransferEngineOptions>;
  rooms?: string[];
  channel?: FakeChannelOptions;
}

/** Builds alice and bob, connected in each room of `rooms` (default `['room1']`). */
export function enginePair(options: PairOptions = {}): { alice: Side; bob: Side; mains: Map<string, [FakeChannel, FakeChannel]> } {
  const alice = new Side('alice');
  const bob = new Side('bob');
  alice.other = bob;
  bob.other = alice;
  const make = (side: Side, extra: Partial<DataTransferEngineOptions> | undefined): DataTransferEngine =>
    new DataTransferEngine({
      getSelfId: () => side.id,
      openChannel: (roomKey, peerId, label) => {
        if (side.openFails) throw new Error('no channel');
        const [near, far] = channelPair(label, { connecting: true, ...side.channelOptions });
        far.paused = false; // channelOptions shape the sender's end only
        side.opened.push([near, far]);
        setTimeout(() => {
          near.open();
          far.open();
          side.other.engine.handleIncomingChannel(roomKey, side.id, far);
        }, 0);
        return near;
      },
      ...recorder(side),
      digest: nodeDigest,
      logger: quietLogger(side.logs),
      ...extra,
    });
  alice.engine = make(alice, options.alice);
  bob.engine = make(bob, options.bob);
  const mains = new Map<string, [FakeChannel, FakeChannel]>();
  for (const room of options.rooms ?? ['room1']) {
    const [a, b] = channelPair(`${room}_alice_bob`, options.channel);
    alice.engine.addPeer(room, 'bob', a);
    bob.engine.addPeer(room, 'alice', b);
    mains.set(room, [a, b]);
  }
  return { alice, bob, mains };
}

/** Deterministic test bytes. */
export function patternBytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Bytes of a Blob (jsdom's Blob has no arrayBuffer(): FileReader there). */
export async function blobBytes(blob: Blob): Promise<Uint8Array> {
  if (typeof blob.arrayBuffer === 'function') return new Uint8Array(await blob.arrayBuffer());
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(blob);
  });
}
