// Counting finished pods with the job-tracking finalizer (trackJobStatusAndRemoveFinalizers), pure.
// A finished pod's uid is first recorded in status.uncountedTerminatedPods, then its finalizer is
// removed, then the uid moves into the succeeded / failed counters: a pod is counted exactly once
// even if the controller stops between any two of those writes.
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { isIndexed, type Assessment } from './assess.js';
import { ensureCondition, newCondition } from './conditions.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { formatIndexes, validIndex } from './indexes.js';
import { hasTrackingFinalizer, isPodFailed } from './pods.js';
import { MAX_UNCOUNTED_PODS } from './types.js';
import { formatTime } from '@mini-kube/machinery';

export interface TrackingPlan<P extends Pod = Pod> {
  /** The status to write before any finalizer is removed. */
  status: JobStatus;
  removeFinalizer: P[];
  /** uids of pods that still carry the finalizer (and are not expected to lose it). */
  withFinalizer: Set<string>;
  /** The terminal condition to add once nothing is uncounted or terminating (Complete / Failed). */
  terminal?: JobCondition;
  /** Stopped early at MAX_UNCOUNTED_PODS: the Job cannot be declared finished in this sync. */
  truncated: boolean;
}

export interface TrackingInput<P extends Pod> {
  job: Job;
  pods: readonly P[];
  a: Assessment<P>;
  /** The criterion met in this sync, if the Job is done (after manage). */
  finished?: JobCondition;
  active: number;
  ready: number;
  terminating: number;
  expectedRmFinalizers: ReadonlySet<string>;
  now: number;
}

export function planTracking<P extends Pod>(input: TrackingInput<P>): TrackingPlan<P> {
  const { job, pods, a, finished, expectedRmFinalizers, now } = input;
  const prev = job.status ?? {};
  const status: JobStatus = {
    ...prev,
    active: input.active,
    ready: input.ready,
    terminating: input.terminating,
    startTime: a.startTime,
    uncountedTerminatedPods: prev.uncountedTerminatedPods,
  };
  const uidOf = (p: Pod): string => p.metadata?.uid ?? '';
  const withFinalizer = new Set(pods.filter((p) => hasTrackingFinalizer(p) && !expectedRmFinalizers.has(uidOf(p))).map(uidOf));
  moveCountedUncounted(status, withFinalizer);
  const uncounted = status.uncountedTerminatedPods as { succeeded: string[]; failed: string[] };
  const wasSucceeded = new Set(uncounted.succeeded);
  const wasFailed = new Set(uncounted.failed);

  const completions = job.spec?.completions ?? 0;
  const prevIndexes = new Set(a.prevSucceededIndexes);
  const newIndexes: number[] = [];
  const removeFinalizer: P[] = [];
  const failing = finished !== undefined && finished.type !== 'SuccessCriteriaMet';
  let truncated = false;
  for (const pod of pods) {
    if (!withFinalizer.has(uidOf(pod))) continue;
    const failed = isPodFailed(pod, job);
    const canRemove = Boolean(job.metadata?.deletionTimestamp) || finished !== undefined || pod.status?.phase === 'Succeeded' || failed;
    if (!canRemove) continue;
    removeFinalizer.push(pod);
    const uid = uidOf(pod);
    if (pod.status?.phase === 'Succeeded' && !wasFailed.has(uid)) {
      if (isIndexed(job)) {
        const ix = validIndex(pod, completions);
        if (ix !== undefined && !prevIndexes.has(ix)) newIndexes.push(ix);
      } else if (!wasSucceeded.has(uid)) {
        uncounted.succeeded.push(uid);
      }
    } else if ((failed || failing) && !wasFailed.has(uid) && (!isIndexed(job) || validIndex(pod, completions) !== undefined)) {
      // Once the Job is failing, every pod still running counts as failed.
      if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) uncounted.failed.push(uid);
    }
    if (newIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
      truncated = true;
      break;
    }
  }
  if (isIndexed(job)) {
    const indexes = [...a.prevSucceededIndexes, ...newIndexes];
    status.completedIndexes = formatIndexes(indexes);
    status.succeeded = new Set(indexes).size;
  }
  let terminal: JobCondition | undefined;
  let conditions = [...(prev.conditions ?? [])];
  if (finished?.type === 'FailureTarget') {
    conditions = [...conditions, finished];
    terminal = newCondition('Failed', finished.reason ?? '', finished.message ?? '', now);
  } else if (finished?.type === 'SuccessCriteriaMet') {
    if (!conditions.some((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True')) conditions = [...conditions, finished];
    terminal = newCondition('Complete', finished.reason ?? '', finished.message ?? '', now);
  } else if (finished) {
    terminal = finished;
  }
  if (conditions.length > 0) status.conditions = conditions;
  return { status, removeFinalizer, withFinalizer, terminal, truncated };
}

/**
 * Moves uids whose pods no longer carry the finalizer from uncountedTerminatedPods into the
 * counters (cleanUncountedPodsWithoutFinalizers). Mutates `status`.
 */
export function moveCountedUncounted(status: JobStatus, withFinalizer: ReadonlySet<string>): void {
  const u = status.uncountedTerminatedPods ?? {};
  const succeeded = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  const failed = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - succeeded.length;
  status.failed = (status.failed ?? 0) + (u.failed ?? []).length - failed.length;
  status.uncountedTerminatedPods = { succeeded, failed };
}

/**
 * Adds the terminal condition when the Job may be declared finished (enactJobFinished): nothing
 * uncounted and no pod terminating. Returns whether it did. Mutates `status`.
 */
export function enactFinished(status: JobStatus, terminal: JobCondition | undefined, terminating: number, now: number): boolean {
  if (!terminal) return false;
  const u = status.uncountedTerminatedPods ?? {};
  if ((u.succeeded?.length ?? 0) + (u.failed?.length ?? 0) > 0 || terminating > 0) return false;
  status.conditions = ensureCondition(status.conditions ?? [], terminal.type, 'True', terminal.reason ?? '', terminal.message ?? '', now) ?? status.conditions;
  if (terminal.type === 'Complete') status.completionTime = formatTime(now);
  return true;
}

/** The status as the API stores it: zero counters, empty lists and empty strings dropped (omitempty). */
export function compactJobStatus(status: JobStatus): JobStatus {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(status)) {
    if (v === undefined || v === '' || (v === 0 && (k === 'active' || k === 'succeeded' || k === 'failed'))) continue;
    out[k] = v;
  }
  const u = status.uncountedTerminatedPods ?? {};
  out.uncountedTerminatedPods = {
    ...(u.succeeded?.length ? { succeeded: u.succeeded } : {}),
    ...(u.failed?.length ? { failed: u.failed } : {}),
  };
  return out as JobStatus;
}
