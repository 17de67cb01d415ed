/**
 * `initOptions` defaults and validation (Skylink 2.x semantics: defaults ← user options, then the
 * `forceTURN` post-processing). Error messages name the field, never its value (values may be secret).
 * @module
 */
import { TURN_TRANSPORT } from './constants';
import { SkylinkError } from './errors';
import type { ResolvedInitOptions, SkylinkInitOptions } from './types/options';

/** 2.x message for a missing app key (kept verbatim). */
export const NO_APP_KEY_MESSAGE = 'Please provide an App Key - Get one at console.temasys.io!';

/** Defaults of every optional `initOptions` field (2.x code values). */
export const DEFAULT_INIT_OPTIONS: Readonly<Omit<ResolvedInitOptions, 'appKey' | 'clientId'>> = Object.freeze({
  defaultRoom: null,
  roomServer: '//api.temasys.io',
  enableDataChannel: true,
  enableSTUNServer: true,
  enableTURNServer: true,
  forceTURN: false,
  forceTURNSSL: false,
  TURNServerTransport: TURN_TRANSPORT.ANY,
  usePublicSTUN: false,
  filterCandidatesType: { host: false, srflx: false, relay: false },
  iceServer: null,
  socketServer: null,
  socketServerPath: null,
  socketTimeout: 7000,
  forceSSL: true,
  credentials: null,
  audioFallback: true,
  enableStatsGathering: true,
  beSilentOnStatsLogs: false,
  beSilentOnParseLogs: false,
  statsInterval: 20,
  mcuUseRenegoRestart: true,
  useEdgeWebRTC: false,
  enableSimultaneousTransfers: true,
  audioCodec: 'auto',
  videoCodec: 'auto',
  codecParams: {},
});

const BOOLEAN_FIELDS = [
  'enableDataChannel',
  'enableSTUNServer',
  'enableTURNServer',
  'forceTURN',
  'forceTURNSSL',
  'usePublicSTUN',
  'forceSSL',
  'audioFallback',
  'enableStatsGathering',
  'beSilentOnStatsLogs',
  'beSilentOnParseLogs',
  'mcuUseRenegoRestart',
  'useEdgeWebRTC',
  'enableSimultaneousTransfers',
] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(field: string, expected: string): SkylinkError {
  return SkylinkError.invalidArgument(`Invalid initOptions.${field}: expected ${expected}`);
}

/**
 * Validates user `initOptions` and returns the effective options (defaults applied, `clientId` set).
 * @throws SkylinkError `INVALID_ARGUMENT` (missing/empty `appKey`, wrong field types).
 */
export function resolveInitOptions(options: unknown, clientId: string): ResolvedInitOptions {
  if (!isPlainObject(options)) throw SkylinkError.invalidArgument(`initOptions must be an object. ${NO_APP_KEY_MESSAGE}`);
  const o = options as Partial<SkylinkInitOptions> & Record<string, unknown>;
  if (typeof o.appKey !== 'string' || o.appKey.trim() === '') throw SkylinkError.invalidArgument(NO_APP_KEY_MESSAGE);

  for (const f of BOOLEAN_FIELDS) {
    if (o[f] !== undefined && typeof o[f] !== 'boolean') throw invalid(f, 'a boolean');
  }
  if (o.defaultRoom !== undefined && o.defaultRoom !== null && typeof o.defaultRoom !== 'string') {
    throw invalid('defaultRoom', 'a string');
  }
  if (o.roomServer !== undefined && (typeof o.roomServer !== 'string' || o.roomServer.trim() === '')) {
    throw invalid('roomServer', 'a non-empty string such as "//host:port"');
  }
  if (o.socketServerPath !== undefined && o.socketServerPath !== null && typeof o.socketServerPath !== 'string') {
    throw invalid('socketServerPath', 'a string');
  }
  for (const f of ['socketTimeout', 'statsInterval'] as const) {
    const v = o[f];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) throw invalid(f, 'a positive number');
  }
  if (
    o.TURNServerTransport !== undefined &&
    !(Object.values(TURN_TRANSPORT) as unknown[]).includes(o.TURNServerTransport)
  ) {
    throw invalid('TURNServerTransport', `one of ${Object.values(TURN_TRANSPORT).join(', ')}`);
  }
  if (o.socketServer !== undefined && o.socketServer !== null) {
    const s = o.socketServer as unknown;
    const ok =
      (typeof s === 'string' && s !== '') ||
      (isPlainObject(s) &&
        typeof s.url === 'string' &&
        s.url !== '' &&
        (s.ports === undefined || (Array.isArray(s.ports) && s.ports.every((p) => Number.isInteger(p)))) &&
        (s.protocol === undefined || typeof s.protocol === 'string'));
    if (!ok) throw invalid('socketServer', 'a URL string or { url, ports?, protocol? }');
  }
  if (o.credentials !== undefined && o.credentials !== null) {
    const c = o.credentials as unknown;
    const ok =
      isPlainObject(c) &&
      typeof c.startDateTime === 'string' &&
      !Number.isNaN(Date.parse(c.startDateTime)) &&
      typeof c.duration === 'number' &&
      Number.isFinite(c.duration) &&
      c.duration > 0 &&
      typeof c.credentials === 'string' &&
      c.credentials !== '';
    if (!ok) throw invalid('credentials', '{ startDateTime: ISO string, duration: hours > 0, credentials: non-empty string }');
  }
  if (o.iceServer !== undefined && o.iceServer !== null) {
    const i = o.iceServer as unknown;
    const ok =
      isPlainObject(i) &&
      ((typeof i.urls === 'string' && i.urls !== '') ||
        (Array.isArray(i.urls) && i.urls.length > 0 && i.urls.every((u) => typeof u === 'string')));
    if (!ok) throw invalid('iceServer', '{ urls: string | string[] }');
  }
  if (o.filterCandidatesType !== undefined) {
    const fc = o.filterCandidatesType as unknown;
    if (!isPlainObject(fc) || Object.values(fc).some((v) => v !== undefined && typeof v !== 'boolean')) {
      throw invalid('filterCandidatesType', '{ host?, srflx?, relay? } booleans');
    }
  }

  const defined = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const resolved = {
    ...DEFAULT_INIT_OPTIONS,
    filterCandidatesType: { ...DEFAULT_INIT_OPTIONS.filterCandidatesType },
    ...defined,
    appKey: o.appKey.trim(),
    clientId,
  } as ResolvedInitOptions;
  if (o.filterCandidatesType) {
    resolved.filterCandidatesType = { ...DEFAULT_INIT_OPTIONS.filterCandidatesType, ...o.filterCandidatesType };
  }
  if (resolved.forceTURN) {
    resolved.enableTURNServer = true;
    resolved.enableSTUNServer = false;
    resolved.filterCandidatesType = { host: true, srflx: true, relay: false };
  }
  return resolved;
}
