// Group commit: the writes issued during one turn of the event loop are queued and committed
// together, in one SQLite transaction, when the loop reaches its check phase (setImmediate). A burst
// of concurrent writes (many HTTP requests read in the same poll phase) then pays for one
// BEGIN/COMMIT and one WAL append instead of one per write. Each write's promise settles only once
// the batch holding it has committed. A batch that reaches MAX_BATCH writes commits at once: while
// the API server works through a burst of requests, the first writes are not kept waiting for the
// last (their answers, and the work their clients do next, start sooner).
import type { StoreEvent } from './types.js';

const MAX_BATCH = 32;

/** One queued write: `apply` does its SQL at the revision and timestamp it is given. */
export interface PendingWrite {
  apply: (rev: number, ts: number) => StoreEvent;
  resolve: (event: StoreEvent) => void;
  reject: (err: Error) => void;
}

export class GroupCommit {
  private queue: PendingWrite[] = [];
  private scheduled = false;
  /** A flush is publishing: writes made by watch handlers wait for its next batch, in order. */
  private flushing = false;

  /** `commitBatch` commits the writes in order and settles each of them. */
  constructor(private readonly commitBatch: (writes: PendingWrite[]) => void) {}

  submit(apply: PendingWrite['apply']): Promise<StoreEvent> {
    return new Promise((resolve, reject) => {
      this.queue.push({ apply, resolve, reject });
      if (this.queue.length >= MAX_BATCH && !this.flushing) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Commits everything queued. Watch handlers run while a batch is published and may write: those
   * writes form the next batch of this same flush, so a handler's write commits before the write
   * that triggered it is acknowledged (as when every write committed on its own, synchronously).
   */
  flush(): void {
    if (this.flushing) return; // the flush under way takes what was queued
    this.scheduled = false;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        this.commitBatch(batch);
      }
    } finally {
      this.flushing = false;
    }
  }
}
