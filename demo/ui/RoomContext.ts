import type { Skylink } from '../sdk';

/** A peer as the panels show it. */
export interface PeerSummary {
  id: string;
  name: string;
}

/** What every panel of a room view may use (the room view implements it). */
export interface RoomContext {
  readonly skylink: Skylink;
  /** Room name as typed in the join form. */
  readonly roomName: string;
  /** Our peer id once the server confirmed the join, else `null`. */
  selfId(): string | null;
  /** Display name of a peer (ours: "You"). */
  nameOf(peerId: string): string;
  /** Remote peers currently in the room. */
  remotePeers(): PeerSummary[];
  /** Writes a line to the demo's log panel. */
  log(level: 'INFO' | 'WARN' | 'ERROR', message: string): void;
}
