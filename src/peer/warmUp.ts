/**
 * Takes the cost of a page's first RTCPeerConnection off the join's critical path.
 *
 * Chromium starts its WebRTC machinery (threads, network manager) when a page makes its first
 * connection: 4-27 ms measured here, against about 1 ms for every later one, even once the
 * first is closed. A join made that first connection only after `inRoom` (or `welcome`), while
 * the peers waited. Making and closing one while the join's REST call is in flight moves that
 * cost into a network wait. Once per platform; no network activity (the connection is closed
 * before it could gather anything); no hooks or events (it never belongs to a peer).
 */
import type { SkylinkPlatform } from '../platform/SkylinkPlatform';

const warmed = new WeakSet<object>();

/** Makes and closes one RTCPeerConnection, the first time it is called for `platform`. */
export function warmUpPeerConnections(platform: Pick<SkylinkPlatform, 'createPeerConnection'>): void {
  if (warmed.has(platform)) return;
  warmed.add(platform);
  try {
    platform.createPeerConnection({ iceServers: [] }).close();
  } catch {
    // No WebRTC here: the peer connections made later report it.
  }
}
