/**
 * `RoomRegistry` shared by every server instance through Redis. Each change that must be atomic
 * (admission with its lock/size/`taken` checks, removal that ends the room session) is one Lua
 * script. Members remember the instance holding their socket, so that the members of an instance
 * that died can be found and removed by the others (see `ClusterPresence`).
 *
 * Not for Redis Cluster: the scripts derive some key names (member hashes, per-app and
 * per-instance sets) from the prefix instead of receiving them all in KEYS.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AdmitResult, NewMember, RoomInfo, RoomMember, RoomRegistry, RoomWithMembers } from '../RoomRegistry';
import { LuaScript, pairsToObject } from './luaScript';
import { parseMemberRef, type RedisKeys } from './redisKeys';

const ROOM_FIELDS = ['appKey', 'roomName', 'sessionId', 'locked'] as const;

/** Creates the room when absent; KEYS room, members; ARGV appKey, roomName, sessionId, ttlMs. */
const TOUCH = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'appKey', ARGV[1], 'roomName', ARGV[2], 'sessionId', ARGV[3], 'locked', '0', 'seq', '0', 'tb', '0')
end
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return redis.call('HMGET', KEYS[1], 'appKey', 'roomName', 'sessionId', 'locked')
`,
  2,
);

/**
 * KEYS room, members, rooms, memberCount; ARGV prefix, rid, appKey, roomName, sessionId, sid,
 * maxMembers, proposed tieBreaker, then the member fields as name/value pairs.
 * Returns {outcome, appKey, roomName, sessionId, locked[, seq, tieBreaker]}.
 */
const ADMIT = new LuaScript(
  `
local room, members = KEYS[1], KEYS[2]
local prefix, rid, sid = ARGV[1], ARGV[2], ARGV[6]
if redis.call('EXISTS', room) == 0 then
  redis.call('HSET', room, 'appKey', ARGV[3], 'roomName', ARGV[4], 'sessionId', ARGV[5], 'locked', '0', 'seq', '0', 'tb', '0')
end
local info = redis.call('HMGET', room, 'appKey', 'roomName', 'sessionId', 'locked')
local function refuse(reason) return {reason, info[1], info[2], info[3], info[4]} end
if redis.call('ZSCORE', members, sid) then return refuse('taken') end
if info[4] == '1' then return refuse('locked') end
if redis.call('ZCARD', members) >= tonumber(ARGV[7]) then return refuse('full') end
local seq = redis.call('HINCRBY', room, 'seq', 1)
local tb = string.format('%.0f', math.max(tonumber(ARGV[8]), tonumber(redis.call('HGET', room, 'tb')) + 1))
redis.call('HSET', room, 'tb', tb)
redis.call('PERSIST', room)
redis.call('ZADD', members, seq, sid)
local member = prefix .. 'room:' .. rid .. ':member:' .. sid
redis.call('DEL', member)
local instance = ''
for i = 9, #ARGV, 2 do
  redis.call('HSET', member, ARGV[i], ARGV[i + 1])
  if ARGV[i] == 'instanceId' then instance = ARGV[i + 1] end
end
redis.call('HSET', member, 'seq', seq, 'tieBreaker', tb)
redis.call('SADD', KEYS[3], rid)
redis.call('SADD', prefix .. 'app:' .. info[1] .. ':rooms', rid)
redis.call('INCR', KEYS[4])
redis.call('SADD', prefix .. 'instance:' .. instance .. ':members', rid .. ' ' .. sid)
return {'ok', info[1], info[2], info[3], info[4], tostring(seq), tb}
`,
  4,
);

/**
 * KEYS room, members, rooms, memberCount; ARGV prefix, rid, sid. Returns the removed member
 * (HGETALL pairs) or nil. The room (and its session and lock) ends with its last member.
 */
const REMOVE = new LuaScript(
  `
local room, members = KEYS[1], KEYS[2]
local prefix, rid, sid = ARGV[1], ARGV[2], ARGV[3]
if not redis.call('ZSCORE', members, sid) then return nil end
local member = prefix .. 'room:' .. rid .. ':member:' .. sid
local fields = redis.call('HGETALL', member)
local instance = redis.call('HGET', member, 'instanceId')
redis.call('DEL', member)
redis.call('ZREM', members, sid)
redis.call('DECR', KEYS[4])
if instance then redis.call('SREM', prefix .. 'instance:' .. instance .. ':members', rid .. ' ' .. sid) end
if redis.call('ZCARD', members) == 0 then
  local app = redis.call('HGET', room, 'appKey')
  redis.call('DEL', room, members)
  redis.call('SREM', KEYS[3], rid)
  if app then redis.call('SREM', prefix .. 'app:' .. app .. ':rooms', rid) end
end
return fields
`,
  4,
);

/** KEYS members; ARGV member key prefix. Every member (HGETALL pairs), in admission order. */
const LIST = new LuaScript(
  `
local out = {}
for _, sid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. sid)
end
return out
`,
  1,
);

/** KEYS hash; ARGV field, value: sets the field only when the hash exists. */
const SET_IF_EXISTS = new LuaScript(
  `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1
`,
  1,
);

export interface RedisRoomRegistryOptions {
  client: Redis;
  keys: RedisKeys;
  /** Written into each member admitted through this registry (who holds its socket). */
  instanceId: string;
  /** How long a room created by REST waits for its first member. */
  emptyRoomTtlMs: number;
}

/** A member as stored, with the instance that holds it. */
export interface StoredMember extends RoomMember {
  instanceId: string;
}

function toMember(fields: Record<string, string>): StoredMember | undefined {
  if (fields.sid === undefined || fields.seq === undefined) return undefined;
  return {
    sid: fields.sid,
    socketId: fields.socketId ?? '',
    appKey: fields.appKey ?? '',
    seq: Number(fields.seq),
    isPrivileged: fields.isPrivileged === '1',
    autoIntroduce: fields.autoIntroduce === '1',
    joinedAt: Number(fields.joinedAt ?? 0),
    tieBreaker: Number(fields.tieBreaker ?? 0),
    ...(fields.userData !== undefined ? { userData: fields.userData } : {}),
    instanceId: fields.instanceId ?? '',
  };
}

/** Without the Redis-only field, as the in-process registry returns members. */
function publicMember(m: StoredMember): RoomMember {
  const { instanceId: _instance, ...member } = m;
  return member;
}

function toRoom(rid: string, values: unknown): RoomInfo | undefined {
  if (!Array.isArray(values)) return undefined;
  const [appKey, roomName, sessionId, locked] = values as Array<string | null>;
  if (appKey == null || roomName == null || sessionId == null) return undefined;
  return { rid, appKey, roomName, sessionId, locked: locked === '1' };
}

export class RedisRoomRegistry implements RoomRegistry {
  readonly #client: Redis;
  readonly #keys: RedisKeys;
  readonly instanceId: string;
  readonly #emptyRoomTtlMs: number;

  constructor(options: RedisRoomRegistryOptions) {
    this.#client = options.client;
    this.#keys = options.keys;
    this.instanceId = options.instanceId;
    this.#emptyRoomTtlMs = options.emptyRoomTtlMs;
  }

  #roomKeys(rid: string): string[] {
    return [this.#keys.room(rid), this.#keys.members(rid), this.#keys.rooms, this.#keys.memberCount];
  }

  async touchRoom(rid: string, appKey: string, roomName: string): Promise<RoomInfo> {
    const reply = await TOUCH.run(this.#client, [this.#keys.room(rid), this.#keys.members(rid)], [
      appKey,
      roomName,
      randomUUID(),
      Math.max(1, Math.round(this.#emptyRoomTtlMs)),
    ]);
    const room = toRoom(rid, reply);
    if (!room) throw new Error('room vanished while being created');
    return room;
  }

  async getRoom(rid: string): Promise<RoomInfo | undefined> {
    return toRoom(rid, await this.#client.hmget(this.#keys.room(rid), ...ROOM_FIELDS));
  }

  async admit(rid: string, appKey: string, roomName: string, member: NewMember, maxMembers: number): Promise<AdmitResult> {
    const fields: Array<string | number> = [
      'sid', member.sid,
      'socketId', member.socketId,
      'appKey', member.appKey,
      'isPrivileged', member.isPrivileged ? '1' : '0',
      'autoIntroduce', member.autoIntroduce ? '1' : '0',
      'joinedAt', member.joinedAt,
      'instanceId', this.instanceId,
      ...(member.userData !== undefined ? ['userData', member.userData] : []),
    ];
    const reply = (await ADMIT.run(this.#client, this.#roomKeys(rid), [
      this.#keys.prefix,
      rid,
      appKey,
      roomName,
      randomUUID(),
      member.sid,
      maxMembers,
      member.tieBreaker ?? 0,
      ...fields,
    ])) as string[];
    const room = toRoom(rid, reply.slice(1, 5));
    if (!room) throw new Error('unexpected reply to admit');
    const outcome = reply[0];
    if (outcome === 'ok') {
      const admitted: RoomMember = { ...member, seq: Number(reply[5]), tieBreaker: Number(reply[6]) };
      return { ok: true, member: admitted, room };
    }
    if (outcome === 'taken' || outcome === 'locked' || outcome === 'full') return { ok: false, reason: outcome, room };
    throw new Error(`unexpected admit outcome ${String(outcome)}`);
  }

  /** The member with the instance holding it. */
  async getStoredMember(rid: string, sid: string): Promise<StoredMember | undefined> {
    return toMember(await this.#client.hgetall(this.#keys.member(rid, sid)));
  }

  async getMember(rid: string, sid: string): Promise<RoomMember | undefined> {
    const m = await this.getStoredMember(rid, sid);
    return m ? publicMember(m) : undefined;
  }

  async listMembers(rid: string): Promise<RoomMember[]> {
    const reply = await LIST.run(this.#client, [this.#keys.members(rid)], [this.#keys.memberPrefix(rid)]);
    const out: RoomMember[] = [];
    for (const flat of Array.isArray(reply) ? reply : []) {
      const m = toMember(pairsToObject(flat));
      if (m) out.push(publicMember(m));
    }
    return out;
  }

  async removeMember(rid: string, sid: string): Promise<RoomMember | undefined> {
    const reply = await REMOVE.run(this.#client, this.#roomKeys(rid), [this.#keys.prefix, rid, sid]);
    const m = toMember(pairsToObject(reply));
    return m ? publicMember(m) : undefined;
  }

  async setLocked(rid: string, locked: boolean): Promise<void> {
    await SET_IF_EXISTS.run(this.#client, [this.#keys.room(rid)], ['locked', locked ? '1' : '0']);
  }

  async setUserData(rid: string, sid: string, userData: string): Promise<void> {
    await SET_IF_EXISTS.run(this.#client, [this.#keys.member(rid, sid)], ['userData', userData]);
  }

  async setSocket(rid: string, sid: string, socketId: string): Promise<void> {
    await SET_IF_EXISTS.run(this.#client, [this.#keys.member(rid, sid)], ['socketId', socketId]);
  }

  async listRooms(appKeys: ReadonlySet<string>): Promise<RoomWithMembers[]> {
    const out: RoomWithMembers[] = [];
    for (const appKey of appKeys) {
      for (const rid of await this.#client.smembers(this.#keys.appRooms(appKey))) {
        const [room, members] = await Promise.all([this.getRoom(rid), this.listMembers(rid)]);
        if (room && members.length > 0) out.push({ room, members });
      }
    }
    return out;
  }

  async counts(): Promise<{ rooms: number; members: number }> {
    const [rooms, members] = await Promise.all([
      this.#client.scard(this.#keys.rooms),
      this.#client.get(this.#keys.memberCount),
    ]);
    return { rooms, members: Math.max(0, Number(members ?? 0)) };
  }

  async claimJoinToken(token: string, ttlMs: number): Promise<boolean> {
    const digest = createHash('sha256').update(token).digest('base64url');
    const set = await this.#client.set(this.#keys.joinToken(digest), '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    return set === 'OK';
  }

  /** Members (as `{rid, sid}`) that the instance `instanceId` holds according to Redis. */
  async membersOfInstance(instanceId: string): Promise<Array<{ rid: string; sid: string }>> {
    const refs = await this.#client.smembers(this.#keys.instanceMembers(instanceId));
    return refs.map(parseMemberRef).filter((r): r is { rid: string; sid: string } => r !== undefined);
  }

  /** Forgets the member set of a dead instance (after its members were removed one by one). */
  async dropInstanceMembers(instanceId: string): Promise<void> {
    await this.#client.del(this.#keys.instanceMembers(instanceId));
  }
}
