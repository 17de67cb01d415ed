/**
 * Per-socket state shared by the signaling modules.
 */
import type { Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../signaling/protocol';
import type { SkylinkAppConfig } from './config';
import type { FloodController } from './FloodControl';

export type SkylinkSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** One room membership of a socket. */
export interface Membership {
  rid: string;
  sid: string;
  appKey: string;
  roomName: string;
  app: SkylinkAppConfig;
  /** Room session the member joined. */
  sessionId: string;
  isPrivileged: boolean;
  /** `inRoom.tieBreaker` (kept when the session resumes). */
  tieBreaker: number;
  /** Joined with `resumable: true`: a socket drop suspends the membership for a grace period. */
  resumable: boolean;
  /** Scheduled-room timers (toclose / roomclose). */
  timers: NodeJS.Timeout[];
}

export interface Connection {
  socket: SkylinkSocket;
  /** rid -> membership: several rooms per socket. */
  rooms: Map<string, Membership>;
  flood?: FloodController;
  /** Serialises the handling of this socket's messages. */
  queue: Promise<void>;
  /** Tasks in `queue` not finished yet. */
  pending: number;
  closed: boolean;
  /** The server cut this socket (flood control): its memberships end at once, without grace. */
  kicked?: boolean;
}
