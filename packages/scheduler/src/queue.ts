// The scheduling queue, after kube-scheduler's PriorityQueue: an active heap (higher priority
// first, then first come), a backoff heap (1 s doubling per attempt to 10 s) and a set of
// unschedulable pods that wait for a cluster event (node added or changed, pod deleted) or five
// minutes before they are tried again. A pod is in exactly one place, or in flight (popped).
import type { Clock } from '@mini-kube/runtime';
import { Heap } from './heap.js';
import type { PodInfo } from './pod-info.js';

export interface QueueOptions {
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod stays unschedulable without any event before it is retried anyway. */
  maxUnschedulableMs?: number;
}

type Place = 'active' | 'backoff' | 'unschedulable' | 'inFlight';

export interface QueuedPod {
  info: PodInfo;
  /** Scheduling attempts so far (counted when popped). */
  attempts: number;
  /** The scheduling cycle of the last pop: decides where a failed pod goes. */
  cycle: number;
  place: Place;
  /** Order in the active queue: when it was (re)activated. */
  seq: number;
  lastAttemptAt: number;
  backoffUntil: number;
  unschedulableSince: number;
}

export class SchedulingQueue {
  private readonly entries = new Map<string, QueuedPod>();
  private readonly active = new Heap<QueuedPod>((a, b) => a.info.priority > b.info.priority || (a.info.priority === b.info.priority && a.seq < b.seq));
  private readonly backoff = new Heap<QueuedPod>((a, b) => a.backoffUntil < b.backoffUntil);
  private readonly unschedulable = new Set<QueuedPod>();
  private readonly waiters: ((p: QueuedPod | undefined) => void)[] = [];
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private seq = 0;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private backoffTimer: { cancel(): void; at: number } | undefined;
  private flushTimer: { cancel(): void } | undefined;
  private closed = false;

  constructor(opts: QueueOptions) {
    this.clock = opts.clock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 5 * 60_000;
  }

  /** Pods waiting in each place; in-flight pods are not counted. */
  get sizes(): { active: number; backoff: number; unschedulable: number } {
    let active = 0;
    let backoff = 0;
    for (const e of this.entries.values()) {
      if (e.place === 'active') active++;
      else if (e.place === 'backoff') backoff++;
    }
    return { active, backoff, unschedulable: this.unschedulable.size };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** A new pending pod, or a changed one: a changed unschedulable pod may fit now, so it is retried. */
  addOrUpdate(info: PodInfo): void {
    if (this.closed) return;
    const e = this.entries.get(info.key);
    if (!e) {
      const entry: QueuedPod = { info, attempts: 0, cycle: 0, place: 'active', seq: 0, lastAttemptAt: 0, backoffUntil: 0, unschedulableSince: 0 };
      this.entries.set(info.key, entry);
      this.activate(entry);
      return;
    }
    e.info = info;
    if (e.place === 'unschedulable') this.moveOut(e);
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.unschedulable.delete(e);
    e.place = 'inFlight'; // stale heap copies are skipped
  }

  /** The next pod to schedule; waits for one; undefined once closed. */
  pop(): Promise<QueuedPod | undefined> {
    const e = this.popActive();
    if (e || this.closed) return Promise.resolve(e);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** After an attempt that found no node: wait for an event, or back off if one came meanwhile. */
  addUnschedulable(e: QueuedPod): void {
    if (!this.isCurrent(e)) return;
    if (this.moveRequestCycle >= e.cycle) {
      this.toBackoff(e);
      return;
    }
    e.place = 'unschedulable';
    e.unschedulableSince = this.clock.now();
    this.unschedulable.add(e);
    this.scheduleFlush();
  }

  /** After an error (a failed binding): retry after the pod's backoff. */
  addBackoff(e: QueuedPod): void {
    if (this.isCurrent(e)) this.toBackoff(e);
  }

  /** The pod is placed (bound): it leaves the queue. */
  done(key: string): void {
    const e = this.entries.get(key);
    if (e?.place === 'inFlight') this.entries.delete(key);
  }

  /** A cluster event that may make unschedulable pods fit: retry them all (after their backoff). */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.schedulingCycle;
    if (this.unschedulable.size === 0) return;
    for (const e of [...this.unschedulable]) this.moveOut(e);
  }

  close(): void {
    this.closed = true;
    this.backoffTimer?.cancel();
    this.flushTimer?.cancel();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  private isCurrent(e: QueuedPod): boolean {
    return !this.closed && this.entries.get(e.info.key) === e;
  }

  private moveOut(e: QueuedPod): void {
    this.unschedulable.delete(e);
    if (this.backoffExpiry(e) > this.clock.now()) this.toBackoff(e);
    else this.activate(e);
  }

  private backoffExpiry(e: QueuedPod): number {
    if (e.attempts === 0) return 0;
    const ms = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(e.attempts - 1, 30));
    return e.lastAttemptAt + ms;
  }

  private activate(e: QueuedPod): void {
    e.place = 'active';
    e.seq = this.seq++;
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.take(e));
    else this.active.push(e);
  }

  private toBackoff(e: QueuedPod): void {
    e.place = 'backoff';
    e.backoffUntil = this.backoffExpiry(e);
    this.backoff.push(e);
    this.armBackoffTimer();
  }

  private popActive(): QueuedPod | undefined {
    for (let e = this.active.pop(); e; e = this.active.pop()) {
      if (e.place === 'active' && this.entries.get(e.info.key) === e) return this.take(e);
    }
    return undefined;
  }

  private take(e: QueuedPod): QueuedPod {
    e.place = 'inFlight';
    e.attempts++;
    e.cycle = ++this.schedulingCycle;
    e.lastAttemptAt = this.clock.now();
    return e;
  }

  private armBackoffTimer(): void {
    const next = this.backoff.peek();
    if (!next || this.closed) return;
    if (this.backoffTimer && this.backoffTimer.at <= next.backoffUntil) return;
    this.backoffTimer?.cancel();
    const at = next.backoffUntil;
    const timer = this.clock.setTimeout(() => {
      this.backoffTimer = undefined;
      this.flushBackoff();
    }, Math.max(0, at - this.clock.now()));
    this.backoffTimer = { cancel: () => timer.cancel(), at };
  }

  private flushBackoff(): void {
    const now = this.clock.now();
    for (let e = this.backoff.peek(); e && e.backoffUntil <= now; e = this.backoff.peek()) {
      this.backoff.pop();
      if (e.place === 'backoff' && this.entries.get(e.info.key) === e) this.activate(e);
    }
    this.armBackoffTimer();
  }

  /** Retries pods left unschedulable too long (kube-scheduler checks every 30 s for 5 min). */
  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    const timer = this.clock.setTimeout(() => {
      this.flushTimer = undefined;
      const now = this.clock.now();
      for (const e of [...this.unschedulable]) if (now - e.unschedulableSince >= this.maxUnschedulableMs) this.moveOut(e);
      if (this.unschedulable.size > 0) this.scheduleFlush();
    }, 30_000);
    this.flushTimer = timer;
  }
}
