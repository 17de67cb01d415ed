/**
 * The peer half of SkylinkRoom (split out to keep the orchestrator small): enter/welcome/offer/answer
 * handling, the PeerConnectionManager callbacks turned into state changes and events, peer removal,
 * and the peer-level commands (refreshConnection, refreshDatachannel, getConnectionStatus, lookups).
 * It only acts on its room; it never dispatches for another room.
 * @internal
 */
import {
  DATA_CHANNEL_STATE,
  DATA_CHANNEL_TYPE,
  GET_CONNECTION_STATUS_STATE,
  HANDSHAKE_PROGRESS,
  PEER_TYPE,
} from '../constants';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import { PeerConnectionManager, type IceRestartPolicy } from '../peer/PeerConnectionManager';
import { parseCandidate } from '../peer/sdp';
import { parseConnectionStats } from '../peer/statsParser';
import type { AnswerMessage, EnterMessage, OfferMessage, WelcomeMessage } from '../signaling/protocol';
import type { RefreshConnectionResult } from '../types/misc';
import type { CustomSettings, DataChannelInfo, PeerInfo, PeerInRoomInfo } from '../types/peer';
import type { ConnectionStatistics } from '../types/stats';
import { announcement, mergeUserInfo, readRemotePeer, rtcConfiguration } from './roomMessages';
import type { RemotePeer } from './RoomState';
import type { SkylinkRoom } from './SkylinkRoom';
import { isTransferChannelLabel } from '../data/dataProtocol';

const RESERVED: ReadonlySet<string> = new Set(Object.values(PEER_TYPE));

interface CandidateCounts {
  received: number;
  processed: number;
  /** Added, failed or dropped after being received. */
  settled: number;
  /** `noOfExpectedCandidates` of an endOfCandidates waiting for the last candidates to settle. */
  endExpected: number | null;
}

export class RoomPeerOps {
  /** Previous stats report per peer, for the delta counters of getConnectionStatus. */
  private readonly lastStats = new Map<string, Map<string, Record<string, unknown>>>();
  /** Remote candidates per peer since its last end-of-candidates (CANDIDATES_GATHERED). */
  private readonly candidateCounts = new Map<string, CandidateCounts>();

  constructor(private readonly room: SkylinkRoom) {}

  private get state() {
    return this.room.state;
  }

  private get roomName(): string {
    return this.room.roomName;
  }

  createManager(policy?: Partial<IceRestartPolicy>): PeerConnectionManager {
    const room = this.room;
    const options = room.options;
    const filter = new Set<'host' | 'srflx' | 'relay'>();
    if (options.filterCandidatesType.host) filter.add('host');
    if (options.filterCandidatesType.srflx) filter.add('srflx');
    if (options.filterCandidatesType.relay) filter.add('relay');
    return new PeerConnectionManager({
      platform: room.platform,
      rtcConfiguration: () => rtcConfiguration(this.state.iceServers, options.forceTURN),
      localWeight: () => this.state.weight,
      enableDataChannel: options.enableDataChannel,
      mainChannelLabel: (peerId) => `${this.state.rid}_${this.state.selfId ?? ''}_${peerId}`,
      isAuxiliaryChannel: isTransferChannelLabel,
      filterCandidateTypes: filter,
      ...(policy ? { iceRestartPolicy: policy } : {}),
      logger: room.log,
      callbacks: {
        sendSignal: (peerId, signal) => room.sendPeerSignal(peerId, signal),
        onPeerConnectionCreated: (peerId, pc) => room.callHooks('peerConnectionCreated', peerId, pc),
        onHandshake: (peerId, step, local, error) => {
          const detail = { state: step, peerId: local ? (this.state.selfId ?? peerId) : peerId, room: this.state.roomInfo(), roomName: this.roomName };
          room.emit('handshakeProgress', error ? { ...detail, state: HANDSHAKE_PROGRESS.ERROR, error } : detail);
        },
        onNegotiated: (peerId) => room.callHooks('negotiated', peerId),
        onSignalingState: (peerId, state) => room.emit('peerConnectionState', { state, peerId, roomName: this.roomName }),
        onConnectionState: (peerId, state) => room.emit('peerConnectionState', { state, peerId, roomName: this.roomName }),
        onIceConnectionState: (peerId, state) => room.emit('iceConnectionState', { state, peerId, roomName: this.roomName }),
        onIceGatheringState: (peerId, state) => room.emitCandidateGeneration(peerId, state),
        onRemoteCandidate: (peerId, report) => {
          const counts = this.counts(peerId);
          if (report.state === 'received') counts.received += 1;
          if (report.state === 'processSuccess') counts.processed += 1;
          if (report.state === 'processSuccess' || report.state === 'processError' || report.state === 'dropped') counts.settled += 1;
          this.maybeGathered(peerId);
          const parsed = parseCandidate(report.candidate.candidate);
          room.emit('candidateProcessingState', {
            peerId,
            state: report.state,
            candidateId: parsed ? `${parsed.foundation}:${parsed.component}:${parsed.address}:${parsed.port}` : report.candidate.candidate,
            candidateType: report.candidateType ?? '',
            candidate: { candidate: report.candidate.candidate, sdpMid: report.candidate.sdpMid, sdpMLineIndex: report.candidate.sdpMLineIndex },
            error: report.error,
            room: this.state.roomInfo(),
            roomName: this.roomName,
          });
        },
        onDataChannel: (peerId, channel, isMain) => room.callHooks('dataChannel', peerId, channel, isMain),
        onDataChannelState: (peerId, channel, state, isMain, error) => {
          room.emitDataChannelState(peerId, channel, state === 'error' ? DATA_CHANNEL_STATE.ERROR : state, isMain, error);
        },
        onTrack: (peerId, event) => room.callHooks('track', peerId, event),
        onIceRestartExhausted: (peerId) => {
          room.log.warn('the connection could not be restored; dropping the peer', undefined, { peerId });
          this.removePeer(peerId);
        },
      },
    });
  }

  // ---- handshake messages ------------------------------------------------------------------------

  private acceptsPeer(peerId: string): boolean {
    const selfId = this.state.selfId;
    return selfId !== null && peerId !== selfId && !RESERVED.has(peerId) && this.room.peers !== null;
  }

  /** A connection to `peerId` exists and is not dead (a duplicate enter/welcome is then ignored). */
  private hasLiveConnection(peerId: string): boolean {
    const pc = this.room.peers?.getPeerConnection(peerId);
    return !!pc && pc.connectionState !== 'failed' && pc.connectionState !== 'closed';
  }

  /** Registers a peer (PEER_JOINED) and creates its connection. */
  private addPeer(peer: RemotePeer): void {
    const manager = this.room.peers;
    if (!manager) return;
    this.state.peers.set(peer.peerId, peer);
    manager.createPeer(peer.peerId, { weight: peer.config.priorityWeight, enableDataChannel: peer.config.enableDataChannel });
    this.room.emit('peerJoined', {
      peerId: peer.peerId,
      peerInfo: this.remoteInfo(peer),
      isSelf: false,
      room: this.state.roomInfo(),
      roomName: this.roomName,
    });
  }

  onEnter(m: EnterMessage): void {
    if (!this.acceptsPeer(m.mid)) return;
    if (this.state.peers.has(m.mid)) {
      if (this.hasLiveConnection(m.mid)) return; // 2.x: duplicate enter ignored (e.g. after a resume)
      this.removePeer(m.mid);
    }
    // Welcome first: the newcomer's offer waits for it, and our connection (PEER_JOINED, listeners)
    // is set up while it travels. The offer cannot overtake: this runs in one task.
    const selfId = this.state.selfId as string;
    this.room.sendSignaling({
      type: 'welcome',
      mid: selfId,
      rid: this.state.rid,
      target: m.mid,
      ...announcement(this.state.selfAgent(), this.room.options.enableDataChannel, this.state.selfUserInfo(), this.state.weight),
    });
    this.addPeer(readRemotePeer(m.mid, m));
    this.room.peers?.markWelcoming(m.mid);
  }

  onWelcome(m: WelcomeMessage): void {
    if (!this.acceptsPeer(m.mid)) return;
    const manager = this.room.peers as NonNullable<SkylinkRoom['peers']>;
    if (this.state.peers.has(m.mid)) {
      // Both sides sent welcome (simultaneous join): the higher weight offers, the other waits.
      const weight = typeof m.weight === 'number' ? m.weight : 0;
      if (manager.getNegotiationState(m.mid) !== 'welcoming' || this.state.weight <= weight) return;
      manager.updateRemote(m.mid, { weight });
    } else {
      this.addPeer(readRemotePeer(m.mid, m));
    }
    this.room.emit('handshakeProgress', { state: HANDSHAKE_PROGRESS.WELCOME, peerId: m.mid, room: this.state.roomInfo(), roomName: this.roomName });
    manager.startOffer(m.mid).catch((error: unknown) => this.room.log.warn('offer failed', error, { peerId: m.mid }));
  }

  onOffer(m: OfferMessage): void {
    if (!this.acceptsPeer(m.mid)) return;
    const existing = this.state.peers.get(m.mid);
    if (!existing) this.addPeer(readRemotePeer(m.mid, m));
    else mergeUserInfo(existing, m.userInfo);
    const peer = this.state.peers.get(m.mid);
    if (peer && Array.isArray(m.mediaInfoList)) peer.mediaInfoList = m.mediaInfoList;
    this.room.peers?.handleOffer(m.mid, m.sdp, typeof m.weight === 'number' ? m.weight : undefined).catch((error: unknown) =>
      this.room.log.warn('answering failed', error, { peerId: m.mid }),
    );
  }

  onAnswer(m: AnswerMessage): void {
    const peer = this.state.peers.get(m.mid);
    if (!peer || !this.room.peers) return;
    mergeUserInfo(peer, m.userInfo);
    if (Array.isArray(m.mediaInfoList)) peer.mediaInfoList = m.mediaInfoList;
    this.room.peers.handleAnswer(m.mid, m.sdp).catch((error: unknown) => this.room.log.warn('applying the answer failed', error, { peerId: m.mid }));
  }

  private counts(peerId: string): CandidateCounts {
    let counts = this.candidateCounts.get(peerId);
    if (!counts) {
      counts = { received: 0, processed: 0, settled: 0, endExpected: null };
      this.candidateCounts.set(peerId, counts);
    }
    return counts;
  }

  /**
   * Remote `endOfCandidates`: CANDIDATES_GATHERED once every candidate received so far is processed
   * (2.x), with what we expected, received and added.
   */
  onEndOfCandidates(peerId: string, expected: number | undefined): void {
    if (!this.state.peers.has(peerId)) return;
    const counts = this.counts(peerId);
    counts.endExpected = typeof expected === 'number' ? expected : counts.received;
    this.maybeGathered(peerId);
  }

  private maybeGathered(peerId: string): void {
    const counts = this.candidateCounts.get(peerId);
    if (!counts || counts.endExpected === null || counts.settled < counts.received) return;
    this.candidateCounts.delete(peerId);
    this.room.emit('candidatesGathered', {
      peerId,
      candidatesLength: { expected: counts.endExpected, received: counts.received, processed: counts.processed },
      room: this.state.roomInfo(),
      roomName: this.roomName,
    });
  }

  /** Peer gone (bye, failed for good): close, forget, PEER_LEFT. Unknown peers are ignored. */
  removePeer(peerId: string): void {
    const peer = this.state.peers.get(peerId);
    const hadConnection = this.room.peers?.has(peerId) ?? false;
    if (!peer && !hadConnection) return;
    const info = peer ? this.remoteInfo(peer) : null;
    this.state.peers.delete(peerId);
    this.lastStats.delete(peerId);
    this.candidateCounts.delete(peerId);
    this.room.callHooks('peerClosed', peerId);
    this.room.peers?.closePeer(peerId);
    if (info) this.room.emit('peerLeft', { peerId, peerInfo: info, isSelf: false, room: this.state.roomInfo(), roomName: this.roomName });
  }

  removeAllPeers(): void {
    const ids = new Set([...this.state.peers.keys(), ...(this.room.peers?.peerIds() ?? [])]);
    for (const peerId of ids) this.removePeer(peerId);
  }

  // ---- lookups ----------------------------------------------------------------------------------------

  /** A remote peer's info (a copy), `settings.data` = our main channel with it is open. */
  remoteInfo(peer: RemotePeer): PeerInfo {
    return this.state.remotePeerInfo(peer, this.room.peers?.getMainChannel(peer.peerId)?.readyState === 'open');
  }

  peersInRoom(): Record<string, PeerInRoomInfo> {
    const out: Record<string, PeerInRoomInfo> = {};
    for (const peer of this.state.peers.values()) out[peer.peerId] = { ...this.remoteInfo(peer), isSelf: false };
    if (this.state.selfId && this.state.inRoom) out[this.state.selfId] = { ...this.state.selfPeerInfo(), isSelf: true };
    return out;
  }

  customSettings(): Record<string, CustomSettings> {
    const out: Record<string, CustomSettings> = {};
    for (const peer of this.state.peers.values()) out[peer.peerId] = this.remoteInfo(peer).settings;
    return out;
  }

  dataChannels(): Record<string, Record<string, DataChannelInfo>> {
    const out: Record<string, Record<string, DataChannelInfo>> = {};
    const manager = this.room.peers;
    for (const peerId of this.state.peers.keys()) {
      const entry: Record<string, DataChannelInfo> = {};
      const main = manager?.getMainChannel(peerId) ?? null;
      for (const channel of manager?.getDataChannels(peerId) ?? []) {
        const isMain = channel === main;
        entry[isMain ? 'main' : channel.label] = {
          channelName: channel.label,
          channelProp: isMain ? 'main' : channel.label,
          channelType: isMain ? DATA_CHANNEL_TYPE.MESSAGING : DATA_CHANNEL_TYPE.DATA,
          currentTransferId: null,
          currentStreamId: null,
          readyState: channel.readyState,
          bufferedAmountLow: channel.bufferedAmount <= channel.bufferedAmountLowThreshold,
          bufferedAmountLowThreshold: channel.bufferedAmountLowThreshold,
        };
      }
      out[peerId] = entry;
    }
    return out;
  }

  // ---- commands ---------------------------------------------------------------------------------------

  private targetIds(peerIds: string | string[] | undefined): string[] {
    if (peerIds === undefined) return [...this.state.peers.keys()];
    return Array.isArray(peerIds) ? peerIds : [peerIds];
  }

  async refreshConnection(peerIds: string | string[] | undefined, iceRestart: boolean): Promise<RefreshConnectionResult> {
    this.room.requireJoined();
    const manager = this.room.peers;
    const listOfPeers = this.targetIds(peerIds);
    const result: RefreshConnectionResult = { listOfPeers, refreshErrors: {}, refreshSettings: {} };
    if (listOfPeers.length === 0) {
      throw new SkylinkError(SkylinkErrorCode.NO_PEERS, 'No Peer Connection detected', { roomName: this.roomName });
    }
    await Promise.all(
      listOfPeers.map(async (peerId) => {
        const peer = this.state.peers.get(peerId);
        if (!peer || !manager?.has(peerId)) {
          result.refreshErrors[peerId] = ['Peer Connection not found'];
          return;
        }
        try {
          await manager.renegotiate(peerId, iceRestart);
          result.refreshSettings[peerId] = { iceRestart, customSettings: this.remoteInfo(peer).settings };
        } catch (error) {
          result.refreshErrors[peerId] = [error instanceof Error ? error.message : String(error)];
        }
      }),
    );
    if (Object.keys(result.refreshSettings).length === 0) {
      const first = Object.values(result.refreshErrors)[0]?.[0] ?? 'Refresh failed';
      throw new SkylinkError(SkylinkErrorCode.NEGOTIATION_FAILED, `Failed refreshing every peer connection: ${first}`, {
        roomName: this.roomName,
        cause: result,
      });
    }
    return result;
  }

  refreshDatachannel(peerId: string): void {
    this.room.requireJoined();
    if (!this.room.options.enableDataChannel) {
      throw new SkylinkError(SkylinkErrorCode.DATA_CHANNEL_DISABLED, 'Data Channel is disabled', { roomName: this.roomName });
    }
    if (!this.state.peers.has(peerId)) throw SkylinkError.peerNotFound(this.roomName, peerId);
    if (!this.room.peers?.refreshMainChannel(peerId)) {
      throw SkylinkError.invalidState('The data channel cannot be refreshed before the connection is negotiated', {
        roomName: this.roomName,
        peerId,
      });
    }
  }

  async connectionStatus(peerIds: string | string[] | undefined): Promise<Array<ConnectionStatistics | null>> {
    this.room.requireJoined();
    const manager = this.room.peers;
    const ids = this.targetIds(peerIds);
    for (const id of ids) {
      if (!this.state.peers.has(id) || !manager?.has(id)) throw SkylinkError.peerNotFound(this.roomName, id);
    }
    return Promise.all(
      ids.map(async (peerId) => {
        const pc = manager?.getPeerConnection(peerId);
        if (!pc) return null;
        this.room.emit('getConnectionStatusStateChange', { state: GET_CONNECTION_STATUS_STATE.RETRIEVING, peerId, roomName: this.roomName });
        try {
          const report = await pc.getStats();
          const previous = this.lastStats.get(peerId) ?? null;
          const { stats, snapshot } = parseConnectionStats(peerId, pc, report, previous, manager?.getDataChannels(peerId) ?? []);
          this.lastStats.set(peerId, snapshot);
          this.room.emit('getConnectionStatusStateChange', { state: GET_CONNECTION_STATUS_STATE.RETRIEVE_SUCCESS, peerId, stats, roomName: this.roomName });
          return stats;
        } catch (error) {
          const err = error instanceof Error ? error : new Error(String(error));
          this.room.emit('getConnectionStatusStateChange', { state: GET_CONNECTION_STATUS_STATE.RETRIEVE_ERROR, peerId, error: err, roomName: this.roomName });
          return null;
        }
      }),
    );
  }
}
