/**
 * The narrow view of an `RTCDataChannel` the data transfer engine needs, and the two waits it does on
 * one: "until open" and "until `bufferedAmount` is low" (back-pressure). `bufferedamountlow` is used
 * when the implementation fires it, with a `bufferedAmount` poll as fallback (node-webrtc never fires it).
 */

/** What the engine uses of an `RTCDataChannel` (a real one satisfies it). */
export interface DataChannelLike {
  readonly label: string;
  readonly readyState: string;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  binaryType: string;
  send(data: string): void;
  send(data: ArrayBuffer): void;
  close(): void;
  addEventListener(type: string, listener: EventListener): void;
  removeEventListener(type: string, listener: EventListener): void;
}

/** Event shape the engine reads from `message` events. */
export interface ChannelMessageEvent {
  data: unknown;
}

type Listener = (event: never) => void;

/** Adds listeners and returns one function that removes them all. */
export function listen(channel: DataChannelLike, handlers: Record<string, Listener>): () => void {
  // The handlers read only what they declare (`data` of message events), hence the cast.
  const entries = Object.entries(handlers) as Array<[string, EventListener]>;
  for (const [type, fn] of entries) channel.addEventListener(type, fn);
  return () => {
    for (const [type, fn] of entries) channel.removeEventListener(type, fn);
  };
}

/** Poll period of the `bufferedAmount` fallback. */
export const BUFFER_POLL_MS = 4;

/** Resolves once the channel is open; rejects if it closes first or `signal` aborts. */
export function waitForOpen(channel: DataChannelLike, signal: AbortSignal): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    if (channel.readyState === 'closing' || channel.readyState === 'closed') {
      reject(new Error('data channel closed before opening'));
      return;
    }
    const done = (error?: Error): void => {
      stop();
      signal.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = (): void => done(new Error('aborted'));
    const stop = listen(channel, {
      open: () => done(),
      close: () => done(new Error('data channel closed before opening')),
      error: () => done(new Error('data channel error before opening')),
    });
    signal.addEventListener('abort', onAbort);
  });
}

/**
 * Resolves when `bufferedAmount <= threshold` (at once if it already is), when the channel stops
 * being open, or when `signal` aborts: callers re-check their own state after it.
 */
export function waitForBufferedAmountLow(channel: DataChannelLike, threshold: number, signal: AbortSignal): Promise<void> {
  if (channel.bufferedAmount <= threshold || channel.readyState !== 'open' || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      channel.removeEventListener('bufferedamountlow', check as EventListener);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    function check(): void {
      if (timer !== undefined) clearTimeout(timer);
      if (channel.bufferedAmount <= threshold || channel.readyState !== 'open' || signal.aborted) finish();
      else timer = setTimeout(check, BUFFER_POLL_MS);
    }
    try {
      channel.bufferedAmountLowThreshold = threshold;
    } catch {
      // Read-only in some fakes; the poll still works.
    }
    channel.addEventListener('bufferedamountlow', check as EventListener);
    signal.addEventListener('abort', finish);
    timer = setTimeout(check, BUFFER_POLL_MS);
  });
}
