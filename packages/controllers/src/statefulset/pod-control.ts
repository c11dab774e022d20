// Carrying out a StatefulSet plan (stateful_pod_control.go): claims before pods, events worded as
// the real controller words them. OrderedReady plans run one unit at a time; Parallel ones run the
// units of a phase in slow-start batches. The first failure stops the run and is thrown.
import type { OwnerReference } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { EventRecorder } from '@mini-kube/runtime';
import { slowStartBatches } from '../replicaset/plan.js';
import { PODS, type PodObject } from '../replicaset/types.js';
import { CLAIMS, type ClaimObject, type StatefulSetObject } from './identity.js';
import type { StatefulAction, StatefulPlan, Unit } from './plan.js';

export class StatefulPodControl {
  constructor(
    private readonly client: ApiClient,
    private readonly recorder: EventRecorder,
    private readonly set: StatefulSetObject,
  ) {}

  async run(plan: StatefulPlan): Promise<void> {
    for (const units of plan.phases) {
      if (plan.monotonic) {
        for (const unit of units) await this.runUnit(unit);
        continue;
      }
      let done = 0;
      for (const size of slowStartBatches(units.length)) {
        const results = await Promise.allSettled(units.slice(done, done + size).map((u) => this.runUnit(u)));
        done += size;
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      }
    }
  }

  private async runUnit(unit: Unit): Promise<void> {
    for (const action of unit) await this.apply(action);
  }

  private async apply(action: StatefulAction): Promise<void> {
    const { client } = this;
    switch (action.type) {
      case 'createPod':
        await this.createClaims(action.pod, action.claims);
        return this.record('create', action.pod, client.create(PODS, action.pod));
      case 'createClaims':
        return this.createClaims(action.pod, action.claims);
      case 'deletePod':
        return this.deletePod(action.pod, action.reason);
      case 'updatePod':
        return this.record('update', action.pod, client.update(PODS, action.pod));
      case 'updateClaim': {
        const claim = { ...action.claim, metadata: { ...action.claim.metadata, ownerReferences: action.ownerReferences } };
        await client.update(CLAIMS, claim);
        return;
      }
    }
  }

  /** Creates the claims; one that appeared meanwhile is fine. Claims deleted with the set are owned by it from the start. */
  private async createClaims(pod: PodObject, claims: ClaimObject[]): Promise<void> {
    const policy = this.set.spec?.persistentVolumeClaimRetentionPolicy;
    const setRef: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: this.set.metadata.name!, uid: this.set.metadata.uid! };
    for (const claim of claims) {
      const obj = policy?.whenDeleted === 'Delete' ? { ...claim, metadata: { ...claim.metadata, ownerReferences: [setRef] } } : claim;
      try {
        await this.client.create(CLAIMS, obj);
      } catch (err) {
        if (err instanceof StatusError && err.reason === 'AlreadyExists') continue;
        this.event('Warning', 'FailedCreate', `create Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${this.set.metadata.name} failed error: ${message(err)}`);
        throw err;
      }
      this.event('Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${this.set.metadata.name} success`);
    }
  }

  private async deletePod(pod: PodObject, reason: Extract<StatefulAction, { type: 'deletePod' }>['reason']): Promise<void> {
    const where = `${this.set.metadata.namespace}/${this.set.metadata.name}`;
    if (reason === 'failed') this.event('Warning', 'RecreatingFailedPod', `StatefulSet ${where} is recreating failed Pod ${pod.metadata.name}`);
    if (reason === 'succeeded') this.event('Normal', 'RecreatingTerminatedPod', `StatefulSet ${where} is recreating terminated Pod ${pod.metadata.name}`);
    try {
      await this.record('delete', pod, this.client.delete(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace }));
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
  }

  /** Records SuccessfulX / FailedX as recordPodEvent does; AlreadyExists on create is retried quietly. */
  private async record(verb: 'create' | 'update' | 'delete', pod: PodObject, write: Promise<unknown>): Promise<void> {
    const what = `${verb} Pod ${pod.metadata.name} in StatefulSet ${this.set.metadata.name}`;
    const reason = `${verb[0]!.toUpperCase()}${verb.slice(1)}`;
    try {
      await write;
    } catch (err) {
      if (!(verb === 'create' && err instanceof StatusError && err.reason === 'AlreadyExists') && !(verb === 'delete' && err instanceof StatusError && err.code === 404)) {
        this.event('Warning', `Failed${reason}`, `${what} failed error: ${message(err)}`);
      }
      throw err;
    }
    this.event('Normal', `Successful${reason}`, `${what} successful`);
  }

  private event(type: 'Normal' | 'Warning', reason: string, msg: string): void {
    this.recorder.event(this.set, type, reason, msg);
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
