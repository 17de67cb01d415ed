/**
 * Rooms and their members: the registry interface (async, so a shared store such as Redis can
 * implement it) and the in-process implementation.
 *
 * A room exists while it has members, or briefly after a REST call (so that peers fetching
 * credentials for an empty room share one `roomSessionId`). A room session ends when the last
 * member leaves; the lock flag goes with it.
 */
import { randomUUID } from 'node:crypto';

export interface RoomInfo {
  /** Room key. */
  rid: string;
  appKey: string;
  roomName: string;
  /** Current room session (starts with the first peer, ends with the last). */
  sessionId: string;
  locked: boolean;
}

export interface RoomMember {
  sid: string;
  /** socket.io socket id (delivery address). */
  socketId: string;
  appKey: string;
  /** Admission order within the room: `enter` goes only to earlier members. */
  seq: number;
  isPrivileged: boolean;
  autoIntroduce: boolean;
  joinedAt: number;
  /**
   * `inRoom.tieBreaker`: proposed by the server at admission; a shared registry raises it when
   * needed so that it stays unique and increasing within the room across server instances.
   */
  tieBreaker?: number;
  /** Last `updateUserEvent.userData`. */
  userData?: string;
}

export type NewMember = Omit<RoomMember, 'seq'>;

export type AdmitResult =
  | { ok: true; member: RoomMember; room: RoomInfo }
  | { ok: false; reason: 'locked' | 'full' | 'taken'; room: RoomInfo };

export interface RoomWithMembers {
  room: RoomInfo;
  members: RoomMember[];
}

export interface RoomRegistry {
  /** For REST: the room (created empty, with a fresh session, if absent). */
  touchRoom(rid: string, appKey: string, roomName: string): Promise<RoomInfo>;
  getRoom(rid: string): Promise<RoomInfo | undefined>;
  /** Adds a member unless the room is locked or full, or its `sid` is already a member (`taken`). */
  admit(rid: string, appKey: string, roomName: string, member: NewMember, maxMembers: number): Promise<AdmitResult>;
  getMember(rid: string, sid: string): Promise<RoomMember | undefined>;
  /** Members in admission order (snapshots: the caller must not change them). */
  listMembers(rid: string): Promise<readonly Readonly<RoomMember>[]>;
  /**
   * `listMembers` answered at once, by registries holding the rooms in this process: the server
   * then relays messages without waiting. Shared registries leave it out.
   */
  membersNow?(rid: string): readonly Readonly<RoomMember>[];
  /** Removes a member; the room ends when it was the last. */
  removeMember(rid: string, sid: string): Promise<RoomMember | undefined>;
  setLocked(rid: string, locked: boolean): Promise<void>;
  setUserData(rid: string, sid: string, userData: string): Promise<void>;
  /** Moves a member to another socket (session resume). */
  setSocket(rid: string, sid: string, socketId: string): Promise<void>;
  /** Rooms (with members) of the given apps. */
  listRooms(appKeys: ReadonlySet<string>): Promise<RoomWithMembers[]>;
  counts(): Promise<{ rooms: number; members: number }>;
  /**
   * Single use of join tokens across server instances: true the first time `token` is claimed
   * within `ttlMs`. The in-process registry always says true (`TokenService` remembers them).
   */
  claimJoinToken(token: string, ttlMs: number): Promise<boolean>;
}

interface RoomEntry {
  info: RoomInfo;
  members: Map<string, RoomMember>;
  nextSeq: number;
}

/** In-process registry. */
export class MemoryRoomRegistry implements RoomRegistry {
  readonly #rooms = new Map<string, RoomEntry>();
  /** Empty rooms created by REST -> time after which they are dropped (insertion = expiry order). */
  readonly #pendingEmpty = new Map<string, number>();
  #members = 0;

  /**
   * @param emptyRoomTtlMs how long a room created by REST waits for its first member
   * @param maxEmptyRooms bound on such rooms (the oldest are dropped first)
   */
  constructor(
    private readonly emptyRoomTtlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEmptyRooms = 10_000,
  ) {}

  #create(rid: string, appKey: string, roomName: string): RoomEntry {
    const entry: RoomEntry = {
      info: { rid, appKey, roomName, sessionId: randomUUID(), locked: false },
      members: new Map(),
      nextSeq: 1,
    };
    this.#rooms.set(rid, entry);
    return entry;
  }

  #prune(): void {
    const now = this.now();
    for (const [rid, expiry] of this.#pendingEmpty) {
      if (expiry > now && this.#pendingEmpty.size <= this.maxEmptyRooms) break;
      this.#pendingEmpty.delete(rid);
      const entry = this.#rooms.get(rid);
      if (entry && entry.members.size === 0) this.#rooms.delete(rid);
    }
  }

  async touchRoom(rid: string, appKey: string, roomName: string): Promise<RoomInfo> {
    this.#prune();
    let entry = this.#rooms.get(rid);
    if (!entry) entry = this.#create(rid, appKey, roomName);
    if (entry.members.size === 0) {
      this.#pendingEmpty.delete(rid);
      this.#pendingEmpty.set(rid, this.now() + this.emptyRoomTtlMs);
      this.#prune();
    }
    return { ...entry.info };
  }

  async getRoom(rid: string): Promise<RoomInfo | undefined> {
    const entry = this.#rooms.get(rid);
    return entry ? { ...entry.info } : undefined;
  }

  async admit(
    rid: string,
    appKey: string,
    roomName: string,
    member: NewMember,
    maxMembers: number,
  ): Promise<AdmitResult> {
    const entry = this.#rooms.get(rid) ?? this.#create(rid, appKey, roomName);
    if (entry.members.has(member.sid)) return { ok: false, reason: 'taken', room: { ...entry.info } };
    if (entry.info.locked) return { ok: false, reason: 'locked', room: { ...entry.info } };
    if (entry.members.size >= maxMembers) return { ok: false, reason: 'full', room: { ...entry.info } };
    const admitted: RoomMember = { ...member, seq: entry.nextSeq++ };
    entry.members.set(member.sid, admitted);
    this.#members++;
    this.#pendingEmpty.delete(rid);
    return { ok: true, member: { ...admitted }, room: { ...entry.info } };
  }

  async getMember(rid: string, sid: string): Promise<RoomMember | undefined> {
    const m = this.#rooms.get(rid)?.members.get(sid);
    return m ? { ...m } : undefined;
  }

  async listMembers(rid: string): Promise<readonly Readonly<RoomMember>[]> {
    return this.membersNow(rid);
  }

  membersNow(rid: string): readonly Readonly<RoomMember>[] {
    // Not copied (every room broadcast lists its members): stored records are replaced, never changed.
    const entry = this.#rooms.get(rid);
    return entry ? [...entry.members.values()] : [];
  }

  async removeMember(rid: string, sid: string): Promise<RoomMember | undefined> {
    const entry = this.#rooms.get(rid);
    const member = entry?.members.get(sid);
    if (!entry || !member) return undefined;
    entry.members.delete(sid);
    this.#members--;
    if (entry.members.size === 0) this.#rooms.delete(rid);
    return { ...member };
  }

  async setLocked(rid: string, locked: boolean): Promise<void> {
    const entry = this.#rooms.get(rid);
    if (entry) entry.info.locked = locked;
  }

  async setUserData(rid: string, sid: string, userData: string): Promise<void> {
    const members = this.#rooms.get(rid)?.members;
    const member = members?.get(sid);
    if (member) members?.set(sid, { ...member, userData });
  }

  async setSocket(rid: string, sid: string, socketId: string): Promise<void> {
    const members = this.#rooms.get(rid)?.members;
    const member = members?.get(sid);
    if (member) members?.set(sid, { ...member, socketId });
  }

  async listRooms(appKeys: ReadonlySet<string>): Promise<RoomWithMembers[]> {
    const out: RoomWithMembers[] = [];
    for (const entry of this.#rooms.values()) {
      if (entry.members.size > 0 && appKeys.has(entry.info.appKey)) {
        out.push({ room: { ...entry.info }, members: [...entry.members.values()].map((m) => ({ ...m })) });
      }
    }
    return out;
  }

  async counts(): Promise<{ rooms: number; members: number }> {
    return { rooms: this.#rooms.size, members: this.#members };
  }

  async claimJoinToken(): Promise<boolean> {
    return true;
  }
}
