/**
 * Minimal addEventListener/removeEventListener host that can count its listeners, so tests can
 * assert that nothing is left attached after leaveRoom.
 */
export class FakeEmitter {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly listeners = new Map<string, Set<(ev: any) => void>>();

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addEventListener(type: string, listener: (ev: any) => void): void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  removeEventListener(type: string, listener: (ev: any) => void): void {
    this.listeners.get(type)?.delete(listener);
  }

  /** Listeners currently attached (all types, or one type). */
  listenerCount(type?: string): number {
    if (type !== undefined) return this.listeners.get(type)?.size ?? 0;
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  protected fire(type: string, ev: object = { type }): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const listener of [...set]) (listener as (e: object) => void)(ev);
    const handler = (this as unknown as Record<string, unknown>)[`on${type}`];
    if (typeof handler === 'function') (handler as (e: object) => void).call(this, ev);
  }
}

/** Runs `fn` on a later microtask that jest fake timers do not control. */
export function later(fn: () => void): void {
  void Promise.resolve().then(fn);
}
