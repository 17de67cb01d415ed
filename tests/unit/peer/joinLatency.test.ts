/**
 * The join-latency shortcuts of the handshake: the offer and the answer leave before
 * setLocalDescription is done (data-only), and a spare connection is prepared ahead of need. Each keeps the 2.x message order.
 * Welcome-before-PEER_JOINED is tested with the room (tests/unit/room/roomEvents.test.ts).
 */
import type { OutgoingSignal } from '../../../src/peer/PeerConnectionManager';
import { FakeNetwork, FakePeerConnection } from '../../fakes/FakePeerConnection';
import { flush, recordingManager } from './managerFixtures';

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
  it('without local media, sends the offer before setLocalDescription completes; candidates follow it; an early answer waits for it', async () => {
    const network = new FakeNetwork();
    let gated: GatedPeerConnection | null = null;
    const sentByB: OutgoingSignal[] = [];
    const sentByA: OutgoingSignal[] = [];
    const a = recordingManager(network, 'A', 2, sentByA);
    const b = recordingManager(network, 'B', 1, sentByB, (c) => (gated = new GatedPeerConnection(network, c)));
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

  it('without local media, sends the answer before setLocalDescription completes; an answerAck that arrives meanwhile completes the negotiation', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
    try {
      const network = new FakeNetwork();
      let gated: GatedPeerConnection | null = null;
      const sentByA: OutgoingSignal[] = [];
      const sentByB: OutgoingSignal[] = [];
      const a = recordingManager(network, 'A', 2, sentByA, (c) => (gated = new GatedPeerConnection(network, c)));
      const b = recordingManager(network, 'B', 1, sentByB);
      a.createPeer('B', { weight: 1, enableDataChannel: true });
      a.markWelcoming('B');
      b.createPeer('A', { weight: 2, enableDataChannel: true });
      await b.startOffer('A');
      const offer = sentByB.find((s) => s.type === 'offer') as Extract<OutgoingSignal, { type: 'offer' }>;
      const answering = a.handleOffer('B', offer.sdp, 1);
      await flush();
      const pc = gated as unknown as GatedPeerConnection;
      expect(pc.pendingLocal).toBe(true);
      expect(sentByA.map((s) => s.type)).toEqual(['answer']);
      expect(a.getNegotiationState('B')).toBe('localAnswerSet');

      // The offerer applies it and acknowledges before our setLocalDescription is done.
      const answer = sentByA[0] as Extract<OutgoingSignal, { type: 'answer' }>;
      await b.handleAnswer('A', answer.sdp);
      expect(sentByB.some((s) => s.type === 'answerAck')).toBe(true);
      a.handleAnswerAck('B', true);
      expect(a.getNegotiationState('B')).toBe('negotiated');

      pc.release();
      await answering;
      await flush(200);
      expect(a.getNegotiationState('B')).toBe('negotiated');
      expect(sentByA.filter((s) => s.type === 'answer')).toHaveLength(1);
      expect(sentByA.map((s) => s.type)).toContain('candidate');
      expect(jest.getTimerCount()).toBe(0); // no ack timer left behind
      a.close();
      b.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('with local media, waits for setLocalDescription before sending the offer (its mediaInfoList needs the mids)', async () => {
    const network = new FakeNetwork();
    let gated: GatedPeerConnection | null = null;
    const sent: OutgoingSignal[] = [];
    const b = recordingManager(network, 'B', 1, sent, (c) => (gated = new GatedPeerConnection(network, c)));
    const pc = b.createPeer('A', { weight: 2, enableDataChannel: true });
    pc.addTrack({ kind: 'audio', id: 't1' } as unknown as MediaStreamTrack);
    const offering = b.startOffer('A');
    await flush();
    expect((gated as unknown as GatedPeerConnection).pendingLocal).toBe(true);
    expect(sent).toEqual([]);
    (gated as unknown as GatedPeerConnection).release();
    await offering;
    expect(sent.map((s) => s.type)[0]).toBe('offer');
    expect(b.getNegotiationState('A')).toBe('localOfferSent');
    b.close();
  });

  it('hands the spare connection to the next peer, replaces it when the configuration changed, closes it on close()', () => {
    const network = new FakeNetwork();
    const created: FakePeerConnection[] = [];
    let servers: RTCIceServer[] = [];
    const record = (c: RTCConfiguration): FakePeerConnection => {
      const pc = new FakePeerConnection(network, c);
      created.push(pc);
      return pc;
    };
    const manager = recordingManager(network, 'M', 1, [], record, () => ({ iceServers: servers }));
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
