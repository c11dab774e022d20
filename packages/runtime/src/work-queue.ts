// A work queue with the guarantees of client-go's rate-limited workqueue:
// - a key added many times while it waits is handed out once (dedupe);
// - a key is never handed to two workers at once: added while processing, it waits for `done`;
// - `addRateLimited` delays a key exponentially per failure until `forget`;
// - `addAfter` keeps the earliest of several pending delays for one key.
import { realClock } from './clock.js';
import type { Clock, ObjectKey, WorkQueueOptions } from './types.js';

const DEFAULT_BASE_DELAY_MS = 5;
const DEFAULT_MAX_DELAY_MS = 1000_000;

/** FIFO of keys; amortised O(1) shift. */
class Fifo {
  private items: ObjectKey[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(key: ObjectKey): void {
    this.items.push(key);
  }

  shift(): ObjectKey | undefined {
    if (this.head >= this.items.length) return undefined;
    const key = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return key;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

export class WorkQueue {
  private readonly queue = new Fifo();
  /** Keys that need processing (queued, or re-added while processing). */
  private readonly dirty = new Set<ObjectKey>();
  private readonly processing = new Set<ObjectKey>();
  private readonly waiting = new Map<ObjectKey, { at: number; cancel(): void }>();
  private readonly failures = new Map<ObjectKey, number>();
  private getters: Array<(key: ObjectKey | undefined) => void> = [];
  private shuttingDown = false;
  private readonly clock: Clock;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(opts: WorkQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.baseDelayMs = opts.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  }

  /** Keys ready to be handed out (not those delayed or being processed). */
  get length(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: ObjectKey): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // re-queued by done()
    this.enqueue(key);
  }

  addAfter(key: ObjectKey, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const pending = this.waiting.get(key);
    if (pending && pending.at <= at) return;
    pending?.cancel();
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, ms);
    this.waiting.set(key, { at, cancel: () => timer.cancel() });
  }

  /** Adds the key after its backoff: base · 2^failures, capped; each call counts one failure. */
  addRateLimited(key: ObjectKey): void {
    this.addAfter(key, this.nextDelay(key));
  }

  /** Clears the key's failure count (call after a successful reconcile). */
  forget(key: ObjectKey): void {
    this.failures.delete(key);
  }

  numRequeues(key: ObjectKey): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next key to process, waiting for one; `undefined` once the queue is shut down. */
  get(): Promise<ObjectKey | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.startProcessing(key));
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks the key processed; if it was added meanwhile it is queued again. */
  done(key: ObjectKey): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.enqueue(key);
  }

  /** Stops handing out keys: waiting and later `get` calls resolve `undefined`; pending keys are dropped. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const pending of this.waiting.values()) pending.cancel();
    this.waiting.clear();
    this.queue.clear();
    const getters = this.getters;
    this.getters = [];
    for (const resolve of getters) resolve(undefined);
  }

  private enqueue(key: ObjectKey): void {
    const getter = this.getters.shift();
    if (getter) getter(this.startProcessing(key));
    else this.queue.push(key);
  }

  private startProcessing(key: ObjectKey): ObjectKey {
    this.processing.add(key);
    this.dirty.delete(key);
    return key;
  }

  private nextDelay(key: ObjectKey): number {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    // 2^failures overflows to Infinity long after the cap; min() keeps it finite.
    return Math.min(this.baseDelayMs * 2 ** failures, this.maxDelayMs);
  }
}
