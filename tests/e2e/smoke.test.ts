import type { Browser } from 'playwright-core';
import { launchChromium, openPage, startStaticServer, type StaticServer } from './rig';

jest.setTimeout(60_000);

describe('built bundle in real Chromium', () => {
  let browser: Browser;
  let web: StaticServer;

  beforeAll(async () => {
    web = await startStaticServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('loads the ESM bundle and exposes the 2.x exports', async () => {
    const { page, logs } = await openPage(browser, `${web.url}/pages/blank.html`);
    await page.waitForFunction(() => (window as unknown as { skylinkReady?: boolean }).skylinkReady === true, null, {
      timeout: 15_000,
    });
    const result = await page.evaluate(() => {
      const mod = (window as unknown as { SkylinkModule: Record<string, any> }).SkylinkModule;
      const Skylink = mod.default;
      const skylink = new Skylink({ appKey: 'smoke-app', defaultRoom: 'smoke' });
      let threw: { name: string; code: string } | null = null;
      try {
        new Skylink({} as never);
      } catch (e) {
        threw = { name: (e as Error).name, code: (e as { code: string }).code };
      }
      return {
        exports: Object.keys(mod).sort(),
        isInstance: skylink instanceof Skylink,
        version: skylink.getSdkVersion(),
        peerJoined: mod.SkylinkEvents.PEER_JOINED,
        sameTable: mod.SkylinkEvents === mod.SkylinkConstants.EVENTS,
        managerHasAdd: typeof mod.SkylinkEventManager.addEventListener,
        loggerHasSetLevel: typeof mod.SkylinkLogger.setLevel,
        threw,
      };
    });
    expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
    expect(result.exports).toEqual(
      expect.arrayContaining(['default', 'SkylinkConstants', 'SkylinkEventManager', 'SkylinkEvents', 'SkylinkLogger', 'SkylinkError']),
    );
    expect(result.isInstance).toBe(true);
    expect(result.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.peerJoined).toBe('peerJoined');
    expect(result.sameTable).toBe(true);
    expect(result.managerHasAdd).toBe('function');
    expect(result.loggerHasSetLevel).toBe('function');
    expect(result.threw).toEqual({ name: 'SkylinkError', code: 'INVALID_ARGUMENT' });
  });

  it('loads the IIFE bundle as window.Skylink', async () => {
    const { page, logs } = await openPage(browser, `${web.url}/pages/blank.html`);
    await page.addScriptTag({ url: '/dist/skylink.global.js' });
    const keys = await page.evaluate(() => Object.keys((window as unknown as { Skylink: object }).Skylink).sort());
    expect(logs.filter((l) => l.startsWith('[pageerror]'))).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining(['default', 'SkylinkEvents', 'SkylinkConstants']));
  });
});
