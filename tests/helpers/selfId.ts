import type Skylink from '../../src/Skylink';

/** Our own peer id in `room`, read from the public API; throws when the client is not in it. */
export function selfId(c: { skylink: Skylink }, room = 'lobby'): string {
  const peers = c.skylink.getPeersInRoom(room) ?? {};
  const id = Object.keys(peers).find((p) => peers[p]?.isSelf);
  if (!id) throw new Error('not in room');
  return id;
}
