import { SkylinkEventManagerClass, skylinkEventManager } from '../../../src/events/SkylinkEventManager';
import { SkylinkEvents } from '../../../src/events/SkylinkEvents';
import * as publicApi from '../../../src/index';
import { SkylinkLogger } from '../../../src/logger';
import { defineIsolationTests } from './isolationCases';

const detail = (state: 'connected' | 'failed' = 'connected') => ({ roomName: 'room1', peerId: 'peer1', state });

describe('SkylinkEventManager', () => {
  let manager: SkylinkEventManagerClass;
  beforeEach(() => {
    manager = new SkylinkEventManagerClass();
  });

  test('dispatches a real CustomEvent synchronously with the detail', () => {
    const seen: unknown[] = [];
    manager.addEventListener(SkylinkEvents.PEER_CONNECTION_STATE, (evt) => {
      seen.push(evt);
    });
    manager.dispatch('peerConnectionState', detail());
    // Synchronous: already delivered when dispatch returns.
    expect(seen).toHaveLength(1);
    const evt = seen[0] as CustomEvent;
    expect(evt).toBeInstanceOf(CustomEvent);
    expect(evt.type).toBe('peerConnectionState');
    expect(evt.detail).toEqual(detail());
  });

  test('builds no event for a type nobody listens to, and delivers again once someone does', () => {
    const Original = globalThis.CustomEvent;
    let built = 0;
    globalThis.CustomEvent = class extends Original<unknown> {
      constructor(type: string, init?: CustomEventInit) {
        super(type, init);
        built += 1;
      }
    } as typeof CustomEvent;
    try {
      const other = jest.fn();
      manager.addEventListener('iceConnectionState', other);
      manager.dispatch('peerConnectionState', detail());
      expect(built).toBe(0);
      const fn = jest.fn();
      manager.addEventListener('peerConnectionState', fn);
      manager.dispatch('peerConnectionState', detail());
      expect(built).toBe(1);
      expect(fn).toHaveBeenCalledTimes(1);
      manager.removeEventListener('peerConnectionState', fn);
      manager.dispatch('peerConnectionState', detail());
      expect(built).toBe(1);
      expect(other).not.toHaveBeenCalled();
    } finally {
      globalThis.CustomEvent = Original;
    }
  });

  test('calls listeners in registration order and only for their event', () => {
    const order: string[] = [];
    manager.addEventListener('peerConnectionState', () => order.push('a'));
    manager.addEventListener('iceConnectionState', () => order.push('ice'));
    manager.addEventListener('peerConnectionState', () => order.push('b'));
    manager.dispatch('peerConnectionState', detail());
    expect(order).toEqual(['a', 'b']);
  });

  test('removeEventListener stops delivery; removing an unknown listener is a no-op', () => {
    const fn = jest.fn();
    manager.addEventListener('peerConnectionState', fn);
    manager.dispatch('peerConnectionState', detail());
    manager.removeEventListener('peerConnectionState', fn);
    manager.removeEventListener('peerConnectionState', fn);
    manager.removeEventListener('peerLeft', jest.fn());
    manager.dispatch('peerConnectionState', detail());
    expect(fn).toHaveBeenCalledTimes(1);
    expect(manager.listenerCount()).toBe(0);
  });

  test('once: the listener runs a single time and is forgotten', () => {
    const fn = jest.fn();
    manager.addEventListener('peerConnectionState', fn, { once: true });
    expect(manager.listenerCount('peerConnectionState')).toBe(1);
    manager.dispatch('peerConnectionState', detail('connected'));
    manager.dispatch('peerConnectionState', detail('failed'));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn.mock.calls[0]?.[0].detail.state).toBe('connected');
    expect(manager.listenerCount('peerConnectionState')).toBe(0);
  });

  test('a once listener can be removed before it fires', () => {
    const fn = jest.fn();
    manager.addEventListener('peerConnectionState', fn, { once: true });
    manager.removeEventListener('peerConnectionState', fn);
    manager.dispatch('peerConnectionState', detail());
    expect(fn).not.toHaveBeenCalled();
  });

  test('an AbortSignal removes the listener', () => {
    const fn = jest.fn();
    const ctrl = new AbortController();
    manager.addEventListener('peerConnectionState', fn, { signal: ctrl.signal });
    ctrl.abort();
    manager.dispatch('peerConnectionState', detail());
    expect(fn).not.toHaveBeenCalled();
    expect(manager.listenerCount()).toBe(0);
    const aborted = new AbortController();
    aborted.abort();
    manager.addEventListener('peerConnectionState', fn, { signal: aborted.signal });
    expect(manager.listenerCount()).toBe(0);
  });

  test('registering the same function twice delivers once (DOM semantics)', () => {
    const fn = jest.fn();
    manager.addEventListener('peerConnectionState', fn);
    manager.addEventListener('peerConnectionState', fn);
    manager.dispatch('peerConnectionState', detail());
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('non-function listeners are ignored', () => {
    manager.addEventListener('peerConnectionState', 'nope' as never);
    manager.addEventListener('peerConnectionState', null as never);
    expect(manager.listenerCount()).toBe(0);
    expect(() => manager.dispatch('peerConnectionState', detail())).not.toThrow();
  });

  test('a listener removing another during dispatch', () => {
    const calls: string[] = [];
    const second = (): void => {
      calls.push('second');
    };
    manager.addEventListener('peerConnectionState', () => {
      calls.push('first');
      manager.removeEventListener('peerConnectionState', second);
    });
    manager.addEventListener('peerConnectionState', second);
    manager.dispatch('peerConnectionState', detail());
    expect(calls).toEqual(['first']);
  });

  test('removeAllEventListeners(type) and removeAllEventListeners()', () => {
    const a = jest.fn();
    const b = jest.fn();
    manager.addEventListener('peerConnectionState', a);
    manager.addEventListener('iceConnectionState', b);
    manager.removeAllEventListeners('peerConnectionState');
    manager.dispatch('peerConnectionState', detail());
    manager.dispatch('iceConnectionState', { roomName: 'r', peerId: 'p', state: 'checking' });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledTimes(1);
    manager.removeAllEventListeners();
    manager.dispatch('iceConnectionState', { roomName: 'r', peerId: 'p', state: 'checking' });
    expect(b).toHaveBeenCalledTimes(1);
    expect(manager.listenerCount()).toBe(0);
  });

  test('dispatchEvent (2.x compatibility) delivers a ready-made CustomEvent', () => {
    const fn = jest.fn();
    manager.addEventListener('peerConnectionState', fn);
    manager.dispatchEvent(new CustomEvent('peerConnectionState', { detail: detail() }));
    expect(fn.mock.calls[0]?.[0].detail).toEqual(detail());
  });

  test('instances are independent; the package exports the shared instance as SkylinkEventManager', () => {
    const other = new SkylinkEventManagerClass();
    const fn = jest.fn();
    other.addEventListener('peerConnectionState', fn);
    manager.dispatch('peerConnectionState', detail());
    expect(fn).not.toHaveBeenCalled();
    expect(publicApi.SkylinkEventManager).toBe(skylinkEventManager);
    expect(publicApi.SkylinkEventManager).toBeInstanceOf(publicApi.SkylinkEventManagerClass);
  });

  test('a throwing listener does not raise a window error event in jsdom', () => {
    const onError = jest.fn();
    SkylinkLogger.setHandler(() => undefined, { console: false });
    window.addEventListener('error', onError);
    manager.addEventListener('peerConnectionState', () => {
      throw new Error('x');
    });
    try {
      manager.dispatch('peerConnectionState', detail());
    } finally {
      window.removeEventListener('error', onError);
      SkylinkLogger.setHandler(null);
    }
    expect(onError).not.toHaveBeenCalled();
  });

  describe('listener isolation (jsdom)', () => {
    defineIsolationTests();
  });
});
