/**
 * Reference-counted capture tracks shared by several rooms.
 *
 * Every room sends its OWN clone of a captured track (clone-per-room), so muting (`track.enabled`) and
 * stopping in one room never affect another: a clone is independent of the original and of the other
 * clones (browser semantics; the camera stays on while any of them is live). The original ("source")
 * is kept here with the number of room clones made from it:
 * - a source the SDK captured itself is stopped when its last clone is released (nobody else can reach
 *   it, so leaving it live would keep the camera light on);
 * - a source the app handed in (prefetched stream) is stopped at that point only if the release stops
 *   tracks (stopStreams / leaveRoom with stopStreams, as 2.x stops adopted tracks); otherwise it stays
 *   with the app.
 * @internal
 */

interface SourceRecord {
  readonly original: MediaStreamTrack;
  /** Handed in by the app (prefetched stream / sendStream(MediaStream)). */
  userOwned: boolean;
  refs: number;
}

export class SourceTracks {
  private readonly byOriginal = new Map<MediaStreamTrack, SourceRecord>();
  private readonly byClone = new Map<MediaStreamTrack, SourceRecord>();

  /**
   * A new clone for a room. `track` may be a captured original, a prefetched track, or another room's
   * clone (then the clone is made from the same source).
   */
  cloneFor(track: MediaStreamTrack, userOwned: boolean): MediaStreamTrack {
    let record = this.byOriginal.get(track) ?? this.byClone.get(track);
    if (!record) {
      record = { original: track, userOwned, refs: 0 };
      this.byOriginal.set(track, record);
    }
    const base = record.original.readyState === 'live' ? record.original : track;
    const clone = base.clone();
    clone.enabled = true;
    record.refs += 1;
    this.byClone.set(clone, record);
    return clone;
  }

  /** Releases a room clone (stopping it when `stop`), and its source when this was the last clone. */
  release(clone: MediaStreamTrack, stop: boolean): void {
    if (stop) clone.stop();
    const record = this.byClone.get(clone);
    if (!record) return;
    this.byClone.delete(clone);
    record.refs -= 1;
    if (record.refs > 0) return;
    this.byOriginal.delete(record.original);
    if (stop || !record.userOwned) record.original.stop();
  }

  /** The app stopped its prefetched track itself: nothing to stop later, clones keep running. */
  forgetOriginal(track: MediaStreamTrack): void {
    const record = this.byOriginal.get(track);
    if (record) record.userOwned = false;
  }

  /** The original a room clone was made from. */
  originalOf(clone: MediaStreamTrack): MediaStreamTrack | undefined {
    return this.byClone.get(clone)?.original;
  }

  /** Room clones made from the source of `track` that are still held. */
  refCount(track: MediaStreamTrack): number {
    return (this.byOriginal.get(track) ?? this.byClone.get(track))?.refs ?? 0;
  }

  /** Number of sources still held (for leak tests). */
  get size(): number {
    return this.byOriginal.size;
  }
}
