// Which pods the scheduler places, which count on nodes, and which changes matter: pure predicates.
import type { Node, Pod } from '@mini-kube/api';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export const isAssigned = (pod: Pod): boolean => !!pod.spec?.nodeName;

/** Succeeded and Failed pods hold no resources: kube-scheduler's informer filters them out. */
export const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** A pending pod this scheduler should place now (scheduling gates hold it back until removed). */
export function needsScheduling(pod: Pod, schedulerName = DEFAULT_SCHEDULER_NAME): boolean {
  return (
    !isAssigned(pod) &&
    (pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === schedulerName &&
    !pod.metadata?.deletionTimestamp &&
    !isTerminal(pod) &&
    !(pod.spec?.schedulingGates?.length)
  );
}

/** Whether a node update can change scheduling decisions (heartbeats and status churn cannot). */
export function nodeSchedulingChanged(old: Node, node: Node): boolean {
  return (
    old.spec?.unschedulable !== node.spec?.unschedulable ||
    JSON.stringify(old.status?.allocatable) !== JSON.stringify(node.status?.allocatable) ||
    JSON.stringify(old.metadata?.labels) !== JSON.stringify(node.metadata?.labels) ||
    JSON.stringify(old.spec?.taints) !== JSON.stringify(node.spec?.taints)
  );
}

/**
 * Whether an update of a pending pod can change where it fits (kube-scheduler's isPodUpdated):
 * changes of status, resourceVersion, generation, managedFields and finalizers cannot. The
 * scheduler's own status patch on an unschedulable pod must not make it retry at once.
 */
export function podUpdateMatters(old: Pod, pod: Pod): boolean {
  return schedulingView(old) !== schedulingView(pod);
}

function schedulingView(pod: Pod): string {
  const { resourceVersion: _rv, generation: _gen, managedFields: _mf, finalizers: _fin, ...metadata } = pod.metadata ?? {};
  return JSON.stringify([metadata, pod.spec]);
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * The status patch recording that a pod is unschedulable (PodScheduled=False, reason
 * Unschedulable), or undefined when the pod already says exactly that.
 */
export function unschedulablePatch(pod: Pod, message: string, now: string): Record<string, unknown> | undefined {
  const existing = (pod.status?.conditions as PodCondition[] | undefined)?.find((c) => c.type === 'PodScheduled');
  if (existing?.status === 'False' && existing.reason === 'Unschedulable' && existing.message === message) return undefined;
  const lastTransitionTime = existing?.status === 'False' && existing.lastTransitionTime ? existing.lastTransitionTime : now;
  const condition = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime, reason: 'Unschedulable', message };
  return { status: { conditions: [condition] } };
}
