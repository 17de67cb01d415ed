#!/usr/bin/env node
// `npm run bench [-- case...] [--runs=N] [--key=value...]`: runs the benchmarks in bench/cases
// (all of them, or the ones named), prints a table, writes bench/results/latest.{json,md}.
// Runs inside a private network namespace when the machine allows it (loopback only), like
// scripts/test.mjs; elsewhere the pages drop every non-loopback ICE candidate themselves.
// Method and numbers: bench/README.md.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createContext, NotReady } from '../bench/lib/context.mjs';
import { describeMachine, loadAverage } from '../bench/lib/machine.mjs';
import { errorRow, formatTable, notReadyRow, writeResults } from '../bench/lib/report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Case files in issue order (1..6). */
const CASES = ['transfer', 'join', 'message', 'capacity', 'size', 'leaks'];
/** Hard cap for the whole run; cases stop starting new work after the soft budget. */
const SOFT_BUDGET_MS = 9.5 * 60_000;
const HARD_BUDGET_MS = 13 * 60_000;

function parseArgs(argv) {
  const names = [];
  const options = {};
  for (const a of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
    if (m) options[m[1]] = m[2] ?? true;
    else names.push(a);
  }
  return { names, options };
}

function canUnshare() {
  if (process.platform !== 'linux' || process.env.SKYLINK_NO_NETNS === '1') return false;
  return spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
}

if (process.env.SKYLINK_IN_NETNS !== '1' && canUnshare()) {
  const quoted = [process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec ${quoted}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SKYLINK_IN_NETNS: '1' },
  });
  process.exit(r.status ?? 1);
}

const { names, options } = parseArgs(process.argv.slice(2));
const unknown = names.filter((n) => !CASES.includes(n));
if (unknown.length) {
  console.error(`unknown case(s): ${unknown.join(', ')}; known: ${CASES.join(', ')}`);
  process.exit(2);
}
const selected = names.length ? CASES.filter((c) => names.includes(c)) : CASES;
const runs = Math.max(1, Number(options.runs ?? 3));

const hardStop = setTimeout(() => {
  console.error(`bench: hard time limit (${HARD_BUDGET_MS / 60_000} min) reached, exiting`);
  process.exit(3);
}, HARD_BUDGET_MS);
hardStop.unref();

// The tree is shared with people rebuilding dist/ (tsup cleans it first): wait a little for a
// build in progress, build if still missing, then snapshot dist/ so that every case measures the
// same build even if dist/ changes during the run.
const NEEDED = ['dist/skylink.bundle.js', 'dist/server/index.js'];
const present = () => NEEDED.every((f) => existsSync(join(root, f)));
for (let i = 0; i < 30 && !present() && !options.build; i++) await new Promise((r) => setTimeout(r, 2000));
if (!present() || options.build) {
  console.log('[bench] building dist/ (npx tsup)');
  const b = spawnSync(join(root, 'node_modules/.bin/tsup'), [], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
// --out=DIR keeps a run's results and its dist/ snapshot apart from other runs sharing the tree.
const outDir = options.out ? resolve(root, String(options.out)) : join(root, 'bench/results');
const distDir = join(outDir, '.dist');
rmSync(distDir, { recursive: true, force: true });
cpSync(join(root, 'dist'), distDir, { recursive: true });
if (!NEEDED.every((f) => existsSync(join(distDir, f.slice('dist/'.length))))) {
  console.error('[bench] dist/ changed while it was copied; run again');
  process.exit(1);
}

const machine = describeMachine();
console.log(
  `[bench] ${machine.nproc} CPU (${machine.cpuModel}), ${machine.memTotalMiB} MiB, Node ${machine.node}, ` +
    `${machine.chromium ?? 'no Chromium'}, ${machine.netns ? 'private network namespace' : 'no network namespace: ICE filtered to loopback'}`,
);
const startedAt = new Date();
const ctx = createContext({ root, distDir, runs, options, deadline: Date.now() + SOFT_BUDGET_MS, machine });
const rows = [];
const cases = [];
let failures = 0;
for (const caseName of selected) {
  const mod = await import(pathToFileURL(join(root, 'bench/cases', `${caseName}.mjs`)).href);
  console.log(`\n[bench] ${caseName}: ${mod.title}`);
  const t0 = Date.now();
  const entry = { name: caseName, title: mod.title, status: 'ok', notes: [], raw: null, durationMs: 0 };
  try {
    ctx.checkDeadline();
    const out = await mod.run(ctx);
    rows.push(...out.rows);
    entry.notes = out.notes ?? [];
    entry.raw = out.raw ?? null;
    for (const r of out.rows) if (r.status === 'not ready') entry.status = 'partly not ready';
  } catch (err) {
    if (err instanceof NotReady) {
      entry.status = 'not ready';
      entry.notes = [`not ready: ${err.message}`];
      rows.push(notReadyRow(caseName, err.message));
    } else {
      failures++;
      entry.status = 'error';
      entry.notes = [`error: ${err?.message ?? err}`];
      rows.push(errorRow(caseName, err));
      console.error(err);
    }
  }
  entry.durationMs = Date.now() - t0;
  cases.push(entry);
  console.log(`[bench] ${caseName} done in ${(entry.durationMs / 1000).toFixed(1)} s (${entry.status})`);
}

const result = {
  startedAt: startedAt.toISOString(),
  durationMs: Date.now() - startedAt.getTime(),
  runs,
  argv: process.argv.slice(2),
  machine: { ...machine, loadAverageAtEnd: loadAverage() },
  rows,
  cases,
};
console.log(`\n${formatTable(rows)}\n`);
writeResults(outDir, result);
console.log(`[bench] wrote ${join(relative(root, outDir), 'latest.json')} and latest.md in ${(result.durationMs / 1000).toFixed(0)} s`);
process.exit(failures ? 1 : 0);
