// Transport-independent ping-pong, burst and file-transfer loops, shared by the SDK pages and the
// raw RTCDataChannel page so every subject runs the same measuring code. A transport is
// { send(obj): Promise|void, onMessage(fn(obj)) }. Exposes window.benchMessaging.
(() => {
  function withTimeout(promise, ms, what) {
    let timer;
    return Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timeout (${ms} ms): ${what}`)), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** The answering side: pongs pings, counts bursts and confirms them. */
  function serve(transport) {
    let burstCount = 0;
    transport.onMessage((m) => {
      if (!m || typeof m !== 'object') return;
      if (m.k === 'ping') transport.send({ k: 'pong', s: m.s });
      else if (m.k === 'b') {
        burstCount++;
        if (burstCount === m.n) {
          burstCount = 0;
          transport.send({ k: 'bdone', n: m.n });
        }
      }
    });
  }

  /** `count` sequential round trips (after `warmup` unmeasured ones); returns RTTs in ms. */
  async function pingPong(transport, count, warmup = 20, timeoutMs = 60_000) {
    let waiting = null;
    transport.onMessage((m) => {
      if (m && m.k === 'pong' && waiting && m.s === waiting.s) waiting.resolve(performance.now());
    });
    const rtts = [];
    const run = async () => {
      for (let i = 0; i < warmup + count; i++) {
        const t0 = performance.now();
        const got = new Promise((resolve) => (waiting = { s: i, resolve }));
        await transport.send({ k: 'ping', s: i });
        const t1 = await got;
        if (i >= warmup) rtts.push(t1 - t0);
      }
    };
    await withTimeout(run(), timeoutMs, 'ping-pong');
    return rtts;
  }

  /** Sends `n` small messages back to back; resolves the ms until the peer confirmed all of them. */
  async function burst(transport, n, timeoutMs = 60_000) {
    let done;
    const confirmed = new Promise((resolve) => (done = resolve));
    transport.onMessage((m) => {
      if (m && m.k === 'bdone' && m.n === n) done(performance.now());
    });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await transport.send({ k: 'b', n, i });
    return (await withTimeout(confirmed, timeoutMs, `burst of ${n}`)) - t0;
  }

  /** Wall-clock time with sub-ms resolution, comparable between pages of one machine. */
  const epochMs = () => performance.timeOrigin + performance.now();

  /** A Blob of `size` random bytes (built before any timing starts). */
  function makeBlob(size) {
    const parts = [];
    for (let left = size; left > 0; left -= 65536) parts.push(crypto.getRandomValues(new Uint8Array(Math.min(65536, left))));
    return new Blob(parts);
  }

  async function sha256(blob) {
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  window.benchMessaging = { serve, pingPong, burst, withTimeout, epochMs, makeBlob, sha256 };
})();
