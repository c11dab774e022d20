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
  /**
   * No node name, required affinity, host ports or extended resources: on a node without
   * NoSchedule/NoExecute taints that is not cordoned, only cpu, memory, storage and pod count decide.
   */
  readonly plain: boolean;
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

/**
 * The PodInfo of a pod. `previous`, an info of an earlier version of the same pod, lends its
 * requests and host ports: a pod's containers and their resources cannot change after creation.
 */
export function newPodInfo(pod: Pod, previous?: PodInfo): PodInfo {
  const affinity = pod.spec?.affinity?.nodeAffinity;
  const uid = pod.metadata?.uid;
  const same = previous !== undefined && uid !== undefined && previous.pod.metadata?.uid === uid;
  const requests = same ? previous.requests : podRequests(pod);
  const hostPorts = same ? previous.hostPorts : hostPortsOf(pod);
  const requiredAffinity = compileRequiredNodeAffinity(pod.spec?.nodeSelector, affinity?.requiredDuringSchedulingIgnoredDuringExecution);
  return {
    key: podKey(pod),
    pod,
    requests,
    nonZeroRequests: same ? previous.nonZeroRequests : podRequests(pod, true),
    hostPorts,
    tolerations: pod.spec?.tolerations ?? [],
    requiredAffinity,
    preferredAffinity: (affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .filter((t) => t.weight !== 0)
      .map((t) => ({ weight: t.weight, matches: compileTerm(t.preference) })),
    ownerUid: getControllerOf(pod)?.uid,
    priority: pod.spec?.priority ?? 0,
    plain: !pod.spec?.nodeName && !requiredAffinity && hostPorts.length === 0 && requests.scalar.size === 0,
  };
}
