// Group commit: the writes issued during one turn of the event loop are queued and committed
// together, in one SQLite transaction, when the loop reaches its check phase (setImmediate). A burst
// of concurrent writes (many HTTP requests read in the same poll phase) then pays for one
// BEGIN/COMMIT and one WAL append instead of one per write. Each write's promise settles only once
// the batch holding it has committed.
import type { StoreEvent } from './types.js';

/** One queued write: `apply` does its SQL at the revision and timestamp it is given. */
export interface PendingWrite {
  apply: (rev: number, ts: number) => StoreEvent;
  resolve: (event: StoreEvent) => void;
  reject: (err: Error) => void;
}

export class GroupCommit {
  private queue: PendingWrite[] = [];
  private scheduled = false;

  /** `commitBatch` commits the writes in order and settles each of them. */
  constructor(private readonly commitBatch: (writes: PendingWrite[]) => void) {}

  submit(apply: PendingWrite['apply']): Promise<StoreEvent> {
    return new Promise((resolve, reject) => {
      this.queue.push({ apply, resolve, reject });
      if (!this.scheduled) {
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
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      this.commitBatch(batch);
    }
  }
}
