// Small statistics helpers: summaries of repeated runs, and a fixed-bucket latency histogram
// that load-generator workers can merge cheaply (no per-sample arrays at 100k samples/s).

/** Quantile with linear interpolation between closest ranks (q in [0, 1]); NaN for no data. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo];
  const b = sorted[hi];
  return a + (b - a) * (pos - lo);
}

/** Median, min/max, quartiles and count of a list of numbers (non-finite values are dropped). */
export function summarize(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return {
    n: v.length,
    median: quantile(v, 0.5),
    min: v.length ? v[0] : NaN,
    max: v.length ? v[v.length - 1] : NaN,
    p25: quantile(v, 0.25),
    p75: quantile(v, 0.75),
    values: v,
  };
}

/**
 * Latency histogram in microseconds: 10 us buckets up to 100 ms, then 1 ms buckets up to 10 s,
 * then one overflow bucket. Quantiles are the upper edge of the bucket (pessimistic).
 */
const FINE_US = 10;
const FINE_LIMIT_US = 100_000;
const COARSE_US = 1000;
const COARSE_LIMIT_US = 10_000_000;
const FINE_BUCKETS = FINE_LIMIT_US / FINE_US;
const COARSE_BUCKETS = (COARSE_LIMIT_US - FINE_LIMIT_US) / COARSE_US;
export const HISTOGRAM_SIZE = FINE_BUCKETS + COARSE_BUCKETS + 1;

export function newHistogram() {
  return new Uint32Array(HISTOGRAM_SIZE);
}

export function recordUs(hist, us) {
  let i;
  if (us < FINE_LIMIT_US) i = Math.max(0, Math.floor(us / FINE_US));
  else if (us < COARSE_LIMIT_US) i = FINE_BUCKETS + Math.floor((us - FINE_LIMIT_US) / COARSE_US);
  else i = HISTOGRAM_SIZE - 1;
  hist[i]++;
}

function bucketUpperUs(i) {
  if (i < FINE_BUCKETS) return (i + 1) * FINE_US;
  if (i < FINE_BUCKETS + COARSE_BUCKETS) return FINE_LIMIT_US + (i - FINE_BUCKETS + 1) * COARSE_US;
  return Infinity;
}

/** Adds `src` (array-like, e.g. received over IPC as a plain array) into `dst`. */
export function mergeHistogram(dst, src) {
  for (let i = 0; i < HISTOGRAM_SIZE; i++) dst[i] += src[i] ?? 0;
  return dst;
}

export function histogramCount(hist) {
  let n = 0;
  for (let i = 0; i < hist.length; i++) n += hist[i];
  return n;
}

/**
 * Quantile in milliseconds. `total` may exceed the recorded count (messages never delivered):
 * those count as infinitely late, so a run that loses more than 1% reports p99 = Infinity.
 */
export function histogramQuantileMs(hist, q, total = histogramCount(hist)) {
  if (total === 0) return NaN;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i];
    if (seen >= rank) return bucketUpperUs(i) / 1000;
  }
  return Infinity;
}

/** Sparse form for IPC/JSON: [[index, count], ...]. */
export function sparseHistogram(hist) {
  const out = [];
  for (let i = 0; i < hist.length; i++) if (hist[i]) out.push([i, hist[i]]);
  return out;
}

export function fromSparse(pairs) {
  const h = newHistogram();
  for (const [i, c] of pairs) h[i] += c;
  return h;
}
