// An informer index from an owning controller's uid to the objects it controls, shared by the
// controllers that look objects up by owner (pods by ReplicaSet, ReplicaSets by Deployment).
import type { KObject } from '@mini-kube/api';
import { getControllerOf } from '@mini-kube/machinery';
import type { Informer } from '@mini-kube/runtime';

export const CONTROLLER_UID_INDEX = 'mini-kube/controller-uid';

/** Adds the index unless an earlier controller sharing the informer already did. */
export function addControllerIndex<T extends KObject>(informer: Informer<T>): void {
  try {
    informer.addIndex(CONTROLLER_UID_INDEX, (obj: T) => {
      const uid = getControllerOf(obj)?.uid;
      return uid ? [uid] : [];
    });
  } catch (err) {
    if (!(err instanceof Error && err.message.includes('already exists'))) throw err;
  }
}

/** The objects of `informer` whose controller has this uid. */
export const controlledBy = <T extends KObject>(informer: Informer<T>, uid: string | undefined): T[] =>
  uid ? informer.byIndex(CONTROLLER_UID_INDEX, uid) : [];
