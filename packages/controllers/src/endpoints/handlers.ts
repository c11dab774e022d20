// The event handlers both endpoints controllers share: a Service change queues that Service; a pod
// change queues every Service whose selector matched the pod before or after the change.
import { objectKey, type Informer, type WorkQueue } from '@mini-kube/runtime';
import { servicesSelecting } from './pods.js';
import type { PodObject, ServiceObject } from './types.js';

export function queueServicesAndPods(services: Informer<ServiceObject>, pods: Informer<PodObject>, queue: WorkQueue): void {
  const enqueue = (obj: ServiceObject): void => queue.add(objectKey(obj));
  services.addEventHandler({ onAdd: enqueue, onUpdate: (_old, cur) => enqueue(cur), onDelete: enqueue });
  const podChanged = (...versions: PodObject[]): void => {
    const keys = new Set<string>();
    for (const pod of versions) {
      const candidates = services.lister.list(pod.metadata.namespace);
      for (const svc of servicesSelecting(candidates, pod.metadata.labels ?? {})) keys.add(objectKey(svc));
    }
    for (const key of keys) queue.add(key);
  };
  pods.addEventHandler({
    onAdd: (pod) => podChanged(pod),
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion !== cur.metadata.resourceVersion) podChanged(old, cur);
    },
    onDelete: (pod) => podChanged(pod),
  });
}
