/**
 * One joined room: the per-room orchestrator and the ONLY place that turns protocol messages and
 * service callbacks into state changes and public events (mutate RoomState first, then dispatch).
 * It delegates: SignalingClient (shared socket), PeerConnectionManager (this room's mesh), and the
 * pluggable services below. Every room-scoped event detail carries `roomName`.
 *
 * Service hooks (how media, data transfer and messaging plug in, see {@link RoomServiceHooks}):
 * - `room.addHooks({...})` registers a service; the returned function unregisters it. `release()` is
 *   called on leave (and on a lost session) before the peer connections close.
 * - `peerConnectionCreated(peerId, pc)`: a new RTCPeerConnection (MediaStreamManager adds local tracks
 *   here, before the first offer/answer is created).
 * - `dataChannel(peerId, channel, isMain)`: the 2.x `main` channel (isMain) or any extra channel, created
 *   or received (DataTransferEngine / messaging attach their own listeners and detach them in
 *   `peerClosed`). Extra channels are opened with `room.createDataChannel(peerId, label, init)`.
 * - `track(peerId, event)`: a remote track (MediaStreamManager). `negotiated(peerId)`: an offer/answer
 *   cycle completed (answerAck). `peerClosed(peerId)`: the peer left or its connection was closed.
 * - `mediaInfoList(peerId)`: the `mediaInfoList` put in our offers/answers.
 * - `signalingMessage(message)`: the protocol messages this room does not consume itself (`message`,
 *   `public`, `private`, `mediaInfoEvent`, `stream`, `storedMessages`, `recordingEvent`, `rtmpEvent`...);
 *   services send with `room.sendSignaling(message)` and renegotiate with `room.renegotiate(peerId)`.
 * @internal
 */
import {
  CANDIDATE_PROCESSING_STATE,
  DATA_CHANNEL_TYPE,
  GET_PEERS_STATE,
  HANDSHAKE_PROGRESS,
  READY_STATE_CHANGE,
  SYSTEM_ACTION,
  type CandidateGenerationState,
  type DataChannelState,
} from '../constants';
import { SkylinkError, SkylinkErrorCode } from '../errors';
import type { SkylinkEventManagerClass } from '../events/SkylinkEventManager';
import type { SkylinkEventMap } from '../events/SkylinkEventMap';
import { createLogger, type Logger } from '../logger';
import { PeerConnectionManager, type IceRestartPolicy, type OutgoingSignal } from '../peer/PeerConnectionManager';
import { warmUpPeerConnections } from '../peer/warmUp';
import type { DataChannelLike, PeerConnectionLike, SkylinkPlatform, TrackEventLike } from '../platform/SkylinkPlatform';
import type {
  ClientToServerMessage,
  InRoomMessage,
  JoinRoomMessage,
  MediaInfo,
  RoomAuthResponse,
  ServerMessageHandlers,
  ServerToClientMessage,
} from '../signaling/protocol';
import { dispatchMessage } from '../signaling/protocol';
import {
  authenticateRoom,
  schemeFor,
  signalingEndpoint,
  type SignalingEndpoint,
} from '../signaling/restClient';
import type { SignalingClient, SignalingRoomHandler } from '../signaling/SignalingClient';
import type { PeersList } from '../types/misc';
import type { ResolvedInitOptions } from '../types/options';
import type { PeerInfo } from '../types/peer';
import {
  announcement,
  decodeUserData,
  encodeUserData,
  toRtcIceServers,
} from './roomMessages';
import { RoomState, type RemotePeer } from './RoomState';
import { RoomPeerOps } from './RoomPeerOps';
import { socketSessionFor } from './SignalingHub';

/** See the module comment. Every member is optional. */
export interface RoomServiceHooks {
  peerConnectionCreated?(peerId: string, pc: PeerConnectionLike): void;
  dataChannel?(peerId: string, channel: DataChannelLike, isMain: boolean): void;
  track?(peerId: string, event: TrackEventLike): void;
  negotiated?(peerId: string): void;
  peerClosed?(peerId: string): void;
  mediaInfoList?(peerId: string): MediaInfo[];
  signalingMessage?(message: ServerToClientMessage): void;
  release?(): void;
}

/** Shared signalling sockets, one per server (implemented by the facade). */
export interface SignalingHub {
  acquire(endpoint: SignalingEndpoint): SignalingClient;
  release(client: SignalingClient): void;
}

export interface SkylinkRoomDeps {
  readonly roomName: string;
  readonly options: ResolvedInitOptions;
  readonly platform: SkylinkPlatform;
  readonly events: SkylinkEventManagerClass;
  readonly signaling: SignalingHub;
  readonly sdkVersion: string;
  /** How long the server may take to answer joinRoom (ms). */
  readonly joinTimeoutMs?: number;
  readonly iceRestartPolicy?: Partial<IceRestartPolicy>;
}

export class SkylinkRoom {
  readonly state: RoomState;
  readonly log: Logger;
  /** @internal used by RoomPeerOps */
  peers: PeerConnectionManager | null = null;
  private client: SignalingClient | null = null;
  private joinWaiter: { resolve: () => void; reject: (e: SkylinkError) => void; timer: ReturnType<typeof setTimeout> } | null = null;
  private readonly hooks = new Set<RoomServiceHooks>();
  private peersWaiter: { resolve: (l: PeersList) => void; reject: (e: SkylinkError) => void; timer: ReturnType<typeof setTimeout> } | null = null;
  private terminatedValue = false;
  /** Increments on every (re)join so stale async steps can tell they are outdated. */
  private epoch = 0;
  /** @internal */
  readonly ops: RoomPeerOps;
  /** @internal The key's REST `hasPersistentMessage` feature (set by every authentication; read by messaging). */
  hasPersistentMessage = false;

  constructor(private readonly deps: SkylinkRoomDeps) {
    const agent = deps.platform.agent();
    this.state = new RoomState(deps.roomName, {
      agent,
      sdkVersion: deps.sdkVersion,
      enableDataChannel: deps.options.enableDataChannel,
    });
    this.log = createLogger('ROOM', () => ({ roomName: deps.roomName }));
    this.ops = new RoomPeerOps(this);
  }

  get roomName(): string {
    return this.state.roomName;
  }

  /** The room ended by itself (kicked, session lost); `leaveRoom` still releases it. */
  get terminated(): boolean {
    return this.terminatedValue;
  }

  get options(): ResolvedInitOptions {
    return this.deps.options;
  }

  get platform(): SkylinkPlatform {
    return this.deps.platform;
  }

  /** Registers a service; returns the function that unregisters it. */
  addHooks(hooks: RoomServiceHooks): () => void {
    this.hooks.add(hooks);
    return () => this.hooks.delete(hooks);
  }

  /** @internal */
  callHooks<K extends keyof RoomServiceHooks>(name: K, ...args: Parameters<NonNullable<RoomServiceHooks[K]>>): void {
    for (const hooks of [...this.hooks]) {
      const fn = hooks[name] as ((...a: unknown[]) => unknown) | undefined;
      if (!fn) continue;
      try {
        fn.apply(hooks, args);
      } catch (error) {
        this.log.error(`room service hook ${String(name)} threw`, error);
      }
    }
  }

  /** @internal */
  mediaInfoList(peerId: string): MediaInfo[] {
    const list: MediaInfo[] = [];
    for (const hooks of this.hooks) if (hooks.mediaInfoList) list.push(...hooks.mediaInfoList(peerId));
    return list;
  }

  /** @internal Dispatches a public event, adding nothing: callers build full details. */
  emit<K extends keyof SkylinkEventMap>(type: K, detail: SkylinkEventMap[K]): void {
    this.deps.events.dispatch(type, detail);
  }

  /** @internal Whether `type` has listeners (lets hot paths skip building a detail nobody reads). */
  listens(type: keyof SkylinkEventMap): boolean {
    return this.deps.events.listenerCount(type) > 0;
  }

  // ---- join ----------------------------------------------------------------------------------------

  /**
   * Authenticates, connects the shared socket, sends joinRoom; resolves on `inRoom`.
   * @param prepare - Runs once authenticated, before the socket is used (joinRoom's media step).
   */
  async join(userData: unknown, prepare?: () => Promise<unknown>): Promise<void> {
    const { roomName } = this;
    this.state.userData = userData === undefined ? null : userData;
    this.emit('readyStateChange', { readyState: READY_STATE_CHANGE.LOADING, error: null, room: { roomName }, roomName });
    const authenticating = this.authenticate(true);
    // The REST request is on its way: start the browser's WebRTC machinery meanwhile.
    warmUpPeerConnections(this.platform);
    const auth = await authenticating;
    this.assertActive();
    this.applyAuth(auth);
    this.emit('readyStateChange', { readyState: READY_STATE_CHANGE.COMPLETED, error: null, room: this.state.roomInfo(), roomName });
    if (prepare) {
      await prepare();
      this.assertActive();
    }
    const scheme = schemeFor(this.options.forceSSL, this.platform.pageProtocol());
    const endpoint = signalingEndpoint(
      auth,
      { socketServer: this.options.socketServer, socketServerPath: this.options.socketServerPath },
      scheme,
    );
    const client = this.deps.signaling.acquire(endpoint);
    this.client = client;
    client.addRoom(this.state.rid, this.signalingHandler);
    try {
      await client.connect();
    } catch (error) {
      throw SkylinkError.from(error, SkylinkErrorCode.SIGNALING_ERROR, undefined, { roomName });
    }
    this.assertActive();
    await this.sendJoinAndWait(auth, false);
  }

  private async authenticate(withEvents: boolean): Promise<RoomAuthResponse> {
    const result = await authenticateRoom(this.platform, {
      appKey: this.options.appKey,
      roomName: this.roomName,
      roomServer: this.options.roomServer,
      forceSSL: this.options.forceSSL,
      credentials: this.options.credentials,
      sdkVersion: this.deps.sdkVersion,
      timeoutMs: Math.max(this.options.socketTimeout, 5000),
    });
    if (result.ok) return result.response;
    if (withEvents) {
      this.emit('readyStateChange', {
        readyState: READY_STATE_CHANGE.ERROR,
        error: { status: result.status, content: result.error, errorCode: result.errorCode },
        room: { roomName: this.roomName },
        roomName: this.roomName,
      });
    }
    throw result.error;
  }

  private applyAuth(auth: RoomAuthResponse): void {
    this.state.rid = auth.room_key;
    this.state.roomSessionId = auth.roomSessionId ?? null;
    this.state.duration = typeof auth.len === 'number' ? auth.len : null;
    this.state.peerSessionId = auth.peerSessionId ?? null;
    this.state.isPrivileged = auth.isPrivileged === true;
    this.hasPersistentMessage = auth.hasPersistentMessage === true;
  }

  private sendJoinAndWait(auth: RoomAuthResponse, resume: boolean): Promise<void> {
    const client = this.requireClient();
    const message: JoinRoomMessage = {
      type: 'joinRoom',
      rid: auth.room_key,
      key: this.options.appKey,
      resumable: true,
    };
    const echo = { uid: auth.username, cid: auth.cid, userCred: auth.userCred, roomCred: auth.roomCred, timeStamp: auth.timeStamp, apiOwner: auth.apiOwner, start: auth.start, len: auth.len, isPrivileged: auth.isPrivileged, autoIntroduce: auth.autoIntroduce };
    for (const [k, v] of Object.entries(echo)) if (v !== undefined) (message as unknown as Record<string, unknown>)[k] = v;
    if (resume && this.state.selfId && this.state.resumeToken) {
      message.resumeSid = this.state.selfId;
      message.resumeToken = this.state.resumeToken;
    }
    const timeoutMs = this.deps.joinTimeoutMs ?? 10000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.joinWaiter = null;
        reject(SkylinkError.signalingTimeout('Joining the room', timeoutMs, { roomName: this.roomName }));
      }, timeoutMs);
      this.joinWaiter = { resolve, reject, timer };
      if (!client.sendNow(message)) {
        this.settleJoin(new SkylinkError(SkylinkErrorCode.SIGNALING_ERROR, 'The signaling socket is not connected', { roomName: this.roomName }));
      }
    });
  }

  private settleJoin(error?: SkylinkError): void {
    const waiter = this.joinWaiter;
    if (!waiter) return;
    this.joinWaiter = null;
    clearTimeout(waiter.timer);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }

  // ---- signalling -------------------------------------------------------------------------------------

  private readonly signalingHandler: SignalingRoomHandler = {
    onMessage: (message, raw) => {
      if (this.state.session === 'left') return;
      this.emit('channelMessage', { message: raw, socketSession: this.socketSession(), roomName: this.roomName });
      dispatchMessage(this.handlers, message);
    },
    onDisconnected: (reason) => {
      if (this.state.session === 'joined') this.state.session = 'suspended';
      this.log.warn(`signaling connection lost (${reason}); resuming when it is back`);
    },
    onReconnected: () => void this.resume(),
    onConnectionLost: (error) => this.terminate(error.message, true),
  };

  /** Resumes the room session on a new socket: fresh REST tokens, joinRoom with our previous sid. */
  private async resume(): Promise<void> {
    if (this.state.session === 'left' || this.terminatedValue) return;
    const epoch = ++this.epoch;
    try {
      const auth = await this.authenticate(false);
      if (this.isStale(epoch)) return;
      if (auth.room_key !== this.state.rid) throw new SkylinkError(SkylinkErrorCode.SIGNALING_ERROR, 'The room key changed');
      await this.sendJoinAndWait(auth, true);
    } catch (error) {
      if (this.isStale(epoch)) return;
      this.terminate(`Could not resume the room session: ${error instanceof Error ? error.message : String(error)}`, true);
    }
  }

  private isStale(epoch: number): boolean {
    return epoch !== this.epoch || this.state.session === 'left';
  }

  /** @internal Sends a protocol message (buffered while the session is not ready). */
  sendSignaling(message: ClientToServerMessage): void {
    if (!this.client || this.state.session === 'left') return;
    this.client.send(message);
  }

  private readonly handlers: ServerMessageHandlers = {
    inRoom: (m) => this.onInRoom(m),
    enter: (m) => this.ops.onEnter(m),
    welcome: (m) => this.ops.onWelcome(m),
    offer: (m) => this.ops.onOffer(m),
    answer: (m) => this.ops.onAnswer(m),
    answerAck: (m) => this.peers?.handleAnswerAck(m.mid, m.success),
    candidate: (m) =>
      this.peers?.handleCandidate(m.mid, { candidate: m.candidate, sdpMid: m.id ?? null, sdpMLineIndex: typeof m.label === 'number' ? m.label : null }),
    endOfCandidates: (m) => this.ops.onEndOfCandidates(m.mid, m.noOfExpectedCandidates),
    bye: (m) => this.ops.removePeer(m.mid),
    redirect: (m) => this.onRedirect(m.action, m.reason, m.info),
    updateUserEvent: (m) => this.onUpdateUser(m.mid, m.userData, m.stamp),
    roomLockEvent: (m) => {
      this.state.isLocked = m.lock;
      this.emit('roomLock', { isLocked: m.lock, peerId: m.mid, peerInfo: this.peerInfoOrSelf(m.mid), isSelf: false, room: this.state.roomInfo(), roomName: this.roomName });
    },
    peerList: (m) => this.onPeerList(m.result),
    // Consumed by pluggable services (messaging, media, recording): see RoomServiceHooks.
    mediaInfoEvent: (m) => this.delegate(m),
    message: (m) => this.delegate(m),
    public: (m) => this.delegate(m),
    private: (m) => this.delegate(m),
    stream: (m) => this.delegate(m),
    storedMessages: (m) => this.delegate(m),
    recordingEvent: (m) => this.delegate(m),
    rtmpEvent: (m) => this.delegate(m),
    restart: (m) => this.delegate(m),
    muteAudioEvent: (m) => this.delegate(m),
    muteVideoEvent: (m) => this.delegate(m),
    approach: (m) => this.delegate(m),
    introduceError: (m) => this.delegate(m),
  };

  private delegate(message: ServerToClientMessage): void {
    if (![...this.hooks].some((h) => h.signalingMessage)) {
      this.log.debug(`no service handles "${message.type}" yet`);
      return;
    }
    this.callHooks('signalingMessage', message);
  }

  private onInRoom(m: InRoomMessage): void {
    if (!this.joinWaiter && this.state.session !== 'joining') return; // unsolicited
    const firstJoin = this.state.selfId === null;
    const sameSession = !firstJoin && this.state.selfId === m.sid;
    if (!firstJoin && !sameSession) {
      // The server could not resume us: we are a new peer; the old connections belong to the old id.
      this.log.info('the room session could not be resumed; reconnecting to peers');
      this.requireClient().clearQueue(this.state.rid);
      this.ops.removeAllPeers();
    }
    this.state.selfId = m.sid;
    this.state.weight = typeof m.tieBreaker === 'number' ? m.tieBreaker : 0;
    this.state.resumeToken = typeof m.resumeToken === 'string' ? m.resumeToken : null;
    this.state.iceServers = toRtcIceServers(m.pc_config.iceServers, this.options);
    if (typeof m.isLocked === 'boolean') this.state.isLocked = m.isLocked;
    this.state.session = 'joined';
    this.peers ??= this.ops.createManager(this.deps.iceRestartPolicy);
    const client = this.requireClient();
    if (m.resumed !== true) {
      if (!sameSession) {
        const detail = { peerId: m.sid, peerInfo: this.state.selfPeerInfo(), isSelf: true, room: this.state.roomInfo(), roomName: this.roomName };
        this.emit('peerJoined', this.state.peerSessionId ? { ...detail, peerSessionId: this.state.peerSessionId } : detail);
      }
      client.sendNow({
        type: 'enter',
        mid: m.sid,
        rid: this.state.rid,
        ...announcement(this.state.selfAgent(), this.options.enableDataChannel, this.state.selfUserInfo(), this.state.weight),
      });
      this.emit('handshakeProgress', { state: HANDSHAKE_PROGRESS.ENTER, peerId: m.sid, room: this.state.roomInfo(), roomName: this.roomName });
    }
    client.setRoomReady(this.state.rid, true);
    this.settleJoin();
    // The connection for the first welcome (or enter) is made while the enter travels.
    if (firstJoin) this.peers?.prepareSpare();
  }

  private onRedirect(action: string, reason: string, info: string): void {
    this.emit('systemAction', { action: action as SkylinkEventMap['systemAction']['action'], info, reason, rid: this.state.rid, roomName: this.roomName });
    if (action !== SYSTEM_ACTION.REJECT) return;
    if (this.joinWaiter) {
      const code =
        reason === 'locked'
          ? SkylinkErrorCode.ROOM_LOCKED
          : reason === 'credentialError' || reason === 'oldTimeStamp' || reason === 'duplicatedLogin'
            ? SkylinkErrorCode.CREDENTIALS_INVALID
            : SkylinkErrorCode.JOIN_REJECTED;
      const error = new SkylinkError(code, `The server rejected the join: ${info || reason}`, { roomName: this.roomName });
      if (this.state.selfId === null) {
        this.settleJoin(error);
        return;
      }
      this.settleJoin(error);
    }
    if (this.state.selfId !== null) this.terminate(`Rejected by the server: ${info || reason}`, false);
  }

  private onUpdateUser(peerId: string, userData: string, stamp: number): void {
    const peer = this.state.peers.get(peerId);
    if (!peer) return;
    if (typeof stamp === 'number' && stamp < peer.userDataStamp) return;
    peer.userData = decodeUserData(userData);
    peer.userDataStamp = typeof stamp === 'number' ? stamp : peer.userDataStamp;
    this.emit('peerUpdated', { peerId, peerInfo: this.ops.remoteInfo(peer), isSelf: false, roomName: this.roomName });
  }

  // ---- commands -------------------------------------------------------------------------------------

  setUserData(userData: unknown): void {
    this.assertActive();
    this.state.userData = userData === undefined ? null : userData;
    const selfId = this.state.selfId;
    if (selfId) {
      this.sendSignaling({ type: 'updateUserEvent', mid: selfId, rid: this.state.rid, userData: encodeUserData(userData), stamp: Date.now() });
    }
    this.emit('peerUpdated', { peerId: selfId ?? '', peerInfo: this.state.selfPeerInfo(), isSelf: true, roomName: this.roomName });
  }

  lock(lock: boolean): void {
    const selfId = this.requireJoined();
    this.state.isLocked = lock;
    this.sendSignaling({ type: 'roomLockEvent', mid: selfId, rid: this.state.rid, lock });
    this.emit('roomLock', { isLocked: lock, peerId: selfId, peerInfo: this.state.selfPeerInfo(), isSelf: true, room: this.state.roomInfo(), roomName: this.roomName });
  }

  getPeers(showAll: boolean, timeoutMs = 10000): Promise<PeersList> {
    this.requireJoined();
    if (!this.state.isPrivileged) {
      return Promise.reject(new SkylinkError(SkylinkErrorCode.NOT_PRIVILEGED, 'Please upgrade your key to privileged to use this function', { roomName: this.roomName }));
    }
    if (this.peersWaiter) return Promise.reject(SkylinkError.invalidState('A getPeers request is already pending', { roomName: this.roomName }));
    return new Promise<PeersList>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.peersWaiter = null;
        reject(SkylinkError.signalingTimeout('getPeers', timeoutMs, { roomName: this.roomName }));
      }, timeoutMs);
      this.peersWaiter = { resolve, reject, timer };
      this.sendSignaling({ type: 'getPeers', rid: this.state.rid, showAll });
      this.emit('getPeersStateChange', { state: GET_PEERS_STATE.ENQUIRED, privilegePeerId: this.state.selfId, peerList: null, roomName: this.roomName });
    });
  }

  private onPeerList(result: PeersList): void {
    this.emit('getPeersStateChange', { state: GET_PEERS_STATE.DISPATCHED, privilegePeerId: null, peerList: result, roomName: this.roomName });
    this.emit('getPeersStateChange', { state: GET_PEERS_STATE.RECEIVED, privilegePeerId: this.state.selfId, peerList: result, roomName: this.roomName });
    const waiter = this.peersWaiter;
    if (!waiter) return;
    this.peersWaiter = null;
    clearTimeout(waiter.timer);
    waiter.resolve(result);
  }

  /** Leaves: closes every connection, the socket if it was the last room, every timer and hook. */
  async leave(): Promise<void> {
    if (this.state.session === 'left') return;
    const selfId = this.state.selfId;
    const wasJoined = this.state.inRoom;
    const selfInfo = this.state.selfPeerInfo();
    this.finish(new SkylinkError(SkylinkErrorCode.INVALID_STATE, 'Left the room before the join completed', { roomName: this.roomName }));
    const client = this.client;
    if (client && wasJoined && selfId) {
      // 2.x sends bye (one per peer) only when it keeps the socket for other rooms. We always say bye,
      // so a server that keeps dropped members for a resume grace period knows this leave is final.
      const targets = [...this.state.peers.keys()];
      if (targets.length === 0) client.sendNow({ type: 'bye', rid: this.state.rid, mid: selfId });
      for (const target of targets) client.sendNow({ type: 'bye', rid: this.state.rid, mid: selfId, target });
    }
    this.ops.removeAllPeers();
    this.releaseClient();
    if (wasJoined && selfId && !this.terminatedValue) {
      this.emit('peerLeft', { peerId: selfId, peerInfo: { ...selfInfo, room: this.state.roomInfo() }, isSelf: true, room: this.state.roomInfo(), roomName: this.roomName });
    }
  }

  /** The session ended without leaveRoom (kicked, reconnection gave up): release, keep the name. */
  private terminate(reason: string, sessionLost: boolean): void {
    if (this.terminatedValue || this.state.session === 'left') return;
    const selfId = this.state.selfId ?? '';
    const selfInfo = this.state.selfPeerInfo();
    this.terminatedValue = true;
    this.finish(new SkylinkError(SkylinkErrorCode.SIGNALING_ERROR, reason, { roomName: this.roomName }));
    this.ops.removeAllPeers();
    this.releaseClient();
    if (sessionLost) this.emit('sessionDisconnect', { peerId: selfId, peerInfo: selfInfo, reason, roomName: this.roomName });
    this.emit('peerLeft', { peerId: selfId, peerInfo: selfInfo, isSelf: true, room: this.state.roomInfo(), roomName: this.roomName });
  }

  private finish(joinError: SkylinkError): void {
    this.state.session = 'left';
    this.epoch += 1;
    this.settleJoin(joinError);
    if (this.peersWaiter) {
      clearTimeout(this.peersWaiter.timer);
      this.peersWaiter.reject(joinError);
      this.peersWaiter = null;
    }
    this.callHooks('release');
    this.hooks.clear();
  }

  private releaseClient(): void {
    const client = this.client;
    this.client = null;
    if (!client) return;
    client.removeRoom(this.state.rid);
    this.deps.signaling.release(client);
    this.peers?.close();
    this.peers = null;
  }

  // ---- lookups --------------------------------------------------------------------------------------

  /** @internal Remote info if known, else ours. */
  peerInfoOrSelf(peerId: string): PeerInfo {
    const peer = this.state.peers.get(peerId);
    return peer ? this.ops.remoteInfo(peer) : this.state.selfPeerInfo();
  }

  getPeerInfo(peerId?: string | null): PeerInfo | null {
    if (peerId === undefined || peerId === null || peerId === '' || peerId === this.state.selfId) return this.state.selfPeerInfo();
    const peer = this.state.peers.get(peerId);
    return peer ? this.ops.remoteInfo(peer) : null;
  }

  getRemotePeer(peerId: string): RemotePeer | undefined {
    return this.state.peers.get(peerId);
  }

  // ---- helpers --------------------------------------------------------------------------------------

  /** @internal */
  socketSession(): SkylinkEventMap['channelOpen']['socketSession'] {
    return socketSessionFor(this.client?.url ?? '', this.client?.path ?? '', this.options.socketTimeout, 0);
  }

  /** @internal Sends a negotiation message built from a PeerConnectionManager signal. */
  sendPeerSignal(peerId: string, signal: OutgoingSignal): void {
    const selfId = this.state.selfId;
    if (!selfId) return;
    const base = { mid: selfId, target: peerId, rid: this.state.rid };
    switch (signal.type) {
      case 'offer': {
        const ann = announcement(this.state.selfAgent(), this.options.enableDataChannel, this.state.selfUserInfo(), this.state.weight);
        const restart = signal.renegotiation
          ? { agent: ann.agent, version: ann.version, os: ann.os, enableDataChannel: ann.enableDataChannel, enableIceRestart: true, doIceRestart: signal.iceRestart, isRestartResend: false, temasysPluginVersion: null, SMProtocolVersion: ann.SMProtocolVersion, DTProtocolVersion: ann.DTProtocolVersion }
          : {};
        this.sendSignaling({ type: 'offer', sdp: signal.sdp, ...base, userInfo: ann.userInfo, weight: ann.weight, mediaInfoList: this.mediaInfoList(peerId), ...restart });
        return;
      }
      case 'answer':
        this.sendSignaling({ type: 'answer', sdp: signal.sdp, ...base, userInfo: this.state.selfUserInfo(), mediaInfoList: this.mediaInfoList(peerId) });
        return;
      case 'answerAck':
        this.sendSignaling({ type: 'answerAck', ...base, success: signal.success });
        return;
      case 'candidate':
        this.sendSignaling({ type: 'candidate', label: signal.candidate.sdpMLineIndex ?? 0, id: signal.candidate.sdpMid ?? '0', candidate: signal.candidate.candidate, ...base });
        return;
      case 'endOfCandidates':
        this.sendSignaling({ type: 'endOfCandidates', noOfExpectedCandidates: signal.count, ...base });
        return;
    }
  }

  /** @internal */
  emitDataChannelState(peerId: string, channel: DataChannelLike, state: DataChannelState, isMain: boolean, error?: Error): void {
    this.emit('dataChannelState', {
      state,
      peerId,
      room: this.state.roomInfo(),
      channelName: channel.label,
      channelType: isMain ? DATA_CHANNEL_TYPE.MESSAGING : DATA_CHANNEL_TYPE.DATA,
      bufferAmount: { bufferedAmount: channel.bufferedAmount, bufferedAmountLowThreshold: channel.bufferedAmountLowThreshold },
      error: error ?? null,
      roomName: this.roomName,
    });
  }

  /** @internal */
  emitCandidateGeneration(peerId: string, state: CandidateGenerationState): void {
    this.emit('candidateGenerationState', { peerId, state, room: this.state.roomInfo(), roomName: this.roomName });
  }

  /** @internal */
  static readonly CANDIDATE_STATES = CANDIDATE_PROCESSING_STATE;

  private assertActive(): void {
    if (this.state.session === 'left') {
      throw SkylinkError.invalidState(`Room "${this.roomName}" was left`, { roomName: this.roomName });
    }
  }

  /** @internal Our peer id; throws NOT_IN_ROOM before the server confirmed the join. */
  requireJoined(): string {
    this.assertActive();
    const selfId = this.state.selfId;
    if (!selfId || !this.state.inRoom) throw SkylinkError.notInRoom(this.roomName);
    return selfId;
  }

  private requireClient(): SignalingClient {
    if (!this.client) throw SkylinkError.invalidState('No signaling connection', { roomName: this.roomName });
    return this.client;
  }
}
