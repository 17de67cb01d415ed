import type { Page } from 'playwright-core';

/** Waits until the page's module script has loaded its SDK (`window.skylinkReady`). */
export async function waitForReady(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { skylinkReady?: boolean }).skylinkReady === true, null, {
    timeout: timeoutMs,
  });
}
