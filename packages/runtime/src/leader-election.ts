// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it:
// candidates try to take the Lease every retry period; the holder renews it; a candidate takes a
// Lease over only once the holder has not renewed it for leaseDuration, measured on the
// candidate's own clock from when it last saw the record change (no trust in other clocks).
import type { KObject } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import { realClock } from './clock.js';
import type { Clock } from './types.js';

const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;

export interface LeaderElectorOptions {
  /** The Lease: `kube-system` by default. */
  namespace?: string;
  name: string;
  /** This candidate, unique among them (e.g. hostname + random suffix). */
  identity: string;
  leaseDurationMs?: number;
  /** The leader gives up if it cannot renew for this long; less than leaseDurationMs. */
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Clear the holder when `run`'s signal aborts, so another candidate takes over at once (default true). */
  releaseOnCancel?: boolean;
  clock?: Clock;
}

export interface LeaderCallbacks {
  /** Leading until `leaderSignal` aborts. */
  onStartedLeading(leaderSignal: AbortSignal): void | Promise<void>;
  onStoppedLeading?(): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease extends KObject {
  spec?: LeaseSpec;
}

export class LeaderElector {
  private readonly clock: Clock;
  private readonly namespace: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  /** The record last seen and when (on our clock) it was first seen that way. */
  private observed: { record: string; at: number } | undefined;
  private leading = false;

  constructor(
    private readonly client: ApiClient,
    private readonly opts: LeaderElectorOptions,
  ) {
    this.clock = opts.clock ?? realClock;
    this.namespace = opts.namespace ?? 'kube-system';
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Campaigns until `signal` aborts: acquires the Lease, leads while renewing it, and after losing
   * it campaigns again. Resolves once `signal` has aborted and leadership (if any) is given up.
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    while (!signal.aborted) {
      if (!(await this.acquire(signal))) return;
      const leadership = new AbortController();
      this.leading = true;
      Promise.resolve()
        .then(() => callbacks.onStartedLeading(leadership.signal))
        .catch((err: unknown) => console.error(`leader election ${this.opts.name}: onStartedLeading failed:`, err));
      await this.renewWhileLeading(signal);
      this.leading = false;
      leadership.abort();
      if (signal.aborted && this.opts.releaseOnCancel !== false) await this.release();
      callbacks.onStoppedLeading?.();
    }
  }

  /** Tries every retry period until the Lease is ours; false if `signal` aborted first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew()) return true;
      await this.clock.sleep(this.retryPeriodMs, signal);
    }
    return false;
  }

  /** Renews every retry period; returns when a renewal deadline passes or `signal` aborts. */
  private async renewWhileLeading(signal: AbortSignal): Promise<void> {
    let lastRenew = this.clock.now();
    while (!signal.aborted) {
      await this.clock.sleep(this.retryPeriodMs, signal);
      if (signal.aborted) return;
      if (await this.tryAcquireOrRenew()) lastRenew = this.clock.now();
      else if (this.clock.now() - lastRenew >= this.renewDeadlineMs) {
        console.warn(`leader election ${this.opts.name}: ${this.opts.identity} failed to renew the lease, stepping down`);
        return;
      }
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const mine: LeaseSpec = {
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: Math.max(1, Math.round(this.leaseDurationMs / 1000)),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    try {
      let lease: Lease;
      try {
        lease = await this.client.get<Lease>(LEASES, this.opts.name, { namespace: this.namespace });
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
        const created = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.opts.name, namespace: this.namespace }, spec: mine };
        await this.client.create(LEASES, created, { namespace: this.namespace });
        this.observe(mine, now);
        return true;
      }
      const current = lease.spec ?? {};
      this.observe(current, now);
      const held = !!current.holderIdentity;
      const isMine = current.holderIdentity === this.opts.identity;
      const expired = this.observed!.at + (current.leaseDurationSeconds ?? 0) * 1000 <= now;
      if (held && !isMine && !expired) return false;
      const spec: LeaseSpec = isMine
        ? { ...current, ...mine, acquireTime: current.acquireTime, leaseTransitions: current.leaseTransitions ?? 0 }
        : { ...mine, leaseTransitions: (current.leaseTransitions ?? 0) + (held ? 1 : 0) };
      // The resourceVersion makes this a compare-and-swap: of two candidates, one wins.
      await this.client.update(LEASES, { ...lease, spec }, { namespace: this.namespace });
      this.observe(spec, now);
      return true;
    } catch (err) {
      if (!(err instanceof StatusError && (err.code === 409 || err.code === 404))) {
        console.warn(`leader election ${this.opts.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return false;
    }
  }

  private observe(spec: LeaseSpec, now: number): void {
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.acquireTime, spec.leaseTransitions]);
    if (this.observed?.record !== record) this.observed = { record, at: now };
  }

  /** Gives the Lease up so that another candidate need not wait for it to expire. */
  private async release(): Promise<void> {
    try {
      const lease = await this.client.get<Lease>(LEASES, this.opts.name, { namespace: this.namespace });
      if (lease.spec?.holderIdentity !== this.opts.identity) return;
      const now = microTime(this.clock.now());
      const spec: LeaseSpec = { ...lease.spec, holderIdentity: undefined, leaseDurationSeconds: 1, renewTime: now, acquireTime: now };
      await this.client.update(LEASES, { ...lease, spec }, { namespace: this.namespace });
    } catch (err) {
      console.warn(`leader election ${this.opts.name}: could not release the lease: ${String(err)}`);
    }
  }
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
