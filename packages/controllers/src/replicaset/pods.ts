// What controllers ask of a pod (pkg/api/v1/pod/util.go, controller_utils.go): is it active, ready,
// available after minReadySeconds, and since when.
import type { Pod } from 'kubernetes-types/core/v1';

/** Not finished and not being deleted: a pod that counts toward a ReplicaSet (IsPodActive). */
export const isPodActive = (pod: Pod): boolean =>
  pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;

export const readyCondition = (pod: Pod) => pod.status?.conditions?.find((c) => c.type === 'Ready');

export const isPodReady = (pod: Pod): boolean => readyCondition(pod)?.status === 'True';

/** When the pod became ready, in ms (undefined when not ready or unknown). */
export function podReadySince(pod: Pod): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const at = Date.parse(c.lastTransitionTime);
  return Number.isFinite(at) ? at : undefined;
}

/** Ready for at least minReadySeconds (IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return false;
  return minReadySeconds === 0 || isAvailableSince(c.lastTransitionTime, minReadySeconds * 1000, now);
}

/** A pod ready since `lastTransitionTime` has been so for more than `minReadyMs`. */
export function isAvailableSince(lastTransitionTime: string | undefined, minReadyMs: number, now: number): boolean {
  const at = lastTransitionTime ? Date.parse(lastTransitionTime) : NaN;
  return Number.isFinite(at) && at + minReadyMs < now;
}
