// Expectations (controller_utils.go UIDTrackingControllerExpectations): after a controller asks for
// N creations or deletions it waits until its informer has seen them before it plans again, so a
// cache that lags behind its own writes never makes it create or delete twice. Deletions are
// tracked by pod key, so a pod seen first terminating and then gone is counted once. Expectations
// that are never met expire after five minutes, as in Kubernetes.
import type { Clock } from '@mini-kube/runtime';

export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  deletes: number;
  /** Pod keys whose deletion is still awaited. */
  deleting: Set<string>;
  setAt: number;
}

export class Expectations {
  private readonly byController = new Map<string, Expectation>();

  constructor(private readonly clock: Clock, private readonly ttlMs = EXPECTATIONS_TTL_MS) {}

  /** True when the controller may plan again: nothing awaited, all observed, or expired. */
  satisfied(controllerKey: string): boolean {
    const e = this.byController.get(controllerKey);
    if (!e) return true;
    return (e.adds <= 0 && e.deletes <= 0) || this.clock.now() - e.setAt > this.ttlMs;
  }

  expectCreations(controllerKey: string, count: number): void {
    this.byController.set(controllerKey, { adds: count, deletes: 0, deleting: new Set(), setAt: this.clock.now() });
  }

  expectDeletions(controllerKey: string, podKeys: readonly string[]): void {
    this.byController.set(controllerKey, { adds: 0, deletes: podKeys.length, deleting: new Set(podKeys), setAt: this.clock.now() });
  }

  /** A pod of this controller appeared, or a create will never be seen (it failed or was skipped). */
  creationObserved(controllerKey: string): void {
    const e = this.byController.get(controllerKey);
    if (e) e.adds--;
  }

  /** A pod of this controller went (or started terminating); counted once per awaited pod. */
  deletionObserved(controllerKey: string, podKey: string): void {
    const e = this.byController.get(controllerKey);
    if (e?.deleting.delete(podKey)) e.deletes--;
  }

  /** Forgets a controller, e.g. when its ReplicaSet is deleted. */
  delete(controllerKey: string): void {
    this.byController.delete(controllerKey);
  }
}
