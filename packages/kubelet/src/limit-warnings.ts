// What a node whose runtime cannot enforce resource limits (no writable cgroups: not root, not
// Linux) tells its users: a Warning event on the Node when the kubelet starts, and one on each pod
// with limits when the kubelet first syncs it. The Ready condition's message says it too (node-object.ts).
import type { KObject } from '@mini-kube/api';
import type { EventRecorder } from '@mini-kube/runtime';
import type { Pod } from 'kubernetes-types/core/v1';

export const LIMITS_NOT_ENFORCED = 'ResourceLimitsNotEnforced';

/** The containers (init ones included) of `pod` that have a cpu or memory limit. */
export function limitedContainers(pod: Pod): string[] {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return all.filter((c) => c.resources?.limits?.cpu !== undefined || c.resources?.limits?.memory !== undefined).map((c) => c.name);
}

export interface LimitWarnings {
  /** The Node's event, once. */
  node(): void;
  /** The pod's event, once per pod uid; `pod` undefined: the pod at `key` is gone. */
  pod(key: string, pod: Pod | undefined): void;
}

/** `reason`: why limits are not enforced; undefined when they are (then nothing is said). */
export function limitWarnings(recorder: EventRecorder, nodeName: string, reason: string | undefined): LimitWarnings {
  const warned = new Map<string, string>(); // pod key → uid warned about
  return {
    node() {
      if (!reason) return;
      // A real kubelet's node events name the node by its name as uid too (kubectl describe node looks for both).
      const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, uid: nodeName } } as KObject;
      recorder.event(node, 'Warning', LIMITS_NOT_ENFORCED, `Container resource limits are not enforced on this node: ${reason}`);
    },
    pod(key, pod) {
      if (!reason) return;
      const uid = pod?.metadata?.uid;
      if (!pod || !uid || pod.metadata?.deletionTimestamp) {
        if (!pod) warned.delete(key);
        return;
      }
      if (warned.get(key) === uid) return;
      warned.set(key, uid);
      const names = limitedContainers(pod);
      if (names.length === 0) return;
      const which = names.length === 1 ? `container ${names[0]}` : `containers ${names.join(', ')}`;
      recorder.event(pod as unknown as KObject, 'Warning', LIMITS_NOT_ENFORCED, `Resource limits of ${which} are not enforced: ${reason}`);
    },
  };
}
