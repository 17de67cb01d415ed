/**
 * Builds a MediaStreamManager on the fake media platform and records every callback it makes.
 */
import type { Logger } from '../../../src/logger';
import { MediaStreamManager } from '../../../src/media/MediaStreamManager';
import type { MediaStreamManagerCallbacks } from '../../../src/media/mediaTypes';
import { FakeMediaPlatform } from './FakeMediaPlatform';
import type { FakeMediaStreamTrack } from './FakeMediaStreamTrack';

export type RecordedCall = {
  [K in keyof MediaStreamManagerCallbacks]: { name: K; roomKey: string; info: Parameters<MediaStreamManagerCallbacks[K]>[1] };
}[keyof MediaStreamManagerCallbacks];

export interface MediaHarness {
  platform: FakeMediaPlatform;
  manager: MediaStreamManager;
  calls: RecordedCall[];
  /** Log lines the manager wrote. */
  logs: string[];
  /** Recorded calls of one callback. */
  callsOf<K extends RecordedCall['name']>(name: K): Array<Extract<RecordedCall, { name: K }>>;
}

/** A logger that keeps messages instead of printing them. */
export function memoryLogger(lines: string[] = []): Logger {
  const log = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
  };
  const logger: Logger = {
    trace: log('TRACE'),
    debug: log('DEBUG'),
    info: log('INFO'),
    warn: log('WARN'),
    error: log('ERROR'),
    child: () => logger,
  };
  return logger;
}

export function createMediaHarness(options: { audioFallback?: boolean } = {}): MediaHarness {
  const platform = new FakeMediaPlatform();
  const calls: RecordedCall[] = [];
  const logs: string[] = [];
  const record =
    <K extends RecordedCall['name']>(name: K) =>
    (roomKey: string, info: unknown) => {
      calls.push({ name, roomKey, info } as RecordedCall);
    };
  const manager = new MediaStreamManager({
    platform,
    audioFallback: options.audioFallback,
    logger: memoryLogger(logs),
    callbacks: {
      onMediaAccessSuccess: record('onMediaAccessSuccess'),
      onMediaAccessError: record('onMediaAccessError'),
      onMediaAccessFallback: record('onMediaAccessFallback'),
      onLocalStreamEnded: record('onLocalStreamEnded'),
      onRemoteStreamEnded: record('onRemoteStreamEnded'),
    },
  });
  return {
    platform,
    manager,
    calls,
    logs,
    callsOf: (name) => calls.filter((c) => c.name === name) as never,
  };
}

/** The single track of a split stream. */
export function onlyTrack(stream: MediaStream | null | undefined): FakeMediaStreamTrack {
  if (!stream) throw new Error('no stream');
  const tracks = stream.getTracks();
  if (tracks.length !== 1) throw new Error(`expected one track, got ${tracks.length}`);
  return tracks[0] as unknown as FakeMediaStreamTrack;
}
