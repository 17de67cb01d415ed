/**
 * Pure planning of what to do with a peer connection's RTP senders when the room's local media changes
 * (sendStream, device switch, screen share start/stop, stopStreams). The room applies the plan:
 *
 * ```ts
 * const plan = planTrackUpdate(pc.getSenders(), media.getSendTracks(roomKey), (t) => media.streamIdOfTrack(roomKey, t));
 * for (const { sender, send } of plan.replace) await sender.replaceTrack(send.track);  // no renegotiation
 * for (const sender of plan.remove) pc.removeTrack(sender);
 * for (const send of plan.add) pc.addTrack(send.track, send.stream);
 * if (plan.needsRenegotiation) await renegotiate(peerId);                            // 2.x restart offer
 * ```
 *
 * A track is replaced in place (`RTCRtpSender.replaceTrack`) when the sender currently sends a track of
 * the same kind for the same local stream id: the MediaStreamManager keeps the stream id when a camera,
 * microphone or shared screen is swapped, so the SDP msid and the peers' mediaInfo stay valid and no
 * offer/answer is needed. Anything else is an add or a remove and needs renegotiation.
 * @module
 */
import type { SendTrack } from './mediaTypes';

/** The part of RTCRtpSender the planner reads. */
export interface SenderLike {
  readonly track: MediaStreamTrack | null;
}

export interface TrackUpdatePlan<S extends SenderLike> {
  /** Senders already sending the wanted track. */
  readonly keep: ReadonlyArray<{ sender: S; send: SendTrack }>;
  /** `sender.replaceTrack(send.track)`: same stream id and kind, new track. */
  readonly replace: ReadonlyArray<{ sender: S; send: SendTrack }>;
  /** `pc.addTrack(send.track, send.stream)`. */
  readonly add: readonly SendTrack[];
  /** `pc.removeTrack(sender)`. */
  readonly remove: readonly S[];
  /** True when the plan adds or removes senders (an offer/answer round is needed). */
  readonly needsRenegotiation: boolean;
}

/**
 * Computes the sender changes that make a connection send exactly `desired`.
 * @param senders - current senders (`pc.getSenders()`); senders without a track are ignored
 * @param desired - tracks the room wants to send (`MediaStreamManager.getSendTracks`)
 * @param streamIdOf - local stream id a (possibly former) local track belonged to, if known
 */
export function planTrackUpdate<S extends SenderLike>(
  senders: readonly S[],
  desired: readonly SendTrack[],
  streamIdOf: (track: MediaStreamTrack) => string | undefined,
): TrackUpdatePlan<S> {
  const keep: Array<{ sender: S; send: SendTrack }> = [];
  const replace: Array<{ sender: S; send: SendTrack }> = [];
  const active = senders.filter((s) => s.track !== null);
  const freeSenders = new Set(active);
  const pending: SendTrack[] = [];

  for (const send of desired) {
    const same = active.find((s) => freeSenders.has(s) && s.track === send.track);
    if (same) {
      freeSenders.delete(same);
      keep.push({ sender: same, send });
    } else {
      pending.push(send);
    }
  }
  const add: SendTrack[] = [];
  for (const send of pending) {
    const match = active.find((s) => {
      const track = s.track;
      return freeSenders.has(s) && track !== null && track.kind === send.kind && streamIdOf(track) === send.streamId;
    });
    if (match) {
      freeSenders.delete(match);
      replace.push({ sender: match, send });
    } else {
      add.push(send);
    }
  }
  const remove = [...freeSenders];
  return { keep, replace, add, remove, needsRenegotiation: add.length > 0 || remove.length > 0 };
}
