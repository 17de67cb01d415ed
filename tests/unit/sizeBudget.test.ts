/**
 * Size budget (issue 9): the self-contained minified browser bundle must stay within the gzip
 * budget of bench/size-budget.json (all features included). Reads the real built file:
 * `npm test` builds first (pretest); run `npm run build` before running this file alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface SizeBudget {
  file: string;
  gzipLimitBytes: number;
  gzipLevel: number;
}

const root = join(__dirname, '../..');
const budget = JSON.parse(readFileSync(join(root, 'bench/size-budget.json'), 'utf8')) as SizeBudget;
const bundlePath = join(root, budget.file);

function readBundle(): Buffer {
  if (!existsSync(bundlePath)) {
    throw new Error(`${budget.file} is missing: run \`npm run build\` first (npm test does it through pretest)`);
  }
  return readFileSync(bundlePath);
}

describe('browser bundle size budget', () => {
  it('is self-contained: no import of another module is left in it', () => {
    const text = readBundle().toString('utf8');
    // A bundle with dependencies left external would look smaller than what a page downloads.
    const imports = text.match(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*from\s*)?["'][^"']+["']/g) ?? [];
    expect(imports).toEqual([]);
  });

  it(`stays within ${budget.gzipLimitBytes} bytes gzip`, () => {
    const bytes = readBundle();
    const gzip = gzipSync(bytes, { level: budget.gzipLevel }).length;
    if (gzip > budget.gzipLimitBytes) {
      throw new Error(
        `${budget.file} is ${gzip} bytes gzip -${budget.gzipLevel}, over the ${budget.gzipLimitBytes}-byte budget ` +
          `by ${gzip - budget.gzipLimitBytes} bytes (see bench/size-budget.json; \`node scripts/size-budget.mjs\`)`,
      );
    }
    expect(gzip).toBeLessThanOrEqual(budget.gzipLimitBytes);
  });
});
