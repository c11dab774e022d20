// Informer indexes for claiming: from an owning controller's uid to the objects it controls, and from
// a namespace to its orphans (objects without a controller). A claim then looks at an owner's own
// objects and the orphans of its namespace, never at every object of the namespace: with many owners
// in one namespace a scan per sync would make the controller quadratic. Shared by the controllers
// that look objects up by owner (pods by ReplicaSet, ReplicaSets by Deployment).
import type { KObject } from '@mini-kube/api';
import { getControllerOf } from '@mini-kube/machinery';
import type { IndexFunc, Informer } from '@mini-kube/runtime';

export const CONTROLLER_UID_INDEX = 'mini-kube/controller-uid';
export const ORPHAN_NAMESPACE_INDEX = 'mini-kube/orphan-namespace';

/** Adds the controller-uid index unless an earlier controller sharing the informer already did. */
export function addControllerIndex<T extends KObject>(informer: Informer<T>): void {
  addIndexOnce(informer, CONTROLLER_UID_INDEX, (obj) => {
    const uid = getControllerOf(obj)?.uid;
    return uid ? [uid] : [];
  });
}

/** Adds the orphan index (namespace → objects without a controller), once per informer. */
export function addOrphanIndex<T extends KObject>(informer: Informer<T>): void {
  addIndexOnce(informer, ORPHAN_NAMESPACE_INDEX, (obj) => (getControllerOf(obj) ? [] : [obj.metadata.namespace ?? '']));
}

/** The objects of `informer` whose controller has this uid. */
export const controlledBy = <T extends KObject>(informer: Informer<T>, uid: string | undefined): T[] =>
  uid ? informer.byIndex(CONTROLLER_UID_INDEX, uid) : [];

/**
 * What `owner` may claim, as two lists: the objects it controls and the orphans of its namespace;
 * what another controller controls is never its to claim. Needs both indexes.
 */
export const claimCandidates = <T extends KObject>(informer: Informer<T>, owner: KObject): [T[], T[]] => [
  controlledBy(informer, owner.metadata.uid),
  informer.byIndex(ORPHAN_NAMESPACE_INDEX, owner.metadata.namespace ?? ''),
];

function addIndexOnce<T extends KObject>(informer: Informer<T>, name: string, fn: IndexFunc<T>): void {
  try {
    informer.addIndex(name, fn);
  } catch (err) {
    if (!(err instanceof Error && err.message.includes('already exists'))) throw err;
  }
}
