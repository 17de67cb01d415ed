/**
 * Types shared by the media service (MediaStreamManager and its pure helpers) and the room that uses it.
 * @internal
 * @module
 */
import type { MediaAccessFallbackState } from '../constants';
import type { SkylinkError } from '../errors';
import type { SkylinkPlatform } from '../platform/SkylinkPlatform';
import type { MediaStreams } from '../types/media';
import type { AudioStreamSettings, StreamMediaStatus, VideoStreamSettings } from '../types/peer';

/** The part of the platform seam the media service uses (C's SkylinkPlatform object fits as is). */
export type MediaPlatform = Pick<SkylinkPlatform, 'getUserMedia' | 'getDisplayMedia' | 'enumerateDevices' | 'createMediaStream'>;

export type TrackKind = 'audio' | 'video';

/** Snapshot of one local stream of a room (user media streams hold one track, screen streams one or two). */
export interface LocalStreamInfo {
  readonly streamId: string;
  /** The room's own MediaStream (its tracks are this room's clones). */
  readonly stream: MediaStream;
  readonly isScreensharing: boolean;
  readonly isAudio: boolean;
  readonly isVideo: boolean;
  /** `SkylinkConstants.MEDIA_STATUS` values (1 active, 0 muted, -1 no such track). */
  readonly mediaStatus: StreamMediaStatus;
}

/** A stream whose mute state changed (one entry per stream), for LOCAL_MEDIA_MUTED / STREAM_MUTED / mediaInfoEvent. */
export interface MuteChange extends LocalStreamInfo {
  readonly audioChanged: boolean;
  readonly videoChanged: boolean;
}

/** Result of adding or replacing local media in a room (getUserMedia, sendStream, joinRoom media step). */
export interface LocalMediaResult {
  /** `[audio | null, video | null]` for the request (2.x resolve value). */
  readonly streams: MediaStreams;
  /**
   * One pair per given stream for the `sendStream(room, MediaStream[])` form (2.x resolves an array of
   * pairs); a single pair otherwise.
   */
  readonly pairs: MediaStreams[];
  /** Streams created or whose track was replaced (same stream id): announce with ON_INCOMING_STREAM isSelf. */
  readonly changed: LocalStreamInfo[];
  /** Streams that are gone (their tracks were stopped): STREAM_ENDED / MEDIA_ACCESS_STOPPED. */
  readonly removed: LocalStreamInfo[];
  /** Streams muted on arrival (`audio.mute` / `video.mute`): handle like a muteStreams change. */
  readonly muteChanges: MuteChange[];
  readonly isAudioFallback: boolean;
}

/** Result of stopStreams / stopScreen / a local track that ended by itself. */
export interface StopResult {
  /** Streams removed from the room (tracks stopped): STREAM_ENDED + MEDIA_ACCESS_STOPPED each. */
  readonly stopped: LocalStreamInfo[];
  /**
   * After a screen share stops: the camera/microphone streams still sent, to announce again with
   * ON_INCOMING_STREAM isSelf (the 2.x documented "camera restored" step).
   */
  readonly restored: LocalStreamInfo[];
}

/** One track the room should be sending to every peer of the room. */
export interface SendTrack {
  readonly track: MediaStreamTrack;
  /** The stream to associate with the sender (`addTrack(track, stream)`: its id is the SDP msid). */
  readonly stream: MediaStream;
  readonly streamId: string;
  readonly kind: TrackKind;
  readonly isScreensharing: boolean;
}

/** Settings of the local streams, advertised as `userInfo.settings.audio / .video`. */
export interface LocalSettings {
  audio: false | Record<string, AudioStreamSettings>;
  video: false | Record<string, VideoStreamSettings>;
}

/** A remote stream as classified by the media service. */
export interface RemoteStreamInfo {
  readonly peerId: string;
  /** Stream id as the sender knows it (from mediaInfo `mediaId`, else the msid stream id). */
  readonly streamId: string;
  readonly stream: MediaStream;
  readonly isScreensharing: boolean;
  readonly isAudio: boolean;
  readonly isVideo: boolean;
}

/** MEDIA_ACCESS_SUCCESS payload (without room fields). */
export interface MediaAccessSuccessInfo {
  readonly stream: MediaStream;
  readonly streamId: string;
  readonly isScreensharing: boolean;
  readonly isAudioFallback: boolean;
  readonly isAudio: boolean;
  readonly isVideo: boolean;
}

/**
 * Upward channel of the MediaStreamManager (constructor-injected; it never imports the room or the event
 * manager). Every callback names the room by the opaque `roomKey` the room passed in.
 */
export interface MediaStreamManagerCallbacks {
  /** MEDIA_ACCESS_SUCCESS: one call per resulting stream of a room getUserMedia / shareScreen. */
  onMediaAccessSuccess(roomKey: string, info: MediaAccessSuccessInfo): void;
  /** MEDIA_ACCESS_ERROR: the request (or its audio fallback) failed; the command rejects with `error`. */
  onMediaAccessError(roomKey: string, info: { error: SkylinkError; isAudioFallbackError: boolean }): void;
  /** MEDIA_ACCESS_FALLBACK: FALLBACKING (0) before the audio-only retry, ERROR (-1) if it failed too. */
  onMediaAccessFallback(
    roomKey: string,
    info: { error: SkylinkError; state: MediaAccessFallbackState; isAudioFallback: true },
  ): void;
  /**
   * A local track ended by itself (device unplugged, browser "Stop sharing"). The manager already
   * removed the stream; the room fires STREAM_ENDED / MEDIA_ACCESS_STOPPED / PEER_UPDATED, sends the
   * `unavailable` mediaInfoEvents and reconciles its peer connections, as after stopStreams / stopScreen.
   */
  onLocalStreamEnded(roomKey: string, result: StopResult): void;
  /** A remote stream lost its last track (removed by renegotiation): the room fires STREAM_ENDED. */
  onRemoteStreamEnded(roomKey: string, info: RemoteStreamInfo): void;
}
