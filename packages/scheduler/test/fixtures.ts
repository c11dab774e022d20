// Object builders for the scheduler's unit tests.
import type { Node, Pod } from '@mini-kube/api';
import type { Affinity, Container, Taint, Toleration } from 'kubernetes-types/core/v1';
import { NodeInfo } from '../src/node-info.js';
import { newPodInfo, type PodInfo } from '../src/pod-info.js';

export interface NodeSpec {
  cpu?: string;
  memory?: string;
  pods?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function makeNode(name: string, s: NodeSpec = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...s.labels } },
    spec: { taints: s.taints, unschedulable: s.unschedulable },
    status: { allocatable: { cpu: s.cpu ?? '4', memory: s.memory ?? '8Gi', pods: s.pods ?? '110', ...s.extra } },
  };
}

export interface PodSpecLite {
  cpu?: string;
  memory?: string;
  extra?: Record<string, string>;
  hostPort?: number;
  hostIP?: string;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  owner?: string;
  nodeName?: string;
  initContainers?: Container[];
}

export function makePod(name: string, s: PodSpecLite = {}): Pod {
  const requests: Record<string, string> = { ...s.extra };
  if (s.cpu) requests.cpu = s.cpu;
  if (s.memory) requests.memory = s.memory;
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ownerReferences: s.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: s.owner, uid: s.owner, controller: true }] : undefined,
    },
    spec: {
      nodeName: s.nodeName,
      nodeSelector: s.nodeSelector,
      affinity: s.affinity,
      tolerations: s.tolerations,
      initContainers: s.initContainers,
      containers: [
        {
          name: 'c',
          image: 'x',
          resources: { requests },
          ports: s.hostPort ? [{ containerPort: 80, hostPort: s.hostPort, hostIP: s.hostIP }] : undefined,
        },
      ],
    },
  };
}

export const podInfo = (name: string, s: PodSpecLite = {}): PodInfo => newPodInfo(makePod(name, s));

/** A NodeInfo with the given pods already bound to it. */
export function nodeInfo(name: string, s: NodeSpec = {}, pods: PodInfo[] = []): NodeInfo {
  const info = new NodeInfo(makeNode(name, s));
  for (const p of pods) info.addPod(p);
  return info;
}
