/**
 * Media result types (`MediaStreams`, `getStreams`, `getStreamSources`).
 * @module
 */

/**
 * `[audioStream | null, videoStream | null]`: local media is always split into an audio-only stream
 * (index 0) and a video-only stream (index 1).
 */
export type MediaStreams = [MediaStream | null, MediaStream | null];

/** Streams of one peer, `getStreams()` entry. Each kind maps stream id → MediaStream, or `null` when none. */
export interface StreamsList {
  streams: {
    audio: Record<string, MediaStream> | null;
    video: Record<string, MediaStream> | null;
    screenShare: Record<string, MediaStream> | null;
  };
  /** `true` on our own entry only. */
  isSelf?: boolean;
}

/** One media device (`getStreamSources`). */
export interface StreamSource {
  /** Default `'default'`. */
  deviceId: string;
  /** Default `'Source for <deviceId>'` (labels are empty until permission is granted). */
  label: string;
  groupId: string | null;
}

/** `getStreamSources()` result. */
export interface StreamSources {
  audio: { input: StreamSource[]; output: StreamSource[] };
  video: { input: StreamSource[] };
}
