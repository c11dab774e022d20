// The ReplicaSet controller (pkg/controller/replicaset): keeps spec.replicas active pods per
// ReplicaSet. Handlers only turn pod and ReplicaSet changes into ReplicaSet keys and feed the
// expectations; `reconcile` claims the pods, creates or deletes the difference, writes status.
import { runWhenSynced } from '../run.js';
import type { OwnerReference } from '@mini-kube/api';
import { getControllerOf, newControllerRef, cachedSelectorFromLabelSelector, type Selector } from '@mini-kube/machinery';
import { WorkQueue, objectKey, splitKey, type EventRecorder, type Informer } from '@mini-kube/runtime';
import type { ControllerContext } from '../context.js';
import { claim } from './claim.js';
import { labelsEqual } from './label-matcher.js';
import { scanPods } from './pod-scan.js';
import { Expectations } from './expectations.js';
import { addControllerIndex, addOrphanIndex, claimCandidates, controlledBy } from './owner-index.js';
import { BURST_REPLICAS, calculateStatus, countPods, podFromTemplate, slowStartBatches } from './plan.js';
import { isPodActive, isPodReady } from './pods.js';
import { podsToDelete } from './rank.js';
import { writeStatus } from './status-writer.js';
import { PODS, REPLICASETS, REPLICASET_TYPE, type PodObject, type ReplicaSetObject } from './types.js';

/**
 * A ReplicaSet with at least this many pods coalesces the syncs that pod status changes call for
 * into one per POD_BATCH_MS, as the Job controller batches pod events (syncJobBatchPeriod): its
 * sync costs O(pods) and would otherwise run after every watch event of every pod. Events that can
 * change a decision — the last awaited creation or deletion, a pod going away, finishing, or
 * changing labels or owner — still sync it at once.
 */
export const LARGE_REPLICA_SET = 500;
export const POD_BATCH_MS = 100;

interface ManageError {
  message: string;
  creating: boolean;
  cause: unknown;
}

export class ReplicaSetController {
  readonly queue: WorkQueue;
  readonly expectations: Expectations;
  private readonly replicaSets: Informer<ReplicaSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.expectations = new Expectations(ctx.clock);
    this.recorder = ctx.recorder('replicaset-controller');
    this.replicaSets = ctx.informers.informer<ReplicaSetObject>(REPLICASETS);
    this.pods = ctx.informers.informer<PodObject>(PODS);
    addControllerIndex(this.pods);
    addOrphanIndex(this.pods);
    addControllerIndex(this.replicaSets);
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.expectations.delete(objectKey(old));
        this.enqueue(cur);
      },
      onDelete: (rs) => {
        this.expectations.delete(objectKey(rs));
        this.enqueue(rs);
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  /** Waits for the caches (started by the manager right after registration), then runs workers. */
  async run(): Promise<void> {
    await runWhenSynced(this.ctx, 'replicaset-controller', this.queue, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const rs = this.replicaSets.lister.get(namespace, name);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    let selector: Selector;
    try {
      selector = cachedSelectorFromLabelSelector(rs.spec?.selector);
    } catch {
      return; // an invalid selector cannot be fixed by retrying
    }
    const needsSync = this.expectations.satisfied(key);
    const now = this.ctx.clock.now();
    const scan = scanPods(rs, selector, claimCandidates(this.pods, rs), now);
    const target = { client: this.ctx.client, resource: PODS, ownerResource: REPLICASETS, owner: rs, ownerType: REPLICASET_TYPE };
    const pods = await claim(target, scan.plan);

    const managed = needsSync && !rs.metadata.deletionTimestamp ? await this.manageReplicas(key, rs, pods) : undefined;
    const manageError = managed?.error;
    // Pods were just created or deleted: a status counted before that is stale at once, and the
    // watch events of those pods sync this ReplicaSet again (upstream writes it all the same).
    if (managed?.changed && !manageError) return;
    const counts = pods === scan.plan.owned ? scan.counts : countPods(rs, pods, now); // recount after adoptions or releases
    const status = await writeStatus(this.ctx.client, rs, calculateStatus(rs, counts, manageError, now));
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const replicas = rs.spec?.replicas ?? 1;
    if (!manageError && minReady > 0 && status.readyReplicas === replicas && status.availableReplicas !== replicas) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError) throw manageError.cause;
  }

  /**
   * Creates or deletes pods toward spec.replicas; says whether it tried any, and reports the first
   * failure instead of throwing.
   */
  private async manageReplicas(key: string, rs: ReplicaSetObject, pods: PodObject[]): Promise<{ changed: boolean; error?: ManageError }> {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, count);
      const ref = newControllerRef(rs, REPLICASET_TYPE);
      let created = 0;
      let failure: unknown;
      for (const batch of slowStartBatches(count)) {
        const results = await Promise.allSettled(Array.from({ length: batch }, () => this.createPod(rs, ref)));
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        created += batch - failed.length;
        if (failed.length > 0) {
          failure = failed[0]!.reason;
          break;
        }
      }
      // Creations that failed or never started will not be observed; stop waiting for them.
      for (let i = created; i < count; i++) this.expectations.creationObserved(key);
      return { changed: true, error: failure === undefined ? undefined : { message: errorMessage(failure), creating: true, cause: failure } };
    }
    if (diff > 0) {
      const victims = podsToDelete(pods, this.relatedPods(rs), Math.min(diff, BURST_REPLICAS), this.ctx.clock.now());
      this.expectations.expectDeletions(key, victims.map(objectKey));
      const results = await Promise.allSettled(victims.map((pod) => this.deletePod(key, rs, pod)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      return { changed: true, error: failed ? { message: errorMessage(failed.reason), creating: false, cause: failed.reason } : undefined };
    }
    return { changed: false };
  }

  private async createPod(rs: ReplicaSetObject, ref: OwnerReference): Promise<void> {
    try {
      const pod = await this.ctx.client.create(PODS, podFromTemplate(rs, ref) as PodObject);
      this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
    } catch (err) {
      this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
      throw err;
    }
  }

  private async deletePod(key: string, rs: ReplicaSetObject, pod: PodObject): Promise<void> {
    try {
      await this.ctx.client.delete(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace });
      this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      // The deletion will not be observed (or already was): stop waiting for it.
      this.expectations.deletionObserved(key, objectKey(pod));
      if (isNotFound(err)) return;
      this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
      throw err;
    }
  }

  /** The pods of every ReplicaSet sharing this one's owner, to spread deletions across nodes. */
  private relatedPods(rs: ReplicaSetObject): PodObject[] {
    const owner = getControllerOf(rs)?.uid;
    const siblings = owner ? controlledBy(this.replicaSets, owner) : [rs];
    return siblings.flatMap((s) => controlledBy(this.pods, s.metadata.uid));
  }

  private enqueue(rs: ReplicaSetObject): void {
    this.queue.add(objectKey(rs));
  }

  /** Enqueues for a pod event that only changes status counts: batched for a large ReplicaSet. */
  private enqueueForStatus(rs: ReplicaSetObject): void {
    const size = Math.max(rs.spec?.replicas ?? 1, rs.status?.replicas ?? 0);
    if (size < LARGE_REPLICA_SET) return this.enqueue(rs);
    this.queue.addAfter(objectKey(rs), POD_BATCH_MS);
  }

  /** The ReplicaSet a controller reference names, if it is in the cache with that uid. */
  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): ReplicaSetObject | undefined {
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.replicaSets.lister.get(namespace, ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose selector matches an orphan pod: they may want to adopt it. */
  private matchingReplicaSets(pod: PodObject): ReplicaSetObject[] {
    return this.replicaSets.lister.list(pod.metadata.namespace).filter((rs) => {
      try {
        const sel = cachedSelectorFromLabelSelector(rs.spec?.selector);
        return !sel.empty() && sel.matches(pod.metadata.labels ?? {});
      } catch {
        return false;
      }
    });
  }

  private podAdded(pod: PodObject): void {
    if (pod.metadata.deletionTimestamp) return this.podDeleted(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolve(pod.metadata.namespace, ref);
      if (!rs) return;
      const key = objectKey(rs);
      this.expectations.creationObserved(key);
      // While more creations are awaited the sync could only refresh the status.
      return this.expectations.satisfied(key) ? this.enqueue(rs) : this.enqueueForStatus(rs);
    }
    for (const rs of this.matchingReplicaSets(pod)) this.enqueue(rs);
  }

  private podUpdated(old: PodObject, cur: PodObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelsChanged = !labelsEqual(old.metadata.labels, cur.metadata.labels);
    if (cur.metadata.deletionTimestamp) {
      // A terminating pod no longer counts: let its ReplicaSet replace it now, not after it is gone.
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid;
    if (refChanged && oldRef) {
      const previous = this.resolve(old.metadata.namespace, oldRef);
      if (previous) this.enqueue(previous);
    }
    if (curRef) {
      const rs = this.resolve(cur.metadata.namespace, curRef);
      if (!rs) return;
      // A pod that finished needs replacing: that, unlike readiness, changes what the sync does.
      if (labelsChanged || refChanged || isPodActive(old) !== isPodActive(cur)) this.enqueue(rs);
      else this.enqueueForStatus(rs);
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(objectKey(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.matchingReplicaSets(cur)) this.enqueue(rs);
  }

  private podDeleted(pod: PodObject): void {
    const rs = this.resolve(pod.metadata.namespace, getControllerOf(pod));
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObserved(key, objectKey(pod));
    // A deletion it did not ask for is replaced at once; one of its own, once the last is seen.
    return this.expectations.satisfied(key) ? this.enqueue(rs) : this.enqueueForStatus(rs);
  }
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const isNotFound = (err: unknown): boolean => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 404;
