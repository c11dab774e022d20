// What the scheduler needs to know about a pod, computed once per pod version: its requests,
// host ports, tolerations and compiled node affinity. Filters and scores read only this.
import type { Pod } from '@mini-kube/api';
import type { Toleration } from 'kubernetes-types/core/v1';
import { getControllerOf } from '@mini-kube/machinery';
import { compileRequiredNodeAffinity, compileTerm, type NodeMatcher } from './node-selector.js';
import { podRequests, type Resources } from './resources.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface PreferredTerm {
  weight: number;
  matches: NodeMatcher;
}

export interface PodInfo {
  readonly key: string;
  readonly pod: Pod;
  readonly requests: Resources;
  /** Requests with defaults for containers that set none: what scoring counts. */
  readonly nonZeroRequests: Resources;
  readonly hostPorts: readonly HostPort[];
  readonly tolerations: readonly Toleration[];
  readonly requiredAffinity: NodeMatcher | undefined;
  readonly preferredAffinity: readonly PreferredTerm[];
  /** uid of the controlling owner: pods of one owner are spread across nodes. */
  readonly ownerUid: string | undefined;
  readonly priority: number;
}

export const podKey = (pod: Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;

function hostPortsOf(pod: Pod): HostPort[] {
  const ports: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      ports.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return ports;
}

export function newPodInfo(pod: Pod): PodInfo {
  const affinity = pod.spec?.affinity?.nodeAffinity;
  return {
    key: podKey(pod),
    pod,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, true),
    hostPorts: hostPortsOf(pod),
    tolerations: pod.spec?.tolerations ?? [],
    requiredAffinity: compileRequiredNodeAffinity(pod.spec?.nodeSelector, affinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: (affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .filter((t) => t.weight !== 0)
      .map((t) => ({ weight: t.weight, matches: compileTerm(t.preference) })),
    ownerUid: getControllerOf(pod)?.uid,
    priority: pod.spec?.priority ?? 0,
  };
}
