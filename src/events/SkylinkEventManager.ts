/**
 * Typed event bus: wraps one `EventTarget` (composition: subclassing with narrowed signatures does not
 * compile) and dispatches real `CustomEvent`s synchronously, so listeners read `evt.detail` as in 2.x.
 * @module
 */
import { createLogger } from '../logger';
import type { SkylinkEventMap } from './SkylinkEventMap';
import type { SkylinkEventName } from './SkylinkEvents';

/** A listener for event `K`. */
export type SkylinkEventListener<K extends SkylinkEventName> = (evt: CustomEvent<SkylinkEventMap[K]>) => void;

/** Options of {@link SkylinkEventManagerClass.addEventListener}. */
export interface SkylinkListenerOptions {
  /** Remove the listener after its first call. */
  once?: boolean;
  /** Remove the listener when this signal aborts. */
  signal?: AbortSignal;
}

const log = createLogger('SKYLINK EVENT');

type AnyListener = (evt: CustomEvent<unknown>) => void;

/**
 * The event manager. The package export `SkylinkEventManager` is the shared instance (as in 2.x);
 * `new Skylink(options, { eventManager })` can use a private one.
 *
 * Semantics: listeners run synchronously in registration order inside `dispatch`; a listener that
 * throws is isolated (the error is logged at ERROR level, the other listeners and the SDK continue) in
 * every environment, including Node where a bare `EventTarget` would raise `uncaughtException`.
 * As with DOM `EventTarget`, registering the same function twice for the same event is a no-op.
 *
 * @example
 * ```ts
 * import { SkylinkEventManager, SkylinkEvents } from 'skylink-sdk';
 * SkylinkEventManager.addEventListener(SkylinkEvents.PEER_JOINED, (evt) => {
 *   const { roomName, peerId, isSelf, peerInfo } = evt.detail;
 * });
 * ```
 */
export class SkylinkEventManagerClass {
  readonly #target = new EventTarget();
  /** event name → user listener → the wrapper registered on the target. */
  readonly #wrappers = new Map<string, Map<AnyListener, EventListener>>();

  /** Adds `listener` for `type`. Non-function listeners are ignored. */
  addEventListener<K extends SkylinkEventName>(
    type: K,
    listener: SkylinkEventListener<K>,
    options: SkylinkListenerOptions = {},
  ): void {
    if (typeof listener !== 'function') {
      log.debug(`Ignoring non-function listener for "${type}"`);
      return;
    }
    if (options.signal?.aborted) return;
    let byListener = this.#wrappers.get(type);
    if (!byListener) {
      byListener = new Map();
      this.#wrappers.set(type, byListener);
    }
    const key = listener as unknown as AnyListener;
    if (byListener.has(key)) return;
    const once = options.once === true;
    const wrapper: EventListener = (evt) => {
      if (once) this.#forget(type, key);
      try {
        key(evt as CustomEvent<unknown>);
      } catch (err) {
        log.error(`A listener of "${type}" threw`, err);
      }
    };
    byListener.set(key, wrapper);
    this.#target.addEventListener(type, wrapper, { once });
    options.signal?.addEventListener('abort', () => this.removeEventListener(type, listener), { once: true });
  }

  /** Removes `listener` from `type` (no-op when absent). */
  removeEventListener<K extends SkylinkEventName>(type: K, listener: SkylinkEventListener<K>): void {
    const wrapper = this.#forget(type, listener as unknown as AnyListener);
    if (wrapper) this.#target.removeEventListener(type, wrapper);
  }

  /** Removes every listener of `type`, or of every event when `type` is omitted. */
  removeAllEventListeners(type?: SkylinkEventName): void {
    const types = type === undefined ? [...this.#wrappers.keys()] : [type];
    for (const t of types) {
      const byListener = this.#wrappers.get(t);
      if (!byListener) continue;
      for (const wrapper of byListener.values()) this.#target.removeEventListener(t, wrapper);
      this.#wrappers.delete(t);
    }
  }

  /** Number of listeners of `type` (of all events when omitted). */
  listenerCount(type?: SkylinkEventName): number {
    if (type !== undefined) return this.#wrappers.get(type)?.size ?? 0;
    let n = 0;
    for (const m of this.#wrappers.values()) n += m.size;
    return n;
  }

  /**
   * Dispatches a ready-made event (2.x exposed `dispatchEvent`; kept for compatibility).
   * Prefer letting the SDK dispatch events.
   */
  dispatchEvent(event: Event): boolean {
    return this.#target.dispatchEvent(event);
  }

  /**
   * @internal Dispatches `type` with `detail` to every listener, synchronously.
   */
  dispatch<K extends SkylinkEventName>(type: K, detail: SkylinkEventMap[K]): void {
    // Only addEventListener registers on the target: no wrapper, no listener, no event to build.
    if (!this.#wrappers.has(type)) return;
    this.#target.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #forget(type: string, listener: AnyListener): EventListener | undefined {
    const byListener = this.#wrappers.get(type);
    const wrapper = byListener?.get(listener);
    if (byListener && wrapper) {
      byListener.delete(listener);
      if (byListener.size === 0) this.#wrappers.delete(type);
    }
    return wrapper;
  }
}

/** The shared event manager instance (exported from the package as `SkylinkEventManager`). */
export const skylinkEventManager = new SkylinkEventManagerClass();
