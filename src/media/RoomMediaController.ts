/**
 * The media half of one joined room, ready to plug into SkylinkRoom: it implements the room's service
 * hooks (structurally: `peerConnectionCreated`, `track`, `negotiated`, `peerClosed`, `mediaInfoList`,
 * `signalingMessage`, `release`) and the room-scoped media commands the facade delegates to
 * (getUserMedia, sendStream, muteStreams, stopStreams, shareScreen, stopScreen, getStreams...).
 *
 * It turns MediaStreamManager results into the 2.x events and wire messages, and keeps every peer
 * connection sending exactly the room's local tracks (planTrackUpdate: `replaceTrack` in place,
 * add/remove + renegotiation otherwise; bandwidth caps with setParameters after each negotiation).
 *
 * It depends only on {@link MediaRoomPort}, an interface the room implements, so the media code never
 * imports the room or the facade (STYLE 3.1 #2).
 * @internal
 */
import { MEDIA_STATUS } from '../constants';
import type { SkylinkError } from '../errors';
import { createLogger } from '../logger';
import type { Logger } from '../logger';
import type { PeerConnectionLike, TrackEventLike } from '../platform/SkylinkPlatform';
import type { MediaInfo as WireMediaInfo, ServerToClientMessage } from '../signaling/protocol';
import type { MediaInfo } from '../types/misc';
import type { MediaStreams, StreamsList } from '../types/media';
import type { BandwidthOptions } from '../types/options';
import type { PeerInfo, StreamMediaStatus } from '../types/peer';
import type { AudioActivityMonitor } from './AudioActivityMonitor';
import { receiverAudioLevel, senderAudioLevel } from './AudioActivityMonitor';
import { applyBandwidth } from './bandwidth';
import type { PlacementMode } from './LocalRoomMedia';
import type { MediaStreamManager } from './MediaStreamManager';
import { mediaInfoUpdatesForMute, mediaInfoUpdatesForStop } from './mediaInfo';
import type { MediaInfoUpdate } from './mediaInfo';
import { midResolverFor } from './mediaRoomPort';
import type { MediaRoomPort, RoomAudioActivityHandler, RoomMediaCallbacks } from './mediaRoomPort';
import type {
  LocalMediaResult,
  LocalStreamInfo,
  MediaAccessSuccessInfo,
  MediaStreamManagerCallbacks,
  MuteChange,
  RemoteStreamInfo,
  StopResult,
  TrackKind,
} from './mediaTypes';
import { planTrackUpdate } from './trackPlanning';

export type { ActiveSpeakerDetail, AudioActivityDetail, MediaRoomPort, RoomMediaCallbacks } from './mediaRoomPort';
export { routeAudioActivity, routeMediaCallbacks } from './mediaRoomPort';

export interface RoomMediaControllerOptions {
  /** Shared audio-activity monitor (one per Skylink instance); absent = feature off. */
  readonly audioActivity?: AudioActivityMonitor;
  /** How long stopStreams waits for the renegotiation to be acknowledged. Default 10 s. */
  readonly negotiationTimeoutMs?: number;
  readonly logger?: Logger;
}

/** A transceiver that receives `kind` now or after the pending negotiation (a negotiated one may start to). */
function canReceive(t: RTCRtpTransceiver, kind: TrackKind): boolean {
  if (t.receiver.track?.kind !== kind || (t as { stopped?: boolean }).stopped === true) return false;
  if (t.mid !== null) return t.direction === 'sendrecv' || t.direction === 'recvonly';
  return t.direction === 'recvonly';
}

export class RoomMediaController implements RoomMediaCallbacks, RoomAudioActivityHandler {
  private readonly log: Logger;
  private readonly key: string;
  /** Serialises sender reconciliation (sendStream, stopStreams... can overlap). */
  private chain: Promise<void> = Promise.resolve();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly negotiationWaiters = new Map<string, Array<() => void>>();
  private readonly seenInfoLists = new Map<string, readonly unknown[]>();
  private stopOnRelease = true;
  private released = false;
  private selfLevelRemover: (() => void) | null = null;

  constructor(
    private readonly media: MediaStreamManager,
    private readonly port: MediaRoomPort,
    private readonly options: RoomMediaControllerOptions = {},
  ) {
    this.key = port.roomKey;
    this.log = options.logger ?? createLogger('PEER MEDIA', () => ({ roomName: port.roomName }));
  }

  // ---- what the room reads ----------------------------------------------------------------------

  /** `settings.audio / .video / .maxBandwidth` for our peerInfo / userInfo. */
  localSettings(): { audio: PeerInfo['settings']['audio']; video: PeerInfo['settings']['video']; maxBandwidth: BandwidthOptions } {
    return { ...this.media.getLocalSettings(this.key), maxBandwidth: { ...(this.port.bandwidth() ?? {}) } };
  }

  /** `mediaStatus` for our peerInfo / userInfo. */
  localMediaStatus(): Record<string, StreamMediaStatus> {
    return this.media.getLocalMediaStatus(this.key);
  }

  /** `getStreams(roomName, includeSelf)`. */
  getStreams(includeSelf = true): Record<string, StreamsList> {
    return this.media.getStreams(this.key, this.port.selfId(), includeSelf);
  }

  // ---- room hooks -------------------------------------------------------------------------------

  /** New RTCPeerConnection: add every local track before the first offer/answer. */
  peerConnectionCreated(peerId: string, pc: PeerConnectionLike): void {
    for (const t of this.media.getSendTracks(this.key)) {
      try {
        pc.addTrack(t.track, t.stream);
      } catch (error) {
        this.log.warn('addTrack failed', error, { peerId });
      }
    }
  }

  /** `mediaInfoList` of our offers / answers. */
  mediaInfoList(peerId: string): WireMediaInfo[] {
    const selfId = this.port.selfId();
    if (!selfId) return [];
    const pc = this.port.peerConnection(peerId);
    const resolver = pc ? midResolverFor(pc, this.media.getSendTracks(this.key)) : null;
    return this.media.buildMediaInfoList(this.key, selfId, resolver);
  }

  /** A remote track: ON_INCOMING_STREAM or ON_INCOMING_SCREEN_STREAM (+ PEER_UPDATED), audio level source. */
  track(peerId: string, event: TrackEventLike): void {
    this.syncRemoteInfos(peerId);
    const added = this.media.remote.addTrack(
      this.key,
      peerId,
      { track: event.track, streams: event.streams, mid: event.transceiver?.mid ?? null },
      this.port.peerInfo(peerId)?.settings ?? null,
    );
    if (!added.isNew) return;
    const peerInfo = this.port.peerInfo(peerId) ?? this.port.selfPeerInfo();
    const detail = {
      stream: added.stream,
      streamId: added.streamId,
      peerId,
      peerInfo,
      room: this.port.roomInfo(),
      roomName: this.port.roomName,
      isSelf: false,
      isVideo: added.kind === 'video',
      isAudio: added.kind === 'audio',
    };
    this.port.emit(added.isScreensharing ? 'onIncomingScreenStream' : 'onIncomingStream', detail);
    this.port.emit('peerUpdated', { peerId, peerInfo, isSelf: false, room: this.port.roomInfo(), roomName: this.port.roomName });
    const receiver = event.transceiver?.receiver;
    if (added.kind === 'audio' && receiver && this.options.audioActivity) {
      this.options.audioActivity.addSource(this.key, peerId, receiverAudioLevel(receiver));
    }
  }

  /** An offer/answer cycle completed: caps apply now, stopStreams waiters resolve, missing receivers are added. */
  negotiated(peerId: string): void {
    void this.applyBandwidth(peerId);
    this.resolveWaiters(peerId);
    this.addMissingReceivers(peerId);
  }

  /** The peer left: forget its media silently (PEER_LEFT says it all). */
  peerClosed(peerId: string): void {
    this.media.remote.releasePeer(this.key, peerId);
    this.options.audioActivity?.removePeer(this.key, peerId);
    this.seenInfoLists.delete(peerId);
    this.resolveWaiters(peerId);
  }

  /** `mediaInfoEvent` and the legacy `stream` message. */
  signalingMessage(message: ServerToClientMessage): void {
    if (message.type === 'mediaInfoEvent') this.onMediaInfoEvent(message);
    else if (message.type === 'stream') this.onLegacyStream(message);
  }

  /** Before leaving: whether release stops our tracks (leaveRoom's `stopStreams`). */
  setStopOnRelease(stop: boolean): void {
    this.stopOnRelease = stop;
  }

  /** The room is left: drop everything, silently (2.x leaveRoom fires no STREAM_ENDED). */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const waiters of this.negotiationWaiters.values()) for (const resolve of waiters) resolve();
    this.negotiationWaiters.clear();
    this.selfLevelRemover?.();
    this.options.audioActivity?.releaseRoom(this.key);
    this.media.releaseRoom(this.key, { stopTracks: this.stopOnRelease });
  }

  // ---- commands ---------------------------------------------------------------------------------

  /**
   * After PEER_JOINED (self): ON_INCOMING_STREAM / ON_INCOMING_SCREEN_STREAM `isSelf` for every local
   * stream already held (2.x), and our own audio level source.
   */
  announceLocalStreams(): void {
    for (const info of this.media.getLocalStreams(this.key)) this.emitSelfStream(info);
    this.watchSelfLevel();
  }

  /**
   * Room `getUserMedia(roomName, options)` (also joinRoom's media step): tracks are added to the
   * connections without renegotiating (2.x); the next offer carries them. Replaced tracks are swapped
   * in place at once.
   */
  async getUserMedia(options: unknown): Promise<MediaStreams> {
    const result = await this.media.getUserMedia(this.key, options);
    this.afterLocalChange(result);
    void this.reconcileAll(false);
    return result.streams;
  }

  /** joinRoom's prefetched streams (2.x resolves `null` for this form; the pair is returned for convenience). */
  useStreams(streams: readonly MediaStream[], mode: PlacementMode = 'replaceAll'): MediaStreams {
    const result = this.media.adoptStreams(this.key, streams, mode);
    this.afterLocalChange(result);
    void this.reconcileAll(false);
    return result.streams;
  }

  /**
   * `sendStream(roomName, options | MediaStream | MediaStream[])`: publishes and renegotiates where
   * needed (a replaced camera/microphone is swapped with replaceTrack). The room checks "in room" first.
   */
  async sendStream(arg: unknown): Promise<MediaStreams | MediaStreams[]> {
    const result = await this.media.sendStream(this.key, arg);
    this.afterLocalChange(result);
    this.emitSelfUpdated();
    await this.reconcileAll(true);
    return Array.isArray(arg) ? result.pairs : result.streams;
  }

  /** `muteStreams(roomName, options, streamId?)`. */
  muteStreams(options?: unknown, streamId?: string): MuteChange[] {
    const changes = this.media.muteStreams(this.key, options, streamId);
    this.emitMuteChanges(changes);
    return changes;
  }

  /** `stopStreams(roomName, streamId?)`: resolves once the peers acknowledged the renegotiation. */
  async stopStreams(streamId?: string): Promise<void> {
    const result = this.media.stopStreams(this.key, streamId);
    await this.afterStop(result);
  }

  /** `shareScreen(roomName, options)`: the screen stream, or `null` when the user cancelled. */
  async shareScreen(options?: unknown): Promise<MediaStream | null> {
    const info = await this.media.shareScreen(this.key, options);
    if (!info) return null;
    this.emitSelfStream(info);
    this.emitSelfUpdated();
    void this.reconcileAll(true);
    return info.stream;
  }

  /** `stopScreen(roomName)`. */
  stopScreen(): void {
    const result = this.media.stopScreen(this.key);
    if (result) void this.afterStop(result);
  }

  /** Beyond 2.x: switch camera / microphone without renegotiating. */
  async switchDevice(kind: TrackKind, deviceId: string, streamId?: string): Promise<LocalStreamInfo> {
    const info = await this.media.switchDevice(this.key, kind, deviceId, streamId);
    this.emitSelfUpdated();
    await this.reconcileAll(true);
    return info;
  }

  // ---- audio activity (AudioActivityMonitor callbacks, routed here by roomKey) ------------------

  /** Beyond 2.x: forwards a level report as the AUDIO_ACTIVITY event. */
  onAudioActivity(report: { peerId: string; audioLevel: number; isSpeaking: boolean }): void {
    this.port.emitAudioActivity?.({
      roomName: this.port.roomName,
      room: this.port.roomInfo(),
      peerId: report.peerId,
      isSelf: report.peerId === this.port.selfId(),
      audioLevel: report.audioLevel,
      isSpeaking: report.isSpeaking,
    });
  }

  /** Beyond 2.x: forwards an active-speaker change as the ACTIVE_SPEAKER event. */
  onActiveSpeakerChanged(peerId: string | null): void {
    this.port.emitActiveSpeaker?.({
      roomName: this.port.roomName,
      room: this.port.roomInfo(),
      peerId,
      isSelf: peerId !== null && peerId === this.port.selfId(),
    });
  }

  // ---- MediaStreamManager callbacks (routed here by roomKey) --------------------------------------

  onMediaAccessSuccess(info: MediaAccessSuccessInfo): void {
    this.port.emit('mediaAccessSuccess', { ...info, roomName: this.port.roomName });
  }

  onMediaAccessError(info: { error: SkylinkError; isAudioFallbackError: boolean }): void {
    this.port.emit('mediaAccessError', { ...info, roomName: this.port.roomName });
  }

  onMediaAccessFallback(info: Parameters<MediaStreamManagerCallbacks['onMediaAccessFallback']>[1]): void {
    this.port.emit('mediaAccessFallback', { ...info, roomName: this.port.roomName });
  }

  /** Device unplugged / browser "Stop sharing": same flow as stopStreams / stopScreen. */
  onLocalStreamEnded(result: StopResult): void {
    void this.afterStop(result);
  }

  onRemoteStreamEnded(info: RemoteStreamInfo): void {
    this.emitRemoteEnded(info);
  }

  // ---- internals --------------------------------------------------------------------------------

  /** Events of new / replaced / removed / muted-on-arrival local streams. */
  private afterLocalChange(result: LocalMediaResult): void {
    for (const info of result.changed) this.emitSelfStream(info);
    this.emitStopped({ stopped: result.removed, restored: [] });
    this.emitMuteChanges(result.muteChanges);
  }

  private async afterStop(result: StopResult): Promise<void> {
    this.emitStopped(result);
    for (const info of result.restored) this.emitSelfStream(info);
    this.emitSelfUpdated();
    await this.reconcileAll(true);
  }

  private emitStopped(result: StopResult): void {
    if (result.stopped.length === 0) return;
    const selfId = this.port.selfId();
    for (const info of result.stopped) {
      this.port.emit('streamEnded', {
        roomName: this.port.roomName,
        room: this.port.roomInfo(),
        peerId: selfId,
        peerInfo: this.port.selfPeerInfo(),
        isSelf: true,
        isScreensharing: info.isScreensharing,
        streamId: info.streamId,
        isVideo: info.isVideo,
        isAudio: info.isAudio,
      });
      this.port.emit('mediaAccessStopped', { isScreensharing: info.isScreensharing, streamId: info.streamId, roomName: this.port.roomName });
    }
    this.sendMediaInfoUpdates(mediaInfoUpdatesForStop(result.stopped));
  }

  private emitSelfStream(info: LocalStreamInfo): void {
    const selfId = this.port.selfId();
    if (!selfId) return; // 2.x: announced once in the room (announceLocalStreams)
    this.port.emit(info.isScreensharing ? 'onIncomingScreenStream' : 'onIncomingStream', {
      stream: info.stream,
      streamId: info.streamId,
      peerId: selfId,
      peerInfo: this.port.selfPeerInfo(),
      room: this.port.roomInfo(),
      roomName: this.port.roomName,
      isSelf: true,
      isVideo: info.isVideo,
      isAudio: info.isAudio,
    });
  }

  private emitSelfUpdated(): void {
    this.port.emit('peerUpdated', { peerId: this.port.selfId() ?? '', peerInfo: this.port.selfPeerInfo(), isSelf: true, roomName: this.port.roomName });
  }

  private emitMuteChanges(changes: readonly MuteChange[]): void {
    if (changes.length === 0) return;
    const peerId = this.port.selfId() ?? '';
    for (const c of changes) {
      const { roomName } = this.port;
      this.port.emit('localMediaMuted', { streamId: c.streamId, isScreensharing: c.isScreensharing, mediaStatus: c.mediaStatus, roomName });
      this.port.emit('peerUpdated', { peerId, peerInfo: this.port.selfPeerInfo(), isSelf: true, roomName });
      this.port.emit('streamMuted', {
        peerId,
        peerInfo: this.port.selfPeerInfo(),
        isSelf: true,
        streamId: c.streamId,
        isScreensharing: c.isScreensharing,
        isAudio: c.isAudio,
        isVideo: c.isVideo,
        roomName,
      });
    }
    this.sendMediaInfoUpdates(mediaInfoUpdatesForMute(changes));
  }

  /** One `mediaInfoEvent` per peer per update (P2P), after each update's delay. */
  private sendMediaInfoUpdates(updates: readonly MediaInfoUpdate[]): void {
    for (const u of updates) {
      const send = () => {
        const selfId = this.port.selfId();
        if (!selfId || this.released) return;
        for (const target of this.port.connectedPeerIds()) {
          this.port.sendSignaling({
            type: 'mediaInfoEvent',
            rid: this.port.rid(),
            mid: selfId,
            target,
            publisherId: selfId,
            mediaId: u.mediaId,
            mediaType: u.mediaType,
            mediaState: u.mediaState,
          });
        }
      };
      if (u.delayMs <= 0) send();
      else {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send();
        }, u.delayMs);
        this.timers.add(timer);
      }
    }
  }

  /** Makes every peer connection send exactly the room's tracks; optionally renegotiates where needed. */
  private reconcileAll(renegotiate: boolean): Promise<void> {
    const run = async () => {
      const waits: Array<Promise<void>> = [];
      for (const peerId of this.port.connectedPeerIds()) waits.push(this.reconcile(peerId, renegotiate));
      await Promise.all(waits);
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async reconcile(peerId: string, renegotiate: boolean): Promise<void> {
    const pc = this.port.peerConnection(peerId);
    if (!pc || this.released) return;
    const plan = planTrackUpdate(pc.getSenders(), this.media.getSendTracks(this.key), (t) => this.media.streamIdOfTrack(t));
    let needsOffer = plan.needsRenegotiation;
    for (const { sender, send } of plan.replace) {
      try {
        await sender.replaceTrack(send.track);
      } catch (error) {
        this.log.warn('replaceTrack failed, renegotiating instead', error, { peerId });
        pc.removeTrack(sender);
        pc.addTrack(send.track, send.stream);
        needsOffer = true;
      }
    }
    for (const sender of plan.remove) pc.removeTrack(sender);
    for (const send of plan.add) pc.addTrack(send.track, send.stream);
    if (plan.replace.length > 0) void this.applyBandwidth(peerId);
    if (!renegotiate || !needsOffer) return;
    const acknowledged = this.waitNegotiated(peerId);
    try {
      await this.port.renegotiate(peerId);
    } catch (error) {
      this.log.warn('renegotiation failed', error, { peerId });
      return;
    }
    await acknowledged;
  }

  /**
   * 2.x offers to receive audio and video whatever it sends (OfferToReceiveAudio/Video); this SDK offers
   * only what it sends. So when the peer advertises more streams of a kind than this connection can
   * receive (we offered without a camera: the peer's tracks found no m-line to go in), add receive-only
   * transceivers and renegotiate, once: the peer's tracks then get their m-lines.
   */
  private addMissingReceivers(peerId: string): void {
    const pc = this.port.peerConnection(peerId);
    const settings = this.port.peerInfo(peerId)?.settings;
    if (!pc || !settings || this.released || typeof pc.addTransceiver !== 'function') return;
    let added = 0;
    for (const kind of ['audio', 'video'] as const) {
      const advertised = settings[kind] ? Object.keys(settings[kind]).length : 0;
      const receivers = pc.getTransceivers().filter((t) => canReceive(t, kind)).length;
      for (let i = receivers; i < advertised; i += 1) {
        try {
          pc.addTransceiver(kind, { direction: 'recvonly' });
          added += 1;
        } catch (error) {
          this.log.warn('addTransceiver failed', error, { peerId });
          return;
        }
      }
    }
    if (added > 0) this.port.renegotiate(peerId).catch((error: unknown) => this.log.warn('renegotiation failed', error, { peerId }));
  }

  /** Resolves on the peer's next completed negotiation (answerAck), its departure, or a timeout. */
  private waitNegotiated(peerId: string): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const done = (): void => {
        if (timer !== null) {
          clearTimeout(timer);
          this.timers.delete(timer);
        }
        resolve();
      };
      timer = setTimeout(done, this.options.negotiationTimeoutMs ?? 10_000);
      this.timers.add(timer);
      const list = this.negotiationWaiters.get(peerId) ?? [];
      list.push(done);
      this.negotiationWaiters.set(peerId, list);
    });
  }

  private resolveWaiters(peerId: string): void {
    const waiters = this.negotiationWaiters.get(peerId);
    this.negotiationWaiters.delete(peerId);
    for (const resolve of waiters ?? []) resolve();
  }

  private async applyBandwidth(peerId: string): Promise<void> {
    const pc = this.port.peerConnection(peerId);
    if (!pc) return;
    const results = await applyBandwidth(pc.getSenders(), this.port.bandwidth());
    for (const r of results) if (r.status === 'failed') this.log.warn('bandwidth cap failed', r.error, { peerId });
  }

  private syncRemoteInfos(peerId: string): void {
    const list = this.port.remoteMediaInfoList(peerId);
    if (!list || this.seenInfoLists.get(peerId) === list) return;
    this.seenInfoLists.set(peerId, list);
    this.media.remote.setMediaInfoList(this.key, peerId, list);
  }

  private onMediaInfoEvent(m: Extract<ServerToClientMessage, { type: 'mediaInfoEvent' }>): void {
    const peerId = typeof m.publisherId === 'string' && m.publisherId ? m.publisherId : m.mid;
    this.syncRemoteInfos(peerId);
    const outcome = this.media.remote.applyMediaInfoEvent(this.key, peerId, m, this.port.remoteMediaStatus(peerId));
    const { roomName } = this.port;
    if (outcome.type === 'status') {
      this.port.setRemoteMediaStatus(peerId, outcome.streamId, outcome.mediaStatus);
      const peerInfo = this.port.peerInfo(peerId);
      if (!peerInfo) return;
      const { streamId, isScreensharing, isAudio, isVideo } = outcome;
      this.port.emit('streamMuted', { peerId, peerInfo, isSelf: false, streamId, isScreensharing, isAudio, isVideo, roomName });
      this.port.emit('peerUpdated', { peerId, peerInfo, isSelf: false, roomName });
    } else if (outcome.type === 'deleted') {
      const mi = outcome.mediaInfo;
      const current = this.port.remoteMediaStatus(peerId)[mi.streamId];
      if (current) {
        const next = { ...current, [mi.kind === 'audio' ? 'audioMuted' : 'videoMuted']: MEDIA_STATUS.UNAVAILABLE };
        const gone = next.audioMuted === MEDIA_STATUS.UNAVAILABLE && next.videoMuted === MEDIA_STATUS.UNAVAILABLE;
        this.port.setRemoteMediaStatus(peerId, mi.streamId, gone ? null : next);
      }
      const mediaInfo: MediaInfo = {
        publisherId: mi.publisherId ?? peerId,
        mediaId: mi.mediaId,
        mediaType: mi.mediaType as MediaInfo['mediaType'],
        mediaState: mi.mediaState as MediaInfo['mediaState'],
        transceiverMid: mi.transceiverMid,
        mediaMetaData: '',
        simulcast: '',
        streamId: mi.streamId,
      };
      this.port.emit('mediaInfoDeleted', { mediaInfo, roomName });
      if (outcome.ended) this.emitRemoteEnded(outcome.ended);
      const peerInfo = this.port.peerInfo(peerId);
      if (peerInfo) this.port.emit('peerUpdated', { peerId, peerInfo, isSelf: false, roomName });
    }
  }

  /** Legacy 0.6 `stream` "ended" broadcast (isAudio / isVideo NOT swapped, unlike 2.x). */
  private onLegacyStream(m: Extract<ServerToClientMessage, { type: 'stream' }>): void {
    if (m.status !== 'ended' || typeof m.streamId !== 'string') return;
    const peerInfo = this.port.peerInfo(m.mid);
    this.port.emit('streamEnded', {
      roomName: this.port.roomName,
      room: this.port.roomInfo(),
      peerId: m.mid,
      peerInfo,
      isSelf: false,
      isScreensharing: m.settings?.isScreensharing === true,
      streamId: m.streamId,
      isVideo: !!m.settings?.video,
      isAudio: !!m.settings?.audio,
    });
  }

  private emitRemoteEnded(info: RemoteStreamInfo): void {
    this.port.emit('streamEnded', {
      roomName: this.port.roomName,
      room: this.port.roomInfo(),
      peerId: info.peerId,
      peerInfo: this.port.peerInfo(info.peerId),
      isSelf: false,
      isScreensharing: info.isScreensharing,
      streamId: info.streamId,
      isVideo: info.isVideo,
      isAudio: info.isAudio,
    });
  }

  /** Our own level, from the mic sender of any connected peer (all carry the same clone). */
  private watchSelfLevel(): void {
    const monitor = this.options.audioActivity;
    const selfId = this.port.selfId();
    if (!monitor || !selfId || this.selfLevelRemover) return;
    this.selfLevelRemover = monitor.addSource(this.key, selfId, async () => {
      const mic = this.media.getSendTracks(this.key).find((t) => t.kind === 'audio' && !t.isScreensharing);
      if (!mic) return null;
      for (const peerId of this.port.connectedPeerIds()) {
        const sender = this.port.peerConnection(peerId)?.getSenders().find((s) => s.track === mic.track);
        if (sender) return senderAudioLevel(sender)();
      }
      return null;
    });
  }
}

