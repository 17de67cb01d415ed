import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CHROMIUM_MISSING_MESSAGE, findChromium } from './rig/chromium';

// Fail loudly (never skip) when the e2e prerequisites are missing.
export default async function globalSetup(): Promise<void> {
  if (!findChromium()) throw new Error(CHROMIUM_MISSING_MESSAGE);
  const bundle = resolve(__dirname, '../../dist/skylink.bundle.js');
  if (!existsSync(bundle)) throw new Error(`Missing ${bundle}: run \`npm run build\` before the e2e tests.`);
}
