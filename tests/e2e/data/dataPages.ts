/**
 * Helpers for the blob-transfer e2e tests. A "transfer kit" (`window.dt`) is installed in a page that
 * already has a Skylink instance in `window.t.skylink` (this SDK: core/corePages.ts; skylinkjs 2.7.2:
 * {@link openLegacyDataPage}). The kit:
 * - makes deterministic Blobs in the page (`make`) and SHA-256s them with crypto.subtle;
 * - answers incoming requests by `dt.policy` (`accept` | `reject` | `ignore`);
 * - hashes every completed download (`dt.downloads`) and logs every transfer event compactly (`dt.log`);
 * - runs one-shot `triggers` from inside the DATA_TRANSFER_STATE listener (cancel, leave, P2P message),
 *   so "mid-way" really is mid-way.
 * Waits use `page.waitForFunction` (no sleeps).
 */
import type { Browser, Page } from 'playwright-core';
import { openPage, waitForReady, type StaticServer } from '../rig';

export interface TransferLogEntry {
  /** Event name (this SDK's event names; skylinkjs pages use the same names). */
  name: string;
  state?: string;
  transferId?: string;
  peerId?: string;
  roomName?: string | null;
  percentage?: number;
  chunkType?: string;
  isSelf?: boolean;
  error?: string;
  content?: unknown;
  /** `performance.now()` in the page. */
  at: number;
}

export interface Download {
  transferId: string;
  peerId: string;
  size: number;
  type: string;
  name: string;
  sha256: string;
}

export interface SendOutcome {
  ok: boolean;
  /** JSON-safe result (errors as `{ message, code }`), or the rejection. */
  value: any;
  ms: number;
}

export interface Trigger {
  /** DATA_TRANSFER_STATE state that fires it (e.g. `downloading`). */
  state: string;
  /** Fires at the first such state with `transferInfo.percentage >= minPct`. */
  minPct: number;
  action: { kind: 'cancel' } | { kind: 'leave' } | { kind: 'p2p'; content: unknown };
}

/** Installs `window.dt` in a page whose `window.t.skylink` is this SDK (`legacy: false`) or skylinkjs 2.7.2. */
export async function installTransferKit(page: Page, legacy = false): Promise<void> {
  await page.evaluate((isLegacy) => {
    const w = window as any;
    const mod = isLegacy ? w.SkylinkJS : w.SkylinkModule;
    const manager = mod.SkylinkEventManager;
    const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const errText = (e: any): string | undefined =>
      e === undefined || e === null ? undefined : typeof e === 'string' ? e : String(e.message?.message ?? e.message ?? e);
    const safe = (v: unknown): unknown =>
      JSON.parse(
        JSON.stringify(v ?? null, (_k, x) =>
          x instanceof Blob
            ? { blobSize: x.size }
            : x instanceof Error
              ? { message: x.message, code: (x as any).code, cause: (x as any).cause ? String((x as any).cause?.message ?? (x as any).cause) : undefined }
              : x,
        ),
      );
    const dt: Record<string, any> = {
      policy: 'accept',
      log: [] as unknown[],
      downloads: [] as unknown[],
      errors: [] as string[],
      blobs: {} as Record<string, Blob>,
      triggers: [] as any[],
      fired: [] as string[],
    };
    const t = () => w.t;
    /** Deterministic bytes (xorshift32), hashed; the Blob is kept under `key`. */
    dt.make = async (key: string, size: number, seed: number, type = 'application/octet-stream') => {
      const words = new Uint32Array(Math.ceil(size / 4));
      let x = (seed * 2654435761) >>> 0 || 1;
      for (let i = 0; i < words.length; i += 1) {
        x ^= x << 13;
        x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        words[i] = x;
      }
      const bytes = new Uint8Array(words.buffer, 0, size);
      const sha256 = hex(await crypto.subtle.digest('SHA-256', bytes));
      dt.blobs[key] = new Blob([bytes], { type });
      return { size, sha256 };
    };
    dt.send = async (room: string, key: string, target: unknown, timeout?: number) => {
      const args: unknown[] = [room, dt.blobs[key]];
      if (target !== undefined) args.push(target);
      if (timeout !== undefined) args.push(timeout);
      const start = performance.now();
      try {
        const value = await t().skylink.sendBlobData(...args);
        return { ok: true, value: safe(value), ms: performance.now() - start };
      } catch (e: any) {
        return { ok: false, value: { message: e?.message, code: e?.code }, ms: performance.now() - start };
      }
    };
    const runTrigger = (d: any): void => {
      const pct = d.transferInfo?.percentage ?? 0;
      for (const trigger of dt.triggers) {
        if (trigger.done || trigger.state !== d.state || pct < trigger.minPct) continue;
        trigger.done = true;
        dt.fired.push(`${trigger.action.kind}@${pct}`);
        const sk = t().skylink;
        const room = d.roomName ?? t().room;
        const run =
          trigger.action.kind === 'cancel'
            ? () => sk.cancelBlobTransfer(room, d.peerId, d.transferId)
            : trigger.action.kind === 'leave'
              ? () => sk.leaveRoom(room)
              : () => sk.sendP2PMessage(room, trigger.action.content, d.peerId);
        Promise.resolve()
          .then(run)
          .catch((e: Error) => dt.errors.push(`${trigger.action.kind}: ${e?.message}`));
      }
    };
    const push = (name: string, d: any, extra: Record<string, unknown> = {}): void => {
      dt.log.push({
        name,
        state: d.state,
        transferId: d.transferId,
        peerId: d.peerId,
        roomName: d.roomName,
        percentage: d.transferInfo?.percentage,
        chunkType: d.transferInfo?.chunkType,
        isSelf: d.isSelf,
        error: errText(d.error?.message ?? d.error),
        at: performance.now(),
        ...extra,
      });
    };
    // skylinkjs 2.7.2 hands listeners `{ detail }` whose detail is the payload; this SDK a CustomEvent.
    const on = (name: string, fn: (d: any) => void): void => manager.addEventListener(name, (e: any) => fn(e.detail));
    on('dataTransferState', (d) => {
      push('dataTransferState', d);
      if (d.state === 'request' && dt.policy !== 'ignore') {
        Promise.resolve()
          .then(() => t().skylink.respondBlobRequest(d.roomName ?? t().room, d.peerId, d.transferId, dt.policy === 'accept'))
          .catch(() => undefined); // a failed download also rejects here; the states tell the story
      }
      if (d.state === 'downloadCompleted') {
        const blob = d.transferInfo.data as Blob;
        blob
          .arrayBuffer()
          .then((buf) => crypto.subtle.digest('SHA-256', buf))
          .then((digest) =>
            dt.downloads.push({ transferId: d.transferId, peerId: d.peerId, size: blob.size, type: blob.type, name: d.transferInfo.name, sha256: hex(digest) }),
          )
          .catch((e: Error) => dt.errors.push(`hash: ${e.message}`));
      }
      runTrigger(d);
    });
    on('onIncomingDataRequest', (d) => push('onIncomingDataRequest', d));
    on('onIncomingData', (d) => push('onIncomingData', d, { size: d.data?.size }));
    on('onIncomingMessage', (d) => {
      if (!d.isSelf) push('onIncomingMessage', d, { content: d.message?.content, isDataChannel: d.message?.isDataChannel });
    });
    on('dataChannelState', (d) => push('dataChannelState', d, { channelName: d.channelName, channelType: d.channelType }));
    w.dt = dt;
  }, legacy);
}

/** Makes a deterministic Blob in the page under `key`; returns its size and SHA-256. */
export async function makeBlob(page: Page, key: string, size: number, seed: number): Promise<{ size: number; sha256: string }> {
  return page.evaluate(({ k, s, seed: x }) => (window as any).dt.make(k, s, x), { k: key, s: size, seed });
}

/** `sendBlobData(room, blob[key], target?, timeout?)` in the page; resolves the outcome and its duration. */
export async function sendBlob(page: Page, room: string, key: string, target?: unknown, timeout?: number): Promise<SendOutcome> {
  return page.evaluate(({ r, k, tg, to }) => (window as any).dt.send(r, k, tg ?? undefined, to ?? undefined), {
    r: room,
    k: key,
    tg: target === undefined ? null : target,
    to: timeout === undefined ? null : timeout,
  });
}

/** Starts `sendBlobData` without waiting; `await finishSend(page, handle)` later. */
export async function startSend(page: Page, room: string, key: string, target?: unknown, timeout?: number): Promise<string> {
  return page.evaluate(
    ({ r, k, tg, to }) => {
      const dt = (window as any).dt;
      const handle = `send${(dt.sends ??= []).length}`;
      dt.sends.push(dt.send(r, k, tg ?? undefined, to ?? undefined).then((o: unknown) => (dt[handle] = o)));
      return handle;
    },
    { r: room, k: key, tg: target === undefined ? null : target, to: timeout === undefined ? null : timeout },
  );
}

export async function finishSend(page: Page, handle: string, timeoutMs = 120_000): Promise<SendOutcome> {
  const h = await page.waitForFunction((k) => (window as any).dt[k] ?? false, handle, { timeout: timeoutMs, polling: 100 });
  return (await h.jsonValue()) as SendOutcome;
}

export async function setPolicy(page: Page, policy: 'accept' | 'reject' | 'ignore'): Promise<void> {
  await page.evaluate((p) => ((window as any).dt.policy = p), policy);
}

export async function addTrigger(page: Page, trigger: Trigger): Promise<void> {
  await page.evaluate((tr) => (window as any).dt.triggers.push(tr), trigger);
}

/** The page's transfer log (from entry `after` on), optionally only one transfer / one event name. */
export async function transferLog(page: Page, filter: { transferId?: string; name?: string; after?: number } = {}): Promise<TransferLogEntry[]> {
  return page.evaluate(
    (f) =>
      ((window as any).dt.log as TransferLogEntry[]).slice(f.after ?? 0).filter(
        (e) => (f.transferId === undefined || e.transferId === f.transferId) && (f.name === undefined || e.name === f.name),
      ),
    filter,
  );
}

/** DATA_TRANSFER_STATE states of one transfer, in order. */
export async function statesOf(page: Page, transferId: string): Promise<string[]> {
  return (await transferLog(page, { transferId, name: 'dataTransferState' })).map((e) => e.state as string);
}

/** Waits until the transfer reached `state` on the page; returns that entry. */
export async function waitState(page: Page, transferId: string, state: string, timeoutMs = 120_000): Promise<TransferLogEntry> {
  const h = await page.waitForFunction(
    ({ id, s }) => (window as any).dt.log.find((e: any) => e.name === 'dataTransferState' && e.transferId === id && e.state === s) ?? false,
    { id: transferId, s: state },
    { timeout: timeoutMs, polling: 50 },
  );
  return (await h.jsonValue()) as TransferLogEntry;
}

/** Waits for the first incoming request on the page (optionally from `peerId`) and returns its transfer id. */
export async function waitRequest(page: Page, fromPeerId?: string, after = 0, timeoutMs = 60_000): Promise<string> {
  const h = await page.waitForFunction(
    ({ p, n }) =>
      (window as any).dt.log
        .slice(n)
        .find((e: any) => e.name === 'dataTransferState' && e.state === 'request' && (p === null || e.peerId === p))?.transferId ?? false,
    { p: fromPeerId ?? null, n: after },
    { timeout: timeoutMs, polling: 50 },
  );
  return (await h.jsonValue()) as string;
}

/** Length of the page's transfer log (to look only at what comes after). */
export async function logLength(page: Page): Promise<number> {
  return page.evaluate(() => (window as any).dt.log.length as number);
}

/** Waits for the hashed download of `transferId`. */
export async function waitDownload(page: Page, transferId: string, timeoutMs = 120_000): Promise<Download> {
  const h = await page.waitForFunction((id) => (window as any).dt.downloads.find((d: any) => d.transferId === id) ?? false, transferId, {
    timeout: timeoutMs,
    polling: 100,
  });
  return (await h.jsonValue()) as Download;
}

/** The triggers the page fired, as `kind@percentage`. */
export async function firedTriggers(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).dt.fired as string[]);
}

export async function kitErrors(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).dt.errors as string[]);
}

/** The transfer id a `sendBlobData` call of this page started: its first USER_UPLOAD_REQUEST after `after`. */
export async function uploadId(page: Page, after: number, toPeerId?: string): Promise<string> {
  const h = await page.waitForFunction(
    ({ n, p }) =>
      (window as any).dt.log
        .slice(n)
        .find((e: any) => e.name === 'dataTransferState' && e.state === 'userRequest' && (p === null || e.peerId === p))?.transferId ?? false,
    { n: after, p: toPeerId ?? null },
    { timeout: 30_000, polling: 50 },
  );
  return (await h.jsonValue()) as string;
}

/**
 * Opens a skylinkjs 2.7.2 page (`window.t.skylink`, `t.room`) with the transfer kit and joins `room`
 * without media; resolves its peer id once its own PEER_JOINED fired (2.x joinRoom may never settle).
 */
export async function openLegacyDataPage(browser: Browser, web: StaticServer, roomServer: string, room: string): Promise<{ page: Page; logs: string[]; peerId: string }> {
  const { page, logs } = await openPage(browser, `${web.url}/pages/skylinkjs.html`);
  await waitForReady(page);
  await page.evaluate(
    ({ server, r }) => {
      const w = window as any;
      const mod = w.SkylinkJS;
      w.t = {
        room: r,
        selfId: null as string | null,
        skylink: new mod.default({ appKey: 'e2e-app', defaultRoom: r, roomServer: server, forceSSL: false, enableDataChannel: true, enableStatsGathering: false }),
      };
      mod.SkylinkEventManager.addEventListener('peerJoined', (e: any) => {
        if (e.detail.isSelf) w.t.selfId = e.detail.peerId;
      });
    },
    { server: roomServer, r: room },
  );
  await installTransferKit(page, true);
  await page.evaluate((r) => {
    const t = (window as any).t;
    t.skylink.joinRoom({ roomName: r, audio: false, video: false }).catch((e: Error) => (window as any).dt.errors.push(`join: ${e?.message ?? e}`));
  }, room);
  const h = await page.waitForFunction(() => (window as any).t.selfId ?? false, null, { timeout: 30_000 });
  return { page, logs, peerId: (await h.jsonValue()) as string };
}

/** Checks the progress of one transfer's log entries never goes down and ends at 100. */
export function expectMonotonicProgress(entries: TransferLogEntry[]): void {
  const pcts = entries.filter((e) => e.name === 'dataTransferState').map((e) => e.percentage ?? 0);
  for (let i = 1; i < pcts.length; i += 1) expect(pcts[i]).toBeGreaterThanOrEqual(pcts[i - 1] as number);
  expect(pcts.at(-1)).toBe(100);
}
