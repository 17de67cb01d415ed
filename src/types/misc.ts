/**
 * Other result and payload types: refresh results, recordings, socket sessions, media info, logs.
 * @module
 */
import type {
  MediaState,
  MediaType,
  RecordingState,
  SocketFallback,
  SocketType,
} from '../constants';
import type { CustomSettings } from './peer';

/** Settings applied to one refreshed peer. */
export interface RefreshSettings {
  iceRestart: boolean;
  customSettings: CustomSettings;
}

/**
 * `refreshConnection()` result. `refreshErrors` and `refreshSettings` are keyed by peer id
 * (the shape the 2.x doc examples read).
 */
export interface RefreshConnectionResult {
  /** Peers a refresh was attempted for. */
  listOfPeers: string[];
  /** Error messages keyed by peer id (only failed peers). */
  refreshErrors: Record<string, string[]>;
  /** Applied settings keyed by peer id (only refreshed peers). */
  refreshSettings: Record<string, RefreshSettings>;
}

/** One recording session (`getRecordings()` entry). */
export interface RecordingSession {
  active: boolean;
  state: RecordingState;
  /** ISO time. */
  startedDateTime: string;
  /** ISO time, `null` while active. */
  endedDateTime: string | null;
  error: Error | null;
}

/** `getRecordings()` result, keyed by recording id. */
export type RecordingSessions = Record<string, RecordingSession>;

/** `getPeers()` result: room name → peer ids. */
export type PeersList = Record<string, string[]>;

/** Socket session description carried by socket events. */
export interface SocketSession {
  /** `'http:'` or `'https:'`. */
  protocol: string;
  socketType: SocketType;
  signalingServerProtocol: string;
  socketSession: { finalAttempts: number; attempts: number };
  fallbackType: SocketFallback;
  signalingServerPort: number | null;
  socketTimeout: number;
  /** Signaling server host (never contains credentials). */
  socketServer: string;
  socketServerPath: string | null;
}

/** A remote media info entry (internal in 2.x; MEDIA_INFO_DELETED). */
export interface MediaInfo {
  publisherId: string;
  mediaId: string;
  mediaType: MediaType;
  mediaState: MediaState;
  transceiverMid: string | null;
  mediaMetaData: unknown;
  simulcast: unknown;
  streamId: string;
}

/** A stored log item: `[dateTimeString, levelName, message, debugObject?]`. */
export type LogItem = [string, string, string, unknown?];
