// The StatefulSet controller (pkg/controller/statefulset): pods with stable names, storage and
// order. `reconcile` claims the set's revisions and pods, settles the current and update
// revisions, plans one sync, carries it out, writes status and trims the history.
import { runWhenSynced } from '../run.js';
import { newControllerRef, cachedSelectorFromLabelSelector, type Selector } from '@mini-kube/machinery';
import { WorkQueue, splitKey, type EventRecorder, type Informer } from '@mini-kube/runtime';
import type { ControllerContext } from '../context.js';
import { CONTROLLER_REVISIONS, claimRevisions, deleteRevisions, revisionTemplate, revisionsToPrune, syncCurrentRevision, type RevisionObject } from '../history/index.js';
import { claim, planClaims } from '../replicaset/claim.js';
import { writeStatus } from '../replicaset/status-writer.js';
import { PODS, type PodObject } from '../replicaset/types.js';
import { StatefulSetEvents } from './handlers.js';
import { CLAIMS, STATEFULSETS, STATEFULSET_TYPE, isMemberOf, podRevision, type ClaimObject, type StatefulSetObject } from './identity.js';
import { planStatefulSet } from './plan.js';
import { StatefulPodControl } from './pod-control.js';
import { finalStatus } from './status.js';

export class StatefulSetController {
  readonly queue: WorkQueue;
  private readonly sets: Informer<StatefulSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly claims: Informer<ClaimObject>;
  private readonly revisions: Informer<RevisionObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.recorder = ctx.recorder('statefulset-controller');
    this.sets = ctx.informers.informer<StatefulSetObject>(STATEFULSETS);
    this.pods = ctx.informers.informer<PodObject>(PODS);
    this.claims = ctx.informers.informer<ClaimObject>(CLAIMS);
    this.revisions = ctx.informers.informer<RevisionObject>(CONTROLLER_REVISIONS);
    new StatefulSetEvents(this.queue, this.sets).register(this.pods, this.claims);
  }

  async run(): Promise<void> {
    await runWhenSynced(this.ctx, 'statefulset-controller', this.queue, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const set = this.sets.lister.get(namespace, name);
    if (!set) return;
    let selector: Selector;
    try {
      selector = cachedSelectorFromLabelSelector(set.spec?.selector);
    } catch {
      return;
    }
    const history = { client: this.ctx.client, owner: set, ownerResource: STATEFULSETS, ownerType: STATEFULSET_TYPE, ownerRef: newControllerRef(set, STATEFULSET_TYPE) };
    const revisions = await claimRevisions(history, selector, this.revisions.lister.list(namespace));
    const synced = await syncCurrentRevision(history, revisions, set.status?.collisionCount ?? 0);
    const update = synced.current;
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    const pods = await this.claimPods(set, selector);

    const now = this.ctx.clock.now();
    const plan = planStatefulSet({
      set,
      current: { name: current.metadata.name!, template: revisionTemplate(current) },
      update: { name: update.metadata.name!, template: revisionTemplate(update) },
      pods,
      claim: (claimName) => this.claims.lister.get(namespace, claimName),
      now,
    });
    let failure: unknown;
    try {
      await new StatefulPodControl(this.ctx.client, this.recorder, set).run(plan);
    } catch (err) {
      failure = err;
    }
    const status = await writeStatus(this.ctx.client, set, finalStatus(set, plan.status, synced.collisionCount), STATEFULSETS);
    await this.truncateHistory(set, [...synced.old, update], pods, [current.metadata.name!, update.metadata.name!]);
    if (failure) throw failure;
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && (status.availableReplicas ?? 0) !== (set.spec?.replicas ?? 1)) this.queue.addAfter(key, minReady * 1000);
  }

  /** The member pods the set controls after adoption and release (getPodsForStatefulSet). */
  private claimPods(set: StatefulSetObject, selector: Selector): Promise<PodObject[]> {
    const members = this.pods.lister.list(set.metadata.namespace).filter((p) => isMemberOf(set, p));
    const target = { client: this.ctx.client, resource: PODS, ownerResource: STATEFULSETS, owner: set, ownerType: STATEFULSET_TYPE };
    return claim(target, planClaims(set, selector, members));
  }

  /** Keeps revisionHistoryLimit revisions besides the live ones (truncateHistory). */
  private async truncateHistory(set: StatefulSetObject, revisions: RevisionObject[], pods: PodObject[], inUse: string[]): Promise<void> {
    const live = new Set([...inUse, ...pods.map((p) => podRevision(p) ?? '')]);
    await deleteRevisions(this.ctx.client, revisionsToPrune(revisions, live, set.spec?.revisionHistoryLimit ?? 10));
  }
}

