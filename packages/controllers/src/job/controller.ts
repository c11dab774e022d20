// The Job controller (pkg/controller/job): runs a Job's pods to completion. Handlers turn Job and
// pod changes into Job keys (and `pod:` keys for orphaned pods still holding the tracking
// finalizer); `reconcile` plans with the pure functions of this folder and writes the results.
import { runWhenSynced } from '../run.js';
import type { OwnerReference } from '@mini-kube/api';
import { getControllerOf, cachedSelectorFromLabelSelector } from '@mini-kube/machinery';
import { WorkQueue, objectKey, splitKey, type EventRecorder, type Informer } from '@mini-kube/runtime';
import type { ControllerContext } from '../context.js';
import { Expectations } from '../replicaset/expectations.js';
import { addControllerIndex, controlledBy } from '../replicaset/owner-index.js';
import { claim, planClaims } from '../replicaset/claim.js';
import { isJobFinished } from './conditions.js';
import { FinalizerExpectations, JobPodControl, isConflict } from './pod-control.js';
import { hasTrackingFinalizer } from './pods.js';
import { syncJob, type SyncDeps } from './sync.js';
import { finishedJob } from './finished.js';
import { NO_BACKOFF, type BackoffRecord } from './backoff.js';
import { JOBS, JOB_TYPE, PODS, type JobObject, type PodObject } from './types.js';

const ORPHAN_PREFIX = 'pod:';

export class JobController {
  readonly queue: WorkQueue;
  private readonly jobs: Informer<JobObject>;
  private readonly pods: Informer<PodObject>;
  private readonly recorder: EventRecorder;
  private readonly control: JobPodControl;
  private readonly backoffs = new Map<string, BackoffRecord>();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.recorder = ctx.recorder('job-controller');
    this.control = new JobPodControl(ctx.client, this.recorder, new Expectations(ctx.clock), new FinalizerExpectations());
    this.jobs = ctx.informers.informer<JobObject>(JOBS);
    this.pods = ctx.informers.informer<PodObject>(PODS);
    addControllerIndex(this.pods);
    addControllerIndex(this.jobs);
    this.jobs.addEventHandler({
      onAdd: (job) => this.queue.add(objectKey(job)),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.forget(objectKey(old));
        this.queue.add(objectKey(cur));
      },
      onDelete: (job) => {
        this.queue.add(objectKey(job));
        // Its pods can no longer be counted: they must not keep the finalizer.
        for (const pod of controlledBy(this.pods, job.metadata.uid)) if (hasTrackingFinalizer(pod)) this.queue.add(ORPHAN_PREFIX + objectKey(pod));
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(undefined, pod),
      onUpdate: (old, cur) => this.podChanged(old, cur),
      onDelete: (pod) => this.podChanged(pod, undefined),
    });
  }

  async run(): Promise<void> {
    await runWhenSynced(this.ctx, 'job-controller', this.queue, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    if (key.startsWith(ORPHAN_PREFIX)) return this.syncOrphanPod(key.slice(ORPHAN_PREFIX.length));
    const { namespace, name } = splitKey(key);
    const job = this.jobs.lister.get(namespace, name);
    if (!job) return this.forget(key);
    const now = this.ctx.clock.now();
    if (isJobFinished(job)) {
      this.backoffs.delete(key);
      const ttlMs = await finishedJob(this.ctx.client, job, now);
      if (ttlMs !== undefined) this.queue.addAfter(key, ttlMs);
      return;
    }
    const deps: SyncDeps = {
      control: this.control,
      recorder: this.recorder,
      client: this.ctx.client,
      backoff: this.backoffs.get(key) ?? NO_BACKOFF,
      saveBackoff: (record) => this.backoffs.set(key, record),
      requeueAfter: (ms) => this.queue.addAfter(key, ms),
    };
    try {
      await syncJob(deps, key, job, await this.podsOf(job), now);
    } catch (err) {
      // The cache is behind the server: its update is on the way and will sync the Job again.
      if (!isConflict(err)) throw err;
    }
  }

  /** The pods the Job controls, after adopting matching orphans (only with a manual selector). */
  private async podsOf(job: JobObject): Promise<PodObject[]> {
    let selector;
    try {
      selector = cachedSelectorFromLabelSelector(job.spec?.selector);
    } catch {
      return [];
    }
    const owned = controlledBy(this.pods, job.metadata.uid);
    const candidates = job.spec?.manualSelector ? [...owned, ...this.pods.lister.list(job.metadata.namespace).filter((p) => !getControllerOf(p))] : owned;
    const target = { client: this.ctx.client, resource: PODS, ownerResource: JOBS, owner: job, ownerType: JOB_TYPE };
    return claim(target, planClaims(job, selector, candidates));
  }

  /** Removes the finalizer from a pod whose Job is gone or finished (syncOrphanPod). */
  private async syncOrphanPod(podKey: string): Promise<void> {
    const { namespace, name } = splitKey(podKey);
    const pod = this.pods.lister.get(namespace, name);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== JOB_TYPE.kind || ref.apiVersion !== JOB_TYPE.apiVersion) return;
      const job = this.resolve(namespace, ref);
      if (job && !isJobFinished(job)) return; // still counted by its Job
    }
    await this.control.removeOrphanFinalizer(pod);
  }

  private forget(key: string): void {
    this.control.expectations.delete(key);
    this.control.finalizers.delete(key);
    this.backoffs.delete(key);
  }

  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): JobObject | undefined {
    if (!ref || ref.kind !== JOB_TYPE.kind) return undefined;
    const job = this.jobs.lister.get(namespace, ref.name);
    return job?.metadata.uid === ref.uid ? job : undefined;
  }

  private podChanged(old: PodObject | undefined, cur: PodObject | undefined): void {
    const pod = (cur ?? old)!;
    if (old && cur && old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const podKey = objectKey(pod);
    const refs = new Set([getControllerOf(old ?? pod), getControllerOf(pod)]);
    for (const ref of refs) {
      const job = this.resolve(pod.metadata.namespace, ref);
      if (!job) continue;
      const jobKey = objectKey(job);
      if (!old) this.control.expectations.creationObserved(jobKey);
      if (!cur || (cur.metadata.deletionTimestamp && !old?.metadata.deletionTimestamp)) this.control.expectations.deletionObserved(jobKey, podKey);
      if (!cur || !hasTrackingFinalizer(cur)) this.control.finalizers.observed(jobKey, pod.metadata.uid!);
      this.queue.add(jobKey);
    }
    if (cur && hasTrackingFinalizer(cur)) {
      const job = this.resolve(cur.metadata.namespace, getControllerOf(cur));
      if (!job || isJobFinished(job)) this.queue.add(ORPHAN_PREFIX + podKey);
    }
  }
}
