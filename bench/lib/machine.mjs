// What the numbers were measured on, read at run time (nproc, free, chromium --version...).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function osRelease() {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? os.type();
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

export function describeMachine() {
  const chromiumPath = findChromium();
  const free = run('free', ['-m']);
  return {
    nproc: Number(run('nproc', [])) || os.availableParallelism(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memTotalMiB: Math.round(os.totalmem() / 2 ** 20),
    free,
    os: `${osRelease()}, kernel ${os.release()}`,
    node: process.version,
    chromiumPath,
    chromium: chromiumPath ? run(chromiumPath, ['--version']) : null,
    netns: process.env.SKYLINK_IN_NETNS === '1',
    /** Other work on the machine at start (1/5/15 min); a busy machine makes every number noisier. */
    loadAverageAtStart: loadAverage(),
  };
}

/** Aggregate CPU jiffies from /proc/stat (null where there is none), for machine-wide busy %. */
export function cpuTimes() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal, total };
  } catch {
    return null;
  }
}

/** Busy share of the whole machine between two cpuTimes() samples, in % of ONE core (2 cores = 200%). */
export function machineBusyPercent(a, b, cores = os.cpus().length) {
  if (!a || !b || b.total === a.total) return NaN;
  return ((b.busy - a.busy) / (b.total - a.total)) * 100 * cores;
}

export function loadAverage() {
  return os.loadavg().map((x) => Math.round(x * 100) / 100);
}
