// The taints the node lifecycle controller owns (doNoScheduleTaintingPass and
// processTaintBaseEviction): derived from the node's conditions and spec.unschedulable. Taints
// anyone else set are left alone.
import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1';

export const NOT_READY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** Condition (type, status) → NoSchedule taint key. */
const NO_SCHEDULE_BY_CONDITION: [type: string, status: string, key: string][] = [
  ['Ready', 'False', NOT_READY],
  ['Ready', 'Unknown', UNREACHABLE],
  ['MemoryPressure', 'True', 'node.kubernetes.io/memory-pressure'],
  ['DiskPressure', 'True', 'node.kubernetes.io/disk-pressure'],
  ['PIDPressure', 'True', 'node.kubernetes.io/pid-pressure'],
  ['NetworkUnavailable', 'True', 'node.kubernetes.io/network-unavailable'],
];

type TaintId = Pick<Taint, 'key' | 'effect'>;

const MANAGED: TaintId[] = [
  ...NO_SCHEDULE_BY_CONDITION.map(([, , key]) => ({ key, effect: 'NoSchedule' })),
  { key: NOT_READY, effect: 'NoExecute' },
  { key: UNREACHABLE, effect: 'NoExecute' },
  { key: UNSCHEDULABLE, effect: 'NoSchedule' },
];

const same = (a: TaintId, b: TaintId): boolean => a.key === b.key && a.effect === b.effect;

/** The controller-owned taints a node should carry now. */
export function desiredTaints(node: Pick<Node, 'spec' | 'status'>): TaintId[] {
  const conditions: readonly NodeCondition[] = node.status?.conditions ?? [];
  const statusOf = (type: string): string | undefined => conditions.find((c) => c.type === type)?.status;
  const taints: TaintId[] = NO_SCHEDULE_BY_CONDITION.filter(([type, status]) => statusOf(type) === status).map(([, , key]) => ({
    key,
    effect: 'NoSchedule',
  }));
  const ready = statusOf('Ready');
  if (ready === 'False') taints.push({ key: NOT_READY, effect: 'NoExecute' });
  if (ready === 'Unknown') taints.push({ key: UNREACHABLE, effect: 'NoExecute' });
  if (node.spec?.unschedulable) taints.push({ key: UNSCHEDULABLE, effect: 'NoSchedule' });
  return taints;
}

/**
 * `current` with managed taints that are no longer wanted removed and wanted ones added (stamped
 * with timeAdded); undefined when nothing changes.
 */
export function reconcileTaints(current: readonly Taint[] | undefined, desired: readonly TaintId[], nowIso: string): Taint[] | undefined {
  const existing = current ?? [];
  const kept = existing.filter((t) => !MANAGED.some((m) => same(m, t)) || desired.some((d) => same(d, t)));
  const added = desired.filter((d) => !existing.some((t) => same(t, d))).map((d) => ({ ...d, timeAdded: nowIso }) as Taint);
  if (added.length === 0 && kept.length === existing.length) return undefined;
  return [...kept, ...added];
}
