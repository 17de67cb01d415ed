/**
 * Server-side room features on top of plain routing: persistent chat messages, privileged
 * `getPeers` / `introduce`, legacy `group` bundles, and recording requests (no recorder here).
 */
import { DEFAULT_GUARD_LIMITS, parseClientMessage } from '../signaling/guards';
import { MAX_STORED_MESSAGE_LENGTH, MAX_STORED_MESSAGES_ANSWER_LENGTH } from '../signaling/protocol';
import type {
  ChatMessage,
  ClientToServerMessage,
  GetPeersMessage,
  GetStoredMessagesMessage,
  GroupMessage,
  IntroduceMessage,
  ServerToClientMessage,
  StartRecordingRoomMessage,
  StopRecordingRoomMessage,
  StoredMessageItem,
  StoredMessagesMessage,
} from '../signaling/protocol';
import type { AppDirectory } from './apps';
import type { ResolvedServerConfig } from './config';
import type { RoomMember, RoomRegistry } from './RoomRegistry';
import type { ServerLogger } from './serverLogger';
import type { Connection, Membership } from './connection';
import type { MessageStore } from './stores/MessageStore';

export interface RoomFeaturesDeps {
  config: ResolvedServerConfig;
  apps: AppDirectory;
  registry: RoomRegistry;
  store: MessageStore;
  log: ServerLogger;
  send(socketId: string, msg: ServerToClientMessage): void;
  /** To a room member (its current socket, or kept while its session is suspended). */
  deliver(rid: string, member: RoomMember, msg: ServerToClientMessage): void;
  membership(conn: Connection, msg: { type: string; rid?: string; mid?: string }): Membership | undefined;
  handle(conn: Connection, msg: ClientToServerMessage): Promise<void>;
}


/**
 * The `storedMessages` answer with the newest items that fit in
 * `MAX_STORED_MESSAGES_ANSWER_LENGTH` (and the client guard's list limit), oldest first.
 */
export function storedMessagesAnswer(
  rid: string,
  mid: string,
  items: StoredMessageItem[],
): { message: StoredMessagesMessage; omitted: number } {
  let length = JSON.stringify({ type: 'storedMessages', rid, mid, data: '[]' }).length;
  let first = items.length;
  while (first > 0 && items.length - first < DEFAULT_GUARD_LIMITS.maxListItems) {
    // Inside `data` each item is a JSON text embedded in a JSON string (escaped), plus a comma.
    const cost = JSON.stringify(JSON.stringify(items[first - 1])).length - 2 + 1;
    if (length + cost > MAX_STORED_MESSAGES_ANSWER_LENGTH) break;
    length += cost;
    first--;
  }
  const kept = items.slice(first);
  return { message: { type: 'storedMessages', rid, mid, data: JSON.stringify(kept) }, omitted: first };
}

export class RoomFeatures {
  constructor(private readonly deps: RoomFeaturesDeps) {}

  /**
   * A chat message `chatMessage` stores besides relaying it (it does nothing else with the
   * others): public, with isPersistent === true (2.x may send a string there).
   */
  static persists(msg: ChatMessage): boolean {
    return msg.isPersistent === true && msg.target === undefined;
  }

  /**
   * Relays/broadcasts a chat message; persists it first when asked and allowed, so that whoever
   * receives it can already read it back with `getStoredMessages`.
   */
  async chatMessage(
    conn: Connection,
    msg: ChatMessage,
    route: (conn: Connection, msg: ChatMessage) => Promise<void>,
  ): Promise<void> {
    const m = this.deps.membership(conn, msg);
    if (!m) return;
    // Only encrypted ones (see #persist).
    if (RoomFeatures.persists(msg)) await this.#persist(m, msg);
    await route(conn, msg);
  }

  async #persist(m: Membership, msg: ChatMessage): Promise<void> {
    if (!m.app.hasPersistentMessage) {
      this.deps.log.info('persistent message refused: app has no persistence', { rid: m.rid });
      return;
    }
    if (typeof msg.data !== 'string' || !msg.secretId) {
      this.deps.log.warn('persistent message refused: not encrypted', { rid: m.rid, sid: m.sid });
      return;
    }
    const record = {
      data: msg.data,
      secretId: msg.secretId,
      mid: m.sid,
      ...(msg.peerSessionId ? { peerSessionId: msg.peerSessionId } : {}),
      ...(msg.msgId ? { msgId: msg.msgId } : {}),
      timeStamp: Date.now(),
      roomSessionId: m.sessionId,
    };
    if (JSON.stringify(record).length > MAX_STORED_MESSAGE_LENGTH) {
      this.deps.log.warn('persistent message refused: too large', { rid: m.rid, sid: m.sid });
      return;
    }
    try {
      await this.deps.store.append(m.rid, record);
    } catch (err) {
      this.deps.log.error('storing message failed', { rid: m.rid, err: err as Error });
    }
  }

  async getStoredMessages(conn: Connection, msg: GetStoredMessagesMessage): Promise<void> {
    const m = this.deps.membership(conn, msg);
    if (!m) return;
    let items: StoredMessageItem[] = [];
    if (m.app.hasPersistentMessage) {
      try {
        const records = await this.deps.store.list(m.rid, { roomSessionId: msg.roomSessionId || undefined });
        items = records.map(({ roomSessionId: _session, ...item }) => item);
      } catch (err) {
        this.deps.log.error('reading stored messages failed', { rid: m.rid, err: err as Error });
      }
    }
    const answer = storedMessagesAnswer(m.rid, m.sid, items);
    if (answer.omitted > 0) {
      this.deps.log.info('stored messages answer capped: oldest left out', { rid: m.rid, omitted: answer.omitted });
    }
    this.deps.send(conn.socket.id, answer.message);
  }

  /** The membership a privileged request acts through (0.6.x sends no `rid`). */
  #privileged(conn: Connection, msg: { type: string; rid?: string }): Membership | undefined {
    const m =
      msg.rid !== undefined
        ? this.deps.membership(conn, msg)
        : [...conn.rooms.values()].find((r) => r.isPrivileged);
    if (!m) return undefined;
    if (!m.isPrivileged) {
      this.deps.log.warn('privileged request from a non-privileged key dropped', {
        type: msg.type,
        rid: m.rid,
        appKey: m.appKey,
      });
      return undefined;
    }
    return m;
  }

  async getPeers(conn: Connection, msg: GetPeersMessage): Promise<void> {
    const m = this.#privileged(conn, msg);
    if (!m) return;
    const result: Record<string, string[]> = {};
    for (const { room, members } of await this.deps.registry.listRooms(this.deps.apps.spaceOf(m.appKey))) {
      const peers = members.filter((p) => msg.showAll === true || !p.isPrivileged).map((p) => p.sid);
      result[room.roomName] = [...(result[room.roomName] ?? []), ...peers];
    }
    this.deps.send(conn.socket.id, { type: 'peerList', rid: m.rid, result });
  }

  async introduce(conn: Connection, msg: IntroduceMessage): Promise<void> {
    const m = this.#privileged(conn, msg);
    if (!m) return;
    const { sendingPeerId, receivingPeerId } = msg;
    for (const { room, members } of await this.deps.registry.listRooms(this.deps.apps.spaceOf(m.appKey))) {
      const sender = members.find((p) => p.sid === sendingPeerId);
      if (sender && members.some((p) => p.sid === receivingPeerId) && sendingPeerId !== receivingPeerId) {
        this.deps.deliver(room.rid, sender, { type: 'approach', rid: room.rid, target: receivingPeerId });
        return;
      }
    }
    // Only 0.6.x sends `introduce`, and it understands `introduceError` (2.x would throw on it).
    this.deps.send(conn.socket.id, {
      type: 'introduceError',
      rid: m.rid,
      reason: 'Both peers must be in the same room of this app space',
      sendingPeerId,
      receivingPeerId,
    });
  }

  /** Legacy 0.6.x bundle: each element is handled like a message of its own. */
  async group(conn: Connection, msg: GroupMessage): Promise<void> {
    const m = this.deps.membership(conn, msg);
    if (!m) return;
    for (const item of msg.lists) {
      const parsed = parseClientMessage(item, { maxMessageLength: this.deps.config.maxMessageLength });
      if (!parsed.ok || parsed.message.type === 'group' || parsed.message.type === 'joinRoom') {
        this.deps.log.warn('dropped invalid group element', { rid: m.rid, sid: m.sid });
        continue;
      }
      const inner = parsed.message as { rid?: string; mid?: string };
      if (inner.rid !== m.rid || (inner.mid !== undefined && inner.mid !== m.sid)) {
        this.deps.log.warn('dropped group element for another room or sender', { rid: m.rid, sid: m.sid });
        continue;
      }
      await this.deps.handle(conn, parsed.message);
    }
  }

  /** Recording needs an MCU / recorder, which this server does not provide. */
  recording(conn: Connection, msg: StartRecordingRoomMessage | StopRecordingRoomMessage): void {
    const m = this.deps.membership(conn, msg);
    if (m) this.deps.log.info('recording request ignored: no recorder', { rid: m.rid, type: msg.type });
  }
}
