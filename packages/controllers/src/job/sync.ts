// One sync of an unfinished Job (syncJob): assess its pods, finish it or create / delete pods,
// then count finished pods through status and the tracking finalizer, and declare it finished.
import { isDeepStrictEqual } from 'node:util';
import type { JobCondition, JobStatus } from 'kubernetes-types/batch/v1';
import type { ApiClient } from '@mini-kube/client';
import { newControllerRef, formatTime } from '@mini-kube/machinery';
import type { EventRecorder } from '@mini-kube/runtime';
import { assessJob, isSuspended, succeededEnough, successCondition } from './assess.js';
import { backoffRemaining, nextBackoffRecord, type BackoffRecord } from './backoff.js';
import { ensureCondition } from './conditions.js';
import { planManage } from './manage.js';
import type { JobPodControl } from './pod-control.js';
import { compactJobStatus, enactFinished, moveCountedUncounted, planTracking } from './tracking.js';
import { JOBS, JOB_TYPE, type JobObject, type PodObject } from './types.js';

export interface SyncDeps {
  control: JobPodControl;
  recorder: EventRecorder;
  client: ApiClient;
  backoff: BackoffRecord;
  saveBackoff(record: BackoffRecord): void;
  requeueAfter(ms: number): void;
}

export async function syncJob(deps: SyncDeps, key: string, job: JobObject, pods: PodObject[], now: number): Promise<void> {
  const { control, recorder } = deps;
  const satisfied = control.expectations.satisfied(key);
  const expectedRm = control.finalizers.expected(key);
  const a = assessJob(job, pods, expectedRm, now);
  const record = nextBackoffRecord(deps.backoff, a.newSucceeded, a.newFailed, now);
  if (a.deadlineInMs !== undefined) deps.requeueAfter(a.deadlineInMs);

  let { ready, terminating } = a;
  let active = a.active.length;
  let finished: JobCondition | undefined = a.finished;
  let conditions = job.status?.conditions ?? [];
  let startTime = a.startTime;
  let manageError: unknown;
  if (finished) {
    // Done: stop the remaining pods; they keep their finalizer and are counted as failed.
    const r = await control.delete(key, job, a.active, true);
    if (r.deleted !== active || !satisfied) finished = undefined; // not every pod is accounted for yet
    active -= r.deleted;
    terminating += r.deleted;
    ready -= r.deletedReady;
    manageError = r.error;
  } else {
    const manage = satisfied && !job.metadata.deletionTimestamp;
    if (manage) {
      const plan = planManage(job, pods, a, backoffRemaining(record, now));
      if (plan.backoffMs) deps.requeueAfter(plan.backoffMs);
      if (plan.delete.length > 0) {
        const r = await control.delete(key, job, plan.delete, false);
        active -= r.deleted;
        terminating += r.deleted;
        ready -= r.deletedReady;
        manageError = r.error;
      } else if (plan.create.length > 0) {
        const r = await control.create(key, job, newControllerRef(job, JOB_TYPE), plan.create);
        active += r.created;
        manageError = r.error;
      }
    }
    if (succeededEnough(job, a.succeeded, active)) {
      finished = successCondition(now);
    } else if (manage) {
      const suspended = isSuspended(job);
      const next = suspended
        ? ensureCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)
        : ensureCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
      if (next) {
        conditions = next;
        recorder.event(job, 'Normal', suspended ? 'Suspended' : 'Resumed', suspended ? 'Job suspended' : 'Job resumed');
        // activeDeadlineSeconds counts the time a Job is continuously active: restart the clock.
        if (!suspended) startTime = formatTime(now);
      }
    }
  }

  const withConditions: JobObject = { ...job, status: { ...job.status, conditions: conditions.length > 0 ? conditions : undefined } };
  const tracking = planTracking({ job: withConditions, pods, a: { ...a, startTime }, finished, active, ready, terminating, expectedRmFinalizers: expectedRm, now });
  let current = await writeStatus(deps.client, job, tracking.status);
  deps.saveBackoff(record);

  const { removed, error: rmError } = await control.removeFinalizers(key, tracking.removeFinalizer);
  for (const uid of removed) tracking.withFinalizer.delete(uid);
  const status: JobStatus = structuredClone(current.status ?? {});
  moveCountedUncounted(status, tracking.withFinalizer);
  const done = !tracking.truncated && !rmError && enactFinished(status, tracking.terminal, terminating, now);
  current = await writeStatus(deps.client, current, status);
  if (done) recordFinished(recorder, current, tracking.terminal!);
  if (rmError) throw rmError;
  if (manageError) throw manageError;
}

function recordFinished(recorder: EventRecorder, job: JobObject, terminal: JobCondition): void {
  if (terminal.type !== 'Complete') return recorder.event(job, 'Warning', terminal.reason ?? '', terminal.message ?? '');
  const completions = job.spec?.completions;
  if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) {
    recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
  }
  recorder.event(job, 'Normal', 'Completed', 'Job completed');
}

/** Writes the status through /status unless the Job already has it; returns the Job as stored. */
async function writeStatus(client: ApiClient, job: JobObject, status: JobStatus): Promise<JobObject> {
  const next = compactJobStatus(status);
  if (isDeepStrictEqual(job.status ?? {}, next)) return job;
  return client.updateStatus<JobObject>(JOBS, { ...job, status: next });
}
