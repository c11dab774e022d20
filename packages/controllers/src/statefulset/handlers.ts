// Turning pod and claim changes into StatefulSet keys (the event handlers of stateful_set.go).
import type { OwnerReference } from '@mini-kube/api';
import { getControllerOf, cachedSelectorFromLabelSelector } from '@mini-kube/machinery';
import { objectKey, type Informer, type WorkQueue } from '@mini-kube/runtime';
import { isDeepStrictEqual } from 'node:util';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodObject } from '../replicaset/types.js';
import { isMemberOf, type ClaimObject, type StatefulSetObject } from './identity.js';

export class StatefulSetEvents {
  constructor(
    private readonly queue: WorkQueue,
    private readonly sets: Informer<StatefulSetObject>,
  ) {}

  register(pods: Informer<PodObject>, claims: Informer<ClaimObject>): void {
    this.sets.addEventHandler({
      onAdd: (set) => this.enqueue(set),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (set) => this.enqueue(set),
    });
    pods.addEventHandler({
      onAdd: (pod) => this.podChanged(undefined, pod),
      onUpdate: (old, cur) => this.podChanged(old, cur),
      onDelete: (pod) => this.enqueueOwner(pod.metadata.namespace, getControllerOf(pod)),
    });
    // A claim being deleted blocks its pod's re-creation until it is gone.
    claims.addEventHandler({ onDelete: (claim) => this.enqueueMatching(claim.metadata.namespace, claim.metadata.labels ?? {}) });
  }

  private enqueue(set: StatefulSetObject): void {
    this.queue.add(objectKey(set));
  }

  private enqueueOwner(namespace: string | undefined, ref: OwnerReference | undefined): void {
    if (!ref || ref.kind !== 'StatefulSet') return;
    const set = this.sets.lister.get(namespace, ref.name);
    if (set?.metadata.uid === ref.uid) this.enqueue(set);
  }

  /** Sets whose selector matches these labels (and, for a pod, whose name it carries). */
  private enqueueMatching(namespace: string | undefined, labels: Record<string, string>, pod?: Pod): void {
    for (const set of this.sets.lister.list(namespace)) {
      if (pod && !isMemberOf(set, pod)) continue;
      try {
        const sel = cachedSelectorFromLabelSelector(set.spec?.selector);
        if (!sel.empty() && sel.matches(labels)) this.enqueue(set);
      } catch {
        // an invalid selector matches nothing
      }
    }
  }

  private podChanged(old: PodObject | undefined, cur: PodObject): void {
    if (old && old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const [oldRef, curRef] = [old && getControllerOf(old), getControllerOf(cur)];
    if (old && oldRef && oldRef.uid !== curRef?.uid) this.enqueueOwner(old.metadata.namespace, oldRef);
    if (curRef) return this.enqueueOwner(cur.metadata.namespace, curRef);
    if (!old || oldRef || !isDeepStrictEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {})) {
      this.enqueueMatching(cur.metadata.namespace, cur.metadata.labels ?? {}, cur);
    }
  }
}
