// The garbage collector: deletes objects whose owners are all gone, finishes foreground deletions
// (dependents first, then the owner's finalizer) and orphan deletions (owner references removed
// from the dependents, then the finalizer). One queue of `group/plural|namespace|name` keys.
import type { KObject } from '@mini-kube/api';
import { WorkQueue, runController, type Informer } from '@mini-kube/runtime';
import type { Controller, ControllerContext } from '../context.js';
import { deleteObject, refOf, removeFinalizer, rewriteOwnerRefs, type ObjectRef } from './effects.js';
import { OwnershipGraph, type Dependent } from './graph.js';
import {
  FOREGROUND_FINALIZER,
  ORPHAN_FINALIZER,
  blockingDependents,
  isDeletingDependents,
  ownershipChanged,
  pendingGcFinalizer,
  planDependent,
  unblockedOwnerRefs,
  withoutOwnerRefs,
} from './plan.js';
import { gcKey, objectGcKey, parseGcKey } from './resources.js';

export const garbageCollector: Controller = async (ctx: ControllerContext) => {
  const queue = new WorkQueue({ clock: ctx.clock });
  const graph = new OwnershipGraph(ctx.informers, ctx.client);
  const enqueue = (dep: Dependent): void => queue.add(objectGcKey(dep.resource, dep.obj));
  const enqueueOwners = (obj: KObject, except: KObject | undefined): void => {
    const kept = new Set((except?.metadata.ownerReferences ?? []).map((ref) => ref.uid));
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const where = graph.ownerLocation(ref, obj.metadata.namespace);
      if (where && !kept.has(ref.uid)) queue.add(gcKey(where.resource, where.namespace, ref.name));
    }
  };
  const interesting = (obj: KObject): boolean => !!obj.metadata.ownerReferences?.length || !!pendingGcFinalizer(obj);

  for (const informer of graph.all()) {
    const key = (obj: KObject): string => objectGcKey(informer.resource, obj);
    informer.addEventHandler({
      onAdd: (obj) => {
        if (interesting(obj)) queue.add(key(obj));
      },
      onUpdate: (oldObj, newObj) => {
        // As upstream's graph builder: an update matters when the owners or the deletion state
        // changed (a status update of a pod whose owners were checked on add does not).
        if (interesting(newObj) && ownershipChanged(oldObj, newObj)) queue.add(key(newObj));
        // An owner dropped from the references may be waiting for this dependent to go.
        enqueueOwners(oldObj, newObj);
      },
      onDelete: (obj) => {
        graph.dependentsOf(obj).forEach(enqueue);
        enqueueOwners(obj, undefined);
      },
    });
  }

  const reconcile = async (key: string): Promise<void> => {
    const { resourceId: id, namespace, name } = parseGcKey(key);
    const informer = graph.informer(id);
    const obj = informer?.lister.get(namespace, name);
    if (!informer || !obj) return;
    const ref = refOf(informer.resource, obj);
    const finalizer = pendingGcFinalizer(obj);
    if (finalizer === ORPHAN_FINALIZER) return orphanDependents(obj, ref);
    if (finalizer === FOREGROUND_FINALIZER) return finishForeground(obj, ref);
    if (!obj.metadata.deletionTimestamp && obj.metadata.ownerReferences?.length) return collectIfOwnerless(obj, ref);
  };

  const orphanDependents = async (owner: KObject, ref: ObjectRef): Promise<void> => {
    for (const dep of graph.dependentsOf(owner)) {
      await rewriteOwnerRefs(ctx.client, refOf(dep.resource, dep.obj), (refs) => withoutOwnerRefs(refs, [ref.uid]));
    }
    await removeFinalizer(ctx.client, ref, ORPHAN_FINALIZER);
  };

  const finishForeground = async (owner: KObject, ref: ObjectRef): Promise<void> => {
    const dependents = graph.dependentsOf(owner);
    if (blockingDependents(ref.uid, dependents.map((d) => d.obj)).length === 0) {
      await removeFinalizer(ctx.client, ref, FOREGROUND_FINALIZER);
      return;
    }
    // Each dependent decides for itself (it sees this owner waiting); this owner is queued
    // again when one of its dependents goes away.
    dependents.filter((d) => !d.obj.metadata.deletionTimestamp || isDeletingDependents(d.obj)).forEach(enqueue);
  };

  const collectIfOwnerless = async (obj: KObject, ref: ObjectRef): Promise<void> => {
    const ownDependents = graph.dependentsOf(obj);
    const plan = planDependent({
      ownerRefs: obj.metadata.ownerReferences ?? [],
      owners: await graph.ownerStates(obj),
      finalizers: obj.metadata.finalizers ?? [],
      hasDependents: ownDependents.length > 0,
      aDependentIsDeletingDependents: ownDependents.some((d) => isDeletingDependents(d.obj)),
    });
    if (plan.action === 'removeOwnerRefs') {
      await rewriteOwnerRefs(ctx.client, ref, (refs) => withoutOwnerRefs(refs, plan.uids));
    } else if (plan.action === 'delete') {
      if (plan.unblockFirst) await rewriteOwnerRefs(ctx.client, ref, unblockedOwnerRefs);
      await deleteObject(ctx.client, ref, plan.policy);
    }
  };

  await waitForInformers(ctx, graph.all());
  await runController(queue, { name: 'garbage-collector', workers: ctx.options.workers, reconcile, signal: ctx.signal });
};

/** Waits for `informers` to sync, even when the factory starts them only after this call. */
async function waitForInformers(ctx: ControllerContext, informers: readonly Informer[]): Promise<void> {
  await ctx.informers.waitForSync(ctx.signal);
  while (!informers.every((i) => i.hasSynced())) {
    ctx.signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ctx.informers.waitForSync(ctx.signal);
  }
}

