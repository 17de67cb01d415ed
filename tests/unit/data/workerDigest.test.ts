/** SHA-256 in a dedicated worker, with a fake Worker (jsdom has none) and node's WebCrypto. */
import { webcrypto } from 'node:crypto';
import { DIGEST_WORKER_IDLE_MS, workerDigest, type DigestFn } from '../../../src/data/SegmentHasher';
import { patternBytes } from './enginePair';

type Reply = { id: number; digest?: ArrayBuffer; error?: string };

/** Runs the worker protocol in this thread; `mode` decides what the "worker" does. */
class FakeWorker {
  static instances: FakeWorker[] = [];
  static mode: 'ok' | 'no-webcrypto' | 'throws' | 'error-event' = 'ok';
  onmessage: ((event: { data: Reply }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  terminated = false;
  readonly received: unknown[] = [];

  constructor(readonly url: string) {
    if (FakeWorker.mode === 'throws') throw new Error('SecurityError: blob: workers are not allowed');
    FakeWorker.instances.push(this);
  }

  postMessage(message: { id: number; data: Uint8Array<ArrayBuffer> }): void {
    // A structured clone: the worker never sees later changes to the caller's bytes.
    const data = message.data.slice();
    this.received.push(data);
    const reply = (r: Reply): void => {
      if (!this.terminated) this.onmessage?.({ data: r });
    };
    if (FakeWorker.mode === 'error-event') {
      queueMicrotask(() => this.onerror?.({ message: 'worker crashed' }));
    } else if (FakeWorker.mode === 'no-webcrypto') {
      queueMicrotask(() => reply({ id: message.id, error: 'TypeError: crypto.subtle is undefined' }));
    } else {
      void webcrypto.subtle.digest('SHA-256', data).then((digest) => reply({ id: message.id, digest }));
    }
  }

  terminate(): void {
    this.terminated = true;
  }
}

const hex = (b: ArrayBuffer): string => Buffer.from(b).toString('hex');
const expected = async (b: Uint8Array<ArrayBuffer>): Promise<string> => hex(await webcrypto.subtle.digest('SHA-256', b));

describe('workerDigest', () => {
  const fallbackCalls: number[] = [];
  const fallback: DigestFn = (data) => {
    fallbackCalls.push(data.byteLength);
    return webcrypto.subtle.digest('SHA-256', data);
  };
  const saved = { Worker: (globalThis as { Worker?: unknown }).Worker, create: URL.createObjectURL, revoke: URL.revokeObjectURL };

  beforeEach(() => {
    FakeWorker.instances = [];
    FakeWorker.mode = 'ok';
    fallbackCalls.length = 0;
    Object.assign(globalThis, { Worker: FakeWorker });
    URL.createObjectURL = () => 'blob:fake-digest-worker';
    URL.revokeObjectURL = () => undefined;
  });

  afterEach(() => {
    Object.assign(globalThis, { Worker: saved.Worker });
    URL.createObjectURL = saved.create;
    URL.revokeObjectURL = saved.revoke;
    jest.useRealTimers();
  });

  it('is null where there are no workers', () => {
    Object.assign(globalThis, { Worker: undefined });
    expect(workerDigest(fallback)).toBeNull();
  });

  it('hashes in the worker, one worker for every call, only the bytes of the view', async () => {
    const digest = workerDigest(fallback) as DigestFn;
    const a = patternBytes(100_000, 1);
    const b = patternBytes(5000, 2);
    const view = a.subarray(10, 4010);
    const got = await Promise.all([digest(a), digest(b), digest(view)]);
    expect(got.map(hex)).toEqual([await expected(a), await expected(b), await expected(view.slice())]);
    expect(FakeWorker.instances).toHaveLength(1);
    expect((FakeWorker.instances[0] as FakeWorker).received.map((d) => (d as Uint8Array).byteLength)).toEqual([100_000, 5000, 4000]);
    expect(fallbackCalls).toEqual([]);
  });

  it('falls back to the page thread when the worker cannot start (CSP)', async () => {
    FakeWorker.mode = 'throws';
    const digest = workerDigest(fallback) as DigestFn;
    const a = patternBytes(3000);
    expect(hex(await digest(a))).toBe(await expected(a));
    expect(fallbackCalls).toEqual([3000]);
  });

  it.each(['no-webcrypto', 'error-event'] as const)('hashes pending and later data on the page thread after a worker failure (%s)', async (mode) => {
    FakeWorker.mode = mode;
    const digest = workerDigest(fallback) as DigestFn;
    const a = patternBytes(3000, 3);
    const b = patternBytes(2000, 4);
    const first = await Promise.all([digest(a), digest(b)]);
    expect(first.map(hex)).toEqual([await expected(a), await expected(b)]);
    expect((FakeWorker.instances[0] as FakeWorker).terminated).toBe(true);
    const c = patternBytes(1000, 5);
    expect(hex(await digest(c))).toBe(await expected(c));
    expect(FakeWorker.instances).toHaveLength(1);
    expect(fallbackCalls).toEqual([3000, 2000, 1000]);
  });

  it('ends an idle worker and starts a new one for the next digest', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    const digest = workerDigest(fallback) as DigestFn;
    await digest(patternBytes(10));
    const first = FakeWorker.instances[0] as FakeWorker;
    jest.advanceTimersByTime(DIGEST_WORKER_IDLE_MS - 1);
    expect(first.terminated).toBe(false);
    jest.advanceTimersByTime(1);
    expect(first.terminated).toBe(true);
    const d = patternBytes(20);
    expect(hex(await digest(d))).toBe(await expected(d));
    expect(FakeWorker.instances).toHaveLength(2);
  });
});
