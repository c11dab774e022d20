// Owner references: how controllers claim the objects they create and find them again.
import type { KObject, ObjectMeta, OwnerReference } from '@mini-kube/api';

/** The owner reference marked `controller: true`, if any (metav1.GetControllerOf). */
export function getControllerOf(obj: { metadata?: ObjectMeta }): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((ref) => ref.controller === true);
}

/** True when `owner` is the controller of `obj`, matched by uid. */
export function isControlledBy(obj: { metadata?: ObjectMeta }, owner: { metadata?: ObjectMeta }): boolean {
  const uid = owner.metadata?.uid;
  return uid !== undefined && getControllerOf(obj)?.uid === uid;
}

/**
 * A controller reference to `owner` (metav1.NewControllerRef). `typeMeta` is needed when the
 * owner came without apiVersion/kind, as typed objects from a cache sometimes do.
 */
export function newControllerRef(owner: KObject, typeMeta?: { apiVersion: string; kind: string }): OwnerReference {
  const apiVersion = typeMeta?.apiVersion ?? owner.apiVersion;
  const kind = typeMeta?.kind ?? owner.kind;
  const { name, uid } = owner.metadata;
  if (!apiVersion || !kind || !name || !uid) {
    throw new Error('newControllerRef: the owner needs apiVersion, kind, metadata.name and metadata.uid');
  }
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true };
}
