// The writes the Job controller makes to pods: create (slow start), delete, and remove the
// tracking finalizer, keeping the expectations in step and recording events on the Job.
import type { OwnerReference } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import type { EventRecorder } from '@mini-kube/runtime';
import { Expectations } from '../replicaset/expectations.js';
import { slowStartBatches } from '../replicaset/plan.js';
import { isPodReady } from './pods.js';
import { podForJob } from './pod-template.js';
import { PODS, TRACKING_FINALIZER, type JobObject, type PodObject } from './types.js';

const REMOVE_FINALIZER_PATCH = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [TRACKING_FINALIZER] } };

/** uids of pods whose finalizer removal was sent but not yet seen in the cache, per Job key. */
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  expected(jobKey: string): ReadonlySet<string> {
    return this.byJob.get(jobKey) ?? new Set();
  }

  expect(jobKey: string, uid: string): void {
    const set = this.byJob.get(jobKey) ?? new Set<string>();
    set.add(uid);
    this.byJob.set(jobKey, set);
  }

  observed(jobKey: string, uid: string): void {
    this.byJob.get(jobKey)?.delete(uid);
  }

  delete(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}

export interface DeleteResult {
  deleted: number;
  deletedReady: number;
  error?: unknown;
}

export class JobPodControl {
  constructor(
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    readonly expectations: Expectations,
    readonly finalizers: FinalizerExpectations,
  ) {}

  /** Creates pods in slow-start batches; returns how many were created and the first error. */
  async create(key: string, job: JobObject, ref: OwnerReference, indexes: (number | undefined)[]): Promise<{ created: number; error?: unknown }> {
    this.expectations.expectCreations(key, indexes.length);
    let created = 0;
    let attempted = 0;
    let error: unknown;
    for (const batch of slowStartBatches(indexes.length)) {
      const slice = indexes.slice(attempted, attempted + batch);
      attempted += batch;
      const results = await Promise.allSettled(slice.map((ix) => this.client.create<PodObject>(PODS, podForJob(job, ref, ix) as PodObject)));
      for (const r of results) {
        if (r.status === 'fulfilled') {
          created++;
          this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
        } else {
          error ??= r.reason;
          this.expectations.creationObserved(key);
          this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${message(r.reason)}`);
        }
      }
      if (error !== undefined) break;
    }
    // Creations never attempted will not be observed either.
    for (let i = attempted; i < indexes.length; i++) this.expectations.creationObserved(key);
    return { created, error };
  }

  /**
   * Deletes pods the Job no longer wants (deleteJobPods): the finalizer goes first, so they are not
   * counted as failures. With `keepFinalizer` (the Job is finishing) they will be counted instead.
   */
  async delete(key: string, job: JobObject, pods: readonly PodObject[], keepFinalizer: boolean): Promise<DeleteResult> {
    if (!keepFinalizer) this.expectations.expectDeletions(key, pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
    const results = await Promise.allSettled(pods.map(async (pod) => {
      try {
        if (!keepFinalizer && pod.metadata.finalizers?.includes(TRACKING_FINALIZER)) {
          await this.client.patch(PODS, pod.metadata.name!, REMOVE_FINALIZER_PATCH, { type: 'strategic', namespace: pod.metadata.namespace });
        }
        await this.client.delete(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace });
        this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        if (!keepFinalizer) this.expectations.deletionObserved(key, `${pod.metadata.namespace}/${pod.metadata.name}`);
        if (!isNotFound(err)) {
          this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`);
          throw err;
        }
      }
    }));
    const result: DeleteResult = { deleted: 0, deletedReady: 0 };
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        result.error ??= r.reason;
        return;
      }
      result.deleted++;
      if (isPodReady(pods[i]!)) result.deletedReady++;
    });
    return result;
  }

  /** Removes the tracking finalizer; returns the uids it is gone from (a vanished pod counts). */
  async removeFinalizers(key: string, pods: readonly PodObject[]): Promise<{ removed: string[]; error?: unknown }> {
    const removed: string[] = [];
    let error: unknown;
    await Promise.all(pods.map(async (pod) => {
      const uid = pod.metadata.uid!;
      this.finalizers.expect(key, uid);
      try {
        await this.client.patch(PODS, pod.metadata.name!, REMOVE_FINALIZER_PATCH, { type: 'strategic', namespace: pod.metadata.namespace });
        removed.push(uid);
      } catch (err) {
        this.finalizers.observed(key, uid); // no update of this pod will come
        if (isNotFound(err)) removed.push(uid);
        else error ??= err;
      }
    }));
    return { removed, error };
  }

  async removeOrphanFinalizer(pod: PodObject): Promise<void> {
    try {
      await this.client.patch(PODS, pod.metadata.name!, REMOVE_FINALIZER_PATCH, { type: 'strategic', namespace: pod.metadata.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
export const isNotFound = (err: unknown): boolean => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 404;
export const isConflict = (err: unknown): boolean => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 409;
