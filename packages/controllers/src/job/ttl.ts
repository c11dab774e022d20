// ttlSecondsAfterFinished (pkg/controller/ttlafterfinished), pure: when a finished Job expires.
import type { Job } from 'kubernetes-types/batch/v1';
import { finishedType, findCondition } from './conditions.js';

/** Ms until the finished Job may be deleted (≤ 0: now); undefined when it has no TTL or is not finished. */
export function ttlRemaining(job: Job, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const type = finishedType(job);
  if (ttl === undefined || ttl === null || !type || job.metadata?.deletionTimestamp) return undefined;
  const finishedAt = Date.parse(findCondition(job, type)?.lastTransitionTime ?? job.status?.completionTime ?? '');
  if (!Number.isFinite(finishedAt)) return undefined;
  return finishedAt + ttl * 1000 - now;
}
