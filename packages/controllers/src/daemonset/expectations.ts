// The DaemonSet controller's expectations: one sync may ask for creations (one per node) and
// deletions at once, so it keeps the ReplicaSet controller's two kinds side by side.
import type { Clock } from '@mini-kube/runtime';
import { Expectations } from '../replicaset/expectations.js';

export class PodExpectations {
  private readonly creations: Expectations;
  private readonly deletions: Expectations;

  constructor(clock: Clock) {
    this.creations = new Expectations(clock);
    this.deletions = new Expectations(clock);
  }

  satisfied(key: string): boolean {
    return this.creations.satisfied(key) && this.deletions.satisfied(key);
  }

  expect(key: string, creations: number, deletedPodKeys: readonly string[]): void {
    this.creations.expectCreations(key, creations);
    this.deletions.expectDeletions(key, deletedPodKeys);
  }

  creationObserved(key: string): void {
    this.creations.creationObserved(key);
  }

  deletionObserved(key: string, podKey: string): void {
    this.deletions.deletionObserved(key, podKey);
  }

  delete(key: string): void {
    this.creations.delete(key);
    this.deletions.delete(key);
  }
}
