// Which nodes a DaemonSet's pod belongs on (daemon_controller.go NodeShouldRunDaemonPod): the
// template's nodeName, nodeSelector and required node affinity must fit the node, and its taints
// must be tolerated — with the tolerations every daemon pod gets (AddOrUpdateDaemonPodTolerations).
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1';

const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
const HOST_NETWORK_TOLERATION: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

/**
 * The template's tolerations plus the daemon ones. A toleration matching one of those (same key,
 * effect, operator and value) is replaced by it, dropping e.g. a tolerationSeconds (AddOrUpdateTolerationInPodSpec).
 */
export function withDaemonTolerations(spec: PodSpec | undefined): Toleration[] {
  const added = spec?.hostNetwork ? [...DAEMON_TOLERATIONS, HOST_NETWORK_TOLERATION] : DAEMON_TOLERATIONS;
  const same = (t: Toleration, a: Toleration) => t.key === a.key && t.effect === a.effect && t.operator === a.operator && !t.value;
  const existing = (spec?.tolerations ?? []).filter((t) => !added.some((a) => same(t, a)));
  return [...existing, ...added.map((t) => ({ ...t }))];
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true; // an empty key with Exists tolerates every taint
  return (t.operator ?? 'Equal') === 'Equal' && Boolean(t.key) && (t.value ?? '') === (taint.value ?? '');
}

const untolerated = (taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): boolean =>
  taints.some((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));

function requirementMatches(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const [n, bound] = [Number(value), Number(values[0])];
      if (value === undefined || !/^-?\d+$/.test(value) || !Number.isFinite(bound)) return false;
      return req.operator === 'Gt' ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

/** A term matches when all its expressions (labels) and fields (metadata.name) do; an empty term matches nothing. */
export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  return (
    exprs.every((r) => requirementMatches(r, labels[r.key])) &&
    fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, node.metadata?.name))
  );
}

/** nodeSelector and required node affinity (GetRequiredNodeAffinity(pod).Match(node)). */
export function fitsNodeAffinity(spec: PodSpec | undefined, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  if (!Object.entries(spec?.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || (required.nodeSelectorTerms ?? []).some((term) => termMatches(term, node));
}

export interface NodeFit {
  /** A daemon pod should be created here. */
  shouldRun: boolean;
  /** A daemon pod already here may stay (a NoSchedule taint it does not tolerate does not evict it). */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeFit {
  const spec = ds.spec?.template?.spec;
  const nodeName = node.metadata?.name;
  if (spec?.nodeName && spec.nodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsNodeAffinity(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = withDaemonTolerations(spec);
  if (!untolerated(taints, tolerations, ['NoSchedule', 'NoExecute'])) return { shouldRun: true, shouldContinueRunning: true };
  return { shouldRun: false, shouldContinueRunning: !untolerated(taints, tolerations, ['NoExecute']) };
}

/** The node a daemon pod is for: its nodeName, or the node its matchFields affinity pins it to (GetTargetNodeName). */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length !== 1) return undefined;
  const field = (terms[0]!.matchFields ?? []).find((f) => f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1);
  return field?.values?.[0];
}
