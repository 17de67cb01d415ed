/**
 * In-memory RTCPeerConnection / RTCDataChannel fakes that pair with each other through a
 * {@link FakeNetwork}: the SDP carries the connection's id, so when A's offer is applied on B and B's
 * answer on A, and each side has added at least one of the other's candidates for the current ICE
 * credentials, both go `checking` → `connected` and their data channels open. Nothing connects unless
 * the SDK really exchanges offer, answer and candidates. Events fire on promise ticks (not timers), so
 * they also run under jest fake timers.
 */
import type {
  DataChannelLike,
  IceCandidateLike,
  PeerConnectionLike,
} from '../../src/platform/SkylinkPlatform';
import { FakeEmitter, later } from './FakeEmitter';
import { FakeRtpSender, fakeReceiver, type FakeTransceiver } from './media/FakeMediaPeerConnection';

export class FakeNetwork {
  readonly connections = new Map<string, FakePeerConnection>();
  private seq = 0;

  nextId(): string {
    this.seq += 1;
    return `pc${this.seq}`;
  }

  /** Every connection ever created on this network. */
  all(): FakePeerConnection[] {
    return [...this.connections.values()];
  }

  /** Connections not closed yet. */
  open(): FakePeerConnection[] {
    return this.all().filter((pc) => pc.signalingState !== 'closed');
  }
}

export class FakeDataChannel extends FakeEmitter implements DataChannelLike {
  readyState: RTCDataChannelState = 'connecting';
  id: number | null = null;
  readonly ordered: boolean;
  readonly protocol = '';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'blob';
  counterpart: FakeDataChannel | null = null;
  readonly sent: unknown[] = [];

  constructor(
    readonly label: string,
    init: RTCDataChannelInit | undefined,
    readonly owner: FakePeerConnection,
  ) {
    super();
    this.ordered = init?.ordered ?? true;
  }

  send(data: string | ArrayBuffer | ArrayBufferView | Blob): void {
    if (this.readyState !== 'open') throw new Error(`InvalidStateError: data channel is ${this.readyState}`);
    this.sent.push(data);
    const peer = this.counterpart;
    later(() => {
      if (peer && peer.readyState === 'open') peer.emit('message', { data });
    });
  }

  close(): void {
    if (this.readyState === 'closed' || this.readyState === 'closing') return;
    this.readyState = 'closing';
    const peer = this.counterpart;
    later(() => {
      this.finishClose();
      peer?.finishClose();
    });
  }

  /** @internal */
  markOpen(): void {
    if (this.readyState !== 'connecting') return;
    this.readyState = 'open';
    this.emit('open', { type: 'open' });
  }

  /** @internal */
  finishClose(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.emit('close', { type: 'close' });
  }

  emit(type: string, ev: object): void {
    this.fire(type, ev);
  }
}

interface FakeSdpInfo {
  pcId: string | null;
  ufrag: string | null;
  hasData: boolean;
}

function parseFakeSdp(sdp: string): FakeSdpInfo {
  const pc = /a=fake-pc:(\S+)/.exec(sdp);
  const ufrag = /a=ice-ufrag:(\S+)/.exec(sdp);
  return {
    pcId: pc?.[1] ?? null,
    ufrag: ufrag?.[1] ?? null,
    hasData: /m=application [1-9]/.test(sdp),
  };
}

export class FakePeerConnection extends FakeEmitter implements PeerConnectionLike {
  readonly id: string;
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  remoteDescription: { type: RTCSdpType; sdp: string } | null = null;
  signalingState: RTCSignalingState = 'stable';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  iceGatheringState: RTCIceGatheringState = 'new';
  readonly channels: FakeDataChannel[] = [];
  /** Remote candidates added, by the remote ufrag they belong to. */
  private readonly remoteCandidateUfrags = new Set<string>();
  private ufrag: string;
  private ufragSeq = 0;
  private sdpVersion = 0;
  private pendingIceRestart = false;
  private gatheredUfrag: string | null = null;
  private localHasData = false;
  closed = false;
  /** When false, local candidates are never produced (simulates a gathering failure). */
  produceCandidates = true;

  constructor(
    readonly network: FakeNetwork,
    readonly configuration: RTCConfiguration,
  ) {
    super();
    this.id = network.nextId();
    this.ufrag = this.newUfrag();
    network.connections.set(this.id, this);
  }

  // ---- SDP -------------------------------------------------------------------------------------

  private newUfrag(): string {
    this.ufragSeq += 1;
    return `${this.id}u${this.ufragSeq}`;
  }

  private buildSdp(withData: boolean): string {
    this.sdpVersion += 1;
    const lines = [
      'v=0',
      `o=- ${this.id.replace(/\D/g, '') || '1'} ${this.sdpVersion} IN IP4 127.0.0.1`,
      's=-',
      't=0 0',
      'a=group:BUNDLE 0',
      `a=fake-pc:${this.id}`,
      `a=ice-ufrag:${this.ufrag}`,
      'a=ice-pwd:fakepassword',
    ];
    if (withData) lines.push('m=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:0', 'a=sctp-port:5000');
    return `${lines.join('\r\n')}\r\n`;
  }

  async createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit> {
    this.assertOpen();
    if (options?.iceRestart) this.pendingIceRestart = true;
    const ufragBefore = this.ufrag;
    if (this.pendingIceRestart) this.ufrag = this.newUfrag();
    const hasData = this.channels.length > 0 || this.localHasData;
    const sdp = this.buildSdp(hasData);
    if (this.pendingIceRestart) this.ufrag = ufragBefore; // applied at setLocalDescription
    return { type: 'offer', sdp };
  }

  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    this.assertOpen();
    if (this.signalingState !== 'have-remote-offer') throw new Error('InvalidStateError: no remote offer');
    const remote = parseFakeSdp(this.remoteDescription?.sdp ?? '');
    return { type: 'answer', sdp: this.buildSdp(remote.hasData) };
  }

  async setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    this.assertOpen();
    let desc = description;
    if (!desc || !desc.type) {
      desc = this.signalingState === 'have-remote-offer' ? await this.createAnswer() : await this.createOffer();
    }
    if (desc.type === 'rollback') {
      if (this.signalingState !== 'have-local-offer') throw new Error('InvalidStateError: nothing to roll back');
      this.localDescription = this.currentLocal;
      this.pendingIceRestart = false;
      this.setSignaling('stable');
      return;
    }
    const sdp = desc.sdp ?? '';
    const info = parseFakeSdp(sdp);
    if (desc.type === 'offer') {
      if (this.signalingState !== 'stable' && this.signalingState !== 'have-local-offer') {
        throw new Error(`InvalidStateError: cannot set local offer in ${this.signalingState}`);
      }
      this.currentLocal = this.signalingState === 'stable' ? this.localDescription : this.currentLocal;
      this.localDescription = { type: 'offer', sdp };
      this.setSignaling('have-local-offer');
    } else if (desc.type === 'answer') {
      if (this.signalingState !== 'have-remote-offer') {
        throw new Error(`InvalidStateError: cannot set local answer in ${this.signalingState}`);
      }
      this.localDescription = { type: 'answer', sdp };
      this.currentLocal = this.localDescription;
      this.setSignaling('stable');
    }
    this.localHasData = this.localHasData || info.hasData;
    if (info.ufrag && info.ufrag !== this.ufrag) {
      this.ufrag = info.ufrag;
      this.pendingIceRestart = false;
    }
    this.gather();
    this.afterNegotiationStep();
  }

  private currentLocal: { type: RTCSdpType; sdp: string } | null = null;

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    this.assertOpen();
    const sdp = description.sdp ?? '';
    if (description.type === 'offer') {
      if (this.signalingState !== 'stable') {
        throw new Error(`InvalidStateError: cannot set remote offer in ${this.signalingState}`);
      }
      this.remoteDescription = { type: 'offer', sdp };
      this.setSignaling('have-remote-offer');
    } else if (description.type === 'answer') {
      if (this.signalingState !== 'have-local-offer') {
        throw new Error(`InvalidStateError: cannot set remote answer in ${this.signalingState}`);
      }
      this.remoteDescription = { type: 'answer', sdp };
      this.currentLocal = this.localDescription;
      this.setSignaling('stable');
    } else {
      throw new Error(`unsupported remote description type ${String(description.type)}`);
    }
    if (!parseFakeSdp(sdp).pcId) throw new Error('OperationError: not a fake SDP');
    this.afterNegotiationStep();
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    this.assertOpen();
    if (!this.remoteDescription) throw new Error('InvalidStateError: remote description is not set');
    const m = /ufrag (\S+)/.exec(candidate.candidate ?? '');
    if (!m?.[1]) throw new Error('OperationError: malformed candidate');
    this.remoteCandidateUfrags.add(m[1]);
    this.afterNegotiationStep();
  }

  // ---- ICE -------------------------------------------------------------------------------------

  private gather(): void {
    if (this.gatheredUfrag === this.ufrag || !this.produceCandidates) return;
    const ufrag = this.ufrag;
    this.gatheredUfrag = ufrag;
    later(() => {
      if (this.closed || ufrag !== this.ufrag) return;
      this.setGathering('gathering');
      const port = 40000 + Number(this.id.replace(/\D/g, '') || 0);
      const candidate: IceCandidateLike = {
        candidate: `candidate:1 1 udp 2122260223 127.0.0.1 ${port} typ host generation 0 ufrag ${ufrag}`,
        sdpMid: '0',
        sdpMLineIndex: 0,
      };
      this.fire('icecandidate', { type: 'icecandidate', candidate });
      later(() => {
        if (this.closed) return;
        this.fire('icecandidate', { type: 'icecandidate', candidate: null });
        this.setGathering('complete');
      });
    });
  }

  private remotePc(): FakePeerConnection | null {
    const id = parseFakeSdp(this.remoteDescription?.sdp ?? '').pcId;
    return id ? (this.network.connections.get(id) ?? null) : null;
  }

  private remoteUfrag(): string | null {
    return parseFakeSdp(this.remoteDescription?.sdp ?? '').ufrag;
  }

  /** Ready to connect: negotiated (stable), and holding a candidate for the remote's current ufrag. */
  private iceReady(): boolean {
    const ru = this.remoteUfrag();
    return (
      !this.closed &&
      this.signalingState === 'stable' &&
      this.localDescription !== null &&
      this.remoteDescription !== null &&
      ru !== null &&
      this.remoteCandidateUfrags.has(ru)
    );
  }

  private afterNegotiationStep(): void {
    if (this.closed) return;
    if (!(this.localDescription && this.remoteDescription && this.signalingState === 'stable')) return;
    const key = `${this.ufrag}|${this.remoteUfrag()}`;
    if (this.connectedWith !== key && this.iceConnectionState !== 'checking') this.setIce('checking');
    const remote = this.remotePc();
    if (remote && this.iceReady() && remote.iceReady() && remote.remotePc() === this) {
      this.markConnected();
      remote.markConnected();
    } else if (this.connectedWith === key) {
      later(() => this.openChannels());
    }
  }

  private connectedWith: string | null = null;

  /** @internal */
  markConnected(): void {
    const key = `${this.ufrag}|${this.remoteUfrag()}`;
    if (this.connectedWith === key && this.iceConnectionState === 'connected') return;
    this.connectedWith = key;
    later(() => {
      if (this.closed) return;
      if (this.iceConnectionState !== 'connected') this.setIce('connected');
      this.openChannels();
      this.remotePc()?.openChannels();
    });
  }

  // ---- data channels -----------------------------------------------------------------------------

  createDataChannel(label: string, init?: RTCDataChannelInit): FakeDataChannel {
    this.assertOpen();
    const channel = new FakeDataChannel(label, init, this);
    channel.id = this.channels.length * 2 + 1;
    this.channels.push(channel);
    if (this.iceConnectionState === 'connected') later(() => this.openChannels());
    return channel;
  }

  private sctpUp(): boolean {
    const remote = parseFakeSdp(this.remoteDescription?.sdp ?? '');
    const local = parseFakeSdp(this.localDescription?.sdp ?? '');
    return remote.hasData && local.hasData && this.iceConnectionState === 'connected';
  }

  private openChannels(): void {
    const remote = this.remotePc();
    if (!remote || !this.sctpUp() || !remote.sctpUp()) return;
    for (const channel of this.channels) {
      if (channel.counterpart || channel.readyState !== 'connecting') continue;
      const twin = new FakeDataChannel(channel.label, { ordered: channel.ordered }, remote);
      twin.id = channel.id;
      twin.counterpart = channel;
      channel.counterpart = twin;
      remote.channels.push(twin);
      remote.fire('datachannel', { type: 'datachannel', channel: twin });
      later(() => {
        channel.markOpen();
        twin.markOpen();
      });
    }
  }

  // ---- state helpers -------------------------------------------------------------------------------

  private setSignaling(state: RTCSignalingState): void {
    if (this.signalingState === state) return;
    this.signalingState = state;
    this.fire('signalingstatechange');
  }

  private setGathering(state: RTCIceGatheringState): void {
    if (this.iceGatheringState === state) return;
    this.iceGatheringState = state;
    this.fire('icegatheringstatechange');
  }

  private setIce(state: RTCIceConnectionState): void {
    if (this.iceConnectionState === state) return;
    this.iceConnectionState = state;
    this.fire('iceconnectionstatechange');
    const connection: RTCPeerConnectionState =
      state === 'checking' ? 'connecting' : state === 'completed' ? 'connected' : (state as RTCPeerConnectionState);
    if (this.connectionState !== connection) {
      this.connectionState = connection;
      this.fire('connectionstatechange');
    }
  }

  /** Test control: force the ICE state (e.g. `disconnected`, `failed`). */
  simulateIceState(state: RTCIceConnectionState): void {
    if (state !== 'connected') this.connectedWith = null;
    this.setIce(state);
  }

  // ---- misc API ------------------------------------------------------------------------------------

  async getStats(): Promise<RTCStatsReport> {
    const now = Date.now();
    const entries: Array<[string, Record<string, unknown>]> = [
      ['T01', { id: 'T01', type: 'transport', timestamp: now, selectedCandidatePairId: 'CP1', dtlsCipher: 'TLS_FAKE', srtpCipher: 'AES_FAKE', tlsVersion: 'FEFD' }],
      ['CP1', { id: 'CP1', type: 'candidate-pair', timestamp: now, state: 'succeeded', nominated: true, writable: true, priority: 1, localCandidateId: 'LC1', remoteCandidateId: 'RC1', currentRoundTripTime: 0.001, totalRoundTripTime: 0.004, requestsSent: 4, requestsReceived: 4, responsesSent: 4, responsesReceived: 4, consentRequestsSent: 1, bytesSent: 100, bytesReceived: 200 }],
      ['LC1', { id: 'LC1', type: 'local-candidate', timestamp: now, address: '127.0.0.1', port: 40001, protocol: 'udp', candidateType: 'host', priority: 2122260223, networkType: 'ethernet' }],
      ['RC1', { id: 'RC1', type: 'remote-candidate', timestamp: now, address: '127.0.0.1', port: 40002, protocol: 'udp', candidateType: 'host', priority: 2122260223 }],
    ];
    return new Map(entries) as unknown as RTCStatsReport;
  }

  restartIce(): void {
    this.pendingIceRestart = true;
  }

  // Media: senders and transceivers are recorded (no media flows between fakes, and the fake SDP
  // carries no media sections, so mids stay null and no remote `track` event ever fires).

  readonly transceivers: FakeTransceiver[] = [];

  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
    this.assertOpen();
    const sender = new FakeRtpSender(track);
    this.transceivers.push({ mid: null, direction: 'sendrecv', sender, receiver: fakeReceiver(track.kind), streams });
    return sender as unknown as RTCRtpSender;
  }

  removeTrack(sender: RTCRtpSender): void {
    this.assertOpen();
    const transceiver = this.transceivers.find((t) => (t.sender as unknown) === sender);
    if (!transceiver) throw new Error('InvalidAccessError: unknown sender');
    transceiver.sender.track = null;
    transceiver.direction = 'recvonly';
  }

  addTransceiver(trackOrKind: MediaStreamTrack | string, init?: RTCRtpTransceiverInit): RTCRtpTransceiver {
    this.assertOpen();
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const transceiver: FakeTransceiver = {
      mid: null,
      direction: init?.direction ?? 'sendrecv',
      sender: new FakeRtpSender(track),
      receiver: fakeReceiver(track ? track.kind : String(trackOrKind)),
      streams: [...(init?.streams ?? [])],
    };
    this.transceivers.push(transceiver);
    return transceiver as unknown as RTCRtpTransceiver;
  }

  getSenders(): RTCRtpSender[] {
    return this.transceivers.map((t) => t.sender as unknown as RTCRtpSender);
  }

  getReceivers(): RTCRtpReceiver[] {
    return [];
  }

  getTransceivers(): RTCRtpTransceiver[] {
    return this.transceivers as unknown as RTCRtpTransceiver[];
  }

  /** Tracks currently sent. */
  sentTracks(): MediaStreamTrack[] {
    return this.transceivers.map((t) => t.sender.track).filter((t): t is MediaStreamTrack => t !== null);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signalingState = 'closed';
    this.iceConnectionState = 'closed';
    this.connectionState = 'closed';
    for (const channel of this.channels) {
      if (channel.readyState === 'closed') continue;
      channel.readyState = 'closed';
      const twin = channel.counterpart;
      later(() => twin?.finishClose());
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('InvalidStateError: the peer connection is closed');
  }
}
