// Page-side driver shared by sdk.html (this SDK) and skylinkjs.html (original 2.7.2): both speak
// the Skylink 2.x API, so the benchmark drives them with the same code. Exposes window.bench.
// Times are performance.now() of this page. Waits are event-driven, each with a timeout.
(() => {
  const state = { skylink: null, mod: null, selfId: {}, open: new Map(), waiters: new Set(), p2pHandlers: [], downloads: [], transferErrors: [], autoAccept: null, marks: [] };

  function notify() {
    for (const w of [...state.waiters]) w();
  }

  /** Resolves `check()`'s first truthy value, re-checked after each recorded event. */
  function waitFor(check, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const run = () => {
        let v;
        try {
          v = check();
        } catch (err) {
          done();
          reject(err);
          return;
        }
        if (v) {
          done();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timeout (${timeoutMs} ms) waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        state.waiters.delete(run);
      };
      state.waiters.add(run);
      run();
    });
  }

  function init({ roomServer, appKey = 'bench-app', logLevel = 'ERROR', options = {} }) {
    const mod = window.SkylinkModule;
    state.mod = mod;
    const { SkylinkEventManager, SkylinkConstants, SkylinkLogger } = mod;
    SkylinkLogger.setLevel(SkylinkLogger.logLevels[logLevel]);
    const EV = SkylinkConstants.EVENTS;
    SkylinkEventManager.addEventListener(EV.DATA_CHANNEL_STATE, (e) => {
      const d = e.detail;
      if (d.channelType !== 'messaging') return;
      if (d.state === 'open') state.open.set(d.peerId, performance.now());
      else if (d.state === 'closed' || d.state === 'closing' || d.state === 'error') state.open.delete(d.peerId);
      notify();
    });
    SkylinkEventManager.addEventListener(EV.PEER_JOINED, (e) => {
      const d = e.detail;
      if (d.isSelf) {
        const room = d.roomName ?? d.room?.roomName ?? d.room;
        state.selfId[typeof room === 'string' ? room : 'room'] = d.peerId;
        state.selfId.last = d.peerId;
      }
      notify();
    });
    SkylinkEventManager.addEventListener(EV.PEER_LEFT, (e) => {
      if (!e.detail.isSelf) state.open.delete(e.detail.peerId);
      notify();
    });
    // Milestones of a join, first occurrence of each (the join case reports where the time goes).
    const mark = (label) => state.marks.push({ label, t: performance.now() });
    SkylinkEventManager.addEventListener(EV.HANDSHAKE_PROGRESS, (e) => mark(`handshake ${e.detail.state}`));
    SkylinkEventManager.addEventListener(EV.ICE_CONNECTION_STATE, (e) => mark(`ice ${e.detail.state}`));
    SkylinkEventManager.addEventListener(EV.PEER_JOINED, (e) => mark(e.detail.isSelf ? 'peerJoined self' : 'peerJoined remote'));
    SkylinkEventManager.addEventListener(EV.DATA_CHANNEL_STATE, (e) => mark(`dataChannel ${e.detail.state}`));
    // REST call answered (COMPLETED = 2), signaling socket connected.
    SkylinkEventManager.addEventListener(EV.READY_STATE_CHANGE, (e) => mark(`readyState ${e.detail.readyState}`));
    SkylinkEventManager.addEventListener(EV.CHANNEL_OPEN, () => mark('channelOpen'));
    SkylinkEventManager.addEventListener(EV.ON_INCOMING_MESSAGE, (e) => {
      const d = e.detail;
      if (d.isSelf || !d.message || !d.message.isDataChannel) return;
      for (const h of state.p2pHandlers) h(d.peerId, d.message.content);
    });
    SkylinkEventManager.addEventListener(EV.DATA_TRANSFER_STATE, (e) => {
      const d = e.detail;
      if (d.state === 'request' && state.autoAccept) {
        state.skylink.respondBlobRequest(state.autoAccept, d.peerId, d.transferId, true).catch(() => {});
      } else if (d.state === 'downloadCompleted') {
        state.downloads.push({ at: window.benchMessaging.epochMs(), blob: d.transferInfo && d.transferInfo.data, transferId: d.transferId });
      } else if (d.state === 'error' || d.state === 'cancel' || d.state === 'rejected') {
        state.transferErrors.push({ state: d.state, error: String((d.error && (d.error.message || d.error)) || '') });
      }
      notify();
    });
    state.skylink = new mod.default({ appKey, roomServer, forceSSL: false, enableStatsGathering: false, ...options });
    return true;
  }

  /** joinRoom without media; returns the call time and our peer id once PEER_JOINED(self) fired. */
  async function join(roomName, timeoutMs = 20_000) {
    state.marks = [];
    const t0 = performance.now();
    await state.skylink.joinRoom({ roomName, audio: false, video: false });
    state.marks.push({ label: 'joinRoom resolved', t: performance.now() });
    const selfId = await waitFor(() => state.selfId.last, timeoutMs, 'peerJoined (self)');
    return { t0, selfId };
  }

  /** Waits until the main data channel is open with at least `count` peers; returns the time the last opened. */
  async function waitOpen(count, timeoutMs = 30_000, exclude = []) {
    return waitFor(
      () => {
        const times = [...state.open.entries()].filter(([id]) => !exclude.includes(id)).map(([, t]) => t);
        return times.length >= count ? Math.max(...times) : 0;
      },
      timeoutMs,
      `data channel open with ${count} peer(s)`,
    );
  }

  function openPeers() {
    return [...state.open.keys()];
  }

  async function leave(roomName) {
    await state.skylink.leaveRoom(roomName);
    state.selfId.last = undefined;
    state.open.clear();
  }

  /** sendP2PMessage to one peer, and the P2P messages it sends us, as a benchMessaging transport. */
  function p2pTransport(roomName, peerId) {
    return {
      send: (o) => state.skylink.sendP2PMessage(roomName, o, peerId),
      onMessage: (fn) => state.p2pHandlers.push((from, content) => from === peerId && fn(content)),
    };
  }

  /** Receiver: accept every blob offered in `roomName`; resolves { at, blob } of the next download. */
  function receiveBlobs(roomName, timeoutMs) {
    state.autoAccept = roomName;
    const seen = state.downloads.length;
    state.received = waitFor(
      () => {
        if (state.transferErrors.length) throw new Error(`transfer ${JSON.stringify(state.transferErrors[0])}`);
        return state.downloads[seen];
      },
      timeoutMs,
      'download completed',
    );
    state.received.catch(() => {});
    return true;
  }

  /** Sender: sendBlobData to one peer; returns the epoch time of the call. */
  async function sendBlob(roomName, blob, peerId, timeoutSeconds) {
    const t0 = window.benchMessaging.epochMs();
    const result = await state.skylink.sendBlobData(roomName, blob, peerId, timeoutSeconds);
    const failed = (Array.isArray(result) ? result : [result]).find((r) => r instanceof Error || (r && r[peerId] && r[peerId].error));
    if (failed) throw new Error(`sendBlobData: ${failed.message || JSON.stringify(failed[peerId].error)}`);
    return t0;
  }

  /** First time of each milestone since the last join, in ms after `t0`. */
  function milestones(t0) {
    const out = {};
    for (const m of state.marks) if (!(m.label in out)) out[m.label] = m.t - t0;
    return out;
  }

  function selfId() {
    return state.selfId.last;
  }

  /**
   * Resolves once this page has been idle for `quietMs`: no long task (PerformanceObserver
   * 'longtask', > 50 ms) and no `stepMs` timer fired more than `lagMs` late (a busy event loop or
   * a starved renderer). Returns { quiet, waitedMs, worstLagMs } (quiet false after `timeoutMs`,
   * when the page never went idle: the caller records it, the measurement goes on).
   */
  function settle({ quietMs = 250, lagMs = 4, stepMs = 10, timeoutMs = 6_000 } = {}) {
    return new Promise((resolve) => {
      const start = performance.now();
      let quietSince = start;
      let worstLagMs = 0;
      let observer = null;
      if (typeof PerformanceObserver === 'function' && (PerformanceObserver.supportedEntryTypes || []).includes('longtask')) {
        observer = new PerformanceObserver((list) => {
          for (const e of list.getEntries()) quietSince = Math.max(quietSince, e.startTime + e.duration);
        });
        observer.observe({ type: 'longtask' });
      }
      let expected = start + stepMs;
      const tick = () => {
        const now = performance.now();
        const lag = now - expected;
        worstLagMs = Math.max(worstLagMs, lag);
        if (lag > lagMs) quietSince = now;
        const quiet = now - quietSince >= quietMs;
        if (quiet || now - start >= timeoutMs) {
          if (observer) observer.disconnect();
          resolve({ quiet, waitedMs: now - start, worstLagMs });
          return;
        }
        expected = now + stepMs;
        setTimeout(tick, stepMs);
      };
      setTimeout(tick, stepMs);
    });
  }

  window.bench = { init, join, waitOpen, waitFor, notify, openPeers, leave, p2pTransport, receiveBlobs, sendBlob, milestones, selfId, settle, state };
})();
