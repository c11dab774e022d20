// The CronJob controller (pkg/controller/cronjob, v2): starts Jobs on schedule. Handlers turn
// CronJob and Job changes into CronJob keys; `reconcile` reconciles the active list, prunes the
// history, starts the Job of a due activation, writes status and requeues for the next one.
import { runWhenSynced } from '../run.js';
import { isDeepStrictEqual } from 'node:util';
import type { OwnerReference } from '@mini-kube/api';
import { getControllerOf, newControllerRef, formatTime } from '@mini-kube/machinery';
import { WorkQueue, objectKey, splitKey, type EventRecorder, type Informer } from '@mini-kube/runtime';
import type { CronJobStatus } from 'kubernetes-types/batch/v1';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import type { ControllerContext } from '../context.js';
import { addControllerIndex, controlledBy } from '../replicaset/owner-index.js';
import { jobsToCleanUp, reconcileActive } from './active.js';
import { jobFromCronJob } from './job-template.js';
import { planSchedule } from './plan.js';
import { CRONJOBS, CRONJOB_TYPE, JOBS, type CronJobObject, type JobObject, type PlannedEvent } from './types.js';

const codeOf = (err: unknown): unknown => (typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class CronJobController {
  readonly queue: WorkQueue;
  private readonly cronJobs: Informer<CronJobObject>;
  private readonly jobs: Informer<JobObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.recorder = ctx.recorder('cronjob-controller');
    this.cronJobs = ctx.informers.informer<CronJobObject>(CRONJOBS);
    this.jobs = ctx.informers.informer<JobObject>(JOBS);
    addControllerIndex(this.jobs);
    this.cronJobs.addEventHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (_old, cur) => this.queue.add(objectKey(cur)),
      onDelete: (cj) => this.queue.add(objectKey(cj)),
    });
    const jobChanged = (job: JobObject): void => {
      const cj = this.resolve(job.metadata.namespace, getControllerOf(job));
      if (cj) this.queue.add(objectKey(cj));
    };
    this.jobs.addEventHandler({ onAdd: jobChanged, onUpdate: (_old, cur) => jobChanged(cur), onDelete: jobChanged });
  }

  async run(): Promise<void> {
    await runWhenSynced(this.ctx, 'cronjob-controller', this.queue, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    let cj = this.cronJobs.lister.get(namespace, name);
    if (!cj) return;
    const jobs = controlledBy(this.jobs, cj.metadata.uid);
    let active = reconcileActive(cj, jobs);
    if (active.unexpected.length > 0) {
      // Maybe the cache has not seen the status listing them yet: decide on a fresh read.
      cj = await this.ctx.client.get<CronJobObject>(CRONJOBS, name, { namespace });
      active = reconcileActive(cj, jobs);
      for (const job of active.unexpected) this.emit(cj, { type: 'Warning', reason: 'UnexpectedJob', message: `Saw a job that the controller did not create or forgot: ${job.metadata.name}` });
    }
    const status = active.status;
    for (const e of active.events) this.emit(cj, e);
    for (const ref of active.unknown) await this.dropIfMissing(cj, status, ref);

    for (const job of jobsToCleanUp(cj, jobs)) await this.deleteJob(cj, status, job.metadata.name!, job.metadata.uid);

    const plan = planSchedule({ ...cj, status }, this.ctx.clock.now());
    for (const e of plan.events) this.emit(cj, e);
    let syncError: unknown;
    if (plan.run !== undefined) {
      try {
        await this.start(cj, status, plan.run, plan.replace ?? false);
      } catch (err) {
        syncError = err;
      }
    }
    if (!isDeepStrictEqual(cj.status ?? {}, compact(status))) {
      await this.ctx.client.updateStatus(CRONJOBS, { ...cj, status: compact(status) });
    }
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
    else if (plan.run !== undefined && !syncError) this.queue.add(key); // compute the next activation
    if (syncError) throw syncError;
  }

  /** Starts the Job of activation `scheduled`, replacing the active ones first if asked. */
  private async start(cj: CronJobObject, status: CronJobStatus, scheduled: number, replace: boolean): Promise<void> {
    if (replace) for (const ref of [...(status.active ?? [])]) await this.deleteJob(cj, status, ref.name!, ref.uid);
    const request = jobFromCronJob(cj, scheduled, newControllerRef(cj, CRONJOB_TYPE)) as JobObject;
    let job: JobObject;
    try {
      job = await this.ctx.client.create<JobObject>(JOBS, request);
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`);
    } catch (err) {
      if (codeOf(err) !== 409) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${message(err)}`);
        throw err;
      }
      // Created by an earlier attempt for this activation (or by someone else: then leave it be).
      job = await this.ctx.client.get<JobObject>(JOBS, request.metadata.name!, { namespace: cj.metadata.namespace });
      if (getControllerOf(job)?.uid !== cj.metadata.uid) return;
    }
    if (!status.active!.some((r) => r.uid === job.metadata.uid)) status.active!.push(jobRef(job));
    status.lastScheduleTime = formatTime(scheduled);
  }

  /** Deletes a Job (in the background, its pods follow) and drops it from the active list. */
  private async deleteJob(cj: CronJobObject, status: CronJobStatus, name: string, uid: string | undefined): Promise<void> {
    try {
      await this.ctx.client.delete(JOBS, name, { namespace: cj.metadata.namespace, propagationPolicy: 'Background' });
    } catch (err) {
      if (codeOf(err) !== 404) {
        this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${message(err)}`);
        throw err;
      }
    }
    status.active = (status.active ?? []).filter((r) => r.uid !== uid);
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  }

  /** An active Job missing from the cache: drop it if the API server does not know it either. */
  private async dropIfMissing(cj: CronJobObject, status: CronJobStatus, ref: ObjectReference): Promise<void> {
    try {
      await this.ctx.client.get(JOBS, ref.name!, { namespace: ref.namespace ?? cj.metadata.namespace });
    } catch (err) {
      if (codeOf(err) !== 404) throw err;
      this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
    }
  }

  private emit(cj: CronJobObject, e: PlannedEvent): void {
    this.recorder.event(cj, e.type, e.reason, e.message);
  }

  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): CronJobObject | undefined {
    if (!ref || ref.kind !== CRONJOB_TYPE.kind) return undefined;
    const cj = this.cronJobs.lister.get(namespace, ref.name);
    return cj?.metadata.uid === ref.uid ? cj : undefined;
  }
}

const jobRef = (job: JobObject): ObjectReference => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  name: job.metadata.name,
  namespace: job.metadata.namespace,
  uid: job.metadata.uid,
  resourceVersion: job.metadata.resourceVersion,
});

/** Status as stored: an empty active list is omitted. */
function compact(status: CronJobStatus): CronJobStatus {
  const { active, ...rest } = status;
  return active && active.length > 0 ? { ...rest, active } : rest;
}
