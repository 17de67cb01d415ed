/**
 * Runs async tasks one at a time, in order (after mediasoup's AwaitQueue). Used to serialise the
 * negotiation steps of one peer connection: an offer, an answer and a restart never interleave.
 * @internal
 */
export class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private closed = false;

  /** Number of tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /**
   * Queues `task`; the returned promise settles with its result. After `close()`, tasks are rejected
   * without running.
   */
  push<T>(task: () => Promise<T> | T): Promise<T> {
    this.pending += 1;
    const run = async (): Promise<T> => {
      try {
        if (this.closed) throw new Error('queue closed');
        return await task();
      } finally {
        this.pending -= 1;
      }
    };
    const result = this.tail.then(run, run);
    // The chain continues whatever the task's outcome; errors reach only the caller of push().
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Rejects every task that has not started yet. */
  close(): void {
    this.closed = true;
  }
}
