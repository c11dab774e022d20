// What the Job controller asks of its pods (job_controller.go, controller_utils.go).
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { isPodActive, isPodReady } from '../replicaset/pods.js';
import { TRACKING_FINALIZER } from './types.js';

export { isPodActive, isPodReady };

export const hasTrackingFinalizer = (pod: Pod): boolean => pod.metadata?.finalizers?.includes(TRACKING_FINALIZER) ?? false;

/** podReplacementPolicy Failed: a replacement waits until the old pod has fully failed. */
export const onlyReplaceFailedPods = (job: Job): boolean =>
  job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;

/**
 * Counts as a failure (isPodFailed): phase Failed, or, unless only failed pods are replaced, being
 * deleted before it succeeded (an orphaned or evicted pod may never reach the Failed phase).
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return Boolean(pod.metadata?.deletionTimestamp) && pod.status?.phase !== 'Succeeded';
}

/** Being deleted and not finished yet (CountTerminatingPods). */
export const isPodTerminating = (pod: Pod): boolean =>
  Boolean(pod.metadata?.deletionTimestamp) && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** When the pod finished, ms: its containers' latest finishedAt, else its deletion time, else `now`. */
export function finishedTime(pod: Pod, now: number): number {
  let latest: number | undefined;
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const at = Date.parse(s.state?.terminated?.finishedAt ?? '');
    if (Number.isFinite(at) && (latest === undefined || at > latest)) latest = at;
  }
  if (latest !== undefined) return latest;
  const deleted = Date.parse(pod.metadata?.deletionTimestamp ?? '');
  return Number.isFinite(deleted) ? deleted : now;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Sorts active pods cheapest-to-delete first: unscheduled, pending, not ready, newest (controller.ActivePods). */
export function compareActivePods(a: Pod, b: Pod): number {
  const [na, nb] = [a.spec?.nodeName ?? '', b.spec?.nodeName ?? ''];
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const phase = (PHASE_ORDER[a.status?.phase ?? ''] ?? 0) - (PHASE_ORDER[b.status?.phase ?? ''] ?? 0);
  if (phase !== 0) return phase;
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  const restarts = (p: Pod): number => Math.max(0, ...(p.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return Date.parse(b.metadata?.creationTimestamp ?? '') - Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
}

/** Restarts of the containers of running or pending pods (pastBackoffLimitOnFailure, restartPolicy OnFailure). */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}
