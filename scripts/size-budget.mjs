#!/usr/bin/env node
// Size budget of the self-contained browser bundle (issue 9): prints the gzip size of
// dist/skylink.bundle.js against bench/size-budget.json and exits 1 when it is over budget or
// missing. `npm test` enforces the same budget through tests/unit/sizeBudget.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const budget = JSON.parse(readFileSync(join(root, 'bench/size-budget.json'), 'utf8'));
const file = join(root, budget.file);
if (!existsSync(file)) {
  console.error(`size budget: ${budget.file} is missing; build it first (npm run build)`);
  process.exit(1);
}
const bytes = readFileSync(file);
const gzip = gzipSync(bytes, { level: budget.gzipLevel }).length;
const over = gzip > budget.gzipLimitBytes;
console.log(
  `size budget: ${budget.file} ${bytes.length} B minified, ${gzip} B gzip -${budget.gzipLevel}; ` +
    `budget ${budget.gzipLimitBytes} B (${((gzip / budget.gzipLimitBytes) * 100).toFixed(1)}% used) ${over ? 'OVER BUDGET' : 'ok'}`,
);
process.exit(over ? 1 : 0);
