// The garbage collector's writes. Each reads the live object, checks it is still the one the
// decision was about (same uid), changes its metadata and writes it back, retrying on conflicts.
import type { KObject, OwnerReference, ResourceInfo } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { PropagationPolicy } from './plan.js';

const CONFLICT_RETRIES = 5;

export interface ObjectRef {
  resource: ResourceInfo;
  namespace?: string;
  name: string;
  uid: string;
}

export function refOf(resource: ResourceInfo, obj: KObject): ObjectRef {
  return { resource, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '', uid: obj.metadata.uid ?? '' };
}

const isStatus = (err: unknown, code: number): boolean => err instanceof StatusError && err.code === code;

/**
 * Applies `change` to the live object's metadata (`change` returns false for "nothing to do").
 * Gone, or replaced by another object of the same name: nothing to do either.
 */
export async function updateMetadata(client: ApiClient, ref: ObjectRef, change: (obj: KObject) => boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let live: KObject;
    try {
      live = await client.get(ref.resource, ref.name, { namespace: ref.namespace });
    } catch (err) {
      if (isStatus(err, 404)) return;
      throw err;
    }
    if (live.metadata.uid !== ref.uid || !change(live)) return;
    try {
      await client.update(ref.resource, live, { namespace: ref.namespace });
      return;
    } catch (err) {
      if (isStatus(err, 404)) return;
      if (!isStatus(err, 409) || attempt >= CONFLICT_RETRIES) throw err;
    }
  }
}

export function removeFinalizer(client: ApiClient, ref: ObjectRef, finalizer: string): Promise<void> {
  return updateMetadata(client, ref, (obj) => {
    const finalizers = obj.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return false;
    obj.metadata.finalizers = finalizers.filter((f) => f !== finalizer);
    return true;
  });
}

/** Replaces the live object's owner references by `compute(current)`, unless that is undefined (no change). */
export function rewriteOwnerRefs(
  client: ApiClient,
  ref: ObjectRef,
  compute: (refs: OwnerReference[] | undefined) => OwnerReference[] | undefined,
): Promise<void> {
  return updateMetadata(client, ref, (obj) => {
    const refs = compute(obj.metadata.ownerReferences);
    if (!refs) return false;
    obj.metadata.ownerReferences = refs;
    return true;
  });
}

/** Deletes exactly this object (uid precondition); already gone or replaced is fine. */
export async function deleteObject(client: ApiClient, ref: ObjectRef, policy: PropagationPolicy): Promise<void> {
  try {
    await client.delete(ref.resource, ref.name, { namespace: ref.namespace, propagationPolicy: policy, preconditions: { uid: ref.uid } });
  } catch (err) {
    if (isStatus(err, 404) || isStatus(err, 409)) return;
    throw err;
  }
}
