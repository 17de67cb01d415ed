/**
 * Test helpers to wait for Skylink events (LiveKit `subscribeToEvents` style, CustomEvent form).
 * No sleeps: each wait resolves on the event, or rejects after `timeoutMs` with a clear message.
 */
import type { SkylinkEventManagerClass } from '../../src/events/SkylinkEventManager';
import type { SkylinkEventMap } from '../../src/events/SkylinkEventMap';
import type { SkylinkEventName } from '../../src/events/SkylinkEvents';

export const DEFAULT_WAIT_MS = 5000;

type Detail<K extends SkylinkEventName> = SkylinkEventMap[K];

/**
 * Resolves with the `detail` of the next `name` event that satisfies `predicate`; rejects after
 * `timeoutMs`. Subscribes immediately, so call it BEFORE triggering the action (or use
 * {@link subscribeToEvents} to also see events fired earlier).
 */
export function waitForEvent<K extends SkylinkEventName>(
  manager: SkylinkEventManagerClass,
  name: K,
  predicate: (detail: Detail<K>) => boolean = () => true,
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<Detail<K>> {
  return new Promise((resolve, reject) => {
    const listener = (evt: CustomEvent<Detail<K>>): void => {
      let ok = false;
      try {
        ok = predicate(evt.detail);
      } catch (err) {
        cleanup();
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (!ok) return;
      cleanup();
      resolve(evt.detail);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`waitForEvent: no "${name}" event${predicate.length ? ' matching the predicate' : ''} within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      manager.removeEventListener(name, listener);
    };
    manager.addEventListener(name, listener);
  });
}

/** Buffered subscription to several events: `waitFor` first consumes events already received. */
export interface EventSubscription {
  /** Resolves with the first buffered or next matching detail (consuming it). */
  waitFor<K extends SkylinkEventName>(
    name: K,
    predicate?: (detail: Detail<K>) => boolean,
    timeoutMs?: number,
  ): Promise<Detail<K>>;
  /** Details received so far for `name` and not yet consumed. */
  buffered<K extends SkylinkEventName>(name: K): Detail<K>[];
  /** Removes all listeners; pending waits reject. */
  unsubscribe(): void;
}

/** Subscribes to `names` now and buffers their details until consumed by `waitFor`. */
export function subscribeToEvents(manager: SkylinkEventManagerClass, names: readonly SkylinkEventName[]): EventSubscription {
  const buffers = new Map<SkylinkEventName, unknown[]>();
  const waiters = new Set<{ name: SkylinkEventName; test: (d: unknown) => boolean; resolve: (d: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  const listeners = new Map<SkylinkEventName, (evt: CustomEvent<unknown>) => void>();
  for (const name of names) {
    buffers.set(name, []);
    const listener = (evt: CustomEvent<unknown>): void => {
      for (const w of waiters) {
        if (w.name !== name) continue;
        let ok = false;
        try {
          ok = w.test(evt.detail);
        } catch (err) {
          waiters.delete(w);
          clearTimeout(w.timer);
          w.reject(err instanceof Error ? err : new Error(String(err)));
          continue;
        }
        if (ok) {
          waiters.delete(w);
          clearTimeout(w.timer);
          w.resolve(evt.detail);
          return;
        }
      }
      buffers.get(name)?.push(evt.detail);
    };
    listeners.set(name, listener);
    manager.addEventListener(name, listener as never);
  }
  return {
    waitFor(name, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) {
      const buffer = buffers.get(name);
      if (!buffer) return Promise.reject(new Error(`subscribeToEvents: "${name}" was not subscribed`));
      const test = predicate as (d: unknown) => boolean;
      const index = buffer.findIndex((d) => test(d));
      if (index >= 0) return Promise.resolve(buffer.splice(index, 1)[0] as Detail<typeof name>);
      return new Promise((resolve, reject) => {
        const waiter = {
          name,
          test,
          resolve: resolve as (d: unknown) => void,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`waitFor: no "${name}" event${predicate.length ? ' matching the predicate' : ''} within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    buffered(name) {
      return [...(buffers.get(name) ?? [])] as Detail<typeof name>[];
    },
    unsubscribe() {
      for (const [name, listener] of listeners) manager.removeEventListener(name, listener as never);
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error(`subscription closed while waiting for "${w.name}"`));
      }
      waiters.clear();
    },
  };
}
