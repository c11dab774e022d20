// Printers of the cluster-level kinds: Node, Namespace and coordination.k8s.io Lease.
import { translateTimestampSince } from '@mini-kube/machinery';
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Namespace, Node } from 'kubernetes-types/core/v1';
import { ageColumn, column, convertor, nameColumn, wide } from './columns.js';

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** STATUS: `Ready`/`NotReady`/`Unknown`, plus `SchedulingDisabled` when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** ROLES from `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role=<role>` label. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(ROLE_LABEL_PREFIX)) {
      const role = key.slice(ROLE_LABEL_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === LEGACY_ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort().join(',') || '<none>';
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}

export const nodeConvertor = convertor<Node>(
  [
    nameColumn(),
    column('Status', { description: 'The status of the node' }),
    column('Roles', { description: 'The roles of the node' }),
    ageColumn(),
    column('Version', { description: 'Kubelet Version reported by the node.' }),
    wide('Internal-IP'),
    wide('External-IP'),
    wide('OS-Image'),
    wide('Kernel-Version'),
    wide('Container-Runtime'),
  ],
  (node, now) => {
    const info = node.status?.nodeInfo;
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      translateTimestampSince(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
);

export const namespaceConvertor = convertor<Namespace>(
  [nameColumn(), column('Status', { description: 'The status of the namespace' }), ageColumn()],
  (ns, now) => [ns.metadata?.name ?? '', ns.status?.phase ?? '', translateTimestampSince(ns.metadata?.creationTimestamp, now)],
);

export const leaseConvertor = convertor<Lease>([nameColumn(), column('Holder'), ageColumn()], (lease, now) => [
  lease.metadata?.name ?? '',
  lease.spec?.holderIdentity ?? '',
  translateTimestampSince(lease.metadata?.creationTimestamp, now),
]);
