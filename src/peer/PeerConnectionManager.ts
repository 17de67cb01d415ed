/**
 * Full-mesh peer connections of ONE room: the 2.x handshake after enter/welcome (offer, answer,
 * answerAck, trickle candidates), glare handling by weight, ICE candidates queued until the remote
 * description is set, one reliable `main` data channel per peer, and an automatic ICE-restart policy.
 *
 * It knows nothing about the signalling wire format, the event manager or the facade: it reports up
 * through the callbacks given to its constructor (LiveKit's manager pattern) and SkylinkRoom turns
 * those into protocol messages, state changes and public events. One instance per room, so leaving a
 * room is `close()`.
 *
 * Negotiation is serialised per peer with a {@link TaskQueue}. States follow 2.x
 * (NEG/negotiationState.js): `welcoming` after we sent `welcome`, `localOfferSent`, `localAnswerSet`
 * (waiting for the offerer's `answerAck`), `negotiated`. Offers that arrive while we wait for an
 * `answerAck` are buffered and replayed; restarts requested mid-negotiation run once it completes.
 * @internal
 */
import type {
  DataChannelLike,
  IceCandidateLike,
  PeerConnectionEventMap,
  PeerConnectionLike,
  SkylinkPlatform,
} from '../platform/SkylinkPlatform';
import type { Logger } from '../logger';
import { TaskQueue } from './TaskQueue';
import { candidateType, hasDataChannelSection, type CandidateType } from './sdp';

export type NegotiationState = 'new' | 'welcoming' | 'localOfferSent' | 'localAnswerSet' | 'negotiated' | 'closed';

/** A negotiation message the room must send to the peer (the room adds the envelope and userInfo). */
export type OutgoingSignal =
  | { readonly type: 'offer'; readonly sdp: string; readonly iceRestart: boolean; readonly renegotiation: boolean }
  | { readonly type: 'answer'; readonly sdp: string }
  | { readonly type: 'answerAck'; readonly success: boolean }
  | { readonly type: 'candidate'; readonly candidate: IceCandidateLike }
  | { readonly type: 'endOfCandidates'; readonly count: number };

/** Handshake steps reported for HANDSHAKE_PROGRESS. `local` = we performed/sent it. */
export type HandshakeStep = 'offer' | 'answer' | 'answerAck' | 'error';

export type RemoteCandidateState = 'received' | 'dropped' | 'buffered' | 'processing' | 'processSuccess' | 'processError';

export interface RemoteCandidateReport {
  readonly state: RemoteCandidateState;
  readonly candidate: IceCandidateLike;
  readonly candidateType: CandidateType | null;
  readonly error: Error | null;
}

/** Upward channel of the manager (all required so nothing is silently dropped). */
export interface PeerConnectionManagerCallbacks {
  /** Send a negotiation message to `peerId`. */
  sendSignal(peerId: string, signal: OutgoingSignal): void;
  /** A new RTCPeerConnection exists for `peerId` (media services add their tracks here). */
  onPeerConnectionCreated(peerId: string, pc: PeerConnectionLike): void;
  onHandshake(peerId: string, step: HandshakeStep, local: boolean, error?: Error): void;
  /** Negotiation reached `negotiated` (answerAck sent or received). */
  onNegotiated(peerId: string): void;
  onSignalingState(peerId: string, state: RTCSignalingState): void;
  onIceConnectionState(peerId: string, state: RTCIceConnectionState): void;
  onConnectionState(peerId: string, state: RTCPeerConnectionState): void;
  onIceGatheringState(peerId: string, state: RTCIceGatheringState): void;
  onRemoteCandidate(peerId: string, report: RemoteCandidateReport): void;
  /** A data channel was created or received. `isMain` = the 2.x `main` messaging channel. */
  onDataChannel(peerId: string, channel: DataChannelLike, isMain: boolean): void;
  onDataChannelState(peerId: string, channel: DataChannelLike, state: RTCDataChannelState | 'error', isMain: boolean, error?: Error): void;
  onTrack(peerId: string, event: PeerConnectionEventMap['track']): void;
  /** Automatic ICE restarts did not bring the connection back. */
  onIceRestartExhausted(peerId: string): void;
}

export interface IceRestartPolicy {
  /** How long `disconnected` may last before an ICE restart. */
  readonly disconnectedTimeoutMs: number;
  /** How long a restart may take to reach `connected` before the next attempt. */
  readonly restartTimeoutMs: number;
  /** Attempts before `onIceRestartExhausted`. */
  readonly maxAttempts: number;
  /** How long to wait for an `answerAck` before treating the answer as acknowledged. */
  readonly answerAckTimeoutMs: number;
}

export const DEFAULT_ICE_RESTART_POLICY: IceRestartPolicy = {
  disconnectedTimeoutMs: 4000,
  restartTimeoutMs: 10000,
  maxAttempts: 3,
  answerAckTimeoutMs: 5000,
};

export interface PeerConnectionManagerOptions {
  readonly platform: Pick<SkylinkPlatform, 'createPeerConnection'>;
  /** RTCConfiguration for new connections (read at creation time). */
  readonly rtcConfiguration: () => RTCConfiguration;
  /** Our tieBreaker; the higher weight wins offer glare. */
  readonly localWeight: () => number;
  readonly enableDataChannel: boolean;
  /** 2.x label of the main channel we create as offerer: `<rid>_<ownSid>_<peerId>`. */
  readonly mainChannelLabel: (peerId: string) => string;
  /** Labels of channels that can never become the main channel (per-transfer channels). */
  readonly isAuxiliaryChannel?: (label: string) => boolean;
  /** Received ICE candidate types to drop (`filterCandidatesType`). */
  readonly filterCandidateTypes?: ReadonlySet<CandidateType>;
  readonly iceRestartPolicy?: Partial<IceRestartPolicy>;
  readonly callbacks: PeerConnectionManagerCallbacks;
  readonly logger?: Logger;
}

/** What the room knows about the remote peer from its enter/welcome. */
export interface RemotePeerParams {
  readonly weight: number;
  readonly enableDataChannel: boolean;
}

interface PeerSession {
  readonly peerId: string;
  readonly pc: PeerConnectionLike;
  readonly queue: TaskQueue;
  state: NegotiationState;
  remote: RemotePeerParams;
  /** Remote candidates waiting for the remote description. */
  pendingCandidates: IceCandidateLike[];
  /** True while setRemoteDescription runs (candidates must wait for it). */
  settingRemote: boolean;
  bufferedOffer: string | null;
  pendingRestart: { iceRestart: boolean } | null;
  mainChannel: DataChannelLike | null;
  channels: Map<DataChannelLike, () => void>;
  readonly detach: Array<() => void>;
  localCandidates: number;
  /** Local candidates held until the offer/answer they belong to has been sent. */
  outbox: OutgoingSignal[] | null;
  disconnectedTimer: ReturnType<typeof setTimeout> | null;
  restartTimer: ReturnType<typeof setTimeout> | null;
  ackTimer: ReturnType<typeof setTimeout> | null;
  restartAttempts: number;
  /** Whether we are the side that made the initial offer (creates the main channel). */
  isOfferer: boolean;
}

export class PeerConnectionManager {
  private readonly peers = new Map<string, PeerSession>();
  private readonly policy: IceRestartPolicy;
  private closed = false;
  /** An idle connection made ahead of need (prepareSpare), with the configuration it was made with. */
  private spare: { readonly pc: PeerConnectionLike; readonly config: string } | null = null;

  constructor(private readonly options: PeerConnectionManagerOptions) {
    this.policy = { ...DEFAULT_ICE_RESTART_POLICY, ...options.iceRestartPolicy };
  }

  private get cb(): PeerConnectionManagerCallbacks {
    return this.options.callbacks;
  }

  has(peerId: string): boolean {
    return this.peers.has(peerId);
  }

  peerIds(): string[] {
    return [...this.peers.keys()];
  }

  getPeerConnection(peerId: string): PeerConnectionLike | null {
    return this.peers.get(peerId)?.pc ?? null;
  }

  getMainChannel(peerId: string): DataChannelLike | null {
    return this.peers.get(peerId)?.mainChannel ?? null;
  }

  /** Every open-or-opening data channel of the peer (main first). */
  getDataChannels(peerId: string): DataChannelLike[] {
    const session = this.peers.get(peerId);
    if (!session) return [];
    const all = [...session.channels.keys()];
    return session.mainChannel ? [session.mainChannel, ...all.filter((c) => c !== session.mainChannel)] : all;
  }

  getNegotiationState(peerId: string): NegotiationState | null {
    return this.peers.get(peerId)?.state ?? null;
  }

  /** Updates what we know of the remote (a later welcome/offer may carry new values). */
  updateRemote(peerId: string, remote: Partial<RemotePeerParams>): void {
    const session = this.peers.get(peerId);
    if (session) session.remote = { ...session.remote, ...remote };
  }

  /** Creates the RTCPeerConnection for `peerId` (no-op if it exists). */
  createPeer(peerId: string, remote: RemotePeerParams): PeerConnectionLike {
    this.assertOpen();
    const existing = this.peers.get(peerId);
    if (existing) return existing.pc;
    const config = this.options.rtcConfiguration();
    const pc = this.takeSpare(config) ?? this.options.platform.createPeerConnection(config);
    const session: PeerSession = {
      peerId,
      pc,
      queue: new TaskQueue(),
      state: 'new',
      remote,
      pendingCandidates: [],
      settingRemote: false,
      bufferedOffer: null,
      pendingRestart: null,
      mainChannel: null,
      channels: new Map(),
      detach: [],
      localCandidates: 0,
      outbox: null,
      disconnectedTimer: null,
      restartTimer: null,
      ackTimer: null,
      restartAttempts: 0,
      isOfferer: false,
    };
    this.peers.set(peerId, session);
    this.attachPeerListeners(session);
    this.cb.onPeerConnectionCreated(peerId, pc);
    return pc;
  }

  /**
   * Makes one idle RTCPeerConnection ahead of need: the next createPeer takes it. A page's first
   * connection is the slow one (it starts the browser's WebRTC machinery), so the room prepares it
   * right after sending `enter`, while the `welcome` is on its way. Failures are left to createPeer.
   */
  prepareSpare(): void {
    if (this.closed || this.spare) return;
    const config = this.options.rtcConfiguration();
    try {
      this.spare = { pc: this.options.platform.createPeerConnection(config), config: JSON.stringify(config) };
    } catch {
      // createPeer will try again and report it
    }
  }

  /** The spare connection if it was made with `config` (else it is closed). */
  private takeSpare(config: RTCConfiguration): PeerConnectionLike | null {
    const spare = this.spare;
    this.spare = null;
    if (!spare) return null;
    if (spare.config === JSON.stringify(config) && spare.pc.signalingState !== 'closed') return spare.pc;
    spare.pc.close();
    return null;
  }

  /** We sent `welcome` to this peer: we now expect its offer. */
  markWelcoming(peerId: string): void {
    const session = this.peers.get(peerId);
    if (session && session.state === 'new') session.state = 'welcoming';
  }

  /** Makes the initial offer (we received `welcome`: the newcomer offers). */
  startOffer(peerId: string): Promise<void> {
    const session = this.require(peerId);
    session.isOfferer = true;
    return session.queue.push(() => this.makeOffer(session, false, false));
  }

  /**
   * Renegotiates with the peer (refreshConnection, ICE restart, media changes). Resolves once the
   * offer is sent, or once the restart is scheduled when a negotiation is in progress.
   */
  renegotiate(peerId: string, iceRestart: boolean): Promise<void> {
    const session = this.require(peerId);
    return session.queue.push(async () => {
      if (session.state === 'new' || session.state === 'welcoming') {
        throw new Error('No localDescription set to connection. There could be a handshaking step error.');
      }
      if (session.state === 'localOfferSent' || session.state === 'localAnswerSet') {
        // Mid-negotiation: replay once it completes (2.x checkAndApplyBufferedRestart).
        session.pendingRestart = { iceRestart: iceRestart || (session.pendingRestart?.iceRestart ?? false) };
        return;
      }
      await this.makeOffer(session, iceRestart, true);
    });
  }

  /** Remote `offer`. `remoteWeight` settles glare: the higher weight keeps its own offer. */
  handleOffer(peerId: string, sdp: string, remoteWeight: number | undefined): Promise<void> {
    const session = this.require(peerId);
    if (remoteWeight !== undefined) session.remote = { ...session.remote, weight: remoteWeight };
    return session.queue.push(() => this.acceptOffer(session, sdp));
  }

  handleAnswer(peerId: string, sdp: string): Promise<void> {
    const session = this.require(peerId);
    return session.queue.push(async () => {
      if (session.state !== 'localOfferSent') {
        this.log('debug', 'dropping answer: no offer pending', peerId);
        return;
      }
      try {
        await this.setRemote(session, { type: 'answer', sdp });
      } catch (error) {
        const err = asError(error);
        this.cb.onHandshake(peerId, 'error', false, err);
        // 2.x sends answerAck{success:false} on failure; the connection stays as it was.
        session.state = 'negotiated';
        this.cb.sendSignal(peerId, { type: 'answerAck', success: false });
        return;
      }
      this.cb.onHandshake(peerId, 'answer', false);
      if (session.mainChannel && !hasDataChannelSection(sdp)) {
        // The remote rejected the data channel (enableDataChannel: false on its side).
        session.mainChannel.close();
      }
      session.state = 'negotiated';
      this.cb.sendSignal(peerId, { type: 'answerAck', success: true });
      this.cb.onHandshake(peerId, 'answerAck', true);
      this.cb.onNegotiated(peerId);
      this.afterNegotiated(session);
    });
  }

  handleAnswerAck(peerId: string, success: boolean): void {
    const session = this.peers.get(peerId);
    if (!session) return;
    this.cb.onHandshake(peerId, 'answerAck', false);
    if (session.state !== 'localAnswerSet') return;
    if (!success) this.log('warn', 'remote failed to apply our answer', peerId);
    this.completeAnswer(session);
  }

  /** Remote `candidate`: added now, or queued until the remote description is set. */
  handleCandidate(peerId: string, candidate: IceCandidateLike): void {
    const session = this.peers.get(peerId);
    const type = candidateType(candidate.candidate);
    const report = (state: RemoteCandidateState, error: Error | null = null): void =>
      this.cb.onRemoteCandidate(peerId, { state, candidate, candidateType: type, error });
    if (!session || session.state === 'closed') {
      report('dropped', new Error('No peer connection'));
      return;
    }
    report('received');
    if (!candidate.candidate && !candidate.sdpMid) {
      report('dropped', new Error('Empty candidate'));
      return;
    }
    if (type && this.options.filterCandidateTypes?.has(type)) {
      report('dropped', new Error(`Candidate type "${type}" is filtered`));
      return;
    }
    if (!session.pc.remoteDescription || session.settingRemote) {
      session.pendingCandidates.push(candidate);
      report('buffered');
      return;
    }
    void this.addCandidate(session, candidate);
  }

  /** Closes and re-creates the main data channel (2.x refreshDatachannel). */
  refreshMainChannel(peerId: string): boolean {
    const session = this.peers.get(peerId);
    if (!session || !this.options.enableDataChannel || !session.remote.enableDataChannel) return false;
    if (session.state !== 'negotiated' && session.state !== 'localAnswerSet') return false;
    const label = session.mainChannel?.label ?? this.options.mainChannelLabel(peerId);
    const old = session.mainChannel;
    session.mainChannel = null;
    if (old) old.close();
    this.createMainChannel(session, label);
    return true;
  }

  /** Opens an extra data channel to the peer (used by data transfers). */
  createDataChannel(peerId: string, label: string, init?: RTCDataChannelInit): DataChannelLike {
    const session = this.require(peerId);
    const channel = session.pc.createDataChannel(label, init);
    this.trackChannel(session, channel, false);
    return channel;
  }

  getStats(peerId: string): Promise<RTCStatsReport> {
    return this.require(peerId).pc.getStats();
  }

  /** Closes one peer connection and releases everything attached to it. */
  closePeer(peerId: string): void {
    const session = this.peers.get(peerId);
    if (!session) return;
    this.peers.delete(peerId);
    session.state = 'closed';
    session.queue.close();
    this.clearTimers(session);
    for (const undo of session.detach.splice(0)) undo();
    for (const [channel, undo] of session.channels) {
      undo();
      channel.close();
    }
    session.channels.clear();
    session.mainChannel = null;
    session.pendingCandidates = [];
    session.pc.close();
  }

  /** Closes every peer connection; the manager cannot be used afterwards. */
  close(): void {
    for (const peerId of [...this.peers.keys()]) this.closePeer(peerId);
    this.spare?.pc.close();
    this.spare = null;
    this.closed = true;
  }

  // ---- negotiation -----------------------------------------------------------------------------

  private async makeOffer(session: PeerSession, iceRestart: boolean, renegotiation: boolean): Promise<void> {
    if (session.state === 'closed') return;
    if (!renegotiation && this.options.enableDataChannel && session.remote.enableDataChannel && !session.mainChannel) {
      this.createMainChannel(session, this.options.mainChannelLabel(session.peerId));
    }
    try {
      const offer = await session.pc.createOffer(iceRestart ? { iceRestart: true } : undefined);
      if (this.isGone(session)) return;
      // Without local media the offer is sent as soon as it is created (as 2.x does): the remote
      // answers while we apply it, and its answer waits in the queue until we are done. With media
      // it waits: the mediaInfoList sent with it needs the mids that setLocalDescription assigns.
      const early = !session.pc.getSenders().some((sender) => sender.track);
      session.outbox ??= [];
      const applying = session.pc.setLocalDescription(offer);
      if (early) this.sendOffer(session, offer.sdp ?? '', iceRestart, renegotiation);
      await applying;
      if (this.isGone(session)) return;
      session.state = 'localOfferSent';
      if (!early) this.sendOffer(session, session.pc.localDescription?.sdp ?? offer.sdp ?? '', iceRestart, renegotiation);
      this.cb.onHandshake(session.peerId, 'offer', true);
    } catch (error) {
      this.flushOutbox(session);
      if (this.isGone(session)) return;
      this.cb.onHandshake(session.peerId, 'error', true, asError(error));
      throw error;
    }
  }

  private async acceptOffer(session: PeerSession, sdp: string): Promise<void> {
    if (session.state === 'closed') return;
    if (session.state === 'localOfferSent') {
      if (this.options.localWeight() > session.remote.weight) {
        this.log('debug', 'offer glare: keeping our offer (higher weight)', session.peerId);
        return;
      }
      this.log('debug', 'offer glare: rolling back our offer (lower weight)', session.peerId);
      // Our offer loses; renegotiate again once the remote's offer is through.
      session.pendingRestart ??= { iceRestart: false };
      if (session.pc.signalingState === 'have-local-offer') {
        await session.pc.setLocalDescription({ type: 'rollback' });
      }
    } else if (session.state === 'localAnswerSet') {
      // The offerer has not acknowledged our last answer yet: replay after answerAck (2.x bufferRemoteOffer).
      session.bufferedOffer = sdp;
      return;
    }
    try {
      await this.setRemote(session, { type: 'offer', sdp });
      if (this.isGone(session)) return;
      this.cb.onHandshake(session.peerId, 'offer', false);
      const answer = await session.pc.createAnswer();
      if (this.isGone(session)) return;
      session.outbox ??= [];
      // As with the offer: without local media the answer leaves while setLocalDescription runs
      // (the remote applies it meanwhile). An answerAck that comes back before we are done is
      // taken (state localAnswerSet) and the ack timer below then finds nothing to do.
      const early = !session.pc.getSenders().some((sender) => sender.track);
      const applying = session.pc.setLocalDescription(answer);
      if (early) this.sendAnswer(session, answer.sdp ?? '');
      await applying;
      if (this.isGone(session)) return;
      if (!early) this.sendAnswer(session, session.pc.localDescription?.sdp ?? answer.sdp ?? '');
    } catch (error) {
      this.flushOutbox(session);
      if (this.isGone(session)) return;
      this.cb.onHandshake(session.peerId, 'error', false, asError(error));
      return;
    }
    this.cb.onHandshake(session.peerId, 'answer', true);
    if ((session.state as NegotiationState) !== 'localAnswerSet') return; // acknowledged already (sendAnswer set it)
    // Peers that never acknowledge (non-2.x implementations) must not block later offers forever.
    session.ackTimer = setTimeout(() => {
      session.ackTimer = null;
      if (session.state === 'localAnswerSet') this.completeAnswer(session);
    }, this.policy.answerAckTimeoutMs);
  }

  /** Sends the offer, then the local candidates gathered before it left. */
  private sendOffer(session: PeerSession, sdp: string, iceRestart: boolean, renegotiation: boolean): void {
    this.cb.sendSignal(session.peerId, { type: 'offer', sdp, iceRestart, renegotiation });
    this.flushOutbox(session);
  }

  /** Sends the answer, then the local candidates gathered before it left; an answerAck is now expected. */
  private sendAnswer(session: PeerSession, sdp: string): void {
    session.state = 'localAnswerSet';
    this.cb.sendSignal(session.peerId, { type: 'answer', sdp });
    this.flushOutbox(session);
  }

  /** Sends the local candidates gathered while the offer/answer was being applied. */
  private flushOutbox(session: PeerSession): void {
    const held = session.outbox;
    session.outbox = null;
    if (!held || this.isGone(session)) return;
    for (const signal of held) this.cb.sendSignal(session.peerId, signal);
  }

  private completeAnswer(session: PeerSession): void {
    if (session.ackTimer) clearTimeout(session.ackTimer);
    session.ackTimer = null;
    session.state = 'negotiated';
    this.cb.onNegotiated(session.peerId);
    this.afterNegotiated(session);
  }

  /** Replays a buffered remote offer, else a pending restart. */
  private afterNegotiated(session: PeerSession): void {
    const offer = session.bufferedOffer;
    if (offer !== null) {
      session.bufferedOffer = null;
      void session.queue.push(() => this.acceptOffer(session, offer)).catch(() => undefined);
      return;
    }
    const restart = session.pendingRestart;
    if (restart) {
      session.pendingRestart = null;
      void session.queue.push(() => this.makeOffer(session, restart.iceRestart, true)).catch(() => undefined);
    }
  }

  private async setRemote(session: PeerSession, description: RTCSessionDescriptionInit): Promise<void> {
    session.settingRemote = true;
    try {
      await session.pc.setRemoteDescription(description);
    } finally {
      session.settingRemote = false;
    }
    if (this.isGone(session)) return;
    const queued = session.pendingCandidates.splice(0);
    for (const candidate of queued) await this.addCandidate(session, candidate);
  }

  private async addCandidate(session: PeerSession, candidate: IceCandidateLike): Promise<void> {
    const type = candidateType(candidate.candidate);
    const report = (state: RemoteCandidateState, error: Error | null = null): void =>
      this.cb.onRemoteCandidate(session.peerId, { state, candidate, candidateType: type, error });
    report('processing');
    try {
      await session.pc.addIceCandidate({
        candidate: candidate.candidate,
        sdpMid: candidate.sdpMid,
        sdpMLineIndex: candidate.sdpMLineIndex,
      });
      if (!this.isGone(session)) report('processSuccess');
    } catch (error) {
      if (!this.isGone(session)) report('processError', asError(error));
    }
  }

  // ---- data channels ---------------------------------------------------------------------------

  private createMainChannel(session: PeerSession, label: string): void {
    try {
      const channel = session.pc.createDataChannel(label, { ordered: true });
      session.mainChannel = channel;
      this.trackChannel(session, channel, true);
    } catch (error) {
      this.log('warn', `could not create the data channel: ${asError(error).message}`, session.peerId);
    }
  }

  private trackChannel(session: PeerSession, channel: DataChannelLike, isMain: boolean): void {
    channel.binaryType = 'arraybuffer';
    const isMainNow = (): boolean => session.mainChannel === channel;
    const onOpen = (): void => this.cb.onDataChannelState(session.peerId, channel, 'open', isMainNow());
    const onClosing = (): void => this.cb.onDataChannelState(session.peerId, channel, 'closing', isMainNow());
    const onError = (ev: Event): void => {
      const detail = (ev as { error?: unknown }).error;
      this.cb.onDataChannelState(session.peerId, channel, 'error', isMainNow(), asError(detail ?? 'data channel error'));
    };
    const onClose = (): void => {
      const wasMain = isMainNow();
      undo();
      session.channels.delete(channel);
      if (wasMain) session.mainChannel = null;
      this.cb.onDataChannelState(session.peerId, channel, 'closed', wasMain);
    };
    const undo = (): void => {
      channel.removeEventListener('open', onOpen);
      channel.removeEventListener('closing', onClosing);
      channel.removeEventListener('error', onError);
      channel.removeEventListener('close', onClose);
    };
    channel.addEventListener('open', onOpen);
    channel.addEventListener('closing', onClosing);
    channel.addEventListener('error', onError);
    channel.addEventListener('close', onClose);
    session.channels.set(channel, undo);
    this.cb.onDataChannel(session.peerId, channel, isMain);
    if (channel.readyState === 'open') onOpen();
  }

  // ---- peer connection events and ICE restart policy --------------------------------------------

  private attachPeerListeners(session: PeerSession): void {
    const { pc, peerId } = session;
    const on = <K extends keyof PeerConnectionEventMap>(type: K, fn: (ev: PeerConnectionEventMap[K]) => void): void => {
      pc.addEventListener(type, fn);
      session.detach.push(() => pc.removeEventListener(type, fn));
    };
    on('icecandidate', (ev) => {
      let signal: OutgoingSignal | null = null;
      if (ev.candidate && ev.candidate.candidate) {
        session.localCandidates += 1;
        signal = { type: 'candidate', candidate: ev.candidate };
      } else if (!ev.candidate) {
        signal = { type: 'endOfCandidates', count: session.localCandidates };
      }
      if (!signal) return;
      if (session.outbox) session.outbox.push(signal);
      else this.cb.sendSignal(peerId, signal);
    });
    on('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'gathering') session.localCandidates = 0;
      this.cb.onIceGatheringState(peerId, pc.iceGatheringState);
    });
    on('signalingstatechange', () => this.cb.onSignalingState(peerId, pc.signalingState));
    on('connectionstatechange', () => this.cb.onConnectionState(peerId, pc.connectionState));
    on('iceconnectionstatechange', () => {
      const state = pc.iceConnectionState;
      this.cb.onIceConnectionState(peerId, state);
      this.applyRestartPolicy(session, state);
    });
    on('datachannel', (ev) => {
      const channel = ev.channel;
      const current = session.mainChannel;
      const auxiliary = this.options.isAuxiliaryChannel?.(channel.label) ?? false;
      const isMain = !auxiliary && (!current || current.readyState === 'closed' || current.label === channel.label);
      if (isMain) session.mainChannel = channel;
      this.trackChannel(session, channel, isMain);
    });
    on('track', (ev) => this.cb.onTrack(peerId, ev));
  }

  private applyRestartPolicy(session: PeerSession, state: RTCIceConnectionState): void {
    if (state === 'connected' || state === 'completed') {
      this.clearTimers(session, false);
      session.restartAttempts = 0;
      return;
    }
    if (state === 'failed') {
      if (session.disconnectedTimer) clearTimeout(session.disconnectedTimer);
      session.disconnectedTimer = null;
      // A restart already in flight gets its own timeout; otherwise restart now.
      if (!session.restartTimer) this.autoRestart(session);
      return;
    }
    if (state === 'disconnected' && !session.disconnectedTimer && !session.restartTimer) {
      session.disconnectedTimer = setTimeout(() => {
        session.disconnectedTimer = null;
        const now = session.pc.iceConnectionState;
        if (now === 'disconnected' || now === 'failed') this.autoRestart(session);
      }, this.policy.disconnectedTimeoutMs);
    }
  }

  private autoRestart(session: PeerSession): void {
    if (this.isGone(session)) return;
    if (session.restartAttempts >= this.policy.maxAttempts) {
      this.cb.onIceRestartExhausted(session.peerId);
      return;
    }
    session.restartAttempts += 1;
    this.log('debug', `ICE restart attempt ${session.restartAttempts}`, session.peerId);
    this.renegotiate(session.peerId, true).catch((error: unknown) =>
      this.log('warn', `ICE restart failed: ${asError(error).message}`, session.peerId),
    );
    session.restartTimer = setTimeout(() => {
      session.restartTimer = null;
      const now = session.pc.iceConnectionState;
      if (now !== 'connected' && now !== 'completed') this.autoRestart(session);
    }, this.policy.restartTimeoutMs);
  }

  private clearTimers(session: PeerSession, includeAck = true): void {
    if (session.disconnectedTimer) clearTimeout(session.disconnectedTimer);
    if (session.restartTimer) clearTimeout(session.restartTimer);
    session.disconnectedTimer = null;
    session.restartTimer = null;
    if (includeAck) {
      if (session.ackTimer) clearTimeout(session.ackTimer);
      session.ackTimer = null;
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private isGone(session: PeerSession): boolean {
    return session.state === 'closed' || this.peers.get(session.peerId) !== session;
  }

  private require(peerId: string): PeerSession {
    this.assertOpen();
    const session = this.peers.get(peerId);
    if (!session) throw new Error(`Peer Connection not found: ${peerId}`);
    return session;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('PeerConnectionManager is closed');
  }

  private log(level: 'debug' | 'warn', message: string, peerId: string): void {
    this.options.logger?.[level](message, undefined, { peerId });
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
