// Reconciling a CronJob's status with its Jobs (the first part of syncCronJob), and the history
// limits (cleanupFinishedJobs), pure.
import type { CronJob, CronJobStatus, Job } from 'kubernetes-types/batch/v1';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import { finishedType } from '../job/conditions.js';
import type { PlannedEvent } from './types.js';

export interface ActiveReconcile<J extends Job = Job> {
  status: CronJobStatus;
  events: PlannedEvent[];
  /** Unfinished Jobs the CronJob owns but does not list as active. */
  unexpected: J[];
  /** Active references whose Job is not in the cache: gone, unless a fresh read finds it. */
  unknown: ObjectReference[];
}

export function reconcileActive<J extends Job>(cj: CronJob, jobs: readonly J[]): ActiveReconcile<J> {
  const status: CronJobStatus = { ...cj.status, active: [...(cj.status?.active ?? [])] };
  const events: PlannedEvent[] = [];
  const unexpected: J[] = [];
  const listed = (uid?: string): boolean => status.active!.some((r) => r.uid === uid);
  for (const job of jobs) {
    const uid = job.metadata?.uid;
    const finished = finishedType(job);
    if (!listed(uid) && !finished) {
      unexpected.push(job);
    } else if (listed(uid) && finished) {
      status.active = status.active!.filter((r) => r.uid !== uid);
      events.push({ type: 'Normal', reason: 'SawCompletedJob', message: `Saw completed job: ${job.metadata?.name}, condition: ${finished}` });
    }
    if (finished === 'Complete' && job.status?.completionTime) {
      const last = Date.parse(status.lastSuccessfulTime ?? '');
      if (!Number.isFinite(last) || Date.parse(job.status.completionTime) > last) status.lastSuccessfulTime = job.status.completionTime;
    }
  }
  const uids = new Set(jobs.map((j) => j.metadata?.uid));
  const unknown = status.active!.filter((r) => !uids.has(r.uid));
  return { status, events, unexpected, unknown };
}

/** The finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first. */
export function jobsToCleanUp<J extends Job>(cj: CronJob, jobs: readonly J[]): J[] {
  const pick = (type: 'Complete' | 'Failed', limit: number | undefined): J[] => {
    if (limit === undefined || limit === null) return [];
    const finished = jobs.filter((j) => finishedType(j) === type).sort(byStartTime);
    return finished.slice(0, Math.max(0, finished.length - limit));
  };
  return [...pick('Complete', cj.spec?.successfulJobsHistoryLimit), ...pick('Failed', cj.spec?.failedJobsHistoryLimit)];
}

/** Oldest start first; Jobs that never started last; then by name (byJobStartTime). */
function byStartTime(a: Job, b: Job): number {
  const [sa, sb] = [a.status?.startTime, b.status?.startTime];
  if (sa !== sb) {
    if (!sa) return 1;
    if (!sb) return -1;
    const diff = Date.parse(sa) - Date.parse(sb);
    if (diff !== 0) return diff;
  }
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}
