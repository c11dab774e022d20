// A finished Job's only remaining business: ttlSecondsAfterFinished (the TTL-after-finished
// controller). Once expired — checked again on a fresh read, the TTL may have been changed — the
// Job is deleted in the foreground, so its pods go first.
import type { ApiClient } from '@mini-kube/client';
import { isNotFound } from './pod-control.js';
import { ttlRemaining } from './ttl.js';
import { JOBS, type JobObject } from './types.js';

/** Deletes the Job when its TTL has run out; otherwise returns the ms until it does. */
export async function finishedJob(client: ApiClient, job: JobObject, now: number): Promise<number | undefined> {
  const remaining = ttlRemaining(job, now);
  if (remaining === undefined || remaining > 0) return remaining;
  try {
    const fresh = await client.get<JobObject>(JOBS, job.metadata.name!, { namespace: job.metadata.namespace });
    const left = ttlRemaining(fresh, now);
    if (left === undefined || left > 0) return left;
    await client.delete(JOBS, job.metadata.name!, {
      namespace: job.metadata.namespace,
      propagationPolicy: 'Foreground',
      preconditions: { uid: fresh.metadata.uid, resourceVersion: fresh.metadata.resourceVersion },
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  return undefined;
}
