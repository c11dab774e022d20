// persistentVolumeClaimRetentionPolicy through owner references (stateful_pod_control.go,
// claimOwnerMatchesSetAndPod / updateClaimOwnerRefForSetAndPod): a claim to delete with the set
// is owned by the set, a claim to delete on scale-down is owned by its pod once the pod is
// scaled away; the garbage collector then deletes it with its owners. Claims with references left
// by an earlier set or pod of the same name, or with more than two references, are left alone.
import type { OwnerReference } from '@mini-kube/api';
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';

interface Owner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

const refTo = (o: Owner): OwnerReference => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name, uid: o.uid });
const hasRef = (refs: readonly OwnerReference[], o: Owner) => refs.some((r) => r.uid === o.uid);
const hasStaleRef = (refs: readonly OwnerReference[], o: Owner) => refs.some((r) => r.kind === o.kind && r.name === o.name && r.uid !== o.uid);

/**
 * The owner references `claim` should carry, or undefined when they are right already (or the
 * claim is to be left alone). `scaledDown`: the pod's ordinal is outside the set's range.
 */
export function claimOwnerReferences(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod, scaledDown: boolean): OwnerReference[] | undefined {
  const refs = claim.metadata?.ownerReferences ?? [];
  const setOwner: Owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata?.name ?? '', uid: set.metadata?.uid ?? '' };
  const podOwner: Owner = { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
  if (!setOwner.uid || !podOwner.uid) return undefined;
  if (hasStaleRef(refs, setOwner) || hasStaleRef(refs, podOwner) || refs.length > 2) return undefined;
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  const deleteWithSet = policy?.whenDeleted === 'Delete';
  const deleteOnScale = policy?.whenScaled === 'Delete';
  // With both Delete, a scaled-down pod's claim follows the pod only: scaling back up must find it
  // gone or kept, not half owned.
  const wantSet = deleteWithSet && !(deleteOnScale && scaledDown);
  const wantPod = deleteOnScale && scaledDown;
  if (hasRef(refs, setOwner) === wantSet && hasRef(refs, podOwner) === wantPod) return undefined;
  const kept = refs.filter((r) => r.uid !== setOwner.uid && r.uid !== podOwner.uid);
  return [...kept, ...(wantSet ? [refTo(setOwner)] : []), ...(wantPod ? [refTo(podOwner)] : [])];
}
