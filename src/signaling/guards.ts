/**
 * Validation of inbound signaling data: `unknown` (a JSON string or an already parsed value)
 * -> a typed message of `protocol.ts`, or a rejection with a reason. Pure, dependency-free.
 *
 * The checks are structural (types, required fields, sizes). Membership checks (known `rid`,
 * `mid` is the sender's own id, target in the room) need state and are done by the server.
 * Unknown extra fields are kept: relayed messages are forwarded unchanged.
 */
import type {
  ClientToServerMessage,
  ClientMessageType,
  RelayedMessage,
  ServerMessageType,
  ServerToClientMessage,
  StoredMessageItem,
} from './protocol';
import { SystemAction } from './protocol';

export interface GuardLimits {
  /** Max length of the JSON text of one message (characters). */
  maxMessageLength: number;
  /** Max length of ids (`rid`, `mid`, `target`, `msgId`, ...). */
  maxIdLength: number;
  /** Max number of entries in a legacy `group` bundle. */
  maxGroupItems: number;
  /** Max entries of list fields (`mediaInfoList`, `iceServers`, stored messages...). */
  maxListItems: number;
}

export const DEFAULT_GUARD_LIMITS: Readonly<GuardLimits> = Object.freeze({
  maxMessageLength: 128 * 1024,
  maxIdLength: 256,
  maxGroupItems: 16,
  maxListItems: 1000,
});

export type GuardRejectReason =
  | 'too_large'
  | 'not_json'
  | 'not_object'
  | 'missing_type'
  | 'unknown_type'
  | 'invalid_field';

export type GuardResult<T> =
  | { ok: true; message: T }
  | { ok: false; reason: GuardRejectReason; detail: string };

type Check = (value: unknown, limits: GuardLimits) => boolean;
type FieldSpec = Readonly<Record<string, Check>>;
type Schemas<U extends { type: string }> = { readonly [T in U['type']]: FieldSpec };

// ---- primitive checks --------------------------------------------------------------------------

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const id: Check = (v, l) => typeof v === 'string' && v.length > 0 && v.length <= l.maxIdLength;
/** Short free text (ids the app may leave empty, versions...). */
const shortText: Check = (v, l) => typeof v === 'string' && v.length <= l.maxIdLength;
/** Server-issued tokens embed a signed grant (room name, app key...), so they outgrow an id. */
const MAX_CREDENTIAL_LENGTH = 4096;
const credential: Check = (v) => typeof v === 'string' && v.length <= MAX_CREDENTIAL_LENGTH;
const text: Check = (v) => typeof v === 'string';
const bool: Check = (v) => typeof v === 'boolean';
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const obj: Check = (v) => isPlainObject(v);
const present: Check = (v) => v !== undefined;
const opt =
  (check: Check): Check =>
  (v, l) =>
    v === undefined || check(v, l);
const nullable =
  (check: Check): Check =>
  (v, l) =>
    v === null || check(v, l);
const either =
  (...checks: Check[]): Check =>
  (v, l) =>
    checks.some((c) => c(v, l));
const oneOf =
  (...values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const listOf =
  (check: Check): Check =>
  (v, l) =>
    Array.isArray(v) && v.length <= l.maxListItems && v.every((e) => check(e, l));

const iceServer: Check = (v, l) =>
  isPlainObject(v) &&
  text(v.url, l) &&
  opt(either(text, listOf(text)))(v.urls, l) &&
  opt(text)(v.username, l) &&
  opt(text)(v.credential, l);

const peerListResult: Check = (v, l) =>
  isPlainObject(v) && Object.values(v).every((peers) => listOf(id)(peers, l));

/** A date as 2.x reads it (`new Date(x)`): ms since the epoch, or a parsable date string. */
const dateStamp: Check = (v, l) => num(v, l) || (shortText(v, l) && !Number.isNaN(Date.parse(v as string)));

const storedItem: Check = (v, l) =>
  isPlainObject(v) &&
  text(v.data, l) &&
  shortText(v.secretId, l) &&
  shortText(v.mid, l) &&
  opt(shortText)(v.peerSessionId, l) &&
  opt(shortText)(v.msgId, l) &&
  dateStamp(v.timeStamp, l);

/** `storedMessages.data` is the JSON text of a `StoredMessageItem[]`. */
const storedItemsJson: Check = (v, l) => {
  if (typeof v !== 'string') return false;
  try {
    return listOf(storedItem)(JSON.parse(v) as unknown, l);
  } catch {
    return false;
  }
};

// ---- schemas -----------------------------------------------------------------------------------

const peer = { rid: id, mid: id } as const;
const targeted = { rid: id, mid: id, target: id } as const;
const announcement = {
  agent: opt(shortText),
  version: opt(either(shortText, num)),
  os: opt(shortText),
  userInfo: opt(obj),
  weight: opt(num),
  temasysPluginVersion: opt(nullable(shortText)),
  enableDataChannel: opt(bool),
  enableIceRestart: opt(bool),
  SMProtocolVersion: opt(shortText),
  DTProtocolVersion: opt(shortText),
  publisherId: opt(nullable(shortText)),
} as const;
const mediaInfoList = opt(listOf(obj));

const relayedSchemas: Schemas<RelayedMessage> = {
  enter: { ...peer, ...announcement, target: opt(id) },
  welcome: { ...targeted, ...announcement, peersInRoom: opt(listOf(obj)) },
  offer: {
    ...targeted,
    ...announcement,
    sdp: text,
    mediaInfoList,
    doIceRestart: opt(bool),
    isRestartResend: opt(bool),
    restart: opt(bool),
  },
  answer: { ...targeted, sdp: text, userInfo: opt(obj), mediaInfoList },
  answerAck: { ...targeted, success: bool },
  candidate: { ...targeted, candidate: text, label: opt(nullable(num)), id: opt(nullable(shortText)) },
  endOfCandidates: { ...targeted, noOfExpectedCandidates: opt(num) },
  bye: { ...peer, target: opt(id), publisherId: opt(nullable(shortText)) },
  updateUserEvent: { ...peer, userData: text, stamp: num },
  roomLockEvent: { ...peer, lock: bool },
  mediaInfoEvent: {
    ...peer,
    target: opt(id),
    publisherId: opt(nullable(shortText)),
    mediaId: id,
    mediaType: shortText,
    mediaState: shortText,
  },
  message: {
    ...peer,
    data: present,
    msgId: opt(shortText),
    roomSessionId: opt(shortText),
    peerSessionId: opt(shortText),
    secretId: opt(shortText),
    target: opt(id),
    isPersistent: opt(either(bool, shortText)),
  },
  public: { ...peer, data: present, cid: opt(shortText) },
  private: { ...targeted, data: present, cid: opt(shortText) },
  stream: { ...peer, status: shortText, streamId: opt(shortText), settings: obj },
  restart: { ...targeted, ...announcement },
  muteAudioEvent: { ...peer, muted: bool, stamp: opt(num) },
  muteVideoEvent: { ...peer, muted: bool, stamp: opt(num) },
};

const clientSchemas: Schemas<ClientToServerMessage> = {
  ...relayedSchemas,
  joinRoom: {
    rid: id,
    uid: opt(shortText),
    cid: opt(shortText),
    userCred: opt(credential),
    roomCred: opt(credential),
    timeStamp: opt(either(shortText, num)),
    apiOwner: opt(shortText),
    start: opt(shortText),
    len: opt(num),
    isPrivileged: opt(bool),
    autoIntroduce: opt(bool),
    key: opt(shortText),
    resumable: opt(bool),
    resumeSid: opt(id),
    resumeToken: opt(credential),
  },
  getStoredMessages: { ...peer, target: opt(id), roomSessionId: opt(shortText) },
  getPeers: { rid: opt(id), showAll: opt(bool) },
  introduce: { rid: opt(id), sendingPeerId: id, receivingPeerId: id },
  startRecordingRoom: { rid: id, target: opt(id) },
  stopRecordingRoom: { rid: id, target: opt(id) },
  startRTMP: { ...targeted, rtmpId: id, streamId: shortText, endpoint: text },
  stopRTMP: { ...targeted, rtmpId: id },
  group: {
    ...peer,
    lists: (v, l) => Array.isArray(v) && v.length <= l.maxGroupItems && v.every((e) => typeof e === 'string'),
  },
};

const serverSchemas: Schemas<ServerToClientMessage> = {
  ...relayedSchemas,
  inRoom: {
    rid: id,
    sid: id,
    pc_config: (v, l) => isPlainObject(v) && listOf(iceServer)(v.iceServers, l),
    tieBreaker: num,
    isLocked: opt(bool),
    resumeToken: opt(shortText),
    resumed: opt(bool),
  },
  redirect: { rid: id, action: oneOf(...Object.values(SystemAction)), reason: shortText, info: text },
  storedMessages: { rid: id, mid: id, data: storedItemsJson },
  peerList: { rid: id, result: peerListResult },
  approach: { rid: id, target: id },
  introduceError: { rid: opt(id), reason: text, sendingPeerId: shortText, receivingPeerId: shortText },
  recordingEvent: { rid: id, action: shortText, recordingId: opt(shortText), error: opt(text) },
  rtmpEvent: {
    rid: id,
    action: shortText,
    rtmpId: shortText,
    peerId: opt(shortText),
    streamId: opt(shortText),
    error: opt(text),
  },
};

// ---- parsing -----------------------------------------------------------------------------------

function reject<T>(reason: GuardRejectReason, detail: string): GuardResult<T> {
  return { ok: false, reason, detail };
}

/** Turns a wire payload into a plain object, enforcing the size limit. */
function toObject(input: unknown, limits: GuardLimits): GuardResult<Record<string, unknown>> {
  let value: unknown = input;
  if (typeof input === 'string') {
    if (input.length > limits.maxMessageLength) {
      return reject('too_large', `${input.length} > ${limits.maxMessageLength} characters`);
    }
    try {
      value = JSON.parse(input) as unknown;
    } catch {
      return reject('not_json', 'payload is not valid JSON');
    }
  } else if (isPlainObject(input)) {
    let size: number;
    try {
      size = JSON.stringify(input).length;
    } catch {
      return reject('not_json', 'payload is not serialisable');
    }
    if (size > limits.maxMessageLength) {
      return reject('too_large', `${size} > ${limits.maxMessageLength} characters`);
    }
  }
  if (!isPlainObject(value)) return reject('not_object', 'payload is not a JSON object');
  return { ok: true, message: value };
}

/** A schema table as type -> [field, check] pairs, built once (the server validates every message). */
type CompiledSchemas = ReadonlyMap<string, ReadonlyArray<readonly [string, Check]>>;

const compile = <U extends { type: string }>(schemas: Schemas<U>): CompiledSchemas =>
  new Map(Object.entries<FieldSpec>(schemas).map(([type, spec]) => [type, Object.entries(spec)]));

/** Limits merged with the defaults, once per limits object the caller passes. */
const resolvedLimits = new WeakMap<Partial<GuardLimits>, GuardLimits>();

function resolveLimits(partial: Partial<GuardLimits> | undefined): GuardLimits {
  if (!partial) return DEFAULT_GUARD_LIMITS;
  let limits = resolvedLimits.get(partial);
  if (!limits) resolvedLimits.set(partial, (limits = { ...DEFAULT_GUARD_LIMITS, ...partial }));
  return limits;
}

function parseWith<U extends { type: string }>(
  schemas: CompiledSchemas,
  input: unknown,
  partialLimits: Partial<GuardLimits> | undefined,
): GuardResult<U> {
  const limits = resolveLimits(partialLimits);
  const parsed = toObject(input, limits);
  if (!parsed.ok) return parsed;
  const msg = parsed.message;
  const type = msg.type;
  if (typeof type !== 'string' || type.length === 0) return reject('missing_type', 'no string "type"');
  const spec = schemas.get(type);
  if (!spec) return reject('unknown_type', `unknown type "${type.slice(0, 64)}"`);
  for (const [field, check] of spec) {
    if (!check(msg[field], limits)) {
      return reject('invalid_field', `${type}.${field} is missing or invalid`);
    }
  }
  return { ok: true, message: msg as unknown as U };
}

const compiledClientSchemas = compile(clientSchemas);
const compiledServerSchemas = compile(serverSchemas);

/** Validates a message received by the server from a client. */
export function parseClientMessage(
  input: unknown,
  limits?: Partial<GuardLimits>,
): GuardResult<ClientToServerMessage> {
  return parseWith(compiledClientSchemas, input, limits);
}

/** Validates a message received by a client from the server. */
export function parseServerMessage(
  input: unknown,
  limits?: Partial<GuardLimits>,
): GuardResult<ServerToClientMessage> {
  return parseWith(compiledServerSchemas, input, limits);
}

export function isClientMessageType(type: unknown): type is ClientMessageType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(clientSchemas, type);
}

export function isServerMessageType(type: unknown): type is ServerMessageType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(serverSchemas, type);
}

/** Parses `storedMessages.data` (already validated by `parseServerMessage`). */
export function parseStoredMessageItems(data: string): StoredMessageItem[] {
  return JSON.parse(data) as StoredMessageItem[];
}
