// Init script of the leak case (runs before any page script): counts live RTCPeerConnections,
// open WebSockets and pending timers, so the bench can check they return to their starting
// values. Exposes window.benchCounters().
(() => {
  const live = { pcs: new Set(), sockets: new Set(), timeouts: new Set(), intervals: new Set() };

  const NativePC = window.RTCPeerConnection;
  if (NativePC) {
    const close = NativePC.prototype.close;
    NativePC.prototype.close = function (...args) {
      live.pcs.delete(this);
      return close.apply(this, args);
    };
    // Subclass so prototype patches (the loopback ICE filter, webrtc-adapter) still apply.
    class CountedPC extends NativePC {
      constructor(...args) {
        super(...args);
        live.pcs.add(this);
        this.addEventListener('connectionstatechange', () => this.connectionState === 'closed' && live.pcs.delete(this));
      }
    }
    window.RTCPeerConnection = CountedPC;
  }

  const NativeWS = window.WebSocket;
  class CountedWS extends NativeWS {
    constructor(...args) {
      super(...args);
      live.sockets.add(this);
      this.addEventListener('close', () => live.sockets.delete(this));
    }
  }
  window.WebSocket = CountedWS;

  const { setTimeout: st, clearTimeout: ct, setInterval: si, clearInterval: ci } = window;
  window.setTimeout = function (fn, ms, ...rest) {
    const id = st.call(
      window,
      (...a) => {
        live.timeouts.delete(id);
        return typeof fn === 'function' ? fn(...a) : undefined;
      },
      ms,
      ...rest,
    );
    live.timeouts.add(id);
    return id;
  };
  window.clearTimeout = function (id) {
    live.timeouts.delete(id);
    return ct.call(window, id);
  };
  window.setInterval = function (...args) {
    const id = si.apply(window, args);
    live.intervals.add(id);
    return id;
  };
  window.clearInterval = function (id) {
    live.intervals.delete(id);
    live.timeouts.delete(id); // clearInterval also clears timeouts
    return ci.call(window, id);
  };

  window.benchCounters = () => ({
    peerConnections: [...live.pcs].filter((pc) => pc.connectionState !== 'closed').length,
    webSockets: [...live.sockets].filter((s) => s.readyState !== NativeWS.CLOSED).length,
    timeouts: live.timeouts.size,
    intervals: live.intervals.size,
  });
})();
