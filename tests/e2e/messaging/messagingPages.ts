/**
 * Helpers for the messaging e2e tests, on top of the core page helpers (`window.t.skylink`, recorded
 * events in `window.t.events`): call an SDK method and get its result or SkylinkError code back, and
 * wait for chat messages by room and content (no sleeps: `page.waitForFunction`).
 */
import type { Page } from 'playwright-core';

export type CallResult = { ok: true; value: unknown } | { ok: false; code: string; message: string };

export interface IncomingDetail {
  roomName: string;
  peerId: string;
  isSelf: boolean;
  message: {
    content: unknown;
    senderPeerId: string;
    targetPeerId: string | string[] | null;
    isPrivate: boolean;
    isDataChannel: boolean;
    listOfPeers?: string[];
    secretId?: string;
    encryption?: string;
    error?: { code: string; message: string };
  };
}

/** Calls `skylink[method](...args)` in the page; resolves its value, or the SkylinkError code and message. */
export async function call(page: Page, method: string, ...args: unknown[]): Promise<CallResult> {
  return page.evaluate(
    ({ method: m, args: a }) => {
      const skylink = (window as unknown as { t: { skylink: Record<string, (...x: unknown[]) => unknown> } }).t.skylink;
      return Promise.resolve()
        .then(() => (skylink[m] as (...x: unknown[]) => unknown).apply(skylink, a))
        .then(
          (value) => ({ ok: true as const, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) }),
          (e: { code?: string; message?: string }) => ({ ok: false as const, code: String(e?.code), message: String(e?.message) }),
        );
    },
    { method, args },
  );
}

/** Like {@link call} but throws when the call failed. */
export async function must(page: Page, method: string, ...args: unknown[]): Promise<unknown> {
  const result = await call(page, method, ...args);
  if (!result.ok) throw new Error(`${method} failed: ${result.code} ${result.message}`);
  return result.value;
}

/** Every ON_INCOMING_MESSAGE recorded in the page for `roomName`, in order. */
export async function incomingMessages(page: Page, roomName: string): Promise<IncomingDetail[]> {
  return page.evaluate(
    (r) =>
      (window as unknown as { t: { events: Array<{ name: string; detail: IncomingDetail }> } }).t.events
        .filter((e) => e.name === 'onIncomingMessage' && e.detail.roomName === r)
        .map((e) => e.detail),
    roomName,
  );
}

/**
 * Waits for an ON_INCOMING_MESSAGE in `roomName` whose `message.content` equals `content` (JSON
 * equality) and whose detail has every top-level field of `match`.
 */
export async function waitIncoming(
  page: Page,
  roomName: string,
  content: unknown,
  match: Record<string, unknown> = {},
  timeoutMs = 20_000,
): Promise<IncomingDetail> {
  const handle = await page.waitForFunction(
    ({ r, c, m }) =>
      (window as unknown as { t: { events: Array<{ name: string; detail: Record<string, unknown> & { message: { content: unknown } } }> } }).t.events.find(
        (e) =>
          e.name === 'onIncomingMessage' &&
          e.detail.roomName === r &&
          JSON.stringify(e.detail.message.content) === c &&
          Object.entries(m).every(([k, v]) => JSON.stringify(e.detail[k]) === JSON.stringify(v)),
      )?.detail ?? false,
    { r: roomName, c: JSON.stringify(content), m: match },
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as unknown as IncomingDetail;
}

/** Contents of the messages received from others (not our own copies) in `roomName`, in order. */
export async function receivedContents(page: Page, roomName: string): Promise<unknown[]> {
  return (await incomingMessages(page, roomName)).filter((d) => !d.isSelf).map((d) => d.message.content);
}

/**
 * Installs a man-in-the-middle on the page's WebSockets (call before the first join): while
 * `window.tamper.on` is set, every received socket.io frame carrying an authenticated-mode ciphertext
 * gets one base64 character of its ciphertext changed, as a hostile server could do.
 */
export async function installTamperingSocket(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { tamper: { on: boolean; count: number } };
    // The bundle captured the WebSocket constructor when it loaded, so patch the prototype's setter.
    const proto = WebSocket.prototype;
    const native = Object.getOwnPropertyDescriptor(proto, 'onmessage') as PropertyDescriptor;
    w.tamper = { on: false, count: 0 };
    const flip = (data: unknown): unknown => {
      if (!w.tamper.on || typeof data !== 'string') return data;
      return data.replace(/(=SKYAEAD1\.[A-Za-z0-9+/]+=*\.)([A-Za-z0-9+/])/, (_all, head: string, first: string) => {
        w.tamper.count += 1;
        return `${head}${first === 'A' ? 'B' : 'A'}`;
      });
    };
    Object.defineProperty(proto, 'onmessage', {
      configurable: true,
      get(this: WebSocket) {
        return native.get?.call(this);
      },
      set(this: WebSocket, handler: ((ev: MessageEvent) => void) | null) {
        native.set?.call(this, handler ? (ev: MessageEvent) => handler({ data: flip(ev.data) } as MessageEvent) : null);
      },
    });
  });
}
