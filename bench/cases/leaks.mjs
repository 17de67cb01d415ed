// Case 6: leaks. Page L joins a room where page P waits, connects, leaves; 50 times. JS heap of
// both pages after forced GC (CDP HeapProfiler.collectGarbage, then Performance.getMetrics
// JSHeapUsedSize), and L's live RTCPeerConnections, open WebSockets and pending timers (counted by
// bench/pages/counters.js, an init script). Baseline: skylinkjs 2.7.2 doing the same cycles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotReady } from '../lib/context.mjs';
import { makeRow } from '../lib/report.mjs';
import { roomName, SDKS, withBrowserSession } from '../lib/session.mjs';

export const name = 'leaks';
export const title = 'Leaks over 50 join/leave cycles';

const MB = 2 ** 20;

async function heapAfterGc(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

const counters = (page) => page.evaluate(() => window.benchCounters());

/** L joins, connects with P, leaves; resolves once P has seen L go. Returns the cycle time in ms. */
async function cycle(l, p, room) {
  const t0 = Date.now();
  await l.page.evaluate(async (r) => {
    await window.bench.join(r);
    await window.bench.waitOpen(1, 20_000);
    await window.bench.leave(r);
  }, room);
  await p.page.evaluate(() => window.bench.waitFor(() => window.bench.openPeers().length === 0, 20_000, 'peer gone'));
  return Date.now() - t0;
}

/**
 * Waits (bounded) until L's peer connections and sockets are back to the starting counts and
 * its timers are no more than at the start; returns the counts at that moment.
 */
async function settledCounters(l, start, timeoutMs = 10_000) {
  try {
    await l.page.waitForFunction(
      (s) => {
        const c = window.benchCounters();
        return c.peerConnections <= s.peerConnections && c.webSockets <= s.webSockets && c.timeouts + c.intervals <= s.timeouts + s.intervals;
      },
      start,
      { timeout: timeoutMs, polling: 100 },
    );
  } catch {
    // Not settled: the counts below show what stayed.
  }
  return counters(l.page);
}

async function measure(ctx, openSdkPage, sdk, cycles) {
  const counterScript = readFileSync(join(ctx.root, 'bench/pages/counters.js'), 'utf8');
  const p = await openSdkPage(sdk);
  const l = await openSdkPage(sdk, { initScripts: [counterScript] });
  try {
    const room = roomName('l');
    await p.page.evaluate((r) => window.bench.join(r), room);
    const c0 = await counters(l.page);
    const heapBefore = await heapAfterGc(l.page);
    // One warm-up cycle: lazily built state (first socket, caches) is not a leak.
    await cycle(l, p, room);
    await settledCounters(l, c0);
    const heapWarm = await heapAfterGc(l.page);
    const peerHeapWarm = await heapAfterGc(p.page);
    const times = [];
    for (let i = 0; i < cycles; i++) {
      ctx.checkDeadline();
      times.push(await cycle(l, p, room));
    }
    const c1 = await settledCounters(l, c0);
    const heapAfter = await heapAfterGc(l.page);
    const peerHeapAfter = await heapAfterGc(p.page);
    return {
      cycles,
      times,
      heapBeforeMB: heapBefore / MB,
      heapWarmMB: heapWarm / MB,
      heapAfterMB: heapAfter / MB,
      heapGrowthMB: (heapAfter - heapWarm) / MB,
      heapGrowthFromStartMB: (heapAfter - heapBefore) / MB,
      peerHeapGrowthMB: (peerHeapAfter - peerHeapWarm) / MB,
      countersStart: c0,
      countersEnd: c1,
      leftPeerConnections: c1.peerConnections - c0.peerConnections,
      leftSockets: c1.webSockets - c0.webSockets,
      leftTimers: c1.timeouts + c1.intervals - (c0.timeouts + c0.intervals),
    };
  } finally {
    await Promise.all([l.close(), p.close()]).catch(() => {});
  }
}

export async function run(ctx) {
  const cycles = Number(ctx.options['leak-cycles'] ?? 50);
  const runs = Number(ctx.options['leak-runs'] ?? 1);
  const results = { ours: [], skylinkjs: [] };
  await withBrowserSession(ctx, async ({ openSdkPage }) => {
    for (let r = 0; r < runs; r++) {
      for (const sdk of r % 2 === 0 ? ['ours', 'skylinkjs'] : ['skylinkjs', 'ours']) {
        ctx.checkDeadline();
        let m;
        try {
          m = await measure(ctx, openSdkPage, sdk, cycles);
        } catch (err) {
          if (sdk === 'ours' && /NOT_IMPLEMENTED/.test(String(err.message))) throw new NotReady(String(err.message).split('\n')[0]);
          throw err;
        }
        results[sdk].push(m);
        ctx.log(
          `${SDKS[sdk].label}: heap ${m.heapWarmMB.toFixed(2)} -> ${m.heapAfterMB.toFixed(2)} MB after ${cycles} cycles ` +
            `(peer page +${m.peerHeapGrowthMB.toFixed(2)} MB); left: ${m.leftPeerConnections} RTCPeerConnection, ` +
            `${m.leftSockets} WebSocket, ${m.leftTimers} timers; counters ${JSON.stringify(m.countersEnd)}`,
        );
      }
    }
  });
  const row = (metric, unit, f, extra = {}) =>
    makeRow({
      case: name,
      metric,
      unit,
      better: 'lower',
      ours: { label: SDKS.ours.label, values: results.ours.map(f) },
      baseline: { label: SDKS.skylinkjs.label, values: results.skylinkjs.map(f) },
      ...extra,
    });
  const heap = row(`JS heap growth, ${cycles} cycles`, 'MB', (m) => m.heapGrowthMB, { target: '< 2 MB' });
  heap.pass = heap.ours.max < 2;
  const zero = (metric, f) => {
    const r = row(metric, 'count', f, { target: '0' });
    r.pass = r.ours.max === 0;
    return r;
  };
  const rows = [
    heap,
    row('JS heap growth incl. first join', 'MB', (m) => m.heapGrowthFromStartMB),
    row('peer page JS heap growth', 'MB', (m) => m.peerHeapGrowthMB),
    zero('RTCPeerConnections left open', (m) => m.leftPeerConnections),
    zero('WebSockets left open', (m) => m.leftSockets),
    zero('timers left pending', (m) => m.leftTimers),
    makeRow({
      case: name,
      metric: 'join+connect+leave cycle',
      unit: 'ms',
      better: 'lower',
      ours: { label: SDKS.ours.label, values: results.ours.flatMap((m) => m.times) },
      baseline: { label: SDKS.skylinkjs.label, values: results.skylinkjs.flatMap((m) => m.times) },
      paired: false,
    }),
  ];
  return {
    rows,
    notes: [
      `${runs} run(s) of ${cycles} cycles per SDK after one warm-up cycle; heap growth is measured from after the warm-up cycle ("incl. first join": from before any join). ` +
        'Counts are "left over" relative to the page before its first join, read once they settle (at most 10 s after the last cycle). The cycle row spreads over every cycle.',
    ],
    raw: results,
  };
}
