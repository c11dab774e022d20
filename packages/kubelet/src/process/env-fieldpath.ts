// The downward API's field and resource references (pkg/fieldpath and the kubelet's
// podFieldSelectorRuntimeValue / ExtractContainerResourceValue), shared by env vars and volumes.
import { parseQuantityExact, scaledValue } from '@mini-kube/machinery';
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1';

export interface PodNetwork {
  podIP: string;
  hostIP: string;
}

/** `key="value"` lines, sorted by key: how a whole labels or annotations map is rendered. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

const SUBSCRIPTED = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** The value of a fieldRef; throws for a path the downward API does not support. */
export function fieldRefValue(ref: ObjectFieldSelector, pod: Pod, net: PodNetwork): string {
  const path = ref.fieldPath;
  const meta = pod.metadata ?? {};
  const sub = SUBSCRIPTED.exec(path);
  if (sub) return (sub[1] === 'labels' ? meta.labels : meta.annotations)?.[sub[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return net.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return net.hostIP;
    default:
      throw new Error(`unsupported fieldPath: ${path}`);
  }
}

const ceilDiv = (a: bigint, b: bigint): bigint => (b === 0n ? 0n : (a + b - 1n) / b);

/**
 * The value of a resourceFieldRef for `container`: limits default to the node's allocatable (as
 * the kubelet does), the divisor (default 1) rounds up.
 */
export function resourceFieldValue(ref: ResourceFieldSelector, container: Container, allocatable: Record<string, string> = {}): string {
  const [kind, name] = ref.resource.split('.') as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !name || !['cpu', 'memory', 'ephemeral-storage'].includes(name)) {
    throw new Error(`unsupported container resource: ${ref.resource}`);
  }
  const declared = container.resources?.[kind]?.[name];
  const raw = declared !== undefined ? String(declared) : kind === 'limits' ? allocatable[name] : undefined;
  const divisor = parseQuantityExact(String(ref.divisor ?? '1'));
  if (name === 'cpu') {
    const milli = raw === undefined ? 0n : scaledValue(raw, -3);
    return String(ceilDiv(milli, scaledValue(divisor, -3)));
  }
  const bytes = raw === undefined ? 0n : scaledValue(raw, 0);
  return String(ceilDiv(bytes, scaledValue(divisor, 0)));
}
