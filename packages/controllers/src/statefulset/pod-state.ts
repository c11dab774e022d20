// What the StatefulSet controller asks of a pod (stateful_set_utils.go): created (it has a phase),
// finished, terminating, running and ready, available, healthy.
import type { Pod } from 'kubernetes-types/core/v1';
import { isPodAvailable, isPodReady } from '../replicaset/pods.js';

export const isCreated = (pod: Pod): boolean => Boolean(pod.status?.phase);
export const isPending = (pod: Pod): boolean => pod.status?.phase === 'Pending';
export const isFinished = (pod: Pod): boolean => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: Pod): boolean => Boolean(pod.metadata?.deletionTimestamp);
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, now: number): boolean =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);
