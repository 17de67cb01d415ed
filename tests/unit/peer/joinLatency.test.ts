/**
 * The join-latency shortcuts of the handshake: the offer leaves before setLocalDescription is done,
 * a spare connection is prepared ahead of need, and an existing peer welcomes before it builds the
 * newcomer's connection. Each keeps the 2.x message order.
 */
import Skylink from '../../../src/Skylink';
import { SkylinkEventManagerClass } from '../../../src/events/SkylinkEventManager';
import {
  PeerConnectionManager,
  type OutgoingSignal,
  type PeerConnectionManagerCallbacks,
} from '../../../src/peer/PeerConnectionManager';
import { FakeNetwork, FakePeerConnection } from '../../fakes/FakePeerConnection';
import { FakeSignalingServer } from '../../fakes/FakeSignalingServer';
import { createFakePlatform, type FakePlatform } from '../../fakes/fakePlatform';
import { waitForEvent } from '../../helpers/waitForEvent';

async function flush(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await Promise.resolve();
}

function callbacks(sendSignal: PeerConnectionManagerCallbacks['sendSignal']): PeerConnectionManagerCallbacks {
  return {
    sendSignal,
    onPeerConnectionCreated: () => undefined,
    onHandshake: () => undefined,
    onNegotiated: () => undefined,
    onSignalingState: () => undefined,
    onIceConnectionState: () => undefined,
    onConnectionState: () => undefined,
    onIceGatheringState: () => undefined,
    onRemoteCandidate: () => undefined,
    onDataChannel: () => undefined,
    onDataChannelState: () => undefined,
    onTrack: () => undefined,
    onIceRestartExhausted: () => undefined,
  };
}

/** A fake connection whose setLocalDescription waits until `release()`. */
class GatedPeerConnection extends FakePeerConnection {
  private gate: (() => void) | null = null;
  pendingLocal = false;

  override async setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    this.pendingLocal = true;
    await new Promise<void>((resolve) => (this.gate = resolve));
    this.pendingLocal = false;
    return super.setLocalDescription(description);
  }

  release(): void {
    this.gate?.();
  }
}

describe('join latency: handshake shortcuts', () => {
  it('sends the offer before setLocalDescription completes; candidates follow it; an early answer waits for it', async () => {
    const network = new FakeNetwork();
    let gated: GatedPeerConnection | null = null;
    const sentByB: OutgoingSignal[] = [];
    const sentByA: OutgoingSignal[] = [];
    const a = new PeerConnectionManager({
      platform: { createPeerConnection: (c) => new FakePeerConnection(network, c) },
      rtcConfiguration: () => ({ iceServers: [] }),
      localWeight: () => 2,
      enableDataChannel: true,
      mainChannelLabel: (p) => `rid_A_${p}`,
      callbacks: callbacks((_p, s) => sentByA.push(s)),
    });
    const b = new PeerConnectionManager({
      platform: { createPeerConnection: (c) => (gated = new GatedPeerConnection(network, c)) },
      rtcConfiguration: () => ({ iceServers: [] }),
      localWeight: () => 1,
      enableDataChannel: true,
      mainChannelLabel: (p) => `rid_B_${p}`,
      callbacks: callbacks((_p, s) => sentByB.push(s)),
    });
    a.createPeer('B', { weight: 1, enableDataChannel: true });
    a.markWelcoming('B');
    b.createPeer('A', { weight: 2, enableDataChannel: true });
    const offering = b.startOffer('A');
    await flush();
    const pc = gated as unknown as GatedPeerConnection;
    expect(pc.pendingLocal).toBe(true);
    expect(sentByB.map((s) => s.type)).toEqual(['offer']);
    expect(b.getNegotiationState('A')).toBe('new');

    // The remote answers at once; the answer is applied only after our own description.
    const offer = sentByB[0] as Extract<OutgoingSignal, { type: 'offer' }>;
    await a.handleOffer('B', offer.sdp, 1);
    const answer = sentByA.find((s) => s.type === 'answer') as Extract<OutgoingSignal, { type: 'answer' }>;
    const answering = b.handleAnswer('A', answer.sdp);
    await flush();
    expect(b.getNegotiationState('A')).toBe('new');

    pc.release();
    await offering;
    await answering;
    await flush(200);
    expect(b.getNegotiationState('A')).toBe('negotiated');
    const types = sentByB.map((s) => s.type);
    expect(types[0]).toBe('offer');
    expect(types).toContain('candidate');
    expect(types).toContain('answerAck');
    a.close();
    b.close();
  });

  it('hands the spare connection to the next peer, replaces it when the configuration changed, closes it on close()', () => {
    const network = new FakeNetwork();
    const created: FakePeerConnection[] = [];
    let servers: RTCIceServer[] = [];
    const manager = new PeerConnectionManager({
      platform: {
        createPeerConnection: (c) => {
          const pc = new FakePeerConnection(network, c);
          created.push(pc);
          return pc;
        },
      },
      rtcConfiguration: () => ({ iceServers: servers }),
      localWeight: () => 1,
      enableDataChannel: true,
      mainChannelLabel: () => 'main',
      callbacks: callbacks(() => undefined),
    });
    manager.prepareSpare();
    manager.prepareSpare(); // one spare at most
    expect(created).toHaveLength(1);
    expect(manager.createPeer('P1', { weight: 1, enableDataChannel: true })).toBe(created[0]);
    expect(manager.createPeer('P2', { weight: 1, enableDataChannel: true })).toBe(created[1]);

    manager.prepareSpare();
    servers = [{ urls: 'turn:turn.test' }];
    const p3 = manager.createPeer('P3', { weight: 1, enableDataChannel: true });
    expect(created).toHaveLength(4);
    expect(created[2]?.signalingState).toBe('closed');
    expect(p3).toBe(created[3]);

    manager.prepareSpare();
    manager.close();
    expect(created).toHaveLength(5);
    expect(created.every((pc) => pc.signalingState === 'closed')).toBe(true);
  });
});

describe('join latency: room', () => {
  let server: FakeSignalingServer;
  let network: FakeNetwork;
  beforeEach(() => {
    server = new FakeSignalingServer();
    network = new FakeNetwork();
  });
  afterEach(() => server.close());

  function makeClient(): { skylink: Skylink; events: SkylinkEventManagerClass; platform: FakePlatform } {
    const events = new SkylinkEventManagerClass();
    const platform = createFakePlatform({ server, network });
    const skylink = new Skylink({ appKey: 'app', defaultRoom: 'lobby', roomServer: '//fake.test:3000', forceSSL: false }, { eventManager: events, platform });
    return { skylink, events, platform };
  }

  const open = (p: FakePlatform): FakePeerConnection[] => (p.peerConnections as FakePeerConnection[]).filter((pc) => pc.signalingState !== 'closed');

  it('prepares one connection on joining, uses it for the first peer, and welcomes before PEER_JOINED', async () => {
    const a = makeClient();
    const b = makeClient();
    await a.skylink.joinRoom();
    expect(open(a.platform)).toHaveLength(1);
    const spare = open(a.platform)[0];

    // When the existing peer announces the newcomer, its welcome is already on the wire.
    let welcomedFirst: boolean | null = null;
    a.events.addEventListener('peerJoined', (e) => {
      if (e.detail.isSelf) return;
      const sent = a.platform.sockets.flatMap((s) => (s as unknown as { sent: string[] }).sent).map((p) => JSON.parse(p) as { type: string; target?: string });
      welcomedFirst = sent.some((m) => m.type === 'welcome' && m.target === e.detail.peerId);
    });
    const channelOpen = waitForEvent(a.events, 'dataChannelState', (d) => d.state === 'open');
    await b.skylink.joinRoom();
    await channelOpen;
    expect(welcomedFirst).toBe(true);
    expect(a.platform.peerConnections).toHaveLength(1);
    expect(open(a.platform)).toEqual([spare]);
    expect(b.platform.peerConnections).toHaveLength(1);

    await a.skylink.leaveRoom('lobby');
    await b.skylink.leaveRoom('lobby');
    expect(open(a.platform)).toEqual([]);
    expect(open(b.platform)).toEqual([]);
  });

  it('closes the unused spare when the room is left alone', async () => {
    const a = makeClient();
    await a.skylink.joinRoom();
    expect(open(a.platform)).toHaveLength(1);
    await a.skylink.leaveRoom('lobby');
    expect(open(a.platform)).toEqual([]);
  });
});
