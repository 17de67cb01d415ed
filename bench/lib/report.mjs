// Result rows, the console table, and the JSON/markdown writers.
//
// A row compares one figure of this SDK ("ours") with one baseline measured in the same run:
// both medians with their spread, and the ratio ours/baseline. A case whose SDK feature is not
// ready yields a row with `status: 'not ready'` instead of numbers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarize } from './stats.mjs';

/**
 * @param {object} o
 * @param {string} o.case case name
 * @param {string} o.metric what is measured
 * @param {string} o.unit unit of the values
 * @param {'lower'|'higher'} o.better which direction is better
 * @param {{label: string, values: number[]}} o.ours
 * @param {{label: string, values: number[]}} [o.baseline]
 * @param {string} [o.target] the target as text
 * @param {boolean|null} [o.pass] whether the target is met
 * @param {string} [o.note]
 * @param {boolean} [o.paired] values with the same index come from the same repetition (default true)
 */
export function makeRow(o) {
  const ours = { label: o.ours.label, ...summarize(o.ours.values) };
  const baseline = o.baseline ? { label: o.baseline.label, ...summarize(o.baseline.values) } : null;
  let ratio = null;
  if (baseline && Number.isFinite(ours.median) && Number.isFinite(baseline.median) && baseline.median !== 0) {
    ratio = { median: ours.median / baseline.median };
    // Paired runs (same index = same repetition): spread of the per-run ratio.
    if (o.paired !== false && o.ours.values.length === o.baseline.values.length && o.ours.values.length > 1) {
      const per = o.ours.values.map((v, i) => v / o.baseline.values[i]).filter(Number.isFinite);
      const s = summarize(per);
      ratio.min = s.min;
      ratio.max = s.max;
    }
  }
  return {
    case: o.case,
    metric: o.metric,
    unit: o.unit,
    better: o.better,
    status: 'ok',
    ours,
    baseline,
    ratio,
    target: o.target ?? null,
    pass: o.pass ?? null,
    note: o.note ?? null,
  };
}

export function notReadyRow(caseName, reason) {
  return { case: caseName, metric: '-', status: 'not ready', reason };
}

export function errorRow(caseName, err) {
  return { case: caseName, metric: '-', status: 'error', reason: err?.stack ?? String(err) };
}

/** Three significant digits, thousands kept whole. */
export function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '-';
  if (x === Infinity) return 'inf';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Number.isInteger(x)) return String(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toPrecision(2);
}

const spread = (s) => (s && s.n > 1 ? `${fmt(s.min)}-${fmt(s.max)}` : '');

function cells(row) {
  if (row.status !== 'ok') {
    const firstLine = String(row.reason).split('\n')[0];
    return [row.case, row.metric, `${row.status}: ${firstLine}`, '', '', '', '', '', '', '', ''];
  }
  const r = row.ratio;
  const ratio = r ? `${r.median.toFixed(2)}${r.min !== undefined ? ` (${r.min.toFixed(2)}-${r.max.toFixed(2)})` : ''}` : '-';
  const target = row.target ? `${row.target} ${row.pass === true ? 'PASS' : row.pass === false ? 'FAIL' : ''}`.trim() : '';
  return [
    row.case,
    `${row.metric} [${row.unit}]${row.better ? (row.better === 'lower' ? ' v' : ' ^') : ''}`,
    row.ours.label,
    fmt(row.ours.median),
    spread(row.ours),
    String(row.ours.n),
    row.baseline?.label ?? '-',
    row.baseline ? fmt(row.baseline.median) : '-',
    spread(row.baseline),
    ratio,
    target,
  ];
}

const HEADERS = ['case', 'metric [unit]', 'ours', 'median', 'min-max', 'n', 'baseline', 'median', 'min-max', 'ratio (min-max)', 'target'];

/** Aligned plain-text table for the console; status rows (not ready, error) span the number columns. */
export function formatTable(rows) {
  const body = rows.map((row) => ({ row, c: cells(row) }));
  const numeric = body.filter((b) => b.row.status === 'ok').map((b) => b.c);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...numeric.map((r) => r[i].length), ...body.map((b) => (i < 2 ? b.c[i].length : 0))));
  const line = (r, ok = true) =>
    (ok ? r : r.slice(0, 3)).map((c, i) => (ok || i < 2 ? c.padEnd(widths[i]) : c)).join(' | ').trimEnd();
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map((b) => line(b.c, b.row.status === 'ok'))].join('\n');
}

export function formatMarkdown(result) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const lines = [];
  lines.push(`# Benchmark results`, '');
  lines.push(`Run ${result.startedAt} (${(result.durationMs / 1000).toFixed(0)} s), runs per case: ${result.runs}.`, '');
  const m = result.machine;
  lines.push(
    `Machine: ${m.cpus} x ${m.cpuModel}, nproc ${m.nproc}, ${m.memTotalMiB} MiB RAM, ${m.os}; Node ${m.node}; ` +
      `${m.chromium ?? 'no Chromium'}; network namespace: ${m.netns ? 'private (loopback only)' : 'none (ICE filtered to loopback)'}.`,
    '',
  );
  lines.push(
    `Load average (1/5/15 min) at start ${m.loadAverageAtStart?.join(' / ')}, at end ${m.loadAverageAtEnd?.join(' / ')}` +
      ` (above ${m.nproc}, other work shared the CPUs: absolute numbers are slower and noisier).`,
    '',
  );
  lines.push(
    'Ratio = median(ours) / median(baseline), both measured in this run; in brackets the spread of the per-run ratio. ' +
      'v = lower is better, ^ = higher is better.',
    '',
  );
  lines.push(`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map(() => '---').join('|')}|`);
  for (const row of result.rows) lines.push(`| ${cells(row).map(esc).join(' | ')} |`);
  lines.push('');
  const notes = result.cases.flatMap((c) => (c.notes ?? []).map((n) => `- **${c.name}**: ${n}`));
  if (notes.length) lines.push('## Notes', '', ...notes, '');
  return lines.join('\n');
}

export function writeResults(dir, result) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, (_k, v) => (v === Infinity ? 'Infinity' : v), 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), formatMarkdown(result));
}
