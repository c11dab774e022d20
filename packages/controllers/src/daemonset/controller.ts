// The DaemonSet controller (pkg/controller/daemon): one pod per eligible node. `reconcile` claims
// the DaemonSet's revisions and pods, finds the current revision, runs the manage loop, then one
// rolling-update step once the previous writes have been observed, prunes history and writes status.
import { runWhenSynced } from '../run.js';
import { newControllerRef, cachedSelectorFromLabelSelector, type Selector } from '@mini-kube/machinery';
import { WorkQueue, objectKey, splitKey, type EventRecorder, type Informer } from '@mini-kube/runtime';
import type { Node } from 'kubernetes-types/core/v1';
import { findResource, type KObject } from '@mini-kube/api';
import type { ControllerContext } from '../context.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  CONTROLLER_REVISIONS,
  claimRevisions,
  deleteRevisions,
  revisionsToPrune,
  syncCurrentRevision,
  type RevisionObject,
} from '../history/index.js';
import { claim, planClaims } from '../replicaset/claim.js';
import { addControllerIndex } from '../replicaset/owner-index.js';
import { BURST_REPLICAS, slowStartBatches } from '../replicaset/plan.js';
import { writeStatus } from '../replicaset/status-writer.js';
import { PODS, type PodObject } from '../replicaset/types.js';
import { PodExpectations } from './expectations.js';
import { FailedPodBackoff } from './failed-backoff.js';
import { DaemonSetEvents } from './handlers.js';
import { planManage } from './plan.js';
import { DAEMONSETS, DAEMONSET_TYPE, newDaemonPod, podsByNode, type DaemonSetObject } from './pods.js';
import { planRollingUpdate } from './rolling.js';
import { daemonSetStatus } from './status.js';

export type NodeObject = Node & KObject;
const NODES = findResource('', 'v1', 'nodes')!;

export class DaemonSetController {
  readonly queue: WorkQueue;
  readonly expectations: PodExpectations;
  private readonly daemonSets: Informer<DaemonSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly nodes: Informer<NodeObject>;
  private readonly revisions: Informer<RevisionObject>;
  private readonly recorder: EventRecorder;
  private readonly failedBackoff = new FailedPodBackoff();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.expectations = new PodExpectations(ctx.clock);
    this.recorder = ctx.recorder('daemonset-controller');
    this.daemonSets = ctx.informers.informer<DaemonSetObject>(DAEMONSETS);
    this.pods = ctx.informers.informer<PodObject>(PODS);
    this.nodes = ctx.informers.informer<NodeObject>(NODES);
    this.revisions = ctx.informers.informer<RevisionObject>(CONTROLLER_REVISIONS);
    addControllerIndex(this.pods);
    new DaemonSetEvents(this.queue, this.expectations, this.daemonSets).register(this.pods, this.nodes, this.revisions);
  }

  async run(): Promise<void> {
    await runWhenSynced(this.ctx, 'daemonset-controller', this.queue, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ds = this.daemonSets.lister.get(namespace, name);
    if (!ds) return this.expectations.delete(key);
    let selector: Selector;
    try {
      selector = cachedSelectorFromLabelSelector(ds.spec?.selector);
    } catch {
      return;
    }
    if (selector.empty()) {
      this.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // A DaemonSet being deleted may have lost its revisions already: leave it to the garbage collector.
    if (ds.metadata.deletionTimestamp) return;

    const history = { client: this.ctx.client, owner: ds, ownerResource: DAEMONSETS, ownerType: DAEMONSET_TYPE, ownerRef: newControllerRef(ds, DAEMONSET_TYPE) };
    const revisions = await claimRevisions(history, selector, this.revisions.lister.list(namespace));
    const { current, old, collisionCount } = await syncCurrentRevision(history, revisions, ds.status?.collisionCount ?? 0);
    const hash = current.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const nodes = this.nodes.lister.list();
    const now = () => this.ctx.clock.now();

    if (!this.expectations.satisfied(key)) {
      const pods = await this.claimPods(ds, selector);
      await writeStatus(this.ctx.client, ds, daemonSetStatus(ds, nodes, podsByNode(pods), hash, now(), false, collisionCount), DAEMONSETS);
      return;
    }
    let failure: unknown;
    try {
      const pods = await this.claimPods(ds, selector);
      const plan = planManage(ds, nodes, podsByNode(pods), hash, now());
      const toDelete = [...plan.podsToDelete, ...this.failedPodsToDelete(ds, plan.failedPods)];
      await this.syncNodes(ds, key, toDelete, plan.nodesNeedingPods, hash);
      if (this.expectations.satisfied(key) && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        const rolling = planRollingUpdate(ds, nodes, podsByNode(pods), hash, now());
        await this.syncNodes(ds, key, rolling.podsToDelete, rolling.nodesToCreate, hash);
      }
      await this.cleanupHistory(ds, old, pods);
    } catch (err) {
      failure = err;
    }
    const pods = await this.claimPods(ds, selector);
    const status = await writeStatus(this.ctx.client, ds, daemonSetStatus(ds, nodes, podsByNode(pods), hash, now(), true, collisionCount), DAEMONSETS);
    if (failure) throw failure;
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== (status.numberAvailable ?? 0)) this.queue.addAfter(key, minReady * 1000);
  }

  /** The pods the DaemonSet controls after adoption and release (getDaemonPods). */
  private claimPods(ds: DaemonSetObject, selector: Selector): Promise<PodObject[]> {
    const all = this.pods.lister.list(ds.metadata.namespace);
    const target = { client: this.ctx.client, resource: PODS, ownerResource: DAEMONSETS, owner: ds, ownerType: DAEMONSET_TYPE };
    return claim(target, planClaims(ds, selector, all));
  }

  private failedPodsToDelete(ds: DaemonSetObject, failed: { node: string; pod: PodObject }[]): PodObject[] {
    const now = this.ctx.clock.now();
    this.failedBackoff.gc(now);
    return failed.flatMap(({ node, pod }) => {
      const waitMs = this.failedBackoff.next(`${ds.metadata.uid}/${node}`, now);
      if (waitMs > 0) {
        this.queue.addAfter(objectKey(ds), waitMs);
        return [];
      }
      const msg = `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${node}, will try to kill it`;
      this.recorder.event(ds, 'Warning', 'FailedDaemonPod', msg);
      return [pod];
    });
  }

  /** Creates pods for `nodes` in slow-start batches and deletes `victims`, under expectations (syncNodes). */
  private async syncNodes(ds: DaemonSetObject, key: string, victims: PodObject[], nodes: string[], hash: string): Promise<void> {
    const creating = nodes.slice(0, BURST_REPLICAS);
    const deleting = victims.slice(0, BURST_REPLICAS);
    if (creating.length === 0 && deleting.length === 0) return;
    this.expectations.expect(key, creating.length, deleting.map(objectKey));
    const ref = newControllerRef(ds, DAEMONSET_TYPE);
    const errors: unknown[] = [];
    let started = 0;
    for (const size of slowStartBatches(creating.length)) {
      const batch = creating.slice(started, started + size);
      started += size;
      const results = await Promise.allSettled(batch.map((node) => this.createPod(ds, newDaemonPod(ds, node, hash, ref))));
      for (const r of results) {
        if (r.status === 'fulfilled') continue;
        this.expectations.creationObserved(key);
        errors.push(r.reason);
      }
      if (errors.length > 0) break;
    }
    // Creations never attempted will not be observed either.
    for (let i = started; i < creating.length; i++) this.expectations.creationObserved(key);
    const results = await Promise.allSettled(deleting.map((pod) => this.deletePod(ds, key, pod)));
    for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
    if (errors.length > 0) throw errors[0];
  }

  private async createPod(ds: DaemonSetObject, pod: PodObject): Promise<void> {
    try {
      const created = await this.ctx.client.create(PODS, pod);
      this.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (err) {
      this.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(err)}`);
      throw err;
    }
  }

  private async deletePod(ds: DaemonSetObject, key: string, pod: PodObject): Promise<void> {
    try {
      await this.ctx.client.delete(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace });
      this.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      this.expectations.deletionObserved(key, objectKey(pod));
      if ((err as { code?: number }).code === 404) return;
      this.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(err)}`);
      throw err;
    }
  }

  /** Deletes old revisions beyond revisionHistoryLimit that no pod is labelled with (cleanupHistory). */
  private async cleanupHistory(ds: DaemonSetObject, old: RevisionObject[], pods: PodObject[]): Promise<void> {
    const liveHashes = new Set(pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]));
    const live = new Set(old.filter((r) => liveHashes.has(r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])).map((r) => r.metadata.name!));
    await deleteRevisions(this.ctx.client, revisionsToPrune(old, live, ds.spec?.revisionHistoryLimit ?? 10));
  }
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
