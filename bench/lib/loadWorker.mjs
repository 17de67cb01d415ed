// Load-generator worker for the signaling capacity case (forked by cases/capacity.mjs).
//
// Holds simulated clients (socket.io-client v4, websocket transport, no WebRTC), whole rooms of
// ROOM_SIZE per worker, so a message's sender and receivers share this process's clock
// (performance.now()). Every client sends `message` broadcasts at a fixed rate; each receiver
// records the latency into a fixed-bucket histogram.
//
// IPC commands (answered with { id, ... }):
//   connect { kind, url, rooms, concurrency }   REST + socket + joinRoom -> inRoom, for every client
//   run     { ratePerClient, warmupMs, windowMs, drainMs, step }
//   close
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import { newHistogram, recordUs, sparseHistogram } from './stats.mjs';

const ROOM_SIZE = 4;
const CONNECT_TIMEOUT_MS = 15_000;
const TICK_MS = 5;

/** @type {Array<{ socket: import('socket.io-client').Socket, rid: string, sid: string }>} */
let clients = [];
let kind = 'skylink';

// Current measurement: only messages of this step sent inside the window count.
const measure = { step: -1, from: Infinity, to: -Infinity, hist: newHistogram(), delivered: 0 };

const nowUs = () => Math.round(performance.now() * 1000);

function onPayload(payload) {
  if (typeof payload !== 'string') return;
  const at = payload.indexOf('"bench:');
  if (at < 0) return;
  const end = payload.indexOf('"', at + 7);
  const [step, sentUs] = payload.slice(at + 7, end).split(':');
  if (Number(step) !== measure.step) return;
  const sent = Number(sentUs);
  if (sent < measure.from || sent > measure.to) return;
  measure.delivered++;
  recordUs(measure.hist, nowUs() - sent);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function restAuth(url, room) {
  const res = await fetch(`${url}/api/bench-app/${encodeURIComponent(room)}?rand=${Math.random()}`);
  if (res.status !== 200) throw new Error(`REST ${res.status}`);
  return res.json();
}

/** The real handshake for our server: REST credentials, socket, joinRoom, wait for inRoom. */
async function connectSkylink(url, room) {
  const a = await restAuth(url, room);
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: CONNECT_TIMEOUT_MS });
  const inRoom = await new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.on('message', function first(p) {
      const m = JSON.parse(p);
      if (m.type === 'inRoom' && m.rid === a.room_key) {
        socket.off('message', first);
        resolve(m);
      } else if (m.type === 'redirect') reject(new Error(`join rejected: ${m.reason} ${m.info}`));
    });
    socket.once('connect', () =>
      socket.send(
        JSON.stringify({
          type: 'joinRoom',
          rid: a.room_key,
          uid: a.username,
          cid: a.cid,
          userCred: a.userCred,
          roomCred: a.roomCred,
          timeStamp: a.timeStamp,
          apiOwner: a.apiOwner,
          start: a.start,
          len: a.len,
          isPrivileged: a.isPrivileged,
          autoIntroduce: a.autoIntroduce,
          key: a.cid,
        }),
      ),
    );
  });
  socket.on('message', onPayload);
  return { socket, rid: a.room_key, sid: inRoom.sid };
}

/** Bare baseline: the room is named in the query; the server says inRoom once it joined it. */
async function connectBare(url, room) {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: CONNECT_TIMEOUT_MS, query: { room } });
  await new Promise((resolve, reject) => {
    socket.once('connect_error', reject);
    socket.once('message', resolve);
  });
  socket.on('message', onPayload);
  return { socket, rid: room, sid: socket.id };
}

async function connectAll({ url, rooms, concurrency }) {
  const started = performance.now();
  const jobs = rooms.flatMap((room) => Array.from({ length: ROOM_SIZE }, () => room));
  const connect = kind === 'bare' ? connectBare : connectSkylink;
  let next = 0;
  let failed = 0;
  let firstError = null;
  const made = [];
  async function lane() {
    while (next < jobs.length) {
      const room = jobs[next++];
      try {
        made.push(await withTimeout(connect(url, room), CONNECT_TIMEOUT_MS, `join ${room}`));
      } catch (err) {
        failed++;
        firstError ??= String(err?.message ?? err);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  clients = clients.concat(made);
  return { connected: made.length, failed, firstError, ms: performance.now() - started };
}

/** Sends at `ratePerClient` from every client for warmup + window; counts what lands in the window. */
async function runStep({ ratePerClient, warmupMs, windowMs, drainMs, step }) {
  const total = ratePerClient * clients.length; // messages per second from this worker
  measure.step = step;
  measure.hist = newHistogram();
  measure.delivered = 0;
  const t0 = nowUs();
  measure.from = t0 + warmupMs * 1000;
  measure.to = measure.from + windowMs * 1000;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let sentTotal = 0;
  let sentInWindow = 0;
  let cursor = 0;
  let cpuStart = null;
  // Same payload for both servers; ours parses and re-serialises it, the bare one forwards it as is.
  const templates = clients.map((c) => `{"type":"message","rid":${JSON.stringify(c.rid)},"mid":${JSON.stringify(c.sid)},"data":"bench:`);
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = nowUs();
      if (cpuStart === null && now >= measure.from) {
        cpuStart = process.cpuUsage();
        loop.enable();
      }
      if (now > measure.to) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor(((now - t0) / 1e6) * total) - sentTotal;
      // Bounded burst: a stalled generator does not try to catch up on everything at once.
      const n = Math.min(due, Math.ceil(total * 0.25) + 1);
      for (let i = 0; i < n; i++) {
        const c = clients[cursor];
        const tpl = templates[cursor];
        cursor = (cursor + 1) % clients.length;
        const sentUs = nowUs();
        c.socket.send(`${tpl}${step}:${sentUs}"}`);
        if (sentUs >= measure.from && sentUs <= measure.to) sentInWindow++;
      }
      sentTotal += Math.max(0, due);
    }, TICK_MS);
  });
  const cpu = process.cpuUsage(cpuStart ?? undefined);
  loop.disable();
  // Let in-flight deliveries of the window arrive (bounded).
  const expected = sentInWindow * (ROOM_SIZE - 1);
  const drainEnd = performance.now() + drainMs;
  while (measure.delivered < expected && performance.now() < drainEnd) await new Promise((r) => setTimeout(r, 20));
  measure.step = -1;
  return {
    sentInWindow,
    expected,
    delivered: measure.delivered,
    hist: sparseHistogram(measure.hist),
    cpuUs: cpu.user + cpu.system,
    windowMs,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
  };
}

process.on('message', async (msg) => {
  const { id, cmd } = msg;
  try {
    if (cmd === 'connect') {
      kind = msg.kind;
      process.send({ id, ...(await connectAll(msg)) });
    } else if (cmd === 'run') {
      process.send({ id, ...(await runStep(msg)) });
    } else if (cmd === 'close') {
      for (const c of clients) c.socket.disconnect();
      clients = [];
      process.send({ id, closed: true });
    }
  } catch (err) {
    process.send({ id, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
