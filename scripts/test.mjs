#!/usr/bin/env node
// Runs jest, inside a private network namespace when the machine allows it, so that every
// packet the tests send (WebRTC included) can only reach loopback. Where unshare is not
// available (no root, no util-linux) the tests still run; the e2e pages then drop every
// non-loopback ICE candidate themselves (tests/e2e/rig/chromium.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const jestArgs = ['--ci', ...process.argv.slice(2)];
const jestBin = 'node_modules/.bin/jest';

function canUnshare() {
  if (process.platform !== 'linux' || process.env.SKYLINK_NO_NETNS === '1') return false;
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' });
  return probe.status === 0;
}

let result;
if (process.env.SKYLINK_IN_NETNS !== '1' && canUnshare()) {
  console.log('[test] running inside a private network namespace (loopback only)');
  const quoted = [jestBin, ...jestArgs].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  result = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec ${quoted}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SKYLINK_IN_NETNS: '1' },
  });
} else {
  console.log('[test] no private network namespace here: e2e pages filter ICE to loopback');
  result = spawnSync(jestBin, jestArgs, { cwd: root, stdio: 'inherit' });
}
process.exit(result.status ?? 1);
