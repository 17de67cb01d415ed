/**
 * Beyond 2.x: per-peer audio level and active speaker, computed client-side (no server support needed),
 * like the Telnyx room SDK's `audio_activity` event. Levels come from cheap browser sources polled on
 * one timer for all rooms: remote peers from `RTCRtpReceiver.getSynchronizationSources()` (the RTP
 * audio-level header extension, no stats parsing) with `inbound-rtp.audioLevel` as fallback; ourselves
 * from the sender's `media-source.audioLevel`. Levels are linear 0..1 (1 = 0 dBov).
 *
 * Reports are throttled: a peer is reported when it starts speaking, at most every `reportIntervalMs`
 * while it speaks, and once when it stops (after `silenceHoldMs` of silence). Nothing is reported for
 * silent peers. The active speaker is the loudest speaking peer, changed at most every
 * `activeSpeakerHoldMs` unless the current one stopped speaking.
 * @internal
 */

/** A level source: 0..1, or `null` when unknown right now (skipped for this poll). */
export type AudioLevelSource = () => number | null | Promise<number | null>;

/** One audio-activity report (see {@link AudioActivityMonitorOptions.onAudioActivity}). */
export interface AudioActivityReport {
  readonly roomKey: string;
  readonly peerId: string;
  /** Current level, linear 0..1, 3 decimals. */
  readonly audioLevel: number;
  readonly isSpeaking: boolean;
}

export interface AudioActivityMonitorOptions {
  /** A peer started speaking, is still speaking (throttled) or stopped. */
  onAudioActivity(report: AudioActivityReport): void;
  /** The room's loudest speaking peer changed (`null`: nobody speaks). */
  onActiveSpeakerChanged?(roomKey: string, peerId: string | null): void;
  /** Poll period. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Level at or above which a peer is speaking. Default 0.03 (about -30 dBov). */
  readonly speakingThreshold?: number;
  /** Silence needed before "stopped speaking". Default 800 ms. */
  readonly silenceHoldMs?: number;
  /** Minimum time between two reports of a speaking peer. Default 300 ms. */
  readonly reportIntervalMs?: number;
  /** Minimum time an active speaker keeps the floor while still speaking. Default 1500 ms. */
  readonly activeSpeakerHoldMs?: number;
}

interface PeerActivity {
  readonly sources: Set<AudioLevelSource>;
  level: number;
  /** Smoothed level, used to rank speakers without flapping. */
  smoothed: number;
  lastLoudAt: number;
  speaking: boolean;
  lastReportAt: number;
}

interface RoomActivity {
  readonly peers: Map<string, PeerActivity>;
  activeSpeaker: string | null;
  activeSince: number;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function clampLevel(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : null;
}

/**
 * A level read that has not settled after this long counts as unknown: getStats on a connection
 * that is being torn down or renegotiated can stay pending, and one pending read must not stop
 * every later poll (polls never overlap).
 */
const SAMPLE_TIMEOUT_MS = 1000;

/** `read()`'s value, or null when it fails or has not settled within `ms`. */
function settleWithin(read: AudioLevelSource, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    Promise.resolve()
      .then(read)
      .then(
        (level) => resolve(clampLevel(level)),
        () => resolve(null),
      )
      .finally(() => clearTimeout(timer));
  });
}

export class AudioActivityMonitor {
  private readonly rooms = new Map<string, RoomActivity>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling = false;
  private readonly pollMs: number;
  private readonly threshold: number;
  private readonly holdMs: number;
  private readonly reportMs: number;
  private readonly speakerHoldMs: number;

  constructor(private readonly opts: AudioActivityMonitorOptions) {
    this.pollMs = opts.pollIntervalMs ?? 100;
    this.threshold = opts.speakingThreshold ?? 0.03;
    this.holdMs = opts.silenceHoldMs ?? 800;
    this.reportMs = opts.reportIntervalMs ?? 300;
    this.speakerHoldMs = opts.activeSpeakerHoldMs ?? 1500;
  }

  /** Adds a level source for a peer (several per peer are fine: the loudest counts). Returns its remover. */
  addSource(roomKey: string, peerId: string, source: AudioLevelSource): () => void {
    let room = this.rooms.get(roomKey);
    if (!room) {
      room = { peers: new Map(), activeSpeaker: null, activeSince: 0 };
      this.rooms.set(roomKey, room);
    }
    let peer = room.peers.get(peerId);
    if (!peer) {
      peer = { sources: new Set(), level: 0, smoothed: 0, lastLoudAt: -Infinity, speaking: false, lastReportAt: -Infinity };
      room.peers.set(peerId, peer);
    }
    peer.sources.add(source);
    this.ensureTimer();
    const owner = peer;
    return () => {
      owner.sources.delete(source);
      if (owner.sources.size === 0 && this.rooms.get(roomKey)?.peers.get(peerId) === owner) this.removePeer(roomKey, peerId);
    };
  }

  /** Stops watching a peer (left the room). Silent. */
  removePeer(roomKey: string, peerId: string): void {
    const room = this.rooms.get(roomKey);
    if (!room?.peers.delete(peerId)) return;
    if (room.activeSpeaker === peerId) this.setSpeaker(roomKey, room, null, Date.now());
    if (room.peers.size === 0) this.rooms.delete(roomKey);
    this.stopTimerIfIdle();
  }

  /** Forgets a room. Silent. */
  releaseRoom(roomKey: string): void {
    this.rooms.delete(roomKey);
    this.stopTimerIfIdle();
  }

  /** Current levels of a room's peers. */
  getAudioLevels(roomKey: string): Record<string, { audioLevel: number; isSpeaking: boolean }> {
    const out: Record<string, { audioLevel: number; isSpeaking: boolean }> = {};
    for (const [peerId, p] of this.rooms.get(roomKey)?.peers ?? []) out[peerId] = { audioLevel: round3(p.level), isSpeaking: p.speaking };
    return out;
  }

  getActiveSpeaker(roomKey: string): string | null {
    return this.rooms.get(roomKey)?.activeSpeaker ?? null;
  }

  /** Stops everything. */
  dispose(): void {
    this.rooms.clear();
    this.stopTimerIfIdle();
  }

  /** True while the poll timer runs (for leak tests). */
  get isRunning(): boolean {
    return this.timer !== null;
  }

  private ensureTimer(): void {
    if (this.timer === null) this.timer = setInterval(() => void this.poll(), this.pollMs);
  }

  private stopTimerIfIdle(): void {
    if (this.rooms.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return; // a slow getStats must not pile polls up
    this.polling = true;
    try {
      const jobs: Array<Promise<void>> = [];
      for (const room of this.rooms.values()) {
        for (const peer of room.peers.values()) jobs.push(this.sample(peer));
      }
      await Promise.all(jobs);
      const now = Date.now();
      for (const [roomKey, room] of [...this.rooms]) this.evaluate(roomKey, room, now);
    } finally {
      this.polling = false;
    }
  }

  private async sample(peer: PeerActivity): Promise<void> {
    const levels = await Promise.all([...peer.sources].map((source) => settleWithin(source, Math.max(SAMPLE_TIMEOUT_MS, this.pollMs))));
    const known = levels.filter((l): l is number => l !== null);
    if (known.length === 0) return;
    peer.level = Math.max(...known);
    peer.smoothed = peer.smoothed * 0.6 + peer.level * 0.4;
  }

  private evaluate(roomKey: string, room: RoomActivity, now: number): void {
    for (const [peerId, peer] of room.peers) {
      if (peer.level >= this.threshold) peer.lastLoudAt = now;
      const speaking = now - peer.lastLoudAt <= this.holdMs;
      const changed = speaking !== peer.speaking;
      peer.speaking = speaking;
      if (changed || (speaking && now - peer.lastReportAt >= this.reportMs)) {
        peer.lastReportAt = now;
        this.opts.onAudioActivity({ roomKey, peerId, audioLevel: round3(peer.level), isSpeaking: speaking });
      }
    }
    let loudest: string | null = null;
    let loudestLevel = -1;
    for (const [peerId, peer] of room.peers) {
      if (peer.speaking && peer.smoothed > loudestLevel) {
        loudest = peerId;
        loudestLevel = peer.smoothed;
      }
    }
    const current = room.activeSpeaker === null ? undefined : room.peers.get(room.activeSpeaker);
    if (loudest === room.activeSpeaker) return;
    if (current?.speaking && now - room.activeSince < this.speakerHoldMs) return;
    this.setSpeaker(roomKey, room, loudest, now);
  }

  private setSpeaker(roomKey: string, room: RoomActivity, peerId: string | null, now: number): void {
    if (room.activeSpeaker === peerId) return;
    room.activeSpeaker = peerId;
    room.activeSince = now;
    this.opts.onActiveSpeakerChanged?.(roomKey, peerId);
  }
}

/** The part of RTCRtpReceiver read by {@link receiverAudioLevel}. */
export interface AudioReceiverLike {
  getSynchronizationSources?(): ReadonlyArray<{ audioLevel?: number; rtpTimestamp?: number; timestamp?: number }>;
  getStats(): Promise<RTCStatsReport>;
}

/**
 * Level of a remote audio receiver: the latest RTP audio level when the browser exposes
 * synchronization sources (0 when no new packet arrived since the last poll), else
 * `inbound-rtp.audioLevel` from getStats.
 */
export function receiverAudioLevel(receiver: AudioReceiverLike): AudioLevelSource {
  let lastRtp: number | undefined;
  return async () => {
    const sources = typeof receiver.getSynchronizationSources === 'function' ? receiver.getSynchronizationSources() : null;
    if (sources && sources.length > 0) {
      const latest = sources.reduce((a, b) => ((b.timestamp ?? 0) > (a.timestamp ?? 0) ? b : a));
      const fresh = latest.rtpTimestamp === undefined || latest.rtpTimestamp !== lastRtp;
      lastRtp = latest.rtpTimestamp;
      return fresh ? clampLevel(latest.audioLevel) : 0;
    }
    const stats = await receiver.getStats();
    let level: number | null = null;
    stats.forEach((s: { type?: string; kind?: string; audioLevel?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && typeof s.audioLevel === 'number') level = s.audioLevel;
    });
    return level;
  };
}

/** The part of RTCRtpSender read by {@link senderAudioLevel}. */
export interface AudioSenderLike {
  readonly track: MediaStreamTrack | null;
  getStats(): Promise<RTCStatsReport>;
}

/** Our own level from an audio sender (`media-source.audioLevel`); 0 while the track is muted or gone. */
export function senderAudioLevel(sender: AudioSenderLike): AudioLevelSource {
  return async () => {
    const track = sender.track;
    if (!track || !track.enabled || track.readyState !== 'live') return 0;
    const stats = await sender.getStats();
    let level: number | null = null;
    stats.forEach((s: { type?: string; kind?: string; audioLevel?: number }) => {
      if (s.type === 'media-source' && s.kind === 'audio' && typeof s.audioLevel === 'number') level = s.audioLevel;
    });
    return level;
  };
}
