// The writes behind ControllerRevisions: adopting matching orphans, creating the current revision
// (with hash collision handling), renumbering it, and pruning old ones.
import type { OwnerReference, ResourceInfo } from '@mini-kube/api';
import { findResource } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError, isControlledBy, type Selector } from '@mini-kube/machinery';
import { claim, ignoreNotFound, planClaims } from '../replicaset/claim.js';
import { planCurrentRevision } from './plan.js';
import { newRevision, revisionMatches, type RevisionObject, type RevisionOwner } from './revisions.js';

export const CONTROLLER_REVISIONS: ResourceInfo = findResource('apps', 'v1', 'controllerrevisions')!;

/** A hash clash this many times in a row means something else is wrong. */
const MAX_COLLISIONS = 10;

export interface HistoryTarget {
  client: ApiClient;
  owner: RevisionOwner & { apiVersion?: string; kind?: string };
  ownerResource: ResourceInfo;
  ownerType: { apiVersion: string; kind: string };
  ownerRef: OwnerReference;
}

/** The revisions the owner controls, after adopting matching orphans and releasing non-matching ones. */
export async function claimRevisions(target: HistoryTarget, selector: Selector, cached: readonly RevisionObject[]): Promise<RevisionObject[]> {
  const { client, owner, ownerResource, ownerType } = target;
  const plan = planClaims(owner as RevisionObject, selector, cached);
  return claim({ client, resource: CONTROLLER_REVISIONS, ownerResource, owner: owner as RevisionObject, ownerType }, plan);
}

export interface CurrentRevision {
  current: RevisionObject;
  old: RevisionObject[];
  collisionCount: number;
}

/** Finds, renumbers or creates the revision of the owner's current template. */
export async function syncCurrentRevision(target: HistoryTarget, revisions: readonly RevisionObject[], collisionCount: number): Promise<CurrentRevision> {
  const plan = planCurrentRevision(target.owner.spec?.template, revisions);
  if (plan.action === 'use') return { current: plan.revision, old: plan.old, collisionCount };
  if (plan.action === 'renumber') {
    const current = await target.client.update<RevisionObject>(CONTROLLER_REVISIONS, { ...plan.revision, revision: plan.to });
    return { current, old: plan.old, collisionCount };
  }
  const created = await createRevision(target, plan.number, collisionCount);
  return { ...created, old: plan.old };
}

/**
 * Creates the revision numbered `number` (CreateControllerRevision). When its name is taken by an
 * equal revision of the same owner that one is used; by anything else, the collision count goes
 * up, which changes the hash and so the name.
 */
async function createRevision(target: HistoryTarget, number: number, collisionCount: number): Promise<{ current: RevisionObject; collisionCount: number }> {
  const { client, owner, ownerRef } = target;
  for (let count = collisionCount; count < collisionCount + MAX_COLLISIONS; count++) {
    const rev = newRevision(owner, ownerRef, number, count === 0 ? undefined : count);
    try {
      return { current: await client.create<RevisionObject>(CONTROLLER_REVISIONS, rev), collisionCount: count };
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      const existing = await ignoreNotFound(client.get<RevisionObject>(CONTROLLER_REVISIONS, rev.metadata.name!, { namespace: rev.metadata.namespace }));
      if (existing && isControlledBy(existing, owner) && revisionMatches(existing, owner.spec?.template)) {
        return { current: existing, collisionCount: count };
      }
    }
  }
  throw new Error(`too many hash collisions creating a revision of ${owner.metadata.namespace}/${owner.metadata.name}`);
}

export async function deleteRevisions(client: ApiClient, revisions: readonly RevisionObject[]): Promise<void> {
  for (const rev of revisions) {
    await ignoreNotFound(client.delete(CONTROLLER_REVISIONS, rev.metadata.name!, { namespace: rev.metadata.namespace }));
  }
}
