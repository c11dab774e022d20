// In-process fan-out of committed events to watchers. A watcher first replays history (read from
// the event log by the store) while live events queue up behind it; then it goes live and gets
// each event synchronously as it is published. Live events all come after the replayed range, so
// there is neither a gap nor a duplicate.
import type { StoreEvent } from './types.js';

type State = 'replaying' | 'live' | 'closed';

export class Watcher {
  private state: State = 'replaying';
  private readonly pending: StoreEvent[] = [];
  /** The revision of the last event delivered (or skipped as already seen). */
  lastRevision: number;

  constructor(
    readonly prefix: string,
    fromRevision: number,
    private readonly onEvent: (event: StoreEvent) => void,
    private readonly onError: ((err: Error) => void) | undefined,
    private readonly onClose: (watcher: Watcher) => void,
  ) {
    this.lastRevision = fromRevision;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** A committed event: delivered now when live, queued while replaying. */
  offer(event: StoreEvent): void {
    if (this.state === 'closed' || !event.kv.key.startsWith(this.prefix)) return;
    if (this.state === 'replaying') this.pending.push(event);
    else this.deliver(event);
  }

  /** Delivers one replayed event (history is read in revision order). */
  deliver(event: StoreEvent): void {
    if (this.state === 'closed' || event.revision <= this.lastRevision) return;
    this.lastRevision = event.revision;
    try {
      this.onEvent(event);
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Ends the replay: drains what queued meanwhile (handlers may add more), then goes live. */
  goLive(): void {
    for (let i = 0; i < this.pending.length && this.state !== 'closed'; i++) this.deliver(this.pending[i]!);
    this.pending.length = 0;
    if (this.state === 'replaying') this.state = 'live';
  }

  /** Stops delivery and reports `err`; a handler's error must never fail the writer that published. */
  fail(err: Error): void {
    if (this.state === 'closed') return;
    this.close();
    if (this.onError) this.onError(err);
    else console.error('store watch failed:', err);
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.pending.length = 0;
    this.onClose(this);
  }
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly queue: StoreEvent[] = [];
  private dispatching = false;

  add(watcher: Watcher): void {
    this.watchers.add(watcher);
  }

  remove(watcher: Watcher): void {
    this.watchers.delete(watcher);
  }

  /**
   * Delivers a committed event to every watcher. A handler that writes publishes from inside this
   * loop; its event is queued so that every watcher still sees events in revision order.
   */
  publish(event: StoreEvent): void {
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        for (const watcher of this.watchers) watcher.offer(this.queue[i]!);
      }
    } finally {
      this.queue.length = 0;
      this.dispatching = false;
    }
  }

  closeAll(): void {
    for (const watcher of [...this.watchers]) watcher.close();
  }
}
