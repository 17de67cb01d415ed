/**
 * Quick local throughput check (not a test): fast mode vs a raw RTCDataChannel send loop over
 * node-webrtc, same connection, same process. Run:
 *   npx esbuild tests/integration/data/benchWrtc.ts --bundle --platform=node --format=cjs \
 *     --external:@roamhq/wrtc --outfile=/tmp/benchWrtc.cjs && node /tmp/benchWrtc.cjs [MiB]
 */
import type { DataChannelLike } from '../../../src/data/channel';
import { closeAll, connect, engineSide, newPeerConnection, randomBytes } from './wrtcPair';

const MiB = 1024 * 1024;

async function rawLoop(send: RTCDataChannel, recv: RTCDataChannel, bytes: Uint8Array): Promise<number> {
  const chunk = 64 * 1024;
  let received = 0;
  const done = new Promise<void>((resolve) => {
    recv.onmessage = (e) => {
      received += (e.data as ArrayBuffer).byteLength;
      if (received >= bytes.length) resolve();
    };
  });
  const start = performance.now();
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    while (send.bufferedAmount > 4 * MiB) await new Promise((r) => setTimeout(r, 4));
    send.send(bytes.slice(offset, offset + chunk).buffer);
  }
  await done;
  return performance.now() - start;
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 64) * MiB;
  const bytes = randomBytes(size, 7);
  const a = newPeerConnection();
  const b = newPeerConnection();
  const alice = engineSide('alice', a, 'bench');
  const bob = engineSide('bob', b, 'bench');
  const [main, far] = await connect(a, b, 'bench_alice_bob');
  alice.engine.addPeer('bench', 'bob', main as unknown as DataChannelLike);
  bob.engine.addPeer('bench', 'alice', far as unknown as DataChannelLike);

  const rawSend = a.createDataChannel('raw');
  const rawRecv = await new Promise<RTCDataChannel>((resolve) => {
    b.addEventListener('datachannel', (e) => e.channel.label === 'raw' && resolve(e.channel));
  });
  if (rawSend.readyState !== 'open') await new Promise((r) => rawSend.addEventListener('open', r));
  rawRecv.binaryType = 'arraybuffer';

  const results: Record<string, number> = {};
  for (let round = 0; round < 2; round += 1) {
    const rawMs = await rawLoop(rawSend, rawRecv, bytes);
    const start = performance.now();
    const [result] = await alice.engine.sendBlobData('bench', new Blob([bytes]), ['bob']);
    const fastMs = performance.now() - start;
    if (!result?.bob?.success) throw new Error(`transfer failed: ${String(result?.bob?.error)}`);
    results[`raw MB/s (round ${round + 1})`] = size / 1e6 / (rawMs / 1000);
    results[`fast MB/s (round ${round + 1})`] = size / 1e6 / (fastMs / 1000);
  }
  const rawBest = Math.max(results['raw MB/s (round 1)'] ?? 0, results['raw MB/s (round 2)'] ?? 0);
  const fastBest = Math.max(results['fast MB/s (round 1)'] ?? 0, results['fast MB/s (round 2)'] ?? 0);
  console.log(JSON.stringify({ sizeMiB: size / MiB, ...results, ratio: fastBest / rawBest }, null, 2));
  alice.engine.releaseRoom('bench');
  bob.engine.releaseRoom('bench');
  closeAll([main, far, rawSend, rawRecv, ...alice.channels, ...bob.channels], [a, b]);
}

void main();
