/**
 * Pure helpers for the 2.x media-info wire format (spec: skylink-protocol.md 2.1 `mediaInfo`, 2.2
 * `mediaInfoEvent`, 3.6-3.7): building `mediaInfoList` for offers/answers, the `mediaInfoEvent`s to send
 * after mute / stop, classifying a remote track as camera/microphone or screen, and the remote
 * `mediaStatus` update a received `mediaInfoEvent` implies.
 *
 * Wire facts this follows: `mediaId` is `AUDIO_<streamId>` / `VIDEO_<streamId>`; `mediaType` is
 * `audioMic` / `videoCamera` for user media and `videoScreen` for a shared screen (that is how 2.x
 * recognises a screen share); receivers match a remote track to its entry by `transceiverMid`.
 * @module
 */
import { MEDIA_STATE, MEDIA_STATUS, MEDIA_TYPE } from '../constants';
import { mediaSections } from '../peer/sdp';
import type { MediaInfo as WireMediaInfo } from '../signaling/protocol';
import type { CustomSettings, StreamMediaStatus } from '../types/peer';
import type { LocalStreamInfo, MuteChange, TrackKind } from './mediaTypes';

/** Delay 2.x puts between a video and an audio `mediaInfoEvent` of one muteStreams call (server flood rule). */
export const MEDIA_INFO_AUDIO_DELAY_MS = 1050;

export type { WireMediaInfo };

/** `AUDIO_<streamId>` / `VIDEO_<streamId>`. */
export function mediaIdOf(kind: TrackKind, streamId: string): string {
  return `${kind === 'audio' ? 'AUDIO' : 'VIDEO'}_${streamId}`;
}

/** Inverse of {@link mediaIdOf}; `null` for anything else. */
export function parseMediaId(mediaId: unknown): { kind: TrackKind; streamId: string } | null {
  if (typeof mediaId !== 'string') return null;
  const match = /^(AUDIO|VIDEO)_(.+)$/.exec(mediaId);
  if (!match || !match[2]) return null;
  return { kind: match[1] === 'AUDIO' ? 'audio' : 'video', streamId: match[2] };
}

/** `audioMic` / `videoCamera` for user media; `videoScreen` / `audio` (tab or system audio) for a screen share. */
export function mediaTypeOf(kind: TrackKind, isScreensharing: boolean): string {
  if (kind === 'video') return isScreensharing ? MEDIA_TYPE.VIDEO_SCREEN : MEDIA_TYPE.VIDEO_CAMERA;
  return isScreensharing ? MEDIA_TYPE.AUDIO : MEDIA_TYPE.AUDIO_MIC;
}

/** One local track as described in `mediaInfoList`. */
export interface LocalTrackDescription {
  readonly streamId: string;
  readonly kind: TrackKind;
  readonly isScreensharing: boolean;
  readonly muted: boolean;
}

/** Resolves the `a=mid` of the m-section that sends a local track, or `null` when not (yet) known. */
export type MidResolver = (streamId: string, kind: TrackKind) => string | null;

/** Sending m-sections of an SDP, keyed `<kind>:<msid stream id>` → mid (read from `a=msid` lines). */
export function midResolverFromSdp(sdp: string | null | undefined): MidResolver {
  const mids = new Map<string, string>();
  for (const section of sdp ? mediaSections(sdp) : []) {
    if (section.mid === null || section.port === 0) continue;
    if (section.lines.some((l) => l === 'a=recvonly' || l === 'a=inactive')) continue;
    for (const line of section.lines) {
      if (!line.startsWith('a=msid:')) continue;
      const streamId = line.slice(7).split(' ')[0];
      if (streamId && streamId !== '-') mids.set(`${section.kind}:${streamId}`, section.mid);
    }
  }
  return (streamId, kind) => mids.get(`${kind}:${streamId}`) ?? null;
}

/**
 * `mediaInfoList` for an offer/answer (2.x `buildPeerMediaInfo`): one entry per local track, `mediaState`
 * `muted` or `active`, `mediaMetaData` / `simulcast` empty strings as 2.x sends them.
 */
export function buildMediaInfoList(
  publisherId: string,
  tracks: readonly LocalTrackDescription[],
  midOf: MidResolver,
): WireMediaInfo[] {
  return tracks.map((t) => ({
    publisherId,
    mediaId: mediaIdOf(t.kind, t.streamId),
    mediaType: mediaTypeOf(t.kind, t.isScreensharing),
    mediaState: t.muted ? MEDIA_STATE.MUTED : MEDIA_STATE.ACTIVE,
    transceiverMid: midOf(t.streamId, t.kind),
    mediaMetaData: '',
    simulcast: '',
  }));
}

/** Fields of one `mediaInfoEvent` to send to every peer (P2P: once per peer with `target`). */
export interface MediaInfoUpdate {
  readonly mediaId: string;
  readonly mediaType: string;
  readonly mediaState: string;
  /** Wait this long (ms, counted from the call) before sending; spaces video and audio as 2.x does. */
  readonly delayMs: number;
}

/**
 * The `mediaInfoEvent`s for one muteStreams call: every changed video first, then every changed audio
 * {@link MEDIA_INFO_AUDIO_DELAY_MS} later when a video also changed (2.x muteStreams ordering).
 */
export function mediaInfoUpdatesForMute(changes: readonly MuteChange[]): MediaInfoUpdate[] {
  const updatesOf = (kind: TrackKind, delayMs: number): MediaInfoUpdate[] =>
    changes
      .filter((c) => (kind === 'audio' ? c.audioChanged : c.videoChanged))
      .map((c) => ({
        mediaId: mediaIdOf(kind, c.streamId),
        mediaType: mediaTypeOf(kind, c.isScreensharing),
        mediaState:
          c.mediaStatus[kind === 'audio' ? 'audioMuted' : 'videoMuted'] === MEDIA_STATUS.MUTED
            ? MEDIA_STATE.MUTED
            : MEDIA_STATE.ACTIVE,
        delayMs,
      }));
  const video = updatesOf('video', 0);
  return [...video, ...updatesOf('audio', video.length > 0 ? MEDIA_INFO_AUDIO_DELAY_MS : 0)];
}

/** `mediaState: "unavailable"` for every track of stopped streams (sent before the renegotiation). */
export function mediaInfoUpdatesForStop(stopped: readonly LocalStreamInfo[]): MediaInfoUpdate[] {
  const out: MediaInfoUpdate[] = [];
  for (const s of stopped) {
    for (const kind of ['video', 'audio'] as const) {
      if (kind === 'video' ? !s.isVideo : !s.isAudio) continue;
      out.push({
        mediaId: mediaIdOf(kind, s.streamId),
        mediaType: mediaTypeOf(kind, s.isScreensharing),
        mediaState: MEDIA_STATE.UNAVAILABLE,
        delayMs: 0,
      });
    }
  }
  return out;
}

/** A received mediaInfo with its stream id and kind derived from `mediaId`. */
export interface RemoteMediaInfo {
  readonly publisherId: string | null;
  readonly mediaId: string;
  readonly mediaType: string;
  readonly mediaState: string;
  readonly transceiverMid: string | null;
  readonly streamId: string;
  readonly kind: TrackKind;
}

/** Validates and normalises a received mediaInfo (from `mediaInfoList` or a `mediaInfoEvent`). */
export function normalizeMediaInfo(info: unknown): RemoteMediaInfo | null {
  if (typeof info !== 'object' || info === null) return null;
  const raw = info as Partial<WireMediaInfo>;
  const parsed = parseMediaId(raw.mediaId);
  if (!parsed || typeof raw.mediaType !== 'string' || typeof raw.mediaState !== 'string') return null;
  const mid = raw.transceiverMid;
  return {
    publisherId: typeof raw.publisherId === 'string' ? raw.publisherId : null,
    mediaId: raw.mediaId as string,
    mediaType: raw.mediaType,
    mediaState: raw.mediaState,
    transceiverMid: typeof mid === 'string' ? mid : typeof mid === 'number' ? String(mid) : null,
    streamId: parsed.streamId,
    kind: parsed.kind,
  };
}

/** What the receiver knows when a remote track arrives. */
export interface RemoteTrackFacts {
  readonly kind: TrackKind;
  /** `event.transceiver.mid`. */
  readonly mid: string | null;
  /** Ids of `event.streams` (the sender's msid stream ids). */
  readonly msidStreamIds: readonly string[];
  /** The peer's current media infos (from its offer/answer `mediaInfoList` and later `mediaInfoEvent`s). */
  readonly mediaInfos: readonly RemoteMediaInfo[];
  /** The peer's advertised settings (`peerInfo.settings`), for senders without media infos. */
  readonly settings?: Pick<CustomSettings, 'video'> | null;
}

/** Classification of a remote track. */
export interface RemoteTrackClass {
  /** The sender's stream id, or `null` when neither a media info nor an msid names it. */
  readonly streamId: string | null;
  /** True → ON_INCOMING_SCREEN_STREAM, false → ON_INCOMING_STREAM. */
  readonly isScreensharing: boolean;
  readonly mediaInfo: RemoteMediaInfo | null;
}

/**
 * ON_INCOMING_STREAM vs ON_INCOMING_SCREEN_STREAM, per the 2.x wire fields: the track's media info is
 * found by `transceiverMid` (else by msid stream id and kind); it is a screen share when that media info
 * is `videoScreen`, when another media info of the same stream is (screen audio travels in the screen
 * stream), or, with no media info at all, when the peer's `settings.video[streamId].screenshare` is true.
 */
export function classifyRemoteTrack(facts: RemoteTrackFacts): RemoteTrackClass {
  const { kind, mid, msidStreamIds, mediaInfos } = facts;
  const mediaInfo =
    (mid !== null ? mediaInfos.find((m) => m.kind === kind && m.transceiverMid === mid) : undefined) ??
    mediaInfos.find((m) => m.kind === kind && msidStreamIds.includes(m.streamId)) ??
    null;
  const streamId = mediaInfo?.streamId ?? msidStreamIds[0] ?? null;
  const screenInfo = mediaInfos.some(
    (m) => m.mediaType === MEDIA_TYPE.VIDEO_SCREEN && (m === mediaInfo || (streamId !== null && m.streamId === streamId)),
  );
  const videoSettings = facts.settings?.video;
  const screenSetting =
    !mediaInfo && streamId !== null && videoSettings ? videoSettings[streamId]?.screenshare === true : false;
  return { streamId, isScreensharing: screenInfo || screenSetting, mediaInfo };
}

/**
 * The `mediaStatus` entry of a stream after a remote `mediaState` for one kind (2.x: `muted` / `stopped`
 * → 0, `active` → 1). Other kinds keep their value; a stream seen for the first time starts at -1/-1.
 */
export function nextMediaStatus(current: StreamMediaStatus | undefined, kind: TrackKind, mediaState: string): StreamMediaStatus {
  const base: StreamMediaStatus = current
    ? { ...current }
    : { audioMuted: MEDIA_STATUS.UNAVAILABLE, videoMuted: MEDIA_STATUS.UNAVAILABLE };
  const value = mediaState === MEDIA_STATE.ACTIVE ? MEDIA_STATUS.ACTIVE : MEDIA_STATUS.MUTED;
  if (kind === 'audio') base.audioMuted = value;
  else base.videoMuted = value;
  return base;
}
