// The first half of syncJob, pure: what the Job's pods add up to before anything is changed —
// active, ready and terminating pods, the success and failure counts including pods finished since
// the last sync, and whether the Job has met a success or failure criterion.
import type { Job, JobCondition } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { MESSAGE, REASON, findCondition, newCondition } from './conditions.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { parseIndexes, validIndex } from './indexes.js';
import { hasTrackingFinalizer, isPodActive, isPodFailed, isPodReady, isPodTerminating, pastBackoffLimitOnFailure } from './pods.js';
import { formatTime } from '@mini-kube/machinery';

export interface Assessment<P extends Pod = Pod> {
  active: P[];
  ready: number;
  terminating: number;
  /** Finished pods not counted yet, and not already in status.uncountedTerminatedPods. */
  newSucceeded: P[];
  newFailed: P[];
  succeeded: number;
  failed: number;
  /** Indexed Jobs: indexes recorded in status.completedIndexes, and those plus newly succeeded ones. */
  prevSucceededIndexes: number[];
  succeededIndexes: number[];
  /** SuccessCriteriaMet, FailureTarget, or Failed (a FailureTarget recorded earlier) when the Job is done. */
  finished?: JobCondition;
  startTime?: string;
  /** When the active deadline will pass, ms from now. */
  deadlineInMs?: number;
}

export const isSuspended = (job: Job): boolean => job.spec?.suspend === true;
export const isIndexed = (job: Job): boolean => job.spec?.completionMode === 'Indexed';

export function assessJob<P extends Pod>(job: Job, pods: readonly P[], expectedRmFinalizers: ReadonlySet<string>, now: number): Assessment<P> {
  const status = job.status ?? {};
  const uncountedSucceeded = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
  const uncountedFailed = new Set(status.uncountedTerminatedPods?.failed ?? []);
  const completions = job.spec?.completions;
  // Pods without the finalizer were counted already (or are being, when in the uncounted lists).
  const countable = pods.filter((p) => {
    if (!hasTrackingFinalizer(p) || expectedRmFinalizers.has(p.metadata?.uid ?? '')) return false;
    return !isIndexed(job) || validIndex(p, completions ?? 0) !== undefined;
  });
  const newSucceeded = countable.filter((p) => p.status?.phase === 'Succeeded' && !uncountedSucceeded.has(p.metadata?.uid ?? ''));
  const newFailed = countable.filter((p) => isPodFailed(p, job) && !uncountedFailed.has(p.metadata?.uid ?? ''));
  const countedFailures = newFailed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length;
  const active = pods.filter(isPodActive);
  const a: Assessment<P> = {
    active,
    ready: active.filter(isPodReady).length,
    terminating: pods.filter(isPodTerminating).length,
    newSucceeded,
    newFailed,
    succeeded: (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size,
    failed: (status.failed ?? 0) + countedFailures + uncountedFailed.size,
    prevSucceededIndexes: [],
    succeededIndexes: [],
    startTime: status.startTime ?? (isSuspended(job) ? undefined : formatTime(now)),
  };
  if (isIndexed(job)) {
    const total = completions ?? 0;
    a.prevSucceededIndexes = parseIndexes(status.completedIndexes, total);
    const fresh = pods.filter((p) => p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p)).map((p) => validIndex(p, total));
    const all = new Set([...a.prevSucceededIndexes, ...fresh.filter((ix): ix is number => ix !== undefined)]);
    a.succeededIndexes = [...all].sort((x, y) => x - y);
    a.succeeded = a.succeededIndexes.length;
  }
  a.finished = finishedCondition(job, pods, a, now);
  if (!a.finished && job.spec?.activeDeadlineSeconds !== undefined && !isSuspended(job) && a.startTime) {
    a.deadlineInMs = job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(a.startTime));
  }
  return a;
}

/** The success or failure criterion the Job meets, in the order syncJob checks them. */
function finishedCondition(job: Job, pods: readonly Pod[], a: Assessment, now: number): JobCondition | undefined {
  const met = findCondition(job, 'SuccessCriteriaMet');
  if (met?.status === 'True') return met;
  const target = findCondition(job, 'FailureTarget');
  if (target?.status === 'True') return newCondition('Failed', target.reason ?? '', target.message ?? '', now);
  const failJob = job.spec?.podFailurePolicy
    ? pods.filter((p) => isPodFailed(p, job)).map((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).failJobMessage).find((m) => m)
    : undefined;
  if (failJob) return newCondition('FailureTarget', REASON.podFailurePolicy, failJob, now);
  if (a.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
    return newCondition('FailureTarget', REASON.backoffLimitExceeded, MESSAGE.backoffLimitExceeded, now);
  }
  const deadline = job.spec?.activeDeadlineSeconds;
  if (deadline !== undefined && a.startTime && !isSuspended(job) && now - Date.parse(a.startTime) >= deadline * 1000) {
    return newCondition('FailureTarget', REASON.deadlineExceeded, MESSAGE.deadlineExceeded, now);
  }
  return undefined;
}

/** Whether the Job has all the successes it needs and no pod left running (the complete check of syncJob). */
export function succeededEnough(job: Job, succeeded: number, active: number): boolean {
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 && active === 0;
  return succeeded >= completions && active === 0;
}

export const successCondition = (now: number): JobCondition =>
  newCondition('SuccessCriteriaMet', REASON.completionsReached, MESSAGE.completionsReached, now);
