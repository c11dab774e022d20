// Pod failure back-off (backoff_utils.go): after n failures since the last success, new pods wait
// 10 s · 2^(n-1) (at most 6 min) from the last failure. Records live in memory, per Job key.
import type { Pod } from 'kubernetes-types/core/v1';
import { finishedTime } from './pods.js';
import { DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS } from './types.js';

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

export const NO_BACKOFF: BackoffRecord = { failuresAfterLastSuccess: 0 };

/** The record after the pods newly counted in this sync (newBackoffRecord). */
export function nextBackoffRecord(prev: BackoffRecord, succeeded: readonly Pod[], failed: readonly Pod[], now: number): BackoffRecord {
  const failedTimes = failed.map((p) => finishedTime(p, now)).sort((a, b) => a - b);
  if (succeeded.length === 0) {
    if (failedTimes.length === 0) return prev;
    return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes.at(-1) };
  }
  const lastSuccess = Math.max(...succeeded.map((p) => finishedTime(p, now)));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return after.length === 0 ? NO_BACKOFF : { failuresAfterLastSuccess: after.length, lastFailureTime: after.at(-1) };
}

/** How long new pods must still wait, ms (getRemainingTime). */
export function backoffRemaining(record: BackoffRecord, now: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  const delay = Math.min(maxMs, baseMs * 2 ** (record.failuresAfterLastSuccess - 1));
  return Math.max(0, delay - (now - record.lastFailureTime));
}
