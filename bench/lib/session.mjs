// Shared setup of the browser cases: our server in its own process, the static server, Chromium,
// and pages running either SDK through bench/pages/driver.js.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, openPage, startStaticServer } from './browser.mjs';
import { startServerProcess } from './serverProcess.mjs';

/** The two SDKs speaking the 2.x API, same server. */
export const SDKS = {
  ours: { page: 'sdk.html', label: 'skylink-sdk' },
  skylinkjs: { page: 'skylinkjs.html', label: 'skylinkjs 2.7.2' },
};

/** Runs `fn({ browser, web, server, openSdkPage })` and tears everything down, whatever happens. */
export async function withBrowserSession(ctx, fn, { serverOptions = {} } = {}) {
  const { buildSkylinkjs } = await import(pathToFileURL(join(ctx.root, 'scripts/build-skylinkjs.mjs')).href);
  await buildSkylinkjs();
  const web = await startStaticServer(ctx.root, ctx.distDir);
  let server;
  let browser;
  try {
    server = await startServerProcess('skylink', ctx.distDir, serverOptions);
    browser = await launchChromium();
    /** A fresh page (own context) of `sdk` with a Skylink instance pointing at our server. */
    const openSdkPage = async (sdk, { initScripts = [], options = {} } = {}) => {
      const p = await openPage(browser, `${web.url}/bench/${SDKS[sdk].page}`, { initScripts });
      await p.page.evaluate(({ roomServer, opts }) => window.bench.init({ roomServer, options: opts }), {
        roomServer: server.roomServer,
        opts: options,
      });
      return p;
    };
    /** Two pages of `sdk` in a fresh room, main data channel open both ways. */
    const openSdkPair = async (sdk, opts = {}) => {
      const [a, b] = await Promise.all([openSdkPage(sdk, opts), openSdkPage(sdk, opts)]);
      try {
        const room = roomName('p');
        const { selfId: aId } = await a.page.evaluate((r) => window.bench.join(r), room);
        const { selfId: bId } = await b.page.evaluate((r) => window.bench.join(r), room);
        await Promise.all([a.page.evaluate(() => window.bench.waitOpen(1)), b.page.evaluate(() => window.bench.waitOpen(1))]);
        return { a, b, aId, bId, room, close: () => Promise.all([a.close(), b.close()]).catch(() => {}) };
      } catch (err) {
        await Promise.all([a.close(), b.close()]).catch(() => {});
        throw err;
      }
    };
    /** Two raw pages (no SDK) with one RTCPeerConnection + data channel between them. */
    const openRawPair = async () => {
      const [a, b] = await Promise.all([openPage(browser, `${web.url}/bench/raw.html`), openPage(browser, `${web.url}/bench/raw.html`)]);
      try {
        const offer = await a.page.evaluate(() => window.raw.offer());
        const answer = await b.page.evaluate((o) => window.raw.answer(o), offer);
        await a.page.evaluate((d) => window.raw.accept(d), answer);
        await Promise.all([a.page.evaluate(() => window.raw.waitOpen()), b.page.evaluate(() => window.raw.waitOpen())]);
        return { a, b, close: () => Promise.all([a.close(), b.close()]).catch(() => {}) };
      } catch (err) {
        await Promise.all([a.close(), b.close()]).catch(() => {});
        throw err;
      }
    };
    return await fn({ browser, web, server, openSdkPage, openSdkPair, openRawPair });
  } finally {
    await browser?.close().catch(() => {});
    await server?.close();
    await web.close();
  }
}

/** A short unique room name (the server's credentials limit long names). */
export function roomName(prefix) {
  return `${prefix}${Date.now().toString(36).slice(-5)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
