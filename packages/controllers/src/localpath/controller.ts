// The local-path provisioner (after rancher's local-path-provisioner plus the PV controller's
// binding): a pending claim of a served class gets a PersistentVolume `pvc-<uid>` whose hostPath is
// a directory under the daemon's data dir, and both are bound at once. When the claim is gone the
// volume is deleted with its directory (reclaim Delete). Claims and volumes have a queue each.
import { rm } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import { findResource } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { WorkQueue, objectKey, splitKey, type EventRecorder, type Informer } from '@mini-kube/runtime';
import type { ControllerContext } from '../context.js';
import { runWhenSynced } from '../run.js';
import {
  boundClaimSpec,
  boundClaimStatus,
  boundVolumeStatus,
  isProvisionable,
  isProvisionedHere,
  planReclaim,
  reservedFor,
  volumeFor,
  volumeNameFor,
  type ClaimObject,
  type VolumeObject,
} from './plan.js';

const CLAIMS = findResource('', 'v1', 'persistentvolumeclaims')!;
const VOLUMES = findResource('', 'v1', 'persistentvolumes')!;

const codeOf = (err: unknown): number | undefined => (err instanceof StatusError ? err.code : undefined);

export class LocalPathProvisioner {
  readonly claimQueue: WorkQueue;
  readonly volumeQueue: WorkQueue;
  private readonly claims: Informer<ClaimObject>;
  private readonly volumes: Informer<VolumeObject>;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly dataDir: string,
  ) {
    this.claimQueue = new WorkQueue({ clock: ctx.clock });
    this.volumeQueue = new WorkQueue({ clock: ctx.clock });
    this.recorder = ctx.recorder('persistentvolume-controller');
    this.claims = ctx.informers.informer<ClaimObject>(CLAIMS);
    this.volumes = ctx.informers.informer<VolumeObject>(VOLUMES);
    const claimChanged = (claim: ClaimObject): void => {
      this.claimQueue.add(objectKey(claim));
      // A deleted claim releases the volume reserved for it.
      const pv = claim.spec?.volumeName ? this.volumes.lister.get(undefined, claim.spec.volumeName) : undefined;
      if (pv) this.volumeQueue.add(objectKey(pv));
    };
    this.claims.addEventHandler({ onAdd: claimChanged, onUpdate: (_old, cur) => claimChanged(cur), onDelete: claimChanged });
    const volumeChanged = (pv: VolumeObject): void => {
      if (!isProvisionedHere(pv)) return;
      this.volumeQueue.add(objectKey(pv));
      const ref = pv.spec?.claimRef;
      if (ref?.name) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
    };
    this.volumes.addEventHandler({ onAdd: volumeChanged, onUpdate: (_old, cur) => volumeChanged(cur), onDelete: volumeChanged });
  }

  async run(): Promise<void> {
    await Promise.all([
      runWhenSynced(this.ctx, 'local-path-claims', this.claimQueue, (key) => this.reconcileClaim(key)),
      runWhenSynced(this.ctx, 'local-path-volumes', this.volumeQueue, (key) => this.reconcileVolume(key)),
    ]);
  }

  /** Provisions a volume for a pending claim, and completes the binding of a claim to its volume. */
  async reconcileClaim(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    let claim = this.claims.lister.get(namespace, name);
    if (!claim || claim.metadata.deletionTimestamp) return;
    let pv: VolumeObject | undefined;
    if (claim.spec?.volumeName) {
      pv = this.volumes.lister.get(undefined, claim.spec.volumeName);
      // Only the binding of volumes reserved for this claim is completed here (no static binding).
      if (!pv || !reservedFor(pv, claim)) return;
    } else {
      if (!isProvisionable(claim)) return;
      pv = this.volumes.lister.get(undefined, volumeNameFor(claim)) ?? (await this.provision(claim));
    }
    const spec = boundClaimSpec(claim, pv);
    if (spec) claim = await this.ctx.client.update<ClaimObject>(CLAIMS, spec);
    const claimStatus = boundClaimStatus(claim, pv);
    if (claimStatus) await this.ctx.client.updateStatus(CLAIMS, claimStatus);
    const volumeStatus = boundVolumeStatus(pv);
    if (volumeStatus) await this.ctx.client.updateStatus(VOLUMES, volumeStatus);
  }

  private async provision(claim: ClaimObject): Promise<VolumeObject> {
    const desired = volumeFor(claim, this.dataDir);
    try {
      const pv = await this.ctx.client.create<VolumeObject>(VOLUMES, desired);
      this.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pv.metadata.name}`);
      return pv;
    } catch (err) {
      // Made by an earlier attempt the cache has not seen yet.
      if (codeOf(err) === 409) return this.ctx.client.get<VolumeObject>(VOLUMES, desired.metadata.name!);
      this.recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  /** Deletes (or releases) a volume of this provisioner whose claim is gone. */
  async reconcileVolume(key: string): Promise<void> {
    const pv = this.volumes.lister.get(undefined, splitKey(key).name);
    if (!pv || !isProvisionedHere(pv)) return;
    const ref = pv.spec?.claimRef;
    const cached = ref?.name ? this.claims.lister.get(ref.namespace, ref.name) : undefined;
    if (planReclaim(pv, cached).action === 'none') return;
    // Confirm with a live read before destroying anything: the claim cache may lag the volume cache.
    const current = await this.ctx.client.get<ClaimObject>(CLAIMS, ref!.name!, { namespace: ref!.namespace }).catch((err: unknown) => {
      if (codeOf(err) === 404) return undefined;
      throw err;
    });
    const plan = planReclaim(pv, current);
    if (plan.action === 'release') {
      await this.ctx.client.updateStatus(VOLUMES, { ...pv, status: { ...pv.status, phase: 'Released' } });
    } else if (plan.action === 'delete') {
      const path = pv.spec?.hostPath?.path;
      if (plan.removeDir && path && this.owns(path)) await rm(path, { recursive: true, force: true });
      await this.ctx.client.delete(VOLUMES, pv.metadata.name!, { preconditions: { uid: pv.metadata.uid } }).catch((err: unknown) => {
        if (codeOf(err) !== 404) throw err;
      });
    }
  }

  /** Only directories under `<dataDir>/volumes` are ever removed, whatever a volume's path says. */
  private owns(path: string): boolean {
    const rel = relative(`${this.dataDir}/volumes`, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  }
}
