// The Deployment controller (pkg/controller/deployment): rolls a Deployment's pod template out
// through ReplicaSets. Handlers turn Deployment, ReplicaSet and pod changes into Deployment keys;
// `reconcile` claims the ReplicaSets and runs one step of the strategy (deployment_controller.go).
import { runWhenSynced } from '../run.js';
import type { OwnerReference } from '@mini-kube/api';
import type { Pod } from 'kubernetes-types/core/v1';
import { getControllerOf, cachedSelectorFromLabelSelector, type Selector } from '@mini-kube/machinery';
import { WorkQueue, objectKey, splitKey, type EventRecorder, type Informer } from '@mini-kube/runtime';
import type { ControllerContext } from '../context.js';
import { claim, planClaimsFrom } from '../replicaset/claim.js';
import { addControllerIndex, addOrphanIndex, claimCandidates, controlledBy } from '../replicaset/owner-index.js';
import { DEPLOYMENTS, DEPLOYMENT_TYPE, PODS, REPLICASETS, type DeploymentObject, type PodObject, type ReplicaSetObject } from '../replicaset/types.js';
import { isScalingEvent } from './proportional.js';
import { rolloutRecreate, rolloutRolling, syncScale, syncStatusOnly } from './rollout.js';
import { pauseCondition } from './status.js';
import { DeploymentSync } from './sync.js';

export class DeploymentController {
  readonly queue: WorkQueue;
  private readonly deployments: Informer<DeploymentObject>;
  private readonly replicaSets: Informer<ReplicaSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.recorder = ctx.recorder('deployment-controller');
    this.deployments = ctx.informers.informer<DeploymentObject>(DEPLOYMENTS);
    this.replicaSets = ctx.informers.informer<ReplicaSetObject>(REPLICASETS);
    this.pods = ctx.informers.informer<PodObject>(PODS);
    addControllerIndex(this.replicaSets);
    addOrphanIndex(this.replicaSets);
    addControllerIndex(this.pods);
    this.deployments.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (d) => this.enqueue(d),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => (rs.metadata.deletionTimestamp ? this.replicaSetDeleted(rs) : this.replicaSetChanged(undefined, rs)),
      onUpdate: (old, cur) => this.replicaSetChanged(old, cur),
      onDelete: (rs) => this.replicaSetDeleted(rs),
    });
    this.pods.addEventHandler({ onDelete: (pod) => this.podDeleted(pod) });
  }

  /** Waits for the caches (started by the manager right after registration), then runs workers. */
  async run(): Promise<void> {
    await runWhenSynced(this.ctx, 'deployment-controller', this.queue, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.deployments.lister.get(namespace, name);
    if (!cached) return;
    // A sync changes only metadata (the revision annotation, resourceVersion) and status: copy those.
    const annotations = cached.metadata.annotations;
    const d: DeploymentObject = {
      ...cached,
      metadata: { ...cached.metadata, ...(annotations ? { annotations: { ...annotations } } : {}) },
      ...(cached.status ? { status: { ...cached.status } } : {}),
    };
    const s = new DeploymentSync({ client: this.ctx.client, recorder: this.recorder, now: () => this.ctx.clock.now() }, d);

    let selector: Selector;
    try {
      selector = cachedSelectorFromLabelSelector(d.spec?.selector);
    } catch {
      return;
    }
    if (selector.empty()) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        s.mutableStatus().observedGeneration = d.metadata.generation;
        await s.persist();
      }
      return;
    }

    const rsList = await this.claimReplicaSets(d, selector);
    try {
      await this.sync(s, rsList, selector);
    } catch (err) {
      // A step failed before the closing status write: keep the revision and condition set so far.
      if (s.mustPersist) await s.persist().catch(() => undefined);
      throw err;
    }
    if (s.requeueAfterMs !== undefined) {
      if (s.requeueAfterMs === 0) this.queue.addRateLimited(key);
      else this.queue.addAfter(key, s.requeueAfterMs);
    }
  }

  /** One step of whatever the deployment needs: status only, pause, scaling or a rollout (syncDeployment). */
  private async sync(s: DeploymentSync, rsList: ReplicaSetObject[], selector: Selector): Promise<void> {
    const d = s.d;
    if (d.metadata.deletionTimestamp) return syncStatusOnly(s, rsList);

    const paused = pauseCondition(d, this.ctx.clock.now());
    if (paused) {
      s.setCondition(paused);
      return s.persist();
    }
    if (d.spec?.paused) return syncScale(s, rsList);

    // isScalingEvent looks at the new ReplicaSet as getAllReplicaSetsAndSyncRevision leaves it.
    const { newRS, oldRSs } = await s.replicaSets(rsList, false);
    if (isScalingEvent(d, [...oldRSs, newRS])) return syncScale(s, rsList);

    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(s, rsList, this.podsByReplicaSet(rsList, selector));
    return rolloutRolling(s, rsList);
  }

  /** The ReplicaSets this deployment controls after adoption and release (getReplicaSetsForDeployment). */
  private async claimReplicaSets(d: DeploymentObject, selector: Selector): Promise<ReplicaSetObject[]> {
    // What it controls and the orphans of its namespace, not every ReplicaSet of the namespace.
    const target = { client: this.ctx.client, resource: REPLICASETS, ownerResource: DEPLOYMENTS, owner: d, ownerType: DEPLOYMENT_TYPE };
    return claim(target, planClaimsFrom(d, selector, claimCandidates(this.replicaSets, d)));
  }

  /** The deployment's pods by the uid of their ReplicaSet (getPodMapForDeployment). */
  private podsByReplicaSet(rsList: ReplicaSetObject[], selector: Selector): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>();
    for (const rs of rsList) {
      const uid = rs.metadata.uid!;
      map.set(uid, controlledBy(this.pods, uid).filter((p) => selector.matches(p.metadata.labels ?? {})));
    }
    return map;
  }

  private enqueue(d: DeploymentObject): void {
    this.queue.add(objectKey(d));
  }

  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): DeploymentObject | undefined {
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.lister.get(namespace, ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments whose selector matches an orphan ReplicaSet's labels (getDeploymentsForReplicaSet). */
  private matchingDeployments(rs: ReplicaSetObject): DeploymentObject[] {
    return this.deployments.lister.list(rs.metadata.namespace).filter((d) => {
      try {
        const sel = cachedSelectorFromLabelSelector(d.spec?.selector);
        return !sel.empty() && sel.matches(rs.metadata.labels ?? {});
      } catch {
        return false;
      }
    });
  }

  private replicaSetChanged(old: ReplicaSetObject | undefined, cur: ReplicaSetObject): void {
    if (old && old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = old ? getControllerOf(old) : undefined;
    if (old && oldRef && oldRef.uid !== curRef?.uid) {
      const previous = this.resolve(old.metadata.namespace, oldRef);
      if (previous) this.enqueue(previous);
    }
    if (curRef) {
      const d = this.resolve(cur.metadata.namespace, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = !old || JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || oldRef) for (const d of this.matchingDeployments(cur)) this.enqueue(d);
  }

  private replicaSetDeleted(rs: ReplicaSetObject): void {
    const d = this.resolve(rs.metadata.namespace, getControllerOf(rs));
    if (d) this.enqueue(d);
  }

  /** Recreate waits for old pods to be gone: their deletion may let it proceed. */
  private podDeleted(pod: PodObject): void {
    const ref = getControllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.lister.get(pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.resolve(rs.metadata.namespace, getControllerOf(rs));
    if (d?.spec?.strategy?.type !== 'Recreate') return;
    // Sync once the deployment has no pods left at all (deletePod in the real controller).
    const owned = controlledBy(this.replicaSets, d.metadata.uid);
    if (owned.every((r) => controlledBy(this.pods, r.metadata.uid).length === 0)) this.enqueue(d);
  }
}
