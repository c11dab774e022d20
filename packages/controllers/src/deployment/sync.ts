// The writes of one Deployment sync (deployment/sync.go): find or create the new ReplicaSet and
// keep revisions in step, scale ReplicaSets (recording ScalingReplicaSet events), delete history
// beyond revisionHistoryLimit, and persist the deployment's status with its revision annotation.
// One instance serves one reconcile and works on a private copy of the Deployment.
import type { ApiClient } from '@mini-kube/client';
import type { EventRecorder } from '@mini-kube/runtime';
import { StatusError, getControllerOf, newControllerRef } from '@mini-kube/machinery';
import { setDeploymentRevision, setNewReplicaSetAnnotations, replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations.js';
import { POD_TEMPLATE_HASH_LABEL, computeHash, equalIgnoreHash } from './hash.js';
import { maxSurge, newRSNewReplicas } from './rolling.js';
import {
  REVISION_ANNOTATION,
  byRevision,
  deploymentReplicas,
  findNewReplicaSet,
  findOldReplicaSets,
  maxRevision,
  specReplicas,
} from './replicasets.js';
import { PROGRESSING, REASON, getCondition, hasProgressDeadline, newCondition, setCondition, type Condition } from './status.js';
import { compactStatus } from '../replicaset/status-writer.js';
import { DEPLOYMENTS, DEPLOYMENT_TYPE, REPLICASETS, type DeploymentObject, type ReplicaSetObject } from '../replicaset/types.js';
import { ignoreNotFound } from '../replicaset/claim.js';

export interface SyncDeps {
  client: ApiClient;
  recorder: EventRecorder;
  now(): number;
}

export class DeploymentSync {
  /** Set when the deployment should be looked at again later to notice a passed deadline. */
  requeueAfterMs: number | undefined;
  /**
   * A status change made in memory that the sync's closing status write must carry even if the
   * computed status then equals `d.status` (see `deferPersist`).
   */
  private deferred = false;
  /** ReplicaSets this sync wrote, by uid: later steps must not work from their cached copies. */
  private readonly written = new Map<string, ReplicaSetObject>();

  constructor(private readonly deps: SyncDeps, readonly d: DeploymentObject) {}

  now(): number {
    return this.deps.now();
  }

  /** The new ReplicaSet (created when `create` and missing) and all old ones (getAllReplicaSetsAndSyncRevision). */
  async replicaSets(cached: ReplicaSetObject[], create: boolean): Promise<{ newRS?: ReplicaSetObject; oldRSs: ReplicaSetObject[] }> {
    const rsList = this.written.size === 0 ? cached : cached.map((rs) => this.written.get(rs.metadata.uid!) ?? rs);
    const { all } = findOldReplicaSets(this.d, rsList);
    const newRS = await this.newReplicaSet(rsList, all as ReplicaSetObject[], create);
    return { newRS, oldRSs: all as ReplicaSetObject[] };
  }

  private async newReplicaSet(rsList: ReplicaSetObject[], oldRSs: ReplicaSetObject[], create: boolean): Promise<ReplicaSetObject | undefined> {
    const d = this.d;
    const existing = findNewReplicaSet(d, rsList) as ReplicaSetObject | undefined;
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) return this.syncExistingNewRS(existing, newRevision);
    if (!create) return undefined;

    const hash = computeHash(d.spec?.template, d.status?.collisionCount);
    const template = structuredClone(d.spec!.template);
    const labels = { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    template.metadata = { ...template.metadata, labels };
    const selector = structuredClone(d.spec!.selector);
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const rs: ReplicaSetObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels, ownerReferences: [newControllerRef(d, DEPLOYMENT_TYPE)] },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    rs.spec!.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(d, rs, newRevision, false, this.replicasAnnotations());

    let created: ReplicaSetObject;
    let alreadyExisted = false;
    try {
      created = await this.deps.client.create<ReplicaSetObject>(REPLICASETS, rs);
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 409 && err.reason === 'AlreadyExists')) return this.failedCreate(rs, err);
      const found = await this.deps.client.get<ReplicaSetObject>(REPLICASETS, rs.metadata.name!, { namespace: d.metadata.namespace });
      if (getControllerOf(found)?.uid !== d.metadata.uid || !equalIgnoreHash(found.spec?.template, d.spec?.template)) {
        // Another object holds the name: a hash collision. The next hash includes collisionCount.
        this.mutableStatus().collisionCount = (d.status?.collisionCount ?? 0) + 1;
        await this.persist();
        throw err;
      }
      created = found; // our own, created by a sync whose result the cache had not shown yet
      alreadyExisted = true;
    }
    if (!alreadyExisted && specReplicas(created) > 0) {
      this.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${specReplicas(created)}`);
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExisted && hasProgressDeadline(d)) {
      this.setCondition(newCondition(PROGRESSING, 'True', REASON.newRSCreated, `Created new replica set "${created.metadata.name}"`, this.deps.now()));
      needsUpdate = true;
    }
    if (needsUpdate) this.deferPersist();
    return created;
  }

  /** Raises a reused ReplicaSet's revision, copies annotations and minReadySeconds (getNewReplicaSet). */
  private async syncExistingNewRS(existing: ReplicaSetObject, newRevision: number): Promise<ReplicaSetObject> {
    const d = this.d;
    let rs = existing;
    // What setNewReplicaSetAnnotations and minReadySeconds may change, copied; the rest is shared.
    const copy: ReplicaSetObject = {
      ...existing,
      metadata: { ...existing.metadata, annotations: { ...existing.metadata.annotations } },
      spec: { ...existing.spec! },
    };
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true, this.replicasAnnotations());
    if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0)) {
      copy.spec!.minReadySeconds = d.spec?.minReadySeconds ?? 0;
      rs = this.wrote(await this.deps.client.update<ReplicaSetObject>(REPLICASETS, copy));
    }
    let needsUpdate = setDeploymentRevision(d, rs.metadata.annotations?.[REVISION_ANNOTATION]);
    if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
      this.setCondition(newCondition(PROGRESSING, 'True', REASON.foundNewRS, `Found new replica set "${rs.metadata.name}"`, this.deps.now()));
      needsUpdate = true;
    }
    if (needsUpdate) this.deferPersist();
    return rs;
  }

  private async failedCreate(rs: ReplicaSetObject, err: unknown): Promise<never> {
    const msg = `Failed to create new replica set "${rs.metadata.name}": ${err instanceof Error ? err.message : String(err)}`;
    if (hasProgressDeadline(this.d)) {
      this.setCondition(newCondition(PROGRESSING, 'False', REASON.failedRSCreate, msg, this.deps.now()));
      await this.persist();
    }
    this.deps.recorder.event(this.d, 'Warning', 'FailedCreate', msg);
    throw err;
  }

  private replicasAnnotations(): { desired: number; max: number } {
    const desired = deploymentReplicas(this.d);
    return { desired, max: desired + maxSurge(this.d) };
  }

  /**
   * Sets a ReplicaSet's size and replicas annotations when either is off (scaleReplicaSet); an
   * event tells of a size change. Returns the ReplicaSet as written (or as it was).
   */
  async scale(rs: ReplicaSetObject, replicas: number): Promise<ReplicaSetObject> {
    const { desired, max } = this.replicasAnnotations();
    const sizeChanges = specReplicas(rs) !== replicas;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, max)) return rs;
    const copy = structuredClone(rs);
    copy.spec!.replicas = replicas;
    setReplicasAnnotations(copy, desired, max);
    const written = this.wrote(await this.deps.client.update<ReplicaSetObject>(REPLICASETS, copy));
    if (sizeChanges) {
      const op = specReplicas(rs) < replicas ? 'up' : 'down';
      this.deps.recorder.event(this.d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} to ${replicas} from ${specReplicas(rs)}`);
    }
    return written;
  }

  private wrote(rs: ReplicaSetObject): ReplicaSetObject {
    this.written.set(rs.metadata.uid!, rs);
    return rs;
  }

  /** Scales only when the size differs (scaleReplicaSetAndRecordEvent). */
  async scaleIfNeeded(rs: ReplicaSetObject, replicas: number): Promise<ReplicaSetObject> {
    return specReplicas(rs) === replicas ? rs : this.scale(rs, replicas);
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit (cleanupDeployment). */
  async cleanup(oldRSs: readonly ReplicaSetObject[]): Promise<void> {
    const limit = this.d.spec?.revisionHistoryLimit;
    if (limit === undefined || limit === null) return;
    const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const excess = alive.length - limit;
    for (const rs of alive.slice(0, Math.max(0, excess))) {
      const settled = (rs.status?.observedGeneration ?? 0) >= (rs.metadata.generation ?? 0);
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || !settled) continue;
      await ignoreNotFound(this.deps.client.delete(REPLICASETS, rs.metadata.name!, { namespace: rs.metadata.namespace }));
    }
  }

  setCondition(condition: Condition): void {
    setCondition(this.mutableStatus(), condition);
  }

  mutableStatus(): NonNullable<DeploymentObject['status']> & Record<string, unknown> {
    return (this.d.status ??= {}) as NonNullable<DeploymentObject['status']> & Record<string, unknown>;
  }

  /**
   * Leaves the revision annotation and status changed so far to the status write every strategy
   * ends its sync with (syncRolloutStatus, syncStatus). Upstream writes them at once and writes
   * the status again at the end of the same sync; one write of the final status does for both.
   */
  private deferPersist(): void {
    this.deferred = true;
  }

  /** Changes are waiting for `persist` even if the status computed next equals `d.status`. */
  get mustPersist(): boolean {
    return this.deferred;
  }

  /**
   * Writes the status, and the revision annotation with it: a /status write takes the metadata
   * changes a Deployment's status strategy allows (all but labels), as upstream's UpdateStatus does.
   */
  async persist(): Promise<void> {
    const d = this.d;
    const { client } = this.deps;
    this.deferred = false; // a write that fails is not tried again in the same sync
    const written = await client.updateStatus<DeploymentObject>(DEPLOYMENTS, { ...d, status: compactStatus(d.status ?? {}, false) });
    Object.assign(d.metadata, { resourceVersion: written.metadata.resourceVersion });
    d.status = written.status;
  }
}
