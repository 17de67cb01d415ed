import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM_MISSING_MESSAGE, findChromium } from './rig/chromium';

// Fail loudly (never skip) when the e2e prerequisites are missing.
export default async function globalSetup(): Promise<void> {
  if (!findChromium()) throw new Error(CHROMIUM_MISSING_MESSAGE);
  const bundle = resolve(__dirname, '../../dist/skylink.bundle.js');
  if (!existsSync(bundle)) throw new Error(`Missing ${bundle}: run \`npm run build\` before the e2e tests.`);
  // The original skylinkjs 2.7.2 client, bundled for the interop tests (served as /vendor/).
  const vendor = spawnSync(process.execPath, [resolve(__dirname, '../../scripts/build-skylinkjs.mjs')], { stdio: 'inherit' });
  if (vendor.status !== 0) throw new Error('Could not bundle skylinkjs 2.7.2 for the interop tests');
}
