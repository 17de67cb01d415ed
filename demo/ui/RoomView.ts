/**
 * One joined room: joins it, owns its panels (video grid, media controls, chat, files, people,
 * stats) and turns the room's Skylink events into UI updates. Implements {@link RoomContext} for the
 * panels.
 */
import {
  displayName,
  errorCode,
  errorText,
  isNotImplemented,
  type IncomingStreamDetail,
  type LocalMediaMutedDetail,
  type PeerInfo,
  type Skylink,
  type SkylinkEventMap,
  type StreamEndedDetail,
} from '../sdk';
import { ChatPanel } from './ChatPanel';
import { el, StatusLine } from './dom';
import { FilePanel } from './FilePanel';
import { MediaControls } from './MediaControls';
import { PeersPanel } from './PeersPanel';
import type { PeerSummary, RoomContext } from './RoomContext';
import { StatsPanel } from './StatsPanel';
import { VideoGrid } from './VideoGrid';

/** Our own tiles use this key (our peer id is only known once the server confirmed the join). */
const SELF = 'self';

export interface RoomViewOptions {
  skylink: Skylink;
  roomName: string;
  displayName: string;
  /** Encryption secret from the join form ('' = none). Never logged. */
  secret: string;
  log(level: 'INFO' | 'WARN' | 'ERROR', message: string): void;
  /** The user asked to leave this room. */
  onLeaveRequested(view: RoomView): void;
  /** We are no longer in the room (left, kicked, or the room closed). */
  onClosed(view: RoomView, reason: string): void;
}

type Detail<K extends keyof SkylinkEventMap> = SkylinkEventMap[K];

interface MuteState {
  audio: boolean | null;
  video: boolean | null;
}

/** Mute state of a peer's camera/microphone streams from `mediaStatus` (1 active, 0 muted, -1 none). */
function muteState(status: Record<string, { audioMuted: number; videoMuted: number }>, skip: Set<string>): MuteState {
  let audio: boolean | null = null;
  let video: boolean | null = null;
  for (const [streamId, s] of Object.entries(status)) {
    if (skip.has(streamId)) continue;
    if (s.audioMuted === 1) audio = false;
    else if (s.audioMuted === 0 && audio === null) audio = true;
    if (s.videoMuted === 1) video = false;
    else if (s.videoMuted === 0 && video === null) video = true;
  }
  return { audio, video };
}

export class RoomView implements RoomContext {
  readonly skylink: Skylink;
  readonly roomName: string;
  readonly element: HTMLElement;
  readonly #opts: RoomViewOptions;
  readonly #status = new StatusLine();
  readonly #grid: VideoGrid;
  readonly #media: MediaControls;
  readonly #chat: ChatPanel;
  readonly #files: FilePanel;
  readonly #people: PeersPanel;
  readonly #stats: StatsPanel;
  readonly #peers = new Map<string, PeerSummary>();
  /** Screen-share stream ids (kept out of the camera mute indicators). */
  readonly #screenStreams = new Set<string>();
  readonly #selfMedia = new Map<string, { audioMuted: number; videoMuted: number }>();
  #selfId: string | null = null;
  #state: 'joining' | 'joined' | 'closed' = 'joining';
  #wasJoined = false;
  /** A reconnection notice is showing. */
  #troubled = false;
  /** Reconnected, waiting for the room session to be taken back. */
  #resuming = false;
  /** We asked to leave (so the end of the session is not news). */
  #leaving = false;
  /** Why the server side ended the session, when it told us (SESSION_DISCONNECT, SYSTEM_ACTION reject). */
  #endReason: string | null = null;

  constructor(opts: RoomViewOptions) {
    this.#opts = opts;
    this.skylink = opts.skylink;
    this.roomName = opts.roomName;
    this.#grid = new VideoGrid(`Video of room ${opts.roomName}`);
    this.#media = new MediaControls(this);
    this.#chat = new ChatPanel(this);
    this.#files = new FilePanel(this);
    this.#people = new PeersPanel(this, () => opts.onLeaveRequested(this));
    this.#stats = new StatsPanel(this);
    this.#grid.ensurePeer(SELF, opts.displayName, true);
    this.element = el('div', { class: 'room', 'data-room': opts.roomName, 'data-state': this.#state }, [
      el('div', { class: 'room-status' }, [this.#status.element]),
      el('div', { class: 'room-layout' }, [
        el('div', { class: 'stage' }, [this.#grid.element, this.#media.element, this.#people.element]),
        el('div', { class: 'side' }, [this.#chat.element]),
        el('div', { class: 'lower' }, [this.#files.element, this.#stats.element]),
      ]),
    ]);
    this.#status.set(`Joining "${opts.roomName}"…`);
  }

  // ---- RoomContext -------------------------------------------------------------------------

  selfId(): string | null {
    return this.#selfId;
  }

  nameOf(peerId: string): string {
    if (peerId === this.#selfId || peerId === SELF) return 'You';
    return this.#peers.get(peerId)?.name ?? `Guest ${peerId.slice(0, 4)}`;
  }

  remotePeers(): PeerSummary[] {
    return [...this.#peers.values()];
  }

  log(level: 'INFO' | 'WARN' | 'ERROR', message: string): void {
    this.#opts.log(level, message);
  }

  get state(): 'joining' | 'joined' | 'closed' {
    return this.#state;
  }

  #setState(state: 'joining' | 'joined' | 'closed'): void {
    this.#state = state;
    this.element.dataset.state = state;
  }

  // ---- joining -----------------------------------------------------------------------------

  /**
   * Joins with the requested media. When media cannot be used (not in this SDK build, or the browser
   * refused the devices), joins without media and says so. Rejects when the join itself fails.
   */
  async join(audio: boolean, video: boolean): Promise<void> {
    const base = { roomName: this.roomName, userData: { name: this.#opts.displayName } };
    let streams: [MediaStream | null, MediaStream | null] | null = null;
    try {
      streams = await this.skylink.joinRoom({ ...base, audio, video });
    } catch (err) {
      const mediaProblem = isNotImplemented(err) || (errorCode(err) ?? '').startsWith('MEDIA_');
      if (!(audio || video) || !mediaProblem) throw err;
      this.#media.showStatus(`Camera/microphone: ${errorText(err)}. Joined without media.`, 'info');
      this.log('WARN', `Joining "${this.roomName}" without media: ${errorText(err)}`);
      streams = await this.skylink.joinRoom(base);
    }
    if (streams) this.#attachLocal(streams);
    void this.#media.refreshDevices();
  }

  #attachLocal([audio, video]: [MediaStream | null, MediaStream | null]): void {
    const name = this.#opts.displayName;
    if (audio) this.#grid.attach({ peerId: SELF, name, isSelf: true, stream: audio, streamId: audio.id, isVideo: false, isAudio: true, isScreen: false });
    if (video) this.#grid.attach({ peerId: SELF, name, isSelf: true, stream: video, streamId: video.id, isVideo: true, isAudio: false, isScreen: false });
    this.#media.setPublished(audio !== null || this.#media.published.audio, video !== null || this.#media.published.video);
  }

  // ---- peers -------------------------------------------------------------------------------

  #peersChanged(): void {
    const peers = this.remotePeers();
    this.#chat.setPeers(peers);
    this.#files.setPeers(peers);
  }

  #upsertPeer(peerId: string, info: PeerInfo): void {
    const name = displayName(info.userData, peerId);
    if (!this.#peers.has(peerId)) this.#stats.pollSoon();
    this.#peers.set(peerId, { id: peerId, name });
    this.#grid.ensurePeer(peerId, name, false);
    this.#grid.setName(peerId, name);
    this.#people.upsert(peerId, name, false);
    this.#applyRemoteMute(peerId, info);
    this.#peersChanged();
  }

  #applyRemoteMute(peerId: string, info: PeerInfo): void {
    const state = muteState(info.mediaStatus, this.#screenStreams);
    this.#grid.setMuted(peerId, state.audio, state.video);
  }

  onPeerJoined(d: Detail<'peerJoined'>): void {
    if (d.isSelf) {
      this.#selfId = d.peerId;
      this.#wasJoined = true;
      this.#setState('joined');
      this.#status.set(`In room "${this.roomName}" as ${this.#opts.displayName}`, 'ok');
      this.#people.upsert(d.peerId, this.#opts.displayName, true);
      this.#people.setLocked(d.room.isLocked);
      this.#stats.start();
      void this.#chat.onJoined(this.#opts.secret);
      this.log('INFO', `Joined "${this.roomName}"`);
      return;
    }
    this.#upsertPeer(d.peerId, d.peerInfo);
    this.log('INFO', `${this.nameOf(d.peerId)} joined "${this.roomName}"`);
  }

  onPeerUpdated(d: Detail<'peerUpdated'>): void {
    if (d.isSelf) return;
    if (this.#peers.has(d.peerId)) this.#upsertPeer(d.peerId, d.peerInfo);
  }

  onPeerLeft(d: Detail<'peerLeft'>): void {
    if (d.isSelf) {
      this.close(this.#leaving ? 'You left the room' : (this.#endReason ?? 'The session ended'));
      return;
    }
    const name = this.nameOf(d.peerId);
    this.#peers.delete(d.peerId);
    this.#grid.removePeer(d.peerId);
    this.#people.remove(d.peerId);
    this.#stats.remove(d.peerId);
    this.#peersChanged();
    this.log('INFO', `${name} left "${this.roomName}"`);
  }

  onRoomLock(d: Detail<'roomLock'>): void {
    this.#people.setLocked(d.isLocked, d.isSelf ? this.#selfId ?? SELF : d.peerId);
  }

  onSystemAction(d: Detail<'systemAction'>): void {
    const text = `Server: ${d.info || d.reason} (${d.action})`;
    if (d.action === 'reject') this.#endReason = text;
    this.#status.set(text, d.action === 'reject' ? 'error' : 'info');
  }

  /** The shared signaling socket is reconnecting. */
  onSignalingTrouble(text: string): void {
    if (this.#state !== 'joined') return;
    this.#troubled = true;
    this.#status.set(`${text}…`, 'error');
  }

  /** The signaling socket is connected again; the SDK now resumes the room session. */
  onSignalingBack(): void {
    if (!this.#troubled) return;
    this.#troubled = false;
    this.#resuming = true;
    this.#status.set('Reconnected to the server', 'ok');
  }

  /**
   * HANDSHAKE_PROGRESS: our own `enter` after a reconnection means the server took us back into the
   * room (a restarted server forgot it; a server that kept our seat sends nothing, and the notice
   * above stays).
   */
  onHandshakeProgress(d: Detail<'handshakeProgress'>): void {
    if (!this.#resuming || d.state !== 'enter' || d.peerId !== this.#selfId) return;
    this.#resuming = false;
    this.#status.set(`In room "${this.roomName}" as ${this.#opts.displayName}`, 'ok');
    this.log('INFO', `Back in "${this.roomName}"`);
  }

  /** The signaling session was lost for good (PEER_LEFT with `isSelf` follows). */
  onSessionDisconnect(d: Detail<'sessionDisconnect'>): void {
    this.#endReason = `Lost the connection to the server (${d.reason})`;
  }

  /** Marks the coming end of the session as asked for by the user. */
  expectLeave(): void {
    this.#leaving = true;
  }

  /** The session ended without the user asking (server, network), after the join had succeeded. */
  get endedUnexpectedly(): boolean {
    return this.#wasJoined && !this.#leaving;
  }

  onPeerConnectionState(d: Detail<'peerConnectionState'>): void {
    this.#people.onConnectionState(d.peerId, String(d.state));
  }

  onIceConnectionState(d: Detail<'iceConnectionState'>): void {
    this.#people.onIceState(d.peerId, String(d.state));
  }

  onDataChannelState(d: Detail<'dataChannelState'>): void {
    if (d.channelType === 'messaging') this.#people.onDataChannelState(d.peerId, d.state);
  }

  // ---- media -------------------------------------------------------------------------------

  /** ON_INCOMING_STREAM / ON_INCOMING_SCREEN_STREAM (ours and remote). */
  onStream(d: IncomingStreamDetail, isScreen: boolean): void {
    const peerId = d.isSelf ? SELF : d.peerId;
    if (isScreen) this.#screenStreams.add(d.streamId);
    const name = d.isSelf ? this.#opts.displayName : displayName(d.peerInfo.userData, d.peerId);
    this.#grid.attach({ peerId, name, isSelf: d.isSelf, stream: d.stream, streamId: d.streamId, isVideo: d.isVideo, isAudio: d.isAudio, isScreen });
    if (d.isSelf && isScreen) this.#media.setSharing(true);
    if (d.isSelf && !isScreen) this.#media.setPublished(this.#media.published.audio || d.isAudio, this.#media.published.video || d.isVideo);
    if (!d.isSelf) this.#applyRemoteMute(d.peerId, d.peerInfo);
  }

  onStreamEnded(d: StreamEndedDetail): void {
    const peerId = d.isSelf ? SELF : d.peerId;
    if (peerId === null) return;
    this.#grid.detach(peerId, d.streamId);
    if (d.isSelf && d.isScreensharing) this.#media.setSharing(false);
    if (d.isScreensharing) this.#screenStreams.delete(d.streamId);
  }

  onStreamMuted(d: Detail<'streamMuted'>): void {
    if (!d.isSelf) this.#applyRemoteMute(d.peerId, d.peerInfo);
  }

  onLocalMediaMuted(d: LocalMediaMutedDetail): void {
    if (d.isScreensharing) return;
    this.#selfMedia.set(d.streamId, d.mediaStatus);
    const state = muteState(Object.fromEntries(this.#selfMedia), new Set());
    this.#grid.setMuted(SELF, state.audio, state.video);
    this.#media.setMuted(state.audio === true, state.video === true);
  }

  /** ACTIVE_SPEAKER (beyond 2.x: the SDK measures audio levels of every peer and of ourselves). */
  onActiveSpeaker(peerId: string | null, isSelf: boolean): void {
    this.#grid.setActiveSpeaker(peerId === null ? null : isSelf ? SELF : peerId);
  }

  // ---- messaging and data ------------------------------------------------------------------

  onMessage(d: Detail<'onIncomingMessage'>): void {
    this.#chat.addMessage(d);
  }

  onStoredMessages(d: Detail<'storedMessages'>): void {
    this.#chat.addStored(d.storedMessages);
  }

  onSecretsUpdated(d: Detail<'encryptSecretsUpdated'>): void {
    this.#chat.onSecretsUpdated(d.selectedSecretId);
  }

  onPersistence(d: Detail<'persistentMessageState'>): void {
    this.#chat.onPersistence(d.isPersistent);
  }

  onTransferState(d: Detail<'dataTransferState'>): void {
    this.#files.onTransferState(d);
  }

  onDataRequest(d: Detail<'onIncomingDataRequest'>): void {
    this.#files.onDataRequest(d);
  }

  onData(d: Detail<'onIncomingData'>): void {
    this.#files.onData(d);
  }

  // ---- leaving -----------------------------------------------------------------------------

  /** Stops everything of this view (idempotent) and tells the app. */
  close(reason: string): void {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    this.#stats.stop();
    this.#grid.clear();
    this.#files.dispose();
    this.#status.set(reason);
    this.#opts.onClosed(this, reason);
  }
}
