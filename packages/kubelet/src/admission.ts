// Pod admission on the node (lifecycle's predicate admit handler, reduced to resources): a pod the
// node cannot hold is rejected with phase Failed and reason OutOf<resource>, as a real kubelet does
// when the scheduler's view was stale.
import { milliValue, parseQuantity } from '@mini-kube/machinery';
import type { Container, Pod } from 'kubernetes-types/core/v1';

export interface Rejection {
  reason: string;
  message: string;
}

/** Requests in millicores and bytes. */
export type Amounts = { cpu: number; memory: number };

function containerRequests(c: Container): Amounts {
  const requests = c.resources?.requests ?? {};
  const limits = c.resources?.limits ?? {};
  const cpu = requests.cpu ?? limits.cpu;
  const memory = requests.memory ?? limits.memory;
  return { cpu: cpu ? milliValue(cpu) : 0, memory: memory ? parseQuantity(memory) : 0 };
}

/** The pod's effective requests: its containers' sum, or its largest init container, whichever is more. */
export function podRequests(pod: Pod): Amounts {
  const sum = { cpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    const r = containerRequests(c);
    sum.cpu += r.cpu;
    sum.memory += r.memory;
  }
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c);
    sum.cpu = Math.max(sum.cpu, r.cpu);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  return sum;
}

/**
 * Why a pod requesting `wanted` cannot join the admitted pods (their requests) on a node with
 * `allocatable`, or undefined when it fits. Requests come from `podRequests`, once per pod.
 */
export function admitPod(wanted: Amounts, admitted: readonly Amounts[], allocatable: Record<string, string>): Rejection | undefined {
  const reject = (resource: string, requested: number, used: number, capacity: number): Rejection => ({
    reason: `OutOf${resource}`,
    message: `Pod was rejected: Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  });
  const maxPods = Number(allocatable.pods ?? Infinity);
  if (admitted.length + 1 > maxPods) return reject('pods', 1, admitted.length, maxPods);
  const used = admitted.reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
  const cpu = allocatable.cpu ? milliValue(allocatable.cpu) : Infinity;
  if (wanted.cpu > 0 && used.cpu + wanted.cpu > cpu) return reject('cpu', wanted.cpu, used.cpu, cpu);
  const memory = allocatable.memory ? parseQuantity(allocatable.memory) : Infinity;
  if (wanted.memory > 0 && used.memory + wanted.memory > memory) return reject('memory', wanted.memory, used.memory, memory);
  return undefined;
}
