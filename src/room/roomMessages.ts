/**
 * Pure helpers of SkylinkRoom: reading what remote peers announce (enter/welcome/offer userInfo, 2.x
 * `parseUserInfo` defaults), user-data decoding, and the ICE configuration derived from `inRoom`
 * and the init options (2.x `setIceServers`, simplified to standard URLs).
 * @internal
 */
import { DT_PROTOCOL_VERSION, SM_PROTOCOL_VERSION } from '../constants';
import type { IceServerEntry, PeerAnnouncement, UserInfo } from '../signaling/protocol';
import type { ResolvedInitOptions } from '../types/options';
import type { AudioStreamSettings, CustomSettings, PeerAgentInfo, StreamMediaStatus, VideoStreamSettings } from '../types/peer';
import type { RemotePeer } from './RoomState';

/** `'0.9.6.1'` → `0.90601`, `'156'` → `156` (2.x agent version parsing). */
export function agentVersionNumber(version: unknown): number {
  if (typeof version === 'number' && Number.isFinite(version)) return version;
  if (typeof version !== 'string' || version === '') return 0;
  const parts = version.split('.');
  const head = Number(parts[0]);
  if (!Number.isFinite(head)) return 0;
  if (parts.length === 1) return head;
  // 2.x: the first minor part as is, later parts padded to two digits ('0.9.6.1' -> 0.90601).
  const [minor = '', ...rest] = parts.slice(1).map((p) => p.replace(/\D/g, ''));
  const tail = minor + rest.map((p) => p.padStart(2, '0').slice(-2)).join('');
  const n = Number(`${head}.${tail}`);
  return Number.isFinite(n) ? n : head;
}

/** Remote user data: strings are un-escaped (`&quot;`) and parsed when they are JSON (2.x). */
export function decodeUserData(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  const text = value.replace(/&quot;/g, '"');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Our user data on the wire in `updateUserEvent`: always a string. */
export function encodeUserData(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSettings(raw: unknown, fallbackData: boolean): CustomSettings {
  const s = isRecord(raw) ? raw : {};
  return {
    data: typeof s.data === 'boolean' ? s.data : fallbackData,
    audio: isRecord(s.audio) ? (s.audio as Record<string, AudioStreamSettings>) : false,
    video: isRecord(s.video) ? (s.video as Record<string, VideoStreamSettings>) : false,
    maxBandwidth: isRecord(s.maxBandwidth) ? (s.maxBandwidth as CustomSettings['maxBandwidth']) : {},
  };
}

function readMediaStatus(raw: unknown): Record<string, StreamMediaStatus> {
  if (!isRecord(raw)) return {};
  const out: Record<string, StreamMediaStatus> = {};
  for (const [streamId, value] of Object.entries(raw)) {
    if (!isRecord(value)) continue;
    const norm = (v: unknown): StreamMediaStatus['audioMuted'] =>
      v === true || v === 0 ? 0 : v === false || v === 1 ? 1 : -1;
    out[streamId] = { audioMuted: norm(value.audioMuted), videoMuted: norm(value.videoMuted) };
  }
  return out;
}

/**
 * A remote peer from its enter/welcome (or offer) message. Missing `userInfo` parts are filled from the
 * top-level fields, with 2.x defaults: agent `other`, weight 0, data channel on, ICE restart off,
 * DT protocol `0.1.0`.
 */
export function readRemotePeer(peerId: string, message: PeerAnnouncement): RemotePeer {
  const userInfo: UserInfo = isRecord(message.userInfo) ? message.userInfo : {};
  const config = isRecord(userInfo.config) ? userInfo.config : {};
  const agent = isRecord(userInfo.agent) ? userInfo.agent : undefined;
  const enableDataChannel =
    typeof config.enableDataChannel === 'boolean'
      ? config.enableDataChannel
      : typeof message.enableDataChannel === 'boolean'
        ? message.enableDataChannel
        : true;
  const enableIceRestart =
    typeof message.enableIceRestart === 'boolean'
      ? message.enableIceRestart
      : typeof config.enableIceRestart === 'boolean'
        ? config.enableIceRestart
        : false;
  const weight =
    typeof message.weight === 'number' ? message.weight : typeof config.priorityWeight === 'number' ? config.priorityWeight : 0;
  const peerAgent: PeerAgentInfo = {
    name: (agent && typeof agent.name === 'string' ? agent.name : message.agent) || 'other',
    version: agentVersionNumber(agent?.version ?? message.version),
    os: (agent && typeof agent.os === 'string' ? agent.os : message.os) ?? '',
    pluginVersion: null,
    SMProtocolVersion: agent?.SMProtocolVersion ?? message.SMProtocolVersion ?? SM_PROTOCOL_VERSION,
    DTProtocolVersion: agent?.DTProtocolVersion ?? message.DTProtocolVersion ?? '0.1.0',
  };
  if (agent?.SDKVersion) peerAgent.SDKVersion = agent.SDKVersion;
  return {
    peerId,
    userData: decodeUserData(userInfo.userData),
    settings: readSettings(userInfo.settings, enableDataChannel),
    mediaStatus: readMediaStatus(userInfo.mediaStatus),
    agent: peerAgent,
    config: { enableDataChannel, enableIceRestart, priorityWeight: weight },
    userDataStamp: 0,
    mediaInfoList: [],
    screenshare: false,
  };
}

/** Updates a known peer from a later userInfo (offer/answer), keeping its stamps. */
export function mergeUserInfo(peer: RemotePeer, userInfo: unknown): void {
  if (!isRecord(userInfo)) return;
  if (isRecord(userInfo.settings)) peer.settings = readSettings(userInfo.settings, peer.settings.data);
  if (isRecord(userInfo.mediaStatus)) peer.mediaStatus = readMediaStatus(userInfo.mediaStatus);
}

/** Fields of enter/welcome and of a restart offer: who we are. */
export function announcement(
  agent: PeerAgentInfo,
  enableDataChannel: boolean,
  userInfo: UserInfo,
  weight: number,
): Required<Pick<PeerAnnouncement, 'agent' | 'version' | 'os' | 'userInfo' | 'weight' | 'temasysPluginVersion' | 'enableDataChannel' | 'enableIceRestart' | 'SMProtocolVersion' | 'DTProtocolVersion'>> {
  return {
    agent: agent.name,
    version: String(agent.version),
    os: agent.os,
    userInfo,
    weight,
    temasysPluginVersion: null,
    enableDataChannel,
    enableIceRestart: true,
    SMProtocolVersion: SM_PROTOCOL_VERSION,
    DTProtocolVersion: DT_PROTOCOL_VERSION,
  };
}

interface ParsedIceUrl {
  scheme: 'stun' | 'stuns' | 'turn' | 'turns';
  username: string | null;
  hostPort: string;
  transport: string | null;
}

function parseIceUrl(url: string): ParsedIceUrl | null {
  const m = /^(stuns?|turns?):(?:([^@?]+)@)?([^?]+)(?:\?transport=(\w+))?$/i.exec(url.trim());
  if (!m) return null;
  return {
    scheme: (m[1] ?? 'stun').toLowerCase() as ParsedIceUrl['scheme'],
    username: m[2] ? decodeURIComponent(m[2]) : null,
    hostPort: m[3] ?? '',
    transport: m[4] ? m[4].toLowerCase() : null,
  };
}

type IceOptions = Pick<
  ResolvedInitOptions,
  'enableSTUNServer' | 'enableTURNServer' | 'forceTURN' | 'forceTURNSSL' | 'TURNServerTransport' | 'iceServer'
>;

/**
 * RTCIceServers from `inRoom.pc_config.iceServers` (entries with `url` and/or `urls`, username either in
 * `username` or as `turn:user@host`), filtered and rewritten by the init options.
 */
export function toRtcIceServers(entries: readonly IceServerEntry[], options: IceOptions): RTCIceServer[] {
  let turnAuth: { username?: string; credential?: string } = {};
  const servers: RTCIceServer[] = [];
  const useStun = options.enableSTUNServer && !options.forceTURN;
  const useTurn = options.enableTURNServer || options.forceTURN;
  for (const entry of entries) {
    const rawUrls = entry.urls ?? entry.url;
    const list = (Array.isArray(rawUrls) ? rawUrls : [rawUrls]).filter((u): u is string => typeof u === 'string');
    const urls: string[] = [];
    let username = entry.username ?? null;
    for (const raw of list) {
      const parsed = parseIceUrl(raw);
      if (!parsed) continue;
      const isTurn = parsed.scheme === 'turn' || parsed.scheme === 'turns';
      if (isTurn ? !useTurn : !useStun) continue;
      if (parsed.username) username ??= parsed.username;
      let scheme: string = parsed.scheme;
      let transport = parsed.transport;
      if (isTurn) {
        if (options.forceTURNSSL) scheme = 'turns';
        const t = options.TURNServerTransport;
        if (t === 'udp' || t === 'tcp') transport = t;
        else if (t === 'none') transport = null;
      }
      const url = `${scheme}:${parsed.hostPort}${transport && scheme !== 'stun' ? `?transport=${transport}` : ''}`;
      if (!urls.includes(url)) urls.push(url);
    }
    if (urls.length === 0) continue;
    const server: RTCIceServer = { urls };
    if (username) server.username = username;
    if (entry.credential) server.credential = entry.credential;
    if (server.username && server.credential && turnAuth.username === undefined) {
      turnAuth = { username: server.username, credential: server.credential };
    }
    servers.push(server);
  }
  if (options.iceServer) {
    const urls = Array.isArray(options.iceServer.urls) ? options.iceServer.urls : [options.iceServer.urls];
    const server: RTCIceServer = { urls: [...urls] };
    const username = options.iceServer.username ?? turnAuth.username;
    const credential = options.iceServer.credential ?? turnAuth.credential;
    if (username) server.username = username;
    if (credential) server.credential = credential;
    return [server];
  }
  return servers;
}

/** RTCConfiguration for the room's peer connections (2.x defaults). */
export function rtcConfiguration(iceServers: RTCIceServer[], forceTURN: boolean): RTCConfiguration {
  return {
    iceServers,
    bundlePolicy: 'balanced',
    rtcpMuxPolicy: 'require',
    iceTransportPolicy: forceTURN ? 'relay' : 'all',
    iceCandidatePoolSize: 0,
  };
}

/** Deepest nesting {@link clonePeerData} copies itself before handing the value to structuredClone. */
const CLONE_MAX_DEPTH = 16;

/**
 * A deep copy of a remote peer's JSON-like data (userData, settings, mediaStatus) for an event detail
 * or a peerInfo, so that listeners cannot alter what we keep. Plain objects, arrays and primitives are
 * copied directly (a few times faster than `structuredClone` on the small objects peerInfo holds,
 * which matters for every received P2P message); anything else (Date, Map, class instances, deep or
 * cyclic values) goes through `structuredClone`, and what it cannot copy (functions) is kept by
 * reference, as before.
 */
export function clonePeerData<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const copy = copyPlain(value, 0);
  if (copy !== NOT_PLAIN) return copy as T;
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

const NOT_PLAIN: unique symbol = Symbol('not plain');

function copyPlain(value: object, depth: number): unknown {
  if (depth > CLONE_MAX_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) {
      if (!(i in value)) continue;
      const item: unknown = value[i];
      const copied = item !== null && typeof item === 'object' ? copyPlain(item, depth + 1) : item;
      if (copied === NOT_PLAIN || typeof copied === 'function' || typeof copied === 'symbol') return NOT_PLAIN;
      out[i] = copied;
    }
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const copied = item !== null && typeof item === 'object' ? copyPlain(item, depth + 1) : item;
    if (copied === NOT_PLAIN || typeof copied === 'function' || typeof copied === 'symbol') return NOT_PLAIN;
    out[key] = copied;
  }
  return out;
}
