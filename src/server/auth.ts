/**
 * Authentication: the Skylink HMAC-SHA1 `credentials` of scheduled rooms, and the HMAC-signed
 * tokens (`roomCred`, `userCred`, `timeStamp`) the REST call hands out and `joinRoom` echoes.
 *
 * Token design (the original formats are unknown): `roomCred` = base64url(JSON grant) + "." +
 * HMAC-SHA256(tokenSecret, grant); `userCred` = HMAC-SHA256 over rid, username, timeStamp and the
 * roomCred signature. Tokens are stateless (any instance sharing `tokenSecret` can check them);
 * single use is enforced by remembering consumed `userCred`s until they expire.
 *
 * Resume tokens (session-resume extension): HMAC-SHA256(resumeSecret, rid, sid). Stateless, so a
 * restarted server (same secret) can re-admit a client with its previous `sid`.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { SystemActionReason } from '../signaling/protocol';

/** What a REST call grants: one room of one app, possibly scheduled. */
export interface RoomGrant {
  /** App Key. */
  app: string;
  /** Room name. */
  room: string;
  /** Room key (`rid`). */
  rid: string;
  /** ISO start. */
  start: string;
  /** Duration in hours. */
  len: number;
  /** True when issued from Skylink `credentials`: start/end are enforced. */
  scheduled: boolean;
}

export interface IssuedTokens {
  username: string;
  roomCred: string;
  userCred: string;
  timeStamp: string;
}

export interface JoinCredentials {
  rid: string;
  uid?: string;
  userCred?: string;
  roomCred?: string;
  timeStamp?: string | number;
  key?: string;
}

export type JoinCheck = { ok: true; grant: RoomGrant } | { ok: false; reason: SystemActionReason; info: string };

const b64url = (buf: Buffer | string): string => Buffer.from(buf).toString('base64url');

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Deterministic room key of (app, room): rooms of different apps never share a key. */
export function roomKeyFor(appKey: string, roomName: string): string {
  return createHash('sha256').update(`skylink-room\n${appKey}\n${roomName}`).digest('hex').slice(0, 32);
}

/** `base64(HMAC-SHA1(secret, room + "_" + duration + "_" + start))`, as apps compute it. */
export function computeSkylinkCredentials(secret: string, roomName: string, duration: string, start: string): string {
  return createHmac('sha1', secret).update(`${roomName}_${duration}_${start}`).digest('base64');
}

/**
 * Checks the `cred` query value (already URL-decoded). Tolerates `' '` for `'+'` (apps that
 * forgot `encodeURIComponent`).
 */
export function verifySkylinkCredentials(
  secret: string,
  roomName: string,
  duration: string,
  start: string,
  cred: string,
): boolean {
  const expected = computeSkylinkCredentials(secret, roomName, duration, start);
  return safeEqual(expected, cred.replace(/ /g, '+'));
}

/** TURN REST-API credentials: username = expiry (colon-free for 2.x), credential = HMAC-SHA1. */
export function turnRestCredentials(
  secret: string,
  ttlSeconds: number,
  nowMs: number,
): { username: string; credential: string } {
  const username = String(Math.floor(nowMs / 1000) + ttlSeconds);
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

export class TokenService {
  /** Consumed userCreds -> expiry (insertion order = expiry order, TTL is constant). */
  readonly #used = new Map<string, number>();

  constructor(
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly resumeSecret: string = secret,
  ) {}

  /** The token proving "I was `sid` in `rid`", handed out in `inRoom.resumeToken`. */
  resumeToken(rid: string, sid: string): string {
    const mac = createHmac('sha256', this.resumeSecret).update(`resume\n${rid}\n${sid}`).digest();
    return `r1.${b64url(mac)}`;
  }

  verifyResume(rid: string, sid: string, token: string): boolean {
    return safeEqual(this.resumeToken(rid, sid), token);
  }

  #sign(kind: string, data: string): string {
    return b64url(createHmac('sha256', this.secret).update(`${kind}\n${data}`).digest());
  }

  issue(grant: RoomGrant): IssuedTokens {
    const payload = b64url(JSON.stringify(grant));
    const roomSig = this.#sign('room', payload);
    const username = `user_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const timeStamp = new Date(this.now()).toISOString();
    const userCred = this.#sign('user', [grant.rid, username, timeStamp, roomSig].join('\n'));
    return { username, roomCred: `${payload}.${roomSig}`, userCred, timeStamp };
  }

  #decodeRoomCred(roomCred: string): RoomGrant | undefined {
    const dot = roomCred.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = roomCred.slice(0, dot);
    if (!safeEqual(this.#sign('room', payload), roomCred.slice(dot + 1))) return undefined;
    try {
      const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as RoomGrant;
      return typeof grant.rid === 'string' && typeof grant.app === 'string' ? grant : undefined;
    } catch {
      return undefined;
    }
  }

  /** Verifies the echoed tokens; does not consume them (see `consume`). */
  verifyJoin(creds: JoinCredentials): JoinCheck {
    const fail = (reason: SystemActionReason, info: string): JoinCheck => ({ ok: false, reason, info });
    const { rid, uid, userCred, roomCred, timeStamp, key } = creds;
    if (!roomCred || !userCred || !uid || typeof timeStamp !== 'string') {
      return fail(SystemActionReason.CREDENTIAL_ERROR, 'Missing room credentials');
    }
    const grant = this.#decodeRoomCred(roomCred);
    if (!grant || grant.rid !== rid || (key !== undefined && key !== grant.app)) {
      return fail(SystemActionReason.CREDENTIAL_ERROR, 'Invalid room credentials');
    }
    const roomSig = roomCred.slice(roomCred.indexOf('.') + 1);
    if (!safeEqual(this.#sign('user', [rid, uid, timeStamp, roomSig].join('\n')), userCred)) {
      return fail(SystemActionReason.CREDENTIAL_ERROR, 'Invalid user credentials');
    }
    const now = this.now();
    const issuedAt = Date.parse(timeStamp);
    if (!Number.isFinite(issuedAt) || now - issuedAt > this.ttlMs) {
      return fail(SystemActionReason.OLD_TIMESTAMP, 'Credentials have expired, request new ones');
    }
    this.#prune(now);
    if (this.#used.has(userCred)) {
      return fail(SystemActionReason.DUPLICATED_LOGIN, 'Credentials already used to join');
    }
    if (grant.scheduled) {
      const start = Date.parse(grant.start);
      if (now < start) return fail(SystemActionReason.NOT_START, 'The room has not started yet');
      if (now >= start + grant.len * 3_600_000) return fail(SystemActionReason.EXPIRED, 'The room has ended');
    }
    return { ok: true, grant };
  }

  /** Marks a userCred as used (single use). */
  consume(userCred: string): void {
    this.#used.set(userCred, this.now() + this.ttlMs);
  }

  #prune(now: number): void {
    for (const [cred, expiry] of this.#used) {
      if (expiry > now) break;
      this.#used.delete(cred);
    }
  }
}
