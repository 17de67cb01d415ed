// Case 1: file transfer of 64 MiB between two Chromium pages: this SDK's sendBlobData against a
// raw RTCDataChannel send loop (64 KiB chunks, bufferedAmount flow control) and skylinkjs 2.7.2's
// sendBlobData through our server. Time = from the sender's call (Blob in hand) to the receiver
// holding the complete Blob (page clocks compared through performance.timeOrigin); the SHA-256 of
// what arrived is checked against what was sent, outside the timed part.
import { makeRow, notReadyRow } from '../lib/report.mjs';
import { SDKS, withBrowserSession } from '../lib/session.mjs';

export const name = 'transfer';
export const title = 'File transfer, 64 MiB';

const MiB = 2 ** 20;
const LABEL = { ours: SDKS.ours.label, skylinkjs: SDKS.skylinkjs.label, raw: 'raw RTCDataChannel loop' };

async function prepare(a, size) {
  return a.page.evaluate((n) => {
    window.benchBlob = window.benchMessaging.makeBlob(n);
    return window.benchMessaging.sha256(window.benchBlob);
  }, size);
}

/** Returns { ms, ok } once the receiver has everything and the hashes were compared. */
async function finish(b, t0, sentHash, receivedExpr, timeoutMs) {
  const got = await b.page.evaluate(
    async ({ expr, ms }) => {
      const r = await window.benchMessaging.withTimeout(eval(expr), ms, 'receiver complete');
      return { at: r.at, size: r.blob.size, hash: await window.benchMessaging.sha256(r.blob) };
    },
    { expr: receivedExpr, ms: timeoutMs },
  );
  if (got.hash !== sentHash) throw new Error(`received ${got.size} bytes whose SHA-256 differs from what was sent`);
  return got.at - t0;
}

async function measureRaw(openRawPair, size, timeoutMs) {
  const pair = await openRawPair();
  try {
    const hash = await prepare(pair.a, size);
    await pair.b.page.evaluate(() => window.raw.receiveFile());
    const t0 = await pair.a.page.evaluate(() => window.raw.sendFile(window.benchBlob));
    return await finish(pair.b, t0, hash, 'window.raw.state.received', timeoutMs);
  } finally {
    await pair.close();
  }
}

async function measureSdk(openSdkPair, sdk, size, timeoutMs) {
  const pair = await openSdkPair(sdk);
  try {
    const hash = await prepare(pair.a, size);
    await pair.b.page.evaluate(({ r, ms }) => window.bench.receiveBlobs(r, ms), { r: pair.room, ms: timeoutMs });
    const t0 = await pair.a.page.evaluate(({ r, p, s }) => window.bench.sendBlob(r, window.benchBlob, p, s), {
      r: pair.room,
      p: pair.bId,
      s: Math.ceil(timeoutMs / 1000),
    });
    return await finish(pair.b, t0, hash, 'window.bench.state.received', timeoutMs);
  } finally {
    await pair.close();
  }
}

export async function run(ctx) {
  const size = Number(ctx.options['transfer-mib'] ?? 64) * MiB;
  const timeoutMs = Number(ctx.options['transfer-timeout-s'] ?? 90) * 1000;
  const results = { ours: [], raw: [], skylinkjs: [] };
  const failures = {};
  let notReady = null;
  let order = ['ours', 'raw', 'skylinkjs'];
  let runs = ctx.runs;
  await withBrowserSession(ctx, async ({ openSdkPair, openRawPair }) => {
    try {
      await measureSdk(openSdkPair, 'ours', 64 * 1024, 20_000);
    } catch (err) {
      // Not usable yet: still measure the baselines once, so their side of the case is exercised.
      notReady = `sendBlobData: ${String(err.message).split('\n')[0]}`;
      order = ['raw', 'skylinkjs'];
      runs = 1;
    }
    for (let r = 0; r < runs; r++) {
      for (const subject of [...order.slice(r % order.length), ...order.slice(0, r % order.length)]) {
        if (failures[subject]) continue;
        ctx.checkDeadline();
        try {
          const ms =
            subject === 'raw' ? await measureRaw(openRawPair, size, timeoutMs) : await measureSdk(openSdkPair, subject, size, timeoutMs);
          results[subject].push(size / MiB / (ms / 1000));
          ctx.log(`${LABEL[subject]} run ${r + 1}: ${(ms / 1000).toFixed(2)} s, ${(size / MiB / (ms / 1000)).toFixed(1)} MiB/s`);
        } catch (err) {
          // A baseline that cannot finish in time is reported, not retried.
          failures[subject] = String(err.message).split('\n')[0];
          ctx.log(`${LABEL[subject]} run ${r + 1}: failed: ${failures[subject]}`);
        }
      }
    }
  });
  if (notReady) {
    const base = ['raw', 'skylinkjs'].map((b) => `${LABEL[b]} ${results[b].length ? `${results[b][0].toFixed(1)} MiB/s` : failures[b]}`);
    return { rows: [notReadyRow(name, `${notReady} (baselines, 1 run: ${base.join('; ')})`)], notes: [], raw: { results, failures } };
  }
  if (failures.ours) throw new Error(`${LABEL.ours}: ${failures.ours}`);
  const rows = ['raw', 'skylinkjs'].map((base) => {
    const row = makeRow({
      case: name,
      metric: `throughput, ${size / MiB} MiB`,
      unit: 'MiB/s',
      better: 'higher',
      ours: { label: LABEL.ours, values: results.ours },
      baseline: { label: LABEL[base], values: results[base] },
      note: failures[base] ? `${LABEL[base]} failed: ${failures[base]}` : undefined,
    });
    if (base === 'raw') {
      row.target = '>= 0.85x raw';
      row.pass = row.ratio !== null && row.ratio.median >= 0.85;
    }
    return row;
  });
  return {
    rows,
    notes: [
      `${size / MiB} MiB of random bytes per transfer, a fresh pair of pages each time; time from the sender's call to the receiver holding the whole Blob; SHA-256 checked after timing. Per-transfer limit ${timeoutMs / 1000} s.`,
      'Raw baseline: one ordered reliable RTCDataChannel, the Blob read once, 64 KiB chunks, sending paused above 4 MiB bufferedAmount until bufferedamountlow (1 MiB).',
      ...Object.entries(failures).map(([s, e]) => `${LABEL[s]} did not finish: ${e}`),
    ],
    raw: { results, failures, sizeBytes: size },
  };
}
