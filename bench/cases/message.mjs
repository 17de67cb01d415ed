// Case 3: P2P message round trip and throughput between two Chromium pages. This SDK's
// sendP2PMessage (over its main data channel, 2.x MESSAGE protocol) against a raw RTCDataChannel
// carrying the same JSON objects, and skylinkjs 2.7.2's sendP2PMessage; identical measuring code
// (bench/pages/messaging.js) on every subject.
import { NotReady } from '../lib/context.mjs';
import { makeRow } from '../lib/report.mjs';
import { SDKS, withBrowserSession } from '../lib/session.mjs';
import { summarize } from '../lib/stats.mjs';

export const name = 'message';
export const title = 'P2P message round trip and throughput';

const PINGS = 200;
const WARMUP = 20;
const BURST = 2000;
const LABEL = { ours: SDKS.ours.label, skylinkjs: SDKS.skylinkjs.label, raw: 'raw RTCDataChannel' };

/**
 * Ping-pong and burst from page a to page b, through each page's `window.benchTransport`
 * (sendP2PMessage or the raw channel), with the same code for every subject.
 */
async function measure(a, b, { count = PINGS, warmup = WARMUP, burst = BURST } = {}) {
  await b.page.evaluate(() => window.benchMessaging.serve(window.benchTransport));
  const rtts = await a.page.evaluate(({ c, w }) => window.benchMessaging.pingPong(window.benchTransport, c, w), { c: count, w: warmup });
  const burstMs = burst ? await a.page.evaluate((n) => window.benchMessaging.burst(window.benchTransport, n), burst) : NaN;
  const s = summarize(rtts);
  return { rttMedian: s.median, rttP99: s.values[Math.ceil(0.99 * s.n) - 1], msgsPerSec: burst / (burstMs / 1000) };
}

async function measureSdk(openSdkPair, sdk, opts) {
  const pair = await openSdkPair(sdk);
  try {
    const use = ({ r, p }) => (window.benchTransport = window.bench.p2pTransport(r, p)) && true;
    await pair.a.page.evaluate(use, { r: pair.room, p: pair.bId });
    await pair.b.page.evaluate(use, { r: pair.room, p: pair.aId });
    return await measure(pair.a, pair.b, opts);
  } finally {
    await pair.close();
  }
}

async function measureRaw(openRawPair) {
  const pair = await openRawPair();
  try {
    for (const p of [pair.a, pair.b]) await p.page.evaluate(() => (window.benchTransport = window.raw.transport) && true);
    return await measure(pair.a, pair.b);
  } finally {
    await pair.close();
  }
}

export async function run(ctx) {
  const results = { ours: [], skylinkjs: [], raw: [] };
  const order = ['ours', 'raw', 'skylinkjs'];
  await withBrowserSession(ctx, async ({ openSdkPair, openRawPair }) => {
    // Is sendP2PMessage usable at all? A feature still being built must not fail the run.
    try {
      await measureSdk(openSdkPair, 'ours', { count: 2, warmup: 0, burst: 0 });
    } catch (err) {
      throw new NotReady(`sendP2PMessage: ${String(err.message).split('\n')[0]}`);
    }
    for (let r = 0; r < ctx.runs; r++) {
      for (const subject of [...order.slice(r % 3), ...order.slice(0, r % 3)]) {
        ctx.checkDeadline();
        const m = subject === 'raw' ? await measureRaw(openRawPair) : await measureSdk(openSdkPair, subject);
        results[subject].push(m);
        ctx.log(`${LABEL[subject]} run ${r + 1}: RTT median ${m.rttMedian.toFixed(2)} ms p99 ${m.rttP99.toFixed(2)} ms, ${m.msgsPerSec.toFixed(0)} msg/s`);
      }
    }
  });
  const rows = [];
  const metrics = [
    ['round trip, median', 'ms', 'lower', (m) => m.rttMedian],
    ['round trip, p99', 'ms', 'lower', (m) => m.rttP99],
    [`throughput, ${BURST} messages`, 'msg/s', 'higher', (m) => m.msgsPerSec],
  ];
  for (const [metric, unit, better, f] of metrics) {
    for (const base of ['raw', 'skylinkjs']) {
      rows.push(
        makeRow({
          case: name,
          metric,
          unit,
          better,
          ours: { label: LABEL.ours, values: results.ours.map(f) },
          baseline: { label: LABEL[base], values: results[base].map(f) },
        }),
      );
    }
  }
  return {
    rows,
    notes: [
      `Per run: a fresh pair of pages; ${PINGS} sequential ping-pongs after ${WARMUP} unmeasured ones (median and p99 of that run), then ${BURST} small messages sent back to back until the receiver confirms the last one. Figures are medians over ${ctx.runs} runs.`,
      'Raw baseline: one ordered, reliable RTCDataChannel carrying JSON.stringify of the same objects, no SDK.',
    ],
    raw: results,
  };
}
