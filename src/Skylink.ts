/**
 * The `Skylink` facade: the Skylink 2.x promise API, room name first, several rooms per instance.
 * Each method delegates to the per-room orchestrator; commands reject with a {@link SkylinkError}.
 * @module
 */
import { READY_STATE_CHANGE, READY_STATE_CHANGE_ERROR } from './constants';
import { MessageCrypto, type EncryptionMode } from './crypto/MessageCrypto';
import { SkylinkError, SkylinkErrorCode } from './errors';
import { skylinkEventManager, type SkylinkEventManagerClass } from './events/SkylinkEventManager';
import { NO_APP_KEY_MESSAGE, resolveInitOptions } from './initOptions';
import { createLogger, type Logger } from './logger';
import { AudioActivityMonitor } from './media/AudioActivityMonitor';
import { isMediaStreamLike, parsePrefetchedStreams } from './media/constraints';
import { MediaStreamManager } from './media/MediaStreamManager';
import { routeAudioActivity, routeMediaCallbacks, type RoomMediaController } from './media/RoomMediaController';
import type { IceRestartPolicy } from './peer/PeerConnectionManager';
import { browserPlatform } from './platform/browserPlatform';
import type { SkylinkPlatform } from './platform/SkylinkPlatform';
import { createDataTransferEngine, RoomDataTransfer } from './room/RoomDataTransfer';
import { RoomMessaging } from './room/RoomMessaging';
import { attachRoomMedia, type RoomMedia } from './room/roomMediaPort';
import { SignalingPool } from './room/SignalingHub';
import { SkylinkRoom } from './room/SkylinkRoom';
import type { ReconnectPolicy } from './signaling/SignalingClient';
import { generateUUID } from './uuid';
import { SDK_VERSION } from './version';
import type { MediaStreams, StreamSources, StreamsList } from './types/media';
import type { StoredMessage } from './types/messaging';
import type { PeersList, RecordingSessions, RefreshConnectionResult } from './types/misc';
import type {
  GetDisplayMediaOptions,
  GetUserMediaOptions,
  JoinRoomOptions,
  MuteStreamsOptions,
  RefreshConnectionOptions,
  ResolvedInitOptions,
  SkylinkInitOptions,
} from './types/options';
import type { CustomSettings, DataChannelInfo, PeerInfo, PeerInRoomInfo } from './types/peer';
import type { ConnectionStatistics } from './types/stats';
import type { CancelBlobTransferResult, DataTransferResult } from './types/transfer';

/**
 * @internal Dependencies injected by tests (and by the SDK itself). Not part of the public API.
 */
export interface SkylinkInternals {
  /** Event manager receiving this instance's events. Default: the shared `SkylinkEventManager`. */
  eventManager?: SkylinkEventManagerClass;
  /** Platform seam (WebRTC, media, socket, HTTP). Default: the browser. */
  platform?: SkylinkPlatform;
  /** How long the server may take to confirm a join (ms). Default 10000. */
  joinTimeoutMs?: number;
  /** Signaling reconnection backoff. */
  reconnect?: Partial<ReconnectPolicy>;
  /** Automatic ICE restart policy. */
  iceRestartPolicy?: Partial<IceRestartPolicy>;
}

/**
 * A Skylink client. One instance can be in several rooms at once; every room-level method takes the
 * room name first (matched case-insensitively). Commands return promises that reject with
 * {@link SkylinkError}; lookups return `null` when the room is not joined.
 *
 * @example
 * ```ts
 * import Skylink, { SkylinkEventManager, SkylinkEvents } from 'skylink-sdk';
 * SkylinkEventManager.addEventListener(SkylinkEvents.PEER_JOINED, (evt) => console.log(evt.detail.peerId));
 * const skylink = new Skylink({ appKey: 'my-app', roomServer: '//127.0.0.1:3000', forceSSL: false });
 * const [audio, video] = (await skylink.joinRoom({ roomName: 'lobby', audio: true, video: true })) ?? [];
 * ```
 */
export default class Skylink {
  /** Effective options (defaults applied). */
  readonly #options: ResolvedInitOptions;
  readonly #events: SkylinkEventManagerClass;
  readonly #log: Logger;
  /** Joined rooms keyed by lower-cased room name. Values are the per-room orchestrators. */
  readonly #rooms = new Map<string, SkylinkRoom>();
  readonly #platform: SkylinkPlatform;
  readonly #signaling: SignalingPool;
  readonly #internals: SkylinkInternals;
  /** Message secrets, encryption mode and persistence flag of every room (one shared service). */
  readonly #crypto = new MessageCrypto();
  /** Messaging adapter of each room. */
  readonly #messaging = new WeakMap<SkylinkRoom, RoomMessaging>();
  /** Blob-transfer adapter of each room; adapters by room key, for the shared engine's reports. */
  readonly #dataTransfers = new WeakMap<SkylinkRoom, RoomDataTransfer>();
  readonly #dataRooms = new Map<string, RoomDataTransfer>();
  /** Blob transfers of every room (one shared service). */
  readonly #dataEngine = createDataTransferEngine((key) => this.#dataRooms.get(key));
  /** Media of each room; controllers by room key, for the shared media services' callbacks. */
  readonly #roomMedia = new WeakMap<SkylinkRoom, RoomMedia>();
  readonly #mediaControllers = new Map<string, RoomMediaController>();
  /** Camera, microphone and screen capture for every room (one shared service). */
  readonly #media: MediaStreamManager;
  /** Beyond 2.x: audio levels and active speaker of every room (one shared poll). */
  readonly #audioActivity = new AudioActivityMonitor(routeAudioActivity((key) => this.#mediaControllers.get(key)));

  /**
   * Validates `options` synchronously (no network I/O) and fires READY_STATE_CHANGE `INIT`.
   * @param options - `initOptions`; `appKey` is required.
   * @param internals - @internal dependency injection for tests.
   * @throws SkylinkError `INVALID_ARGUMENT` when `appKey` is missing/empty or a field has the wrong type
   *   (a READY_STATE_CHANGE `ERROR` event is fired first).
   * @example
   * ```ts
   * const skylink = new Skylink({ appKey: 'my-app', defaultRoom: 'lobby' });
   * ```
   */
  constructor(options: SkylinkInitOptions, internals: SkylinkInternals = {}) {
    this.#events = internals.eventManager ?? skylinkEventManager;
    this.#log = createLogger('SKYLINK');
    this.#internals = internals;
    this.#platform = internals.platform ?? browserPlatform;
    try {
      this.#options = resolveInitOptions(options, generateUUID());
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const noKey = error.message.includes(NO_APP_KEY_MESSAGE);
      this.#events.dispatch('readyStateChange', {
        readyState: READY_STATE_CHANGE.ERROR,
        error: { status: -2, content: error, errorCode: noKey ? READY_STATE_CHANGE_ERROR.NO_PATH : -2 },
        room: null,
        roomName: null,
      });
      throw err;
    }
    this.#media = new MediaStreamManager({
      platform: this.#platform,
      audioFallback: this.#options.audioFallback,
      callbacks: routeMediaCallbacks((key) => this.#mediaControllers.get(key)),
    });
    this.#signaling = new SignalingPool({
      platform: this.#platform,
      events: this.#events,
      socketTimeoutMs: this.#options.socketTimeout,
      sdkVersion: SDK_VERSION,
      ...(internals.reconnect ? { reconnect: internals.reconnect } : {}),
      logger: createLogger('SIGNALING'),
    });
    this.#events.dispatch('readyStateChange', {
      readyState: READY_STATE_CHANGE.INIT,
      error: null,
      room: null,
      roomName: null,
    });
    this.#log.debug('Skylink instance created', { clientId: this.#options.clientId });
  }

  // -------------------------------------------------------------------------------------------
  // Internal helpers
  // -------------------------------------------------------------------------------------------

  /** The room joined under `roomName` (case-insensitive), or undefined. */
  #findRoom(roomName: unknown): SkylinkRoom | undefined {
    if (typeof roomName !== 'string') return undefined;
    return this.#rooms.get(roomName.toLowerCase());
  }

  /**
   * @internal The room joined under `roomName` (command bodies become `this.requireRoom(name).xxx()`).
   * @throws SkylinkError `ROOM_NOT_FOUND` / `INVALID_ARGUMENT`.
   */
  protected requireRoom(roomName: unknown): SkylinkRoom {
    if (typeof roomName !== 'string' || roomName === '') {
      throw SkylinkError.invalidArgument('No room name specified');
    }
    const room = this.#findRoom(roomName);
    if (room === undefined) throw SkylinkError.roomNotFound(roomName);
    return room;
  }

  /** Runs a command body: synchronous throws become rejections, non-Skylink errors are wrapped. */
  async #command<T>(roomName: unknown, body: (room: SkylinkRoom) => T | Promise<T>): Promise<T> {
    const room = this.requireRoom(roomName);
    try {
      return await body(room);
    } catch (err) {
      throw SkylinkError.from(err, SkylinkErrorCode.INTERNAL_ERROR, undefined, { roomName: room.roomName });
    }
  }

  /**
   * Recording and RTMP need an MCU in the room; this project's server has none (`hasMCU: false`),
   * so in a joined room these reject as 2.x does when the MCU is not connected.
   */
  #mcuOnly<T>(roomName: unknown, action: string): Promise<T> {
    return this.#command(roomName, (room) => {
      throw new SkylinkError(SkylinkErrorCode.MCU_NOT_CONNECTED, `Failed to ${action} - MCU is not connected`, {
        roomName: room.roomName,
      });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Rooms
  // -------------------------------------------------------------------------------------------

  /**
   * Joins a room. Unlike 2.x, resolves only once the server has confirmed the join (our PEER_JOINED
   * with `isSelf: true` has fired by then), so room actions can follow at once. Rejects with a
   * {@link SkylinkError}: `INVALID_ARGUMENT` (no room name), `ALREADY_IN_ROOM`, `AUTH_FAILED` /
   * `CREDENTIALS_INVALID` (room server), `SIGNALING_ERROR` / `SIGNALING_TIMEOUT` (socket, no answer),
   * `ROOM_LOCKED`, `JOIN_REJECTED`; it never hangs. With `audio`/`video` options, resolves the acquired
   * `[audio, video]` streams; with prefetched streams (or no media), resolves `null`.
   *
   * If the signaling connection drops later, the SDK reconnects by itself and resumes the room session
   * without touching the peer connections; SESSION_DISCONNECT fires only if that fails for good (the
   * room is then released; `leaveRoom` still resolves and `joinRoom` may be called again).
   * @param options - Join options, or prefetched MediaStream(s) (then `defaultRoom` is joined).
   * @param prefetchedStream - Stream(s) from the stateless `getUserMedia()` to publish.
   * @example
   * ```ts
   * await skylink.joinRoom({ roomName: 'lobby', userData: { name: 'Ada' }, audio: true, video: true });
   * ```
   */
  joinRoom(
    options?: JoinRoomOptions | MediaStream | MediaStream[],
    prefetchedStream?: MediaStream | MediaStream[],
  ): Promise<MediaStreams | null> {
    return this.#joinRoom(options, prefetchedStream);
  }

  async #joinRoom(
    options: JoinRoomOptions | MediaStream | MediaStream[] | undefined,
    prefetchedStream: MediaStream | MediaStream[] | undefined,
  ): Promise<MediaStreams | null> {
    // 2.x forms: (options), (options, prefetched), (prefetched) for the default room.
    const prefetched = parsePrefetchedStreams(options, prefetchedStream);
    const optionsAreStreams = isMediaStreamLike(options) || Array.isArray(options);
    if (options !== undefined && options !== null && (typeof options !== 'object' || (optionsAreStreams && !prefetched))) {
      throw SkylinkError.invalidArgument(optionsAreStreams ? 'Invalid prefetched streams provided' : 'joinRoom options must be an object');
    }
    const opts: JoinRoomOptions = optionsAreStreams ? {} : ((options as JoinRoomOptions | undefined) ?? {});
    const roomName = opts.roomName !== undefined ? opts.roomName : this.#options.defaultRoom;
    if (typeof roomName !== 'string' || roomName.trim() === '') {
      throw SkylinkError.invalidArgument('No room name specified');
    }
    const key = roomName.toLowerCase();
    const existing = this.#rooms.get(key);
    if (existing && !existing.terminated) {
      throw new SkylinkError(SkylinkErrorCode.ALREADY_IN_ROOM, `Already in (or joining) room "${existing.roomName}"`, { roomName });
    }
    if (existing) {
      this.#rooms.delete(key);
      await existing.leave();
    }
    const room = new SkylinkRoom({
      roomName,
      options: this.#options,
      platform: this.#platform,
      events: this.#events,
      signaling: this.#signaling,
      sdkVersion: SDK_VERSION,
      ...(this.#internals.joinTimeoutMs !== undefined ? { joinTimeoutMs: this.#internals.joinTimeoutMs } : {}),
      ...(this.#internals.iceRestartPolicy ? { iceRestartPolicy: this.#internals.iceRestartPolicy } : {}),
    });
    this.#rooms.set(key, room);
    this.#messaging.set(room, new RoomMessaging(room, this.#crypto));
    this.#dataTransfers.set(
      room,
      new RoomDataTransfer(room, {
        engine: this.#dataEngine,
        register: (key, adapter) => this.#dataRooms.set(key, adapter),
        unregister: (key) => this.#dataRooms.delete(key),
      }),
    );
    const { controller } = this.#attachMedia(room, opts.bandwidth);
    // Media step, once authenticated and before joining (a media failure leaves the half-joined room).
    let acquired: MediaStreams | null = null;
    const acquireMedia = async (): Promise<void> => {
      if (prefetched) controller.useStreams(prefetched);
      else if (opts.audio || opts.video) acquired = await controller.getUserMedia(opts);
    };
    try {
      await room.join(opts.userData, acquireMedia);
    } catch (err) {
      if (this.#rooms.get(key) === room) this.#rooms.delete(key);
      await room.leave();
      throw SkylinkError.from(err, SkylinkErrorCode.SIGNALING_ERROR, undefined, { roomName });
    }
    controller.announceLocalStreams(); // ON_INCOMING_STREAM isSelf, after our PEER_JOINED (2.x)
    return acquired;
  }

  /** Plugs a new room's media controller in (routed by room key until the room is released). */
  #attachMedia(room: SkylinkRoom, bandwidth: JoinRoomOptions['bandwidth']): RoomMedia {
    const media = attachRoomMedia(room, {
      media: this.#media,
      audioActivity: this.#audioActivity,
      bandwidth: bandwidth && typeof bandwidth === 'object' ? { ...bandwidth } : null,
      register: (key, controller) => this.#mediaControllers.set(key, controller),
      unregister: (key) => this.#mediaControllers.delete(key),
    });
    this.#roomMedia.set(room, media);
    return media;
  }

  /** The media controller every room gets in joinRoom. */
  #mediaOf(room: SkylinkRoom): RoomMediaController {
    const media = this.#roomMedia.get(room);
    if (!media) throw new SkylinkError(SkylinkErrorCode.INTERNAL_ERROR, 'Room without media', { roomName: room.roomName });
    return media.controller;
  }

  /** Runs a command that needs no room: synchronous throws become rejections, other errors are wrapped. */
  async #run<T>(body: () => T | Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      throw SkylinkError.from(err, SkylinkErrorCode.INTERNAL_ERROR);
    }
  }

  /**
   * Leaves a room, closing its peer connections; resolves the room name. Our PEER_LEFT (`isSelf: true`)
   * fires at the end.
   * @param stopStreams - Also stop our camera/mic/screen tracks (silently). Default `true`.
   * @example
   * ```ts
   * await skylink.leaveRoom('lobby');
   * ```
   */
  leaveRoom(roomName: string, stopStreams = true): Promise<string> {
    return this.#command(roomName, async (room) => {
      const key = room.roomName.toLowerCase();
      if (this.#rooms.get(key) === room) this.#rooms.delete(key);
      this.#roomMedia.get(room)?.controller.setStopOnRelease(stopStreams !== false);
      await room.leave();
      return room.roomName;
    });
  }

  /** Leaves every joined room; resolves their names (`[]` when none). */
  async leaveAllRooms(stopStreams = true): Promise<string[]> {
    const names = [...this.#rooms.values()].map((room) => room.roomName);
    const left: string[] = [];
    for (const name of names) left.push(await this.leaveRoom(name, stopStreams));
    return left;
  }

  /** Locks the room: new peers are rejected (SYSTEM_ACTION `reject`, reason `locked`). Fires ROOM_LOCK. */
  lockRoom(roomName: string): Promise<void> {
    return this.#command(roomName, (room) => room.lock(true));
  }

  /** Unlocks the room. Fires ROOM_LOCK. */
  unlockRoom(roomName: string): Promise<void> {
    return this.#command(roomName, (room) => room.lock(false));
  }

  // -------------------------------------------------------------------------------------------
  // Peers
  // -------------------------------------------------------------------------------------------

  /**
   * Every peer in the room (plus ourselves with `isSelf: true`), keyed by peer id; `null` when the
   * room is not joined.
   */
  getPeersInRoom(roomName: string): Record<string, PeerInRoomInfo> | null {
    const room = this.#findRoom(roomName);
    return room && room.state.inRoom ? room.ops.peersInRoom() : null;
  }

  /**
   * Info of `peerId`, or our own when `peerId` is omitted or is our id; `null` when the room is not
   * joined or the peer is unknown.
   * @example
   * ```ts
   * const me = skylink.getPeerInfo('lobby');
   * ```
   */
  getPeerInfo(roomName: string, peerId?: string | null): PeerInfo | null {
    const room = this.#findRoom(roomName);
    return room ? room.getPeerInfo(peerId) : null;
  }

  /** `userData` of `peerId` (ours when omitted); `null` when the room is not joined. */
  getUserData(roomName: string, peerId?: string): unknown {
    const room = this.#findRoom(roomName);
    if (!room) return null;
    const info = room.getPeerInfo(peerId);
    return info ? info.userData : null;
  }

  /** Sets our `userData` and broadcasts it (fires PEER_UPDATED locally and on every peer). */
  setUserData(roomName: string, userData: unknown): Promise<void> {
    return this.#command(roomName, (room) => room.setUserData(userData));
  }

  /** Privileged keys only: asks the server for the peers of the app's rooms (`showAll` includes privileged peers). */
  getPeers(roomName: string, showAll = false): Promise<PeersList> {
    return this.#command(roomName, (room) => room.getPeers(showAll === true));
  }

  /** Each remote peer's advertised settings keyed by peer id; `null` when the room is not joined. */
  getPeersCustomSettings(roomName: string): Record<string, CustomSettings> | null {
    const room = this.#findRoom(roomName);
    return room ? room.ops.customSettings() : null;
  }

  /** Data channels per remote peer (`{ [peerId]: { [channelName]: info } }`); `null` when the room is not joined. */
  getPeersDataChannels(roomName: string): Record<string, Record<string, DataChannelInfo>> | null {
    const room = this.#findRoom(roomName);
    return room ? this.#dataTransferOf(room).annotateDataChannels(room.ops.dataChannels()) : null;
  }

  /**
   * Closes and re-creates the `main` data channel with `peerId` (either side may do it; the remote
   * adopts the new channel by its label). Rejects `PEER_NOT_FOUND`, `DATA_CHANNEL_DISABLED`, or
   * `INVALID_STATE` before the connection is negotiated.
   */
  refreshDatachannel(roomName: string, peerId: string): Promise<void> {
    return this.#command(roomName, (room) => {
      if (typeof peerId !== 'string' || peerId === '') throw SkylinkError.invalidArgument('No peer id specified', { roomName });
      room.ops.refreshDatachannel(peerId);
    });
  }

  /**
   * Renegotiates the connection with one, several or all peers. Argument shifting as in 2.x:
   * `refreshConnection(room, true)` = all peers with ICE restart; an object in 2nd/3rd position is `options`.
   * @example
   * ```ts
   * const { listOfPeers, refreshErrors } = await skylink.refreshConnection('lobby', peerId, true);
   * ```
   */
  refreshConnection(
    roomName: string,
    targetPeerId?: string | string[] | boolean | RefreshConnectionOptions,
    iceRestart?: boolean | RefreshConnectionOptions,
    options?: RefreshConnectionOptions,
  ): Promise<RefreshConnectionResult> {
    return this.#command(roomName, (room) => {
      // 2.x argument shifting: a boolean 2nd argument is iceRestart, an object is options.
      let peers: string | string[] | undefined;
      let restart = false;
      let opts: RefreshConnectionOptions | undefined = options;
      if (typeof targetPeerId === 'boolean') restart = targetPeerId;
      else if (typeof targetPeerId === 'string' || Array.isArray(targetPeerId)) peers = targetPeerId;
      else if (targetPeerId && typeof targetPeerId === 'object') opts = targetPeerId;
      else if (targetPeerId !== undefined && targetPeerId !== null) throw SkylinkError.invalidArgument('Invalid target peer id', { roomName });
      if (typeof iceRestart === 'boolean') restart = iceRestart;
      else if (iceRestart && typeof iceRestart === 'object') opts = iceRestart;
      if (Array.isArray(peers) && peers.some((p) => typeof p !== 'string')) throw SkylinkError.invalidArgument('Peer ids must be strings', { roomName });
      if (opts?.bandwidth && typeof opts.bandwidth === 'object') this.#roomMedia.get(room)?.setBandwidth({ ...opts.bandwidth });
      return room.ops.refreshConnection(peers, restart);
    });
  }

  /** Connection statistics for one, several or all peers (entries `null` when stats are not available yet). */
  getConnectionStatus(roomName: string, peerId?: string | string[]): Promise<Array<ConnectionStatistics | null>> {
    return this.#command(roomName, (room) => {
      if (peerId !== undefined && typeof peerId !== 'string' && !(Array.isArray(peerId) && peerId.every((p) => typeof p === 'string'))) {
        throw SkylinkError.invalidArgument('Peer id must be a string or an array of strings', { roomName });
      }
      return room.ops.connectionStatus(peerId);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Media
  // -------------------------------------------------------------------------------------------

  /**
   * Acquires camera/microphone. Resolves `[audioStream | null, videoStream | null]` (audio and video are
   * always split into separate streams, as in 2.x). Forms:
   * - `getUserMedia(roomName, options)`: Skylink options (`audio` / `video` booleans or objects,
   *   `resolution`, `frameRate`, `deviceId`, `stereo`, `echoCancellation`...). Fires MEDIA_ACCESS_SUCCESS
   *   (MEDIA_ACCESS_FALLBACK when video is refused and `audioFallback` is on), then ON_INCOMING_STREAM
   *   `isSelf: true` once in the room. The tracks are added to the room's connections; the next
   *   negotiation carries them (use `sendStream` to publish at once). A new camera or microphone replaces
   *   the one of the same kind in place.
   * - `getUserMedia()` / `getUserMedia(null, constraints)` / `getUserMedia(constraints)`: stateless, raw
   *   `MediaStreamConstraints` (default audio + video), no events; pass the result to
   *   `joinRoom(options, streams)` or `sendStream`.
   * @throws SkylinkError `ROOM_NOT_FOUND`, `INVALID_ARGUMENT`, `MEDIA_PERMISSION_DENIED`, `MEDIA_NOT_FOUND`,
   *   `MEDIA_DEVICE_BUSY`, `MEDIA_CONSTRAINTS_NOT_SATISFIED`, `MEDIA_ERROR` (MEDIA_ACCESS_ERROR fires first
   *   in the room form; the DOMException is the error's `cause`).
   * @example
   * ```ts
   * const [audio, video] = await skylink.getUserMedia('lobby', { audio: true, video: { resolution: SkylinkConstants.VIDEO_RESOLUTION.HD } });
   * ```
   */
  getUserMedia(roomName: string, options: GetUserMediaOptions): Promise<MediaStreams>;
  getUserMedia(roomName?: null | '', constraints?: MediaStreamConstraints): Promise<MediaStreams>;
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStreams>;
  getUserMedia(
    roomNameOrConstraints?: string | null | MediaStreamConstraints,
    options?: GetUserMediaOptions | MediaStreamConstraints,
  ): Promise<MediaStreams> {
    const first = roomNameOrConstraints;
    if (typeof first === 'string' && first !== '') return this.#command(first, (room) => this.#mediaOf(room).getUserMedia(options));
    return this.#run(() => {
      if (first !== undefined && first !== null && first !== '' && typeof first !== 'object') {
        throw SkylinkError.invalidArgument('The room name must be a string');
      }
      const constraints = first && typeof first === 'object' ? first : options;
      return this.#media.getUserMedia(null, constraints as MediaStreamConstraints | undefined);
    });
  }

  /**
   * Publishes media in the room and renegotiates where needed, without dropping the connections: new
   * media from Skylink options, or stream(s) from the stateless `getUserMedia()`. A camera, microphone
   * or screen of a kind already sent is swapped into the existing stream with `replaceTrack` (peers keep
   * the same stream id); an array sets the exact list of streams. Resolves the `[audio, video]` pair (an
   * array of pairs for an array).
   * @throws SkylinkError `ROOM_NOT_FOUND`, `NOT_IN_ROOM`, `INVALID_ARGUMENT`, or a media code (see getUserMedia).
   * @example
   * ```ts
   * await skylink.sendStream('lobby', { audio: true, video: { deviceId: backCameraId } });
   * ```
   */
  sendStream(roomName: string, options: GetUserMediaOptions | MediaStream): Promise<MediaStreams>;
  sendStream(roomName: string, streams: MediaStream[]): Promise<MediaStreams[]>;
  sendStream(
    roomName: string,
    options: GetUserMediaOptions | MediaStream | MediaStream[],
  ): Promise<MediaStreams | MediaStreams[]> {
    return this.#command(roomName, (room) => {
      room.requireJoined();
      return this.#mediaOf(room).sendStream(options);
    });
  }

  /**
   * Stops our camera/microphone streams in the room (or only `streamId`; the screen stream's id stops the
   * share) and renegotiates; resolves once the peers acknowledged it (or after a timeout). Fires
   * STREAM_ENDED, MEDIA_ACCESS_STOPPED and PEER_UPDATED. A track also sent in another room keeps going there.
   * @throws SkylinkError `ROOM_NOT_FOUND`, `STREAM_NOT_FOUND`.
   */
  stopStreams(roomName: string, streamId?: string): Promise<void> {
    return this.#command(roomName, (room) => this.#mediaOf(room).stopStreams(streamId));
  }

  /**
   * Starts screen sharing in the room (getDisplayMedia, with tab/system audio when `audio` is asked and
   * the browser gives it), next to the camera. Resolves the screen stream, or `null` when the user
   * cancels the picker. Peers get ON_INCOMING_SCREEN_STREAM.
   * @throws SkylinkError `ROOM_NOT_FOUND`, `NOT_SUPPORTED`, or a media code.
   * @example
   * ```ts
   * const screen = await skylink.shareScreen('lobby', { audio: true });
   * ```
   */
  shareScreen(roomName: string, options?: GetDisplayMediaOptions): Promise<MediaStream | null> {
    return this.#command(roomName, (room) => this.#mediaOf(room).shareScreen(options));
  }

  /**
   * Stops our screen share in the room (STREAM_ENDED `isScreensharing: true`); the camera/microphone
   * streams are announced again with ON_INCOMING_STREAM `isSelf: true`.
   */
  stopScreen(roomName: string): Promise<void> {
    return this.#command(roomName, (room) => this.#mediaOf(room).stopScreen());
  }

  /**
   * Mutes/unmutes our streams in this room only (all, or only `streamId`): `track.enabled`, then
   * LOCAL_MEDIA_MUTED, PEER_UPDATED and STREAM_MUTED here, and STREAM_MUTED / PEER_UPDATED with the new
   * `peerInfo.mediaStatus` on every peer. Missing flags mean muted; `1` = unmuted, `0` = muted (2.x).
   * @throws SkylinkError `ROOM_NOT_FOUND`, `INVALID_ARGUMENT`, `STREAM_NOT_FOUND`.
   * @example
   * ```ts
   * await skylink.muteStreams('lobby', { audioMuted: true, videoMuted: false });
   * ```
   */
  muteStreams(roomName: string, options?: MuteStreamsOptions, streamId?: string): Promise<void> {
    return this.#command(roomName, (room) => {
      this.#mediaOf(room).muteStreams(options, streamId);
    });
  }

  /**
   * Beyond 2.x: switches the camera (`'video'`) or microphone (`'audio'`) of a stream (the first one of
   * that kind by default) to another device, keeping its other constraints. Peers keep receiving the same
   * stream: the connection is updated with `replaceTrack`, without renegotiation. Resolves the stream.
   * @throws SkylinkError `ROOM_NOT_FOUND`, `INVALID_ARGUMENT`, `STREAM_NOT_FOUND`, or a media code.
   * @example
   * ```ts
   * const { video } = await skylink.getStreamSources();
   * await skylink.switchDevice('lobby', 'video', video.input[1].deviceId);
   * ```
   */
  switchDevice(roomName: string, kind: 'audio' | 'video', deviceId: string, streamId?: string): Promise<MediaStream> {
    return this.#command(roomName, async (room) => {
      if (kind !== 'audio' && kind !== 'video') throw SkylinkError.invalidArgument('kind must be "audio" or "video"', { roomName });
      if (typeof deviceId !== 'string' || deviceId === '') throw SkylinkError.invalidArgument('No device id specified', { roomName });
      return (await this.#mediaOf(room).switchDevice(kind, deviceId, streamId)).stream;
    });
  }

  /**
   * Every peer's streams keyed by peer id (ours too, `isSelf: true`, unless `includeSelf` is false);
   * each bucket maps stream id → MediaStream or is `null`. `null` when the room is not joined.
   */
  getStreams(roomName: string, includeSelf = true): Record<string, StreamsList> | null {
    const room = this.#findRoom(roomName);
    return room ? this.#mediaOf(room).getStreams(includeSelf !== false) : null;
  }

  /** Audio input/output and video input devices (labels are empty before a media permission is granted). */
  getStreamSources(): Promise<StreamSources> {
    return this.#run(() => this.#media.getStreamSources());
  }

  /**
   * Stops a stream obtained from the stateless `getUserMedia()`. Fires STREAM_ENDED (`roomName: null`).
   * Rooms that adopted the stream keep sending their own copies.
   * @throws SkylinkError `INVALID_ARGUMENT` when `stream` is not a MediaStream.
   */
  stopPrefetchedStream(stream: MediaStream): Promise<void> {
    return this.#run(() => {
      if (!isMediaStreamLike(stream)) throw SkylinkError.invalidArgument('Invalid stream provided');
      const ended = this.#media.stopPrefetchedStream(stream);
      this.#events.dispatch('streamEnded', { roomName: null, room: null, peerId: null, peerInfo: null, isSelf: true, isScreensharing: false, ...ended });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Messaging
  // -------------------------------------------------------------------------------------------

  /**
   * Sends a chat message through the signaling server, to everyone or to `targetPeerId`(s) (one private
   * message per target). Encrypted when a secret is selected; persisted when persistence is on (public
   * encrypted messages only). Resolves once handed to the socket, then fires ON_INCOMING_MESSAGE locally
   * (`isSelf: true`).
   * @param message - A string or any JSON value (encrypted objects arrive as JSON text, as in 2.x).
   * @param peerSessionId - Sender id shown to receivers instead of our peer id.
   * @throws SkylinkError `ROOM_NOT_FOUND`, `NOT_IN_ROOM`, `PEER_NOT_FOUND` (unknown target), `INVALID_STATE`
   *   (persistence on without a selected secret), `MESSAGE_TOO_LARGE`, `INVALID_ARGUMENT`.
   * @example
   * ```ts
   * await skylink.sendMessage('lobby', 'hello');
   * await skylink.sendMessage('lobby', { type: 'poke' }, [peerA, peerB]);
   * ```
   */
  sendMessage(roomName: string, message: unknown, targetPeerId?: string | string[], peerSessionId?: string): Promise<void> {
    return this.#command(roomName, (room) => this.#messagingOf(room).sendMessage(message, targetPeerId, peerSessionId));
  }

  /**
   * Sends any JSON value over the `main` data channels. Forms: `(roomName, message, target?)` within a
   * room, or `(message, target?)` in every joined room (a target: in every room where it is found).
   * Resolves once handed to the channels, then fires ON_INCOMING_MESSAGE locally (`isSelf: true`).
   * @throws SkylinkError `ROOM_NOT_FOUND`, `PEER_NOT_FOUND`, `DATA_CHANNEL_NOT_OPEN`, `DATA_CHANNEL_DISABLED`,
   *   `MESSAGE_TOO_LARGE`, `INVALID_ARGUMENT`.
   * @example
   * ```ts
   * await skylink.sendP2PMessage('lobby', { type: 'cursor', x: 10, y: 20 });
   * await skylink.sendP2PMessage('hi everywhere');
   * ```
   */
  sendP2PMessage(roomName: string, message: unknown, targetPeerId?: string | string[]): Promise<void>;
  sendP2PMessage(message: unknown, targetPeerId?: string | string[]): Promise<void>;
  async sendP2PMessage(...args: unknown[]): Promise<void> {
    try {
      await RoomMessaging.sendP2PMessage(args, {
        find: (name) => {
          const room = this.#findRoom(name);
          return room ? this.#messaging.get(room) : undefined;
        },
        all: () => [...this.#rooms.values()].flatMap((room) => this.#messaging.get(room) ?? []),
      });
    } catch (err) {
      throw SkylinkError.from(err, SkylinkErrorCode.INTERNAL_ERROR);
    }
  }

  /**
   * Asks the server for the room's persisted messages (needs the key's persistence feature). Resolves
   * them decrypted and in time order (an item that cannot be decrypted has `content: null` and `error`);
   * STORED_MESSAGES fires too.
   * @param roomSessionId - A past room session (`peerInfo.room.roomSessionId`); `''` = the server's default.
   */
  getStoredMessages(roomName: string, roomSessionId?: string): Promise<StoredMessage[]> {
    return this.#command(roomName, (room) => this.#messagingOf(room).getStoredMessages(roomSessionId));
  }

  /**
   * Adds an encryption secret for the room (every peer must add the same secret under the same id).
   * Fires ENCRYPT_SECRETS_UPDATED.
   * @example
   * ```ts
   * await skylink.setEncryptSecret('lobby', 'correct horse battery staple', 'k1');
   * await skylink.setSelectedSecret('lobby', 'k1');
   * ```
   */
  setEncryptSecret(roomName: string, secret: string, secretId: string): Promise<void> {
    return this.#command(roomName, (room) => this.#messagingOf(room).setEncryptSecret(secret, secretId));
  }

  /** A copy of the room's secrets `{ [secretId]: secret }`; `null` when the room is not joined. */
  getEncryptSecrets(roomName: string): Record<string, string> | null {
    const room = this.#findRoom(roomName);
    return room ? this.#messagingOf(room).getEncryptSecrets() : null;
  }

  /** Deletes one secret, or all when `secretId` is omitted. Fires ENCRYPT_SECRETS_UPDATED. */
  deleteEncryptSecrets(roomName: string, secretId?: string): Promise<void> {
    return this.#command(roomName, (room) => this.#messagingOf(room).deleteEncryptSecrets(secretId));
  }

  /** Selects the secret used to encrypt sent messages (`''` disables encryption). Fires ENCRYPT_SECRETS_UPDATED. */
  setSelectedSecret(roomName: string, secretId?: string): Promise<void> {
    return this.#command(roomName, (room) => this.#messagingOf(room).setSelectedSecret(secretId));
  }

  /** The selected secret **id** (`''` when none), as 2.x returns it; `null` when the room is not joined. */
  getSelectedSecret(roomName: string): string | null {
    const room = this.#findRoom(roomName);
    return room ? this.#messagingOf(room).getSelectedSecret() : null;
  }

  /**
   * Beyond 2.x: how sent messages of the room are encrypted. `'compat'` (default) is the 2.x format that
   * original clients read; `'authenticated'` is AES-GCM (tamper-evident); `'authenticated-only'` also
   * refuses received clear-text and 2.x-format messages. See docs/encryption.md.
   * @throws SkylinkError `INVALID_ARGUMENT` (unknown mode), `NOT_SUPPORTED` (no WebCrypto).
   * @example
   * ```ts
   * await skylink.setEncryptionMode('lobby', 'authenticated');
   * ```
   */
  setEncryptionMode(roomName: string, mode: EncryptionMode): Promise<void> {
    return this.#command(roomName, (room) => this.#messagingOf(room).setEncryptionMode(mode));
  }

  /** Beyond 2.x: the room's encryption mode; `null` when the room is not joined. */
  getEncryptionMode(roomName: string): EncryptionMode | null {
    const room = this.#findRoom(roomName);
    return room ? this.#messagingOf(room).getEncryptionMode() : null;
  }

  /**
   * Turns message persistence on/off (needs the key's persistence feature, else `FEATURE_NOT_ENABLED`).
   * While on, public `sendMessage` calls must be encrypted. Fires PERSISTENT_MESSAGE_STATE.
   */
  setMessagePersistence(roomName: string, isPersistent: boolean): Promise<void> {
    return this.#command(roomName, (room) => this.#messagingOf(room).setMessagePersistence(isPersistent));
  }

  /** The persistence flag (initially the key's feature); `null` when the room is not joined. */
  getMessagePersistence(roomName: string): boolean | null {
    const room = this.#findRoom(roomName);
    return room ? this.#messagingOf(room).getMessagePersistence() : null;
  }

  /** The messaging adapter every joined room gets in joinRoom. */
  #messagingOf(room: SkylinkRoom): RoomMessaging {
    const messaging = this.#messaging.get(room);
    if (!messaging) throw new SkylinkError(SkylinkErrorCode.INTERNAL_ERROR, 'Room without messaging', { roomName: room.roomName });
    return messaging;
  }

  // -------------------------------------------------------------------------------------------
  // Data transfer
  // -------------------------------------------------------------------------------------------

  /**
   * Sends a Blob to one peer, several, or every peer of the room (P2P). Each receiver's app accepts or
   * rejects with `respondBlobRequest`; DATA_TRANSFER_STATE reports every step on both sides. With a peer
   * running this SDK the transfer uses a dedicated channel, binary chunks and a SHA-256 check; with an
   * original 2.x peer, the 2.x protocol. Resolves one `{ [peerId]: { success | error, transferType } }`
   * per peer once every transfer ended (a failed peer does not reject the call).
   * @param peerId - A peer id, an array of them, or nothing for every peer; a number here is the timeout (2.x).
   * @param timeout - Seconds to wait for the answer, and at most between two chunks. Default 60.
   * @throws SkylinkError `ROOM_NOT_FOUND`, `NOT_IN_ROOM`, `INVALID_ARGUMENT` (not a Blob, empty, bad peer
   *   id or timeout), `DATA_CHANNEL_DISABLED`, `NO_PEERS`.
   * @example
   * ```ts
   * const [result] = await skylink.sendBlobData('lobby', file, peerId);
   * if (result?.[peerId]?.success) console.log('delivered');
   * ```
   */
  sendBlobData(roomName: string, data: Blob, peerId?: string | string[], timeout?: number): Promise<DataTransferResult[]>;
  sendBlobData(roomName: string, data: Blob, timeout: number): Promise<DataTransferResult[]>;
  sendBlobData(roomName: string, data: Blob, peerId?: string | string[] | number, timeout?: number): Promise<DataTransferResult[]> {
    return this.#command(roomName, (room) => this.#dataTransferOf(room).sendBlobData(data, peerId, timeout));
  }

  /**
   * Answers an incoming transfer (DATA_TRANSFER_STATE `request` / ON_INCOMING_DATA_REQUEST). Accepting
   * resolves `{ [peerId]: { success: transferInfo } }` once the Blob arrived (`transferInfo.data`), and
   * rejects with a SkylinkError if the download fails. Rejecting resolves at once (2.x never settled).
   * @throws SkylinkError `ROOM_NOT_FOUND`, `INVALID_ARGUMENT`, `PEER_NOT_FOUND`, `TRANSFER_NOT_FOUND`.
   * @example
   * ```ts
   * SkylinkEventManager.addEventListener(SkylinkEvents.ON_INCOMING_DATA_REQUEST, ({ detail }) => {
   *   if (!detail.isSelf) skylink.respondBlobRequest(detail.roomName, detail.peerId, detail.transferId, true);
   * });
   * ```
   */
  respondBlobRequest(roomName: string, peerId: string, transferId: string, accept: boolean): Promise<DataTransferResult> {
    return this.#command(roomName, (room) => this.#dataTransferOf(room).respondBlobRequest(peerId, transferId, accept));
  }

  /**
   * Cancels a transfer, upload or download; both sides get DATA_TRANSFER_STATE `cancel`. Resolves
   * `{ peerId, transferId }` at once.
   * @throws SkylinkError `ROOM_NOT_FOUND`, `INVALID_ARGUMENT`, `PEER_NOT_FOUND`, `TRANSFER_NOT_FOUND`.
   */
  cancelBlobTransfer(roomName: string, peerId: string, transferId: string): Promise<CancelBlobTransferResult> {
    return this.#command(roomName, (room) => this.#dataTransferOf(room).cancelBlobTransfer(peerId, transferId));
  }

  /** The blob-transfer adapter every joined room gets in joinRoom. */
  #dataTransferOf(room: SkylinkRoom): RoomDataTransfer {
    const adapter = this.#dataTransfers.get(room);
    if (!adapter) throw new SkylinkError(SkylinkErrorCode.INTERNAL_ERROR, 'Room without data transfer', { roomName: room.roomName });
    return adapter;
  }

  // -------------------------------------------------------------------------------------------
  // Recording / RTMP (MCU)
  // -------------------------------------------------------------------------------------------

  /** Starts recording (MCU + recording feature); resolves the recording id. */
  startRecording(roomName: string): Promise<string> {
    return this.#mcuOnly(roomName, 'start recording');
  }

  /** Stops the recording (at least 4 s after start); resolves the recording id. */
  stopRecording(roomName: string): Promise<string> {
    return this.#mcuOnly(roomName, 'stop recording');
  }

  /** Recording sessions keyed by id; `null` when the room is not joined (always empty without an MCU). */
  getRecordings(roomName: string): RecordingSessions | null {
    return this.#findRoom(roomName) === undefined ? null : {};
  }

  /** Starts an RTMP session for `streamId` to `endpoint` (MCU); resolves the RTMP id. */
  startRTMPSession(roomName: string, streamId: string, endpoint: string): Promise<string> {
    void streamId;
    void endpoint;
    return this.#mcuOnly(roomName, 'start RTMP session');
  }

  /** Stops an RTMP session; resolves its id. */
  stopRTMPSession(roomName: string, rtmpId: string): Promise<string> {
    void rtmpId;
    return this.#mcuOnly(roomName, 'stop RTMP session');
  }

  // -------------------------------------------------------------------------------------------
  // Utilities
  // -------------------------------------------------------------------------------------------

  /** A random RFC 4122 v4 UUID. */
  generateUUID(): string {
    return generateUUID();
  }

  /** This SDK's version string. */
  getSdkVersion(): string {
    return SDK_VERSION;
  }
}
