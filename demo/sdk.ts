/**
 * The demo's only import of the SDK: the built ES module bundle served by the demo server at
 * `/dist/skylink.bundle.js` (esbuild keeps it external; demo/tsconfig.json maps it to src/index.ts
 * for the type checker). Plus small helpers to present SDK errors.
 */
import Skylink, { SkylinkConstants, SkylinkErrorCode, SkylinkEventManager, SkylinkEvents, SkylinkLogger } from '/dist/skylink.bundle.js';

export { Skylink, SkylinkConstants, SkylinkEventManager, SkylinkEvents, SkylinkLogger };
export type {
  ConnectionStatistics,
  DataTransferStateDetail,
  IncomingDataDetail,
  IncomingDataRequestDetail,
  IncomingMessageDetail,
  IncomingStreamDetail,
  LocalMediaMutedDetail,
  PeerInfo,
  SkylinkEventMap,
  SkylinkMessage,
  StoredMessage,
  StreamEndedDetail,
  StreamSource,
  TransferInfo,
} from '/dist/skylink.bundle.js';

/** The `code` of a SkylinkError (or of anything carrying a string `code`), else `undefined`. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The SDK build has no implementation of this command yet. */
export function isNotImplemented(err: unknown): boolean {
  return errorCode(err) === SkylinkErrorCode.NOT_IMPLEMENTED;
}

/** A short human-readable description of an error (its code first when it has one). */
export function errorText(err: unknown): string {
  if (isNotImplemented(err)) return 'not available in this SDK build yet';
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
  return code ? `${code}: ${message}` : message;
}

/** Display name of a peer from its `userData` (`{ name }` or a plain string), else a short id. */
export function displayName(userData: unknown, peerId: string): string {
  if (typeof userData === 'string' && userData.trim() !== '') return userData.trim();
  if (userData && typeof userData === 'object') {
    const name = (userData as { name?: unknown }).name;
    if (typeof name === 'string' && name.trim() !== '') return name.trim();
  }
  return `Guest ${peerId.slice(0, 4)}`;
}
