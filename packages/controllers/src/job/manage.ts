// manageJob, pure: how many pods a Job wants running and which to delete or which to create.
// A sync either deletes or creates, never both; deletions win.
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { isIndexed, isSuspended, type Assessment } from './assess.js';
import { firstPendingIndexes, validIndex } from './indexes.js';
import { compareActivePods, isPodTerminating, onlyReplaceFailedPods } from './pods.js';
import { MAX_POD_CREATE_DELETE_PER_SYNC } from './types.js';

export interface ManagePlan<P extends Pod = Pod> {
  delete: P[];
  /** Pods to create: one entry each, the completion index for Indexed Jobs, else undefined. */
  create: (number | undefined)[];
  /** Creations held back by the failure back-off: sync again after this many ms. */
  backoffMs?: number;
}

/** The active pod count a Job wants (wantActive). */
export function wantActive(job: Job, active: number, succeeded: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

export function planManage<P extends Pod>(job: Job, pods: readonly P[], a: Assessment<P>, backoffMs: number): ManagePlan<P> {
  if (isSuspended(job)) return { delete: [...a.active], create: [] };
  const want = wantActive(job, a.active.length, a.succeeded);
  const toDelete = activePodsForRemoval(job, a.active, Math.max(0, a.active.length - want)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (toDelete.length > 0) return { delete: toDelete, create: [] };

  const terminating = onlyReplaceFailedPods(job) ? a.terminating : 0;
  const diff = Math.min(want - terminating - a.active.length, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (diff <= 0) return { delete: [], create: [] };
  if (backoffMs > 0) return { delete: [], create: [], backoffMs };
  if (!isIndexed(job)) return { delete: [], create: Array.from({ length: diff }, () => undefined) };

  const completions = job.spec?.completions ?? 0;
  const holders = onlyReplaceFailedPods(job) ? [...a.active, ...pods.filter(isPodTerminating)] : a.active;
  const held = new Set(holders.map((p) => validIndex(p, completions)).filter((ix): ix is number => ix !== undefined));
  return { delete: [], create: firstPendingIndexes(diff, completions, new Set(a.succeededIndexes), held) };
}

/**
 * The active pods to delete (activePodsForRemoval): for Indexed Jobs first those with an invalid
 * index and all but one pod of each repeated index, then the cheapest until `atLeast` are chosen.
 */
export function activePodsForRemoval<P extends Pod>(job: Job, active: readonly P[], atLeast: number): P[] {
  const remove: P[] = [];
  let left: P[] = [...active];
  if (isIndexed(job)) {
    const completions = job.spec?.completions ?? 0;
    const byIndex = new Map<number, P[]>();
    left = [];
    for (const p of active) {
      const ix = validIndex(p, completions);
      if (ix === undefined) remove.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const group of byIndex.values()) {
      const sorted = group.sort(compareActivePods);
      remove.push(...sorted.slice(0, -1)); // keep the most advanced pod of the index
      left.push(sorted.at(-1)!);
    }
  }
  if (remove.length < atLeast) remove.push(...left.sort(compareActivePods).slice(0, atLeast - remove.length));
  return remove;
}
