/**
 * In-memory DataChannelLike pair for the data transfer unit tests. Messages are delivered in order on
 * a microtask (or held while `paused`, so back-pressure can be observed); `bufferedAmount` counts the
 * bytes sent and not yet delivered. `firesLowEvent: false` behaves like node-webrtc (no
 * `bufferedamountlow`, the engine must poll).
 */
import type { DataChannelLike } from '../../../src/data/channel';

type Listener = (event: unknown) => void;

export interface FakeChannelOptions {
  label?: string;
  /** Start in `connecting` and open on the next macrotask (default: open at once). */
  connecting?: boolean;
  firesLowEvent?: boolean;
  /** Hold sent messages until flush() (default false). */
  paused?: boolean;
}

export class FakeChannel implements DataChannelLike {
  readyState = 'open';
  bufferedAmountLowThreshold = 0;
  binaryType = 'blob';
  peer: FakeChannel | null = null;
  /** Everything passed to send(), in order. */
  readonly sent: Array<string | ArrayBuffer> = [];
  paused = false;
  private queue: Array<string | ArrayBuffer> = [];
  private buffered = 0;
  private readonly listeners = new Map<string, Set<Listener>>();
  firesLowEvent: boolean;

  constructor(readonly label: string, options: FakeChannelOptions = {}) {
    this.firesLowEvent = options.firesLowEvent ?? true;
    if (options.connecting) this.readyState = 'connecting';
    this.paused = options.paused ?? false;
  }

  get bufferedAmount(): number {
    return this.buffered;
  }

  send(data: string | ArrayBuffer): void {
    if (this.readyState !== 'open') throw new Error(`InvalidStateError: channel is ${this.readyState}`);
    const copy = typeof data === 'string' ? data : data.slice(0);
    this.sent.push(copy);
    this.queue.push(copy);
    this.buffered += typeof data === 'string' ? data.length : data.byteLength;
    if (!this.paused) queueMicrotask(() => this.flush());
  }

  /** Delivers up to `max` queued messages to the peer. */
  flush(max = Infinity): number {
    let n = 0;
    while (this.queue.length > 0 && n < max) {
      const data = this.queue.shift() as string | ArrayBuffer;
      const before = this.buffered;
      this.buffered -= typeof data === 'string' ? data.length : data.byteLength;
      n += 1;
      if (this.firesLowEvent && before > this.bufferedAmountLowThreshold && this.buffered <= this.bufferedAmountLowThreshold) {
        this.emit('bufferedamountlow', {});
      }
      if (this.peer && this.peer.readyState === 'open') this.peer.emit('message', { data });
    }
    return n;
  }

  /** Messages sent but not delivered yet. */
  get pending(): number {
    return this.queue.length;
  }

  close(): void {
    if (this.readyState === 'closed' || this.readyState === 'closing') return;
    this.readyState = 'closing';
    queueMicrotask(() => {
      this.flush(); // as RTCDataChannel: messages sent before close() are still delivered
      this.readyState = 'closed';
      this.emit('close', {});
      this.peer?.remoteClosed();
    });
  }

  /** Opens a channel created with `connecting: true`. */
  open(): void {
    this.readyState = 'open';
    this.emit('open', {});
  }

  private remoteClosed(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.emit('close', {});
  }

  addEventListener(type: string, listener: EventListener): void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener as Listener);
  }

  removeEventListener(type: string, listener: EventListener): void {
    this.listeners.get(type)?.delete(listener as Listener);
  }

  listenerCount(type: string): number {
    return this.listeners.get(type)?.size ?? 0;
  }

  emit(type: string, event: unknown): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener(event);
  }
}

/** Two connected channels. */
export function channelPair(label: string, options: FakeChannelOptions = {}): [FakeChannel, FakeChannel] {
  const a = new FakeChannel(label, options);
  const b = new FakeChannel(label, options);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** Text frames of a channel, parsed when they are JSON. */
export function jsonSent(channel: FakeChannel): Array<Record<string, unknown>> {
  return channel.sent
    .filter((d): d is string => typeof d === 'string' && d.startsWith('{'))
    .map((d) => JSON.parse(d) as Record<string, unknown>);
}
