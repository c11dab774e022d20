// The pod garbage collector's part here (pkg/controller/podgc): pods no kubelet will ever finish.
import type { Pod } from 'kubernetes-types/core/v1';

export type NodeHealth = 'ready' | 'not-ready' | 'absent';

/**
 * A pod bound to a node that no longer exists is orphaned; a terminating pod on a node that is not
 * Ready waits for a kubelet that is not there. Both are deleted with grace period 0.
 */
export function shouldForceDelete(pod: Pick<Pod, 'spec' | 'metadata'>, node: NodeHealth): boolean {
  if (!pod.spec?.nodeName) return false;
  if (node === 'absent') return true;
  return node === 'not-ready' && !!pod.metadata?.deletionTimestamp;
}
