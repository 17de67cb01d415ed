// A signaling server alone in its own process, so that its CPU and memory are measured without
// the load generator or the browser. Started by serverProcess.mjs with --expose-gc.
//
//   kind "skylink": this project's server (dist/server/index.js), dev mode, default limits.
//   kind "bare":    the baseline, a bare socket.io server with the same engine options that only
//                   joins each socket to the room named in its query and broadcasts every
//                   `message` payload, untouched, to the other sockets of that room.
//
// BENCH_SERVER_CPU_PROF=<dir>: records a V8 CPU profile of the server (node:inspector) from start
// to 'close' and writes it to <dir>/<kind>-<pid>.cpuprofile (open it in Chrome DevTools).
//
// IPC: the parent sends { id, cmd } with cmd 'stats' (cpuUsage + memoryUsage), 'gcStats' (same
// after two forced GCs) or 'close'; the child answers { id, ...data }. It exits when the parent goes.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const [kind, distServer, optionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson ?? '{}');

async function startSkylink() {
  const { createSkylinkServer } = await import(pathToFileURL(distServer).href);
  const server = await createSkylinkServer({
    dev: true,
    host: '127.0.0.1',
    port: 0,
    iceServers: [],
    logLevel: 'error',
    ...options,
  });
  return { port: server.port, close: () => server.close() };
}

async function startBare() {
  const { Server } = await import('socket.io');
  const http = createServer((_req, res) => res.writeHead(404).end());
  // Same engine options as the Skylink server (src/server/index.ts).
  const io = new Server(http, { allowEIO3: true, serveClient: false, cors: { origin: true }, maxHttpBufferSize: 1024 * 1024 });
  io.on('connection', (socket) => {
    const room = String(socket.handshake.query.room ?? '');
    socket.join(room);
    socket.emit('message', JSON.stringify({ type: 'inRoom', rid: room }));
    socket.on('message', (payload) => socket.to(room).emit('message', payload));
  });
  await new Promise((ok) => http.listen(0, '127.0.0.1', ok));
  return { port: http.address().port, close: () => new Promise((ok) => io.close(() => ok())) };
}

const server = kind === 'bare' ? await startBare() : await startSkylink();
const profiler = process.env.BENCH_SERVER_CPU_PROF ? await startProfiler(process.env.BENCH_SERVER_CPU_PROF) : null;

async function startProfiler(dir) {
  const [{ Session }, { mkdirSync, writeFileSync }, { join }] = await Promise.all([
    import('node:inspector'),
    import('node:fs'),
    import('node:path'),
  ]);
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((ok, fail) => session.post(method, params, (e, r) => (e ? fail(e) : ok(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${kind}-${process.pid}.cpuprofile`), JSON.stringify(profile));
  };
}

function gc() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
}

process.on('message', async (msg) => {
  const { id, cmd } = msg ?? {};
  if (cmd === 'stats' || cmd === 'gcStats') {
    if (cmd === 'gcStats') gc();
    process.send({ id, cpu: process.cpuUsage(), mem: process.memoryUsage(), hrtime: Number(process.hrtime.bigint() / 1000n) });
  } else if (cmd === 'close') {
    await profiler?.().catch((err) => console.error(`cpu profile not written: ${err}`));
    const force = setTimeout(() => process.exit(0), 3000);
    await server.close().catch(() => {});
    clearTimeout(force);
    process.send({ id, closed: true }, () => setTimeout(() => process.exit(0), 50));
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true, port: server.port, pid: process.pid });
