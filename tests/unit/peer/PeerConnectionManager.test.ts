import {
  PeerConnectionManager,
  type OutgoingSignal,
  type PeerConnectionManagerCallbacks,
} from '../../../src/peer/PeerConnectionManager';
import { FakeNetwork, FakePeerConnection } from '../../fakes/FakePeerConnection';
import type { DataChannelLike } from '../../../src/platform/SkylinkPlatform';
import { flush, noopCallbacks } from './managerFixtures';

interface Side {
  id: string;
  manager: PeerConnectionManager;
  signals: Array<{ to: string; signal: OutgoingSignal }>;
  ice: string[];
  channels: Array<{ peerId: string; channel: DataChannelLike; state: string; isMain: boolean }>;
  handshakes: string[];
  exhausted: string[];
  /** When false, outgoing signals are recorded but not delivered. */
  deliver: boolean;
}

function makePair(
  network: FakeNetwork,
  weights = { a: 2, b: 1 },
  opts: { dataA?: boolean; dataB?: boolean; isAuxiliaryChannel?: (label: string) => boolean } = {},
) {
  const sides: Record<string, Side> = {};
  const build = (id: string, other: string, weight: number, enableDataChannel: boolean): Side => {
    const side: Side = { id, manager: undefined as unknown as PeerConnectionManager, signals: [], ice: [], channels: [], handshakes: [], exhausted: [], deliver: true };
    const callbacks: PeerConnectionManagerCallbacks = {
      sendSignal: (peerId, signal) => {
        side.signals.push({ to: peerId, signal });
        if (!side.deliver) return;
        const target = sides[peerId];
        if (!target) return;
        void Promise.resolve().then(() => deliver(target, id, signal, weight));
      },
      onPeerConnectionCreated: () => undefined,
      onHandshake: (peerId, step, local) => side.handshakes.push(`${local ? 'local' : 'remote'}:${step}`),
      onNegotiated: () => undefined,
      onSignalingState: () => undefined,
      onIceConnectionState: (_p, state) => side.ice.push(state),
      onConnectionState: () => undefined,
      onIceGatheringState: () => undefined,
      onRemoteCandidate: () => undefined,
      onDataChannel: () => undefined,
      onDataChannelState: (peerId, channel, state, isMain) => side.channels.push({ peerId, channel, state, isMain }),
      onTrack: () => undefined,
      onIceRestartExhausted: (peerId) => side.exhausted.push(peerId),
    };
    side.manager = new PeerConnectionManager({
      platform: { createPeerConnection: (config) => new FakePeerConnection(network, config) },
      rtcConfiguration: () => ({ iceServers: [] }),
      localWeight: () => weight,
      enableDataChannel,
      mainChannelLabel: (peerId) => `rid_${id}_${peerId}`,
      ...(opts.isAuxiliaryChannel ? { isAuxiliaryChannel: opts.isAuxiliaryChannel } : {}),
      callbacks,
      iceRestartPolicy: { disconnectedTimeoutMs: 4000, restartTimeoutMs: 10000, maxAttempts: 2 },
    });
    void other;
    return side;
  };
  const deliver = (target: Side, from: string, signal: OutgoingSignal, weight: number): void => {
    const m = target.manager;
    if (!m.has(from)) return;
    switch (signal.type) {
      case 'offer':
        void m.handleOffer(from, signal.sdp, weight);
        break;
      case 'answer':
        void m.handleAnswer(from, signal.sdp);
        break;
      case 'answerAck':
        m.handleAnswerAck(from, signal.success);
        break;
      case 'candidate':
        m.handleCandidate(from, signal.candidate);
        break;
      case 'endOfCandidates':
        break;
    }
  };
  sides.A = build('A', 'B', weights.a, opts.dataA ?? true);
  sides.B = build('B', 'A', weights.b, opts.dataB ?? true);
  return { a: sides.A, b: sides.B };
}

/** enter/welcome as the room would do it: A (existing) welcomes B (newcomer), B offers. */
async function connect(a: Side, b: Side, dataA = true, dataB = true): Promise<void> {
  a.manager.createPeer('B', { weight: 1, enableDataChannel: dataB });
  a.manager.markWelcoming('B');
  b.manager.createPeer('A', { weight: 2, enableDataChannel: dataA });
  await b.manager.startOffer('A');
  await flush();
}

describe('PeerConnectionManager', () => {
  it('runs offer/answer/answerAck with trickle candidates until both sides connect and the main channel opens', async () => {
    const network = new FakeNetwork();
    const { a, b } = makePair(network);
    await connect(a, b);
    expect(a.manager.getNegotiationState('B')).toBe('negotiated');
    expect(b.manager.getNegotiationState('A')).toBe('negotiated');
    expect(a.ice).toContain('connected');
    expect(b.ice).toContain('connected');
    const types = b.signals.map((s) => s.signal.type);
    expect(types[0]).toBe('offer');
    expect(types).toContain('answerAck');
    expect(a.signals.map((s) => s.signal.type)).toContain('answer');
    const mainB = b.manager.getMainChannel('A');
    const mainA = a.manager.getMainChannel('B');
    expect(mainB?.label).toBe('rid_B_A');
    expect(mainA?.label).toBe('rid_B_A');
    expect(mainA?.readyState).toBe('open');
    expect(b.channels.filter((c) => c.state === 'open' && c.isMain)).toHaveLength(1);
    expect(a.handshakes).toEqual(expect.arrayContaining(['remote:offer', 'local:answer', 'remote:answerAck']));
    expect(b.handshakes).toEqual(expect.arrayContaining(['local:offer', 'remote:answer', 'local:answerAck']));
  });

  it('never takes an auxiliary (per-transfer) channel as the new main channel', async () => {
    const network = new FakeNetwork();
    const { a, b } = makePair(network, undefined, { isAuxiliaryChannel: (l) => l.startsWith('aux:') });
    await connect(a, b);
    const main = a.manager.getMainChannel('B');
    expect(main?.readyState).toBe('open');
    main?.close();
    await flush();
    expect(a.manager.getMainChannel('B')).toBeNull();
    b.manager.createDataChannel('A', 'aux:transfer-1');
    await flush();
    expect(a.channels.some((c) => c.channel.label === 'aux:transfer-1' && c.state === 'open' && !c.isMain)).toBe(true);
    expect(a.manager.getMainChannel('B')).toBeNull();
    b.manager.createDataChannel('A', 'replacement-main');
    await flush();
    expect(a.manager.getMainChannel('B')?.label).toBe('replacement-main');
  });

  it('queues remote candidates until the remote description is set', async () => {
    const network = new FakeNetwork();
    const { a } = makePair(network);
    const reports: string[] = [];
    const manager = new PeerConnectionManager({
      platform: { createPeerConnection: (c) => new FakePeerConnection(network, c) },
      rtcConfiguration: () => ({}),
      localWeight: () => 1,
      enableDataChannel: false,
      mainChannelLabel: () => 'x',
      callbacks: {
        ...noopCallbacks(),
        onRemoteCandidate: (_p, r) => reports.push(r.state),
      },
    });
    void a;
    manager.createPeer('P', { weight: 5, enableDataChannel: false });
    manager.handleCandidate('P', { candidate: 'candidate:1 1 udp 1 127.0.0.1 1 typ host ufrag zz', sdpMid: '0', sdpMLineIndex: 0 });
    expect(reports).toEqual(['received', 'buffered']);
    const remote = new FakePeerConnection(network, {});
    remote.createDataChannel('d');
    const offer = await remote.createOffer();
    await manager.handleOffer('P', offer.sdp ?? '', 5);
    await flush();
    expect(reports).toEqual(['received', 'buffered', 'processing', 'processSuccess']);
    manager.close();
  });

  it('drops filtered candidate types', () => {
    const network = new FakeNetwork();
    const reports: Array<{ state: string; type: string | null }> = [];
    const manager = new PeerConnectionManager({
      platform: { createPeerConnection: (c) => new FakePeerConnection(network, c) },
      rtcConfiguration: () => ({}),
      localWeight: () => 1,
      enableDataChannel: false,
      mainChannelLabel: () => 'x',
      filterCandidateTypes: new Set(['host']),
      callbacks: { ...noopCallbacks(), onRemoteCandidate: (_p, r) => reports.push({ state: r.state, type: r.candidateType }) },
    });
    manager.createPeer('P', { weight: 1, enableDataChannel: false });
    manager.handleCandidate('P', { candidate: 'candidate:1 1 udp 1 127.0.0.1 1 typ host', sdpMid: '0', sdpMLineIndex: 0 });
    expect(reports.at(-1)).toEqual({ state: 'dropped', type: 'host' });
    manager.close();
  });

  it('does not create a data channel when the remote disables it', async () => {
    const network = new FakeNetwork();
    const { a, b } = makePair(network, undefined, { dataA: false });
    await connect(a, b, false, true);
    expect(b.manager.getMainChannel('A')).toBeNull();
    expect(a.manager.getMainChannel('B')).toBeNull();
    expect(a.ice).toContain('connected');
  });

  it('resolves offer glare by weight: the higher weight keeps its offer, the other rolls back and re-offers', async () => {
    const network = new FakeNetwork();
    const { a, b } = makePair(network);
    await connect(a, b);
    a.signals.length = 0;
    b.signals.length = 0;
    // Both renegotiate at the same time.
    await Promise.all([a.manager.renegotiate('B', false), b.manager.renegotiate('A', false)]);
    await flush(200);
    expect(a.manager.getNegotiationState('B')).toBe('negotiated');
    expect(b.manager.getNegotiationState('A')).toBe('negotiated');
    // B (lower weight) answered A's offer and then replayed its own renegotiation.
    expect(b.signals.map((s) => s.signal.type)).toEqual(expect.arrayContaining(['offer', 'answer']));
    const pcA = a.manager.getPeerConnection('B') as FakePeerConnection;
    expect(pcA.signalingState).toBe('stable');
    expect(a.manager.getMainChannel('B')?.readyState).toBe('open');
  });

  it('serialises renegotiations requested while a negotiation is in flight', async () => {
    const network = new FakeNetwork();
    const { a, b } = makePair(network);
    await connect(a, b);
    b.signals.length = 0;
    const p1 = b.manager.renegotiate('A', false);
    const p2 = b.manager.renegotiate('A', true);
    await Promise.all([p1, p2]);
    await flush(200);
    const offers = b.signals.filter((s) => s.signal.type === 'offer');
    expect(offers).toHaveLength(2);
    expect(offers[1]?.signal).toMatchObject({ iceRestart: true, renegotiation: true });
    expect(b.manager.getNegotiationState('A')).toBe('negotiated');
  });

  it('rejects a refresh before any negotiation happened', async () => {
    const network = new FakeNetwork();
    const { a } = makePair(network);
    a.manager.createPeer('B', { weight: 1, enableDataChannel: true });
    a.manager.markWelcoming('B');
    await expect(a.manager.renegotiate('B', true)).rejects.toThrow('No localDescription set');
  });

  describe('ICE restart policy', () => {
    afterEach(() => jest.useRealTimers());

    it('restarts ICE after `disconnected` lasts the timeout, and reconnects', async () => {
      const network = new FakeNetwork();
      const { a, b } = makePair(network);
      await connect(a, b);
      jest.useFakeTimers();
      const pcB = b.manager.getPeerConnection('A') as FakePeerConnection;
      b.signals.length = 0;
      pcB.simulateIceState('disconnected');
      jest.advanceTimersByTime(3999);
      await flush();
      expect(b.signals.filter((s) => s.signal.type === 'offer')).toHaveLength(0);
      jest.advanceTimersByTime(1);
      await flush(200);
      const offers = b.signals.filter((s) => s.signal.type === 'offer');
      expect(offers).toHaveLength(1);
      expect(offers[0]?.signal).toMatchObject({ iceRestart: true });
      expect(pcB.iceConnectionState).toBe('connected');
      expect(b.ice.slice(-2)).toEqual(['checking', 'connected']);
    });

    it('does not restart when `disconnected` recovers by itself', async () => {
      const network = new FakeNetwork();
      const { a, b } = makePair(network);
      await connect(a, b);
      jest.useFakeTimers();
      const pcB = b.manager.getPeerConnection('A') as FakePeerConnection;
      b.signals.length = 0;
      pcB.simulateIceState('disconnected');
      jest.advanceTimersByTime(2000);
      pcB.simulateIceState('connected');
      jest.advanceTimersByTime(10000);
      await flush();
      expect(b.signals.filter((s) => s.signal.type === 'offer')).toHaveLength(0);
    });

    it('restarts at once on `failed`, retries, and reports exhaustion', async () => {
      const network = new FakeNetwork();
      const { a, b } = makePair(network);
      await connect(a, b);
      jest.useFakeTimers();
      b.deliver = false; // restart offers never reach A: the connection cannot recover
      const pcB = b.manager.getPeerConnection('A') as FakePeerConnection;
      b.signals.length = 0;
      pcB.simulateIceState('failed');
      await flush();
      expect(b.signals.filter((s) => s.signal.type === 'offer')).toHaveLength(1);
      jest.advanceTimersByTime(10000);
      await flush();
      // Second attempt: the first is still waiting for its answer, so it is queued as a pending restart.
      expect(b.exhausted).toEqual([]);
      jest.advanceTimersByTime(10000);
      await flush();
      expect(b.exhausted).toEqual(['A']);
    });
  });

  it('closePeer releases the connection, its channels and every listener', async () => {
    const network = new FakeNetwork();
    const { a, b } = makePair(network);
    await connect(a, b);
    const pcA = a.manager.getPeerConnection('B') as FakePeerConnection;
    const channel = a.manager.getMainChannel('B') as unknown as { listenerCount(): number };
    a.manager.closePeer('B');
    expect(pcA.signalingState).toBe('closed');
    expect(pcA.listenerCount()).toBe(0);
    expect(channel.listenerCount()).toBe(0);
    expect(a.manager.has('B')).toBe(false);
    await flush();
    // B's side of the channel closes.
    expect(b.channels.some((c) => c.state === 'closed' && c.isMain)).toBe(true);
    b.manager.close();
    expect(network.open()).toHaveLength(0);
  });
});
