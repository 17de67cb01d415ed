// Starts serverChild.mjs (our server or the bare socket.io baseline) in its own process.
import { existsSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkService } from './ipc.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const ROOT = join(here, '../..');

/**
 * @param {'skylink'|'bare'} kind
 * @param {string} distDir the built dist/ to run the server from (the run's snapshot)
 * @param {object} [options] extra createSkylinkServer config (skylink only)
 */
export async function startServerProcess(kind, distDir, options = {}) {
  linkModules(distDir);
  const svc = await forkService(join(here, 'serverChild.mjs'), [kind, join(distDir, 'server/index.js'), JSON.stringify(options)], {
    name: `${kind} server`,
    cwd: ROOT,
    execArgv: ['--expose-gc'],
  });
  const { port, pid } = svc.ready;
  return {
    kind,
    pid,
    port,
    url: `http://127.0.0.1:${port}`,
    /** The `roomServer` init option for pages (protocol-relative, as 2.x expects). */
    roomServer: `//127.0.0.1:${port}`,
    /** { cpu: process.cpuUsage(), mem: process.memoryUsage() } of the server process. */
    stats: () => svc.call('stats'),
    /** Same, after two forced garbage collections. */
    gcStats: () => svc.call('gcStats', {}, 30_000),
    async close() {
      await svc.call('close', {}, 8000).catch(() => {});
      svc.kill();
    },
  };
}

/**
 * The server bundle imports socket.io & co. from node_modules, which Node looks for next to the
 * bundle and upwards. A snapshot outside the repository (--out=/tmp/...) gets a link to ours.
 */
function linkModules(distDir) {
  const link = join(distDir, 'node_modules');
  const inRepo = !relative(ROOT, distDir).startsWith('..');
  if (!inRepo && !existsSync(link)) symlinkSync(join(ROOT, 'node_modules'), link, 'dir');
}
