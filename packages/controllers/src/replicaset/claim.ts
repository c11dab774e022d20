// Adoption and release (controller_ref_manager.go): a controller owns the objects its selector
// matches. Orphans that match are adopted (a controller ownerReference is patched in); owned
// objects that stopped matching are released (the reference is patched out); objects controlled
// by someone else are left alone. Used by ReplicaSets for pods and by Deployments for ReplicaSets.
import type { KObject, ResourceInfo } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError, getControllerOf, newControllerRef, type Selector } from '@mini-kube/machinery';

export interface ClaimPlan<T> {
  /** Already controlled by the owner and matching. */
  owned: T[];
  adopt: T[];
  release: T[];
}

/** What planClaims needs of a selector: a compiled matcher (see label-matcher.ts) will do. */
export type LabelMatcher = Pick<Selector, 'matches'>;

/** Sorts `objects` into owned, to adopt and to release (ClaimObject, without the writes). */
export function planClaims<T extends KObject>(owner: KObject, selector: LabelMatcher, objects: readonly T[]): ClaimPlan<T> {
  return planClaimsFrom(owner, selector, [objects]);
}

/**
 * planClaims over several lists (e.g. the owner's objects and the orphans of its namespace, from
 * two indexes) without concatenating them.
 */
export function planClaimsFrom<T extends KObject>(owner: KObject, selector: LabelMatcher, lists: readonly (readonly T[])[]): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  const ownerDeleting = Boolean(owner.metadata.deletionTimestamp);
  for (const objects of lists) {
    for (const obj of objects) {
      const ref = getControllerOf(obj);
      const matches = selector.matches(obj.metadata.labels ?? {});
      if (ref) {
        if (ref.uid !== owner.metadata.uid) continue;
        if (matches) plan.owned.push(obj);
        else if (!ownerDeleting) plan.release.push(obj);
      } else if (matches && !ownerDeleting && !obj.metadata.deletionTimestamp && obj.metadata.namespace === owner.metadata.namespace) {
        plan.adopt.push(obj);
      }
    }
  }
  return plan;
}

export interface ClaimTarget {
  client: ApiClient;
  /** The resource of the claimed objects (pods, replicasets). */
  resource: ResourceInfo;
  /** The owner's resource, for the fresh read before adopting. */
  ownerResource: ResourceInfo;
  owner: KObject;
  ownerType: { apiVersion: string; kind: string };
}

/**
 * Carries out a plan and returns the objects the owner now controls. Before the first adoption the
 * owner is read afresh: a stale cache must not let a deleted (or re-created) owner adopt anything.
 * An object that vanished meanwhile is skipped; other failures throw so the key is retried.
 */
export async function claim<T extends KObject>(target: ClaimTarget, plan: ClaimPlan<T>): Promise<T[]> {
  const { client, resource, owner } = target;
  const ns = owner.metadata.namespace;
  if (plan.adopt.length === 0 && plan.release.length === 0) return plan.owned;
  const claimed = [...plan.owned];
  for (const obj of plan.release) {
    const patch = { metadata: { ownerReferences: [{ $patch: 'delete', uid: owner.metadata.uid }], uid: obj.metadata.uid } };
    await ignoreNotFound(client.patch(resource, obj.metadata.name!, patch, { type: 'strategic', namespace: ns }));
  }
  if (plan.adopt.length > 0) await checkCanAdopt(target);
  for (const obj of plan.adopt) {
    const ref = newControllerRef(owner, target.ownerType);
    const patch = { metadata: { ownerReferences: [ref], uid: obj.metadata.uid } };
    const adopted = await ignoreNotFound(client.patch<T>(resource, obj.metadata.name!, patch, { type: 'strategic', namespace: ns }));
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function checkCanAdopt({ client, ownerResource, owner, ownerType }: ClaimTarget): Promise<void> {
  const fresh = await client.get(ownerResource, owner.metadata.name!, { namespace: owner.metadata.namespace });
  const name = `${owner.metadata.namespace}/${owner.metadata.name}`;
  if (fresh.metadata.uid !== owner.metadata.uid) {
    throw new Error(`original ${ownerType.kind} ${name} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
  }
  if (fresh.metadata.deletionTimestamp) {
    throw new Error(`${ownerType.kind} ${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }
}

export async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof StatusError && err.code === 404) return undefined;
    throw err;
  }
}
