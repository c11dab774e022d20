// Pure decisions of the garbage collector (pkg/controller/garbagecollector's attemptToDeleteItem,
// processDeletingDependentsItem and orphanDependents), given what is known about each owner.
import type { KObject, OwnerReference } from '@mini-kube/api';
import { jsonEqual } from '@mini-kube/machinery';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/**
 * What an owner reference resolves to: `solid` (the owner exists and is not waiting for its
 * dependents), `dangling` (absent, or another object with the same name and a different uid),
 * `waiting` (being deleted in the foreground: its dependents must go first).
 */
export type OwnerState = 'solid' | 'dangling' | 'waiting';

export type DependentPlan =
  | { action: 'none' }
  | { action: 'removeOwnerRefs'; uids: string[] }
  /** `unblockFirst`: clear blockOwnerDeletion on the dependent's own references first (breaks foreground cycles). */
  | { action: 'delete'; policy: PropagationPolicy; unblockFirst: boolean };

export interface DependentFacts {
  ownerRefs: readonly OwnerReference[];
  /** State of each owner by uid; a reference missing here counts as solid (never delete on doubt). */
  owners: ReadonlyMap<string, OwnerState>;
  finalizers: readonly string[];
  /** The item itself owns objects. */
  hasDependents: boolean;
  /** One of the item's dependents is itself deleting its dependents in the foreground. */
  aDependentIsDeletingDependents: boolean;
}

/** The plan for an object that is not being deleted and has owner references. */
export function planDependent(facts: DependentFacts): DependentPlan {
  const stateOf = (ref: OwnerReference): OwnerState => facts.owners.get(ref.uid) ?? 'solid';
  const solid = facts.ownerRefs.filter((ref) => stateOf(ref) === 'solid');
  const dangling = facts.ownerRefs.filter((ref) => stateOf(ref) === 'dangling');
  const waiting = facts.ownerRefs.filter((ref) => stateOf(ref) === 'waiting');
  if (solid.length > 0) {
    // A live owner keeps the object; references to gone or foreground-deleting owners are dropped.
    const drop = [...dangling, ...waiting].map((ref) => ref.uid);
    return drop.length ? { action: 'removeOwnerRefs', uids: drop } : { action: 'none' };
  }
  if (waiting.length > 0 && facts.hasDependents) {
    // An owner waits for this object: delete it in the foreground too, so its own blocking
    // dependents go first.
    return { action: 'delete', policy: 'Foreground', unblockFirst: facts.aDependentIsDeletingDependents };
  }
  return { action: 'delete', policy: policyFromFinalizers(facts.finalizers), unblockFirst: false };
}

/** An object may ask for a propagation policy ahead of time by carrying the finalizer. */
function policyFromFinalizers(finalizers: readonly string[]): PropagationPolicy {
  if (finalizers.includes(ORPHAN_FINALIZER)) return 'Orphan';
  if (finalizers.includes(FOREGROUND_FINALIZER)) return 'Foreground';
  return 'Background';
}

/** The garbage-collection finalizer an object being deleted waits on, if any (orphan first). */
export function pendingGcFinalizer(obj: KObject): typeof ORPHAN_FINALIZER | typeof FOREGROUND_FINALIZER | undefined {
  if (!obj.metadata.deletionTimestamp) return undefined;
  const finalizers = obj.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN_FINALIZER)) return ORPHAN_FINALIZER;
  if (finalizers.includes(FOREGROUND_FINALIZER)) return FOREGROUND_FINALIZER;
  return undefined;
}

export function isDeletingDependents(obj: KObject): boolean {
  return !!obj.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER);
}

/** The state of an owner that exists with the referenced uid. */
export function liveOwnerState(owner: KObject): OwnerState {
  return isDeletingDependents(owner) ? 'waiting' : 'solid';
}

/** Dependents whose reference to `ownerUid` blocks the owner's foreground deletion. */
export function blockingDependents<T extends KObject>(ownerUid: string, dependents: readonly T[]): T[] {
  return dependents.filter((dep) =>
    (dep.metadata.ownerReferences ?? []).some((ref) => ref.uid === ownerUid && ref.blockOwnerDeletion === true),
  );
}

/** `refs` without those to `uids`; undefined when nothing changes. */
export function withoutOwnerRefs(refs: readonly OwnerReference[] | undefined, uids: readonly string[]): OwnerReference[] | undefined {
  const kept = (refs ?? []).filter((ref) => !uids.includes(ref.uid));
  return kept.length === (refs ?? []).length ? undefined : kept;
}

/** `refs` with every blockOwnerDeletion cleared; undefined when none was set. */
export function unblockedOwnerRefs(refs: readonly OwnerReference[] | undefined): OwnerReference[] | undefined {
  if (!(refs ?? []).some((ref) => ref.blockOwnerDeletion === true)) return undefined;
  return (refs ?? []).map((ref) => (ref.blockOwnerDeletion === true ? { ...ref, blockOwnerDeletion: false } : ref));
}

/** Whether an update changed what the collector decides on: owner references, deletion, finalizers. */
export function ownershipChanged(oldObj: KObject, newObj: KObject): boolean {
  const a = oldObj.metadata;
  const b = newObj.metadata;
  return (
    a.deletionTimestamp !== b.deletionTimestamp ||
    !jsonEqual(a.ownerReferences ?? [], b.ownerReferences ?? []) ||
    !jsonEqual(a.finalizers ?? [], b.finalizers ?? [])
  );
}
