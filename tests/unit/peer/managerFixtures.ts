/** Shared set-up of the PeerConnectionManager unit tests (not a test file itself). */
import {
  PeerConnectionManager,
  type OutgoingSignal,
  type PeerConnectionManagerCallbacks,
} from '../../../src/peer/PeerConnectionManager';
import { FakePeerConnection, type FakeNetwork } from '../../fakes/FakePeerConnection';

/** Flushes pending promise ticks (fakes fire events on microtasks). */
export async function flush(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await Promise.resolve();
}

/** Callbacks that do nothing; spread and override the ones a test watches. */
export function noopCallbacks(): PeerConnectionManagerCallbacks {
  return {
    sendSignal: () => undefined,
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

/** A data-channel-enabled manager `id` on `network` that records what it sends in `sent`. */
export function recordingManager(
  network: FakeNetwork,
  id: string,
  weight: number,
  sent: OutgoingSignal[],
  createPeerConnection: (config: RTCConfiguration) => FakePeerConnection = (c) => new FakePeerConnection(network, c),
  rtcConfiguration: () => RTCConfiguration = () => ({ iceServers: [] }),
): PeerConnectionManager {
  return new PeerConnectionManager({
    platform: { createPeerConnection },
    rtcConfiguration,
    localWeight: () => weight,
    enableDataChannel: true,
    mainChannelLabel: (p) => `rid_${id}_${p}`,
    callbacks: { ...noopCallbacks(), sendSignal: (_p, s) => sent.push(s) },
  });
}
