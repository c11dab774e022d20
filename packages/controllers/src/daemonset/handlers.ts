// Turning pod, node and revision changes into DaemonSet keys (the event handlers of
// daemon_controller.go). Pods also feed the expectations: a pod seen created or gone is counted.
import type { OwnerReference } from '@mini-kube/api';
import { getControllerOf, cachedSelectorFromLabelSelector } from '@mini-kube/machinery';
import { objectKey, type Informer, type WorkQueue } from '@mini-kube/runtime';
import { isDeepStrictEqual } from 'node:util';
import type { RevisionObject } from '../history/index.js';
import type { PodObject } from '../replicaset/types.js';
import type { NodeObject } from './controller.js';
import type { PodExpectations } from './expectations.js';
import type { DaemonSetObject } from './pods.js';
import { nodeShouldRunDaemonPod } from './predicates.js';

export class DaemonSetEvents {
  constructor(
    private readonly queue: WorkQueue,
    private readonly expectations: PodExpectations,
    private readonly daemonSets: Informer<DaemonSetObject>,
  ) {}

  register(pods: Informer<PodObject>, nodes: Informer<NodeObject>, revisions: Informer<RevisionObject>): void {
    this.daemonSets.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.expectations.delete(objectKey(old));
        this.enqueue(cur);
      },
      onDelete: (ds) => this.expectations.delete(objectKey(ds)),
    });
    pods.addEventHandler({
      onAdd: (pod) => (pod.metadata.deletionTimestamp ? this.podDeleted(pod) : this.podAdded(pod)),
      onUpdate: (old, cur) => this.podUpdated(old, cur),
      onDelete: (pod) => this.podDeleted(pod),
    });
    nodes.addEventHandler({
      onAdd: (node) => this.nodeChanged(undefined, node),
      onUpdate: (old, cur) => this.nodeChanged(old, cur),
      onDelete: (node) => this.nodeChanged(node, undefined),
    });
    // A revision deleted or adopted by hand changes what the owner must recreate or release.
    revisions.addEventHandler({
      onAdd: (rev) => this.enqueueOwner(rev.metadata.namespace, getControllerOf(rev)),
      onDelete: (rev) => this.enqueueOwner(rev.metadata.namespace, getControllerOf(rev)),
    });
  }

  private enqueue(ds: DaemonSetObject): void {
    this.queue.add(objectKey(ds));
  }

  private resolve(namespace: string | undefined, ref: OwnerReference | undefined): DaemonSetObject | undefined {
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.daemonSets.lister.get(namespace, ref.name);
    return ds?.metadata.uid === ref.uid ? ds : undefined;
  }

  private enqueueOwner(namespace: string | undefined, ref: OwnerReference | undefined): void {
    const ds = this.resolve(namespace, ref);
    if (ds) this.enqueue(ds);
  }

  /** DaemonSets whose selector matches an orphan pod: they may want to adopt it. */
  private enqueueMatching(pod: PodObject): void {
    for (const ds of this.daemonSets.lister.list(pod.metadata.namespace)) {
      try {
        const sel = cachedSelectorFromLabelSelector(ds.spec?.selector);
        if (!sel.empty() && sel.matches(pod.metadata.labels ?? {})) this.enqueue(ds);
      } catch {
        // an invalid selector matches nothing
      }
    }
  }

  private podAdded(pod: PodObject): void {
    const ref = getControllerOf(pod);
    if (!ref) return this.enqueueMatching(pod);
    const ds = this.resolve(pod.metadata.namespace, ref);
    if (!ds) return;
    this.expectations.creationObserved(objectKey(ds));
    this.enqueue(ds);
  }

  private podUpdated(old: PodObject, cur: PodObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) return this.podDeleted(cur);
    const [oldRef, curRef] = [getControllerOf(old), getControllerOf(cur)];
    if (oldRef && oldRef.uid !== curRef?.uid) this.enqueueOwner(old.metadata.namespace, oldRef);
    if (curRef) return this.enqueueOwner(cur.metadata.namespace, curRef);
    if (!isDeepStrictEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {}) || oldRef) this.enqueueMatching(cur);
  }

  private podDeleted(pod: PodObject): void {
    const ds = this.resolve(pod.metadata.namespace, getControllerOf(pod));
    if (!ds) return;
    this.expectations.deletionObserved(objectKey(ds), objectKey(pod));
    this.enqueue(ds);
  }

  /** Enqueues the DaemonSets whose wish to run on this node changed (heartbeats change nothing). */
  private nodeChanged(old: NodeObject | undefined, cur: NodeObject | undefined): void {
    for (const ds of this.daemonSets.lister.list()) {
      const before = old ? nodeShouldRunDaemonPod(old, ds) : undefined;
      const after = cur ? nodeShouldRunDaemonPod(cur, ds) : undefined;
      if (!isDeepStrictEqual(before, after)) this.enqueue(ds);
    }
  }
}
