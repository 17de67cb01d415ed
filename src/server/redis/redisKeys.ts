/**
 * Names of every Redis key the server uses, all under one prefix (default `skylink:`). The Lua
 * scripts build the dependent keys (`member`, `appRooms`, `instanceMembers`) from the prefix with
 * the same formats.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** Hash: appKey, roomName, sessionId, locked, seq (admission counter), tb (last tieBreaker). */
  room(rid: string): string {
    return `${this.prefix}room:${rid}`;
  }

  /** Sorted set: sid scored by admission order. */
  members(rid: string): string {
    return `${this.prefix}room:${rid}:members`;
  }

  /** Prefix of the member hashes of a room (`<prefix><sid>`). */
  memberPrefix(rid: string): string {
    return `${this.prefix}room:${rid}:member:`;
  }

  /** Hash: one `RoomMember` plus the id of the instance holding it. */
  member(rid: string, sid: string): string {
    return `${this.memberPrefix(rid)}${sid}`;
  }

  /** Set of the rooms that have members. */
  get rooms(): string {
    return `${this.prefix}rooms`;
  }

  /** Set of the rooms of one App Key that have members. */
  appRooms(appKey: string): string {
    return `${this.prefix}app:${appKey}:rooms`;
  }

  /** Counter of members over all rooms. */
  get memberCount(): string {
    return `${this.prefix}members`;
  }

  /** Set of the registered server instances. */
  get instances(): string {
    return `${this.prefix}instances`;
  }

  /** Liveness key of an instance (expires unless refreshed). */
  instanceAlive(id: string): string {
    return `${this.prefix}instance:${id}`;
  }

  /** Set of `"<rid> <sid>"` held by an instance. */
  instanceMembers(id: string): string {
    return `${this.prefix}instance:${id}:members`;
  }

  /** Marker of a join token already used (expires with the token). */
  joinToken(digest: string): string {
    return `${this.prefix}joined:${digest}`;
  }

  /** List of stored messages of a room (JSON records, oldest first). */
  messages(rid: string): string {
    return `${this.prefix}messages:${rid}`;
  }
}

/** Parses the `"<rid> <sid>"` entries of `instanceMembers` (room keys never contain a space). */
export function parseMemberRef(ref: string): { rid: string; sid: string } | undefined {
  const space = ref.indexOf(' ');
  return space > 0 ? { rid: ref.slice(0, space), sid: ref.slice(space + 1) } : undefined;
}
