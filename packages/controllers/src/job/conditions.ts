// Job conditions: the interim SuccessCriteriaMet / FailureTarget a 1.32 controller records first,
// and the terminal Complete / Failed it adds once no pod of the Job is left terminating.
import type { Job, JobCondition } from 'kubernetes-types/batch/v1';
import { formatTime } from '@mini-kube/machinery';

export const REASON = {
  completionsReached: 'CompletionsReached',
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  podFailurePolicy: 'PodFailurePolicy',
} as const;

export const MESSAGE = {
  completionsReached: 'Reached expected number of succeeded pods',
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
} as const;

/** RFC 3339 with whole seconds, as metav1.Time serialises. */

export function newCondition(type: string, reason: string, message: string, now: number): JobCondition {
  const at = formatTime(now);
  return { type, status: 'True', reason, message, lastProbeTime: at, lastTransitionTime: at };
}

export const findCondition = (job: Job, type: string): JobCondition | undefined => job.status?.conditions?.find((c) => c.type === type);

const isTrue = (job: Job, type: string): boolean => findCondition(job, type)?.status === 'True';

/** Complete or Failed (IsJobFinished). */
export const isJobFinished = (job: Job): boolean => isTrue(job, 'Complete') || isTrue(job, 'Failed');

/** The terminal condition type of a finished Job. */
export const finishedType = (job: Job): 'Complete' | 'Failed' | undefined =>
  isTrue(job, 'Complete') ? 'Complete' : isTrue(job, 'Failed') ? 'Failed' : undefined;

/**
 * Sets a condition's status (ensureJobConditionStatus): a change of status rewrites it; a new
 * condition is only added when True. Returns undefined when nothing changed.
 */
export function ensureCondition(
  list: readonly JobCondition[],
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: number,
): JobCondition[] | undefined {
  const at = formatTime(now);
  const i = list.findIndex((c) => c.type === type);
  if (i < 0) return status === 'True' ? [...list, { type, status, reason, message, lastProbeTime: at, lastTransitionTime: at }] : undefined;
  if (list[i]!.status === status) return undefined;
  return list.map((c, j) => (j === i ? { ...c, status, reason, message, lastProbeTime: at, lastTransitionTime: at } : c));
}
