// Which pods a ReplicaSet deletes first when it scales down (controller_utils.go
// ActivePodsWithRanks, with the PodDeletionCost and LogarithmicScaleDown gates on, as in 1.32):
// the cheapest to lose go first — unscheduled, pending, not ready, low deletion cost, crowded
// onto one node, ready for less time, restarting more, created more recently.
import type { Pod } from 'kubernetes-types/core/v1';
import { isPodActive, isPodReady, podReadySince } from './pods.js';

export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const raw = pod.metadata?.annotations?.[DELETION_COST_ANNOTATION];
  if (raw === undefined || !/^[+-]?\d+$/.test(raw.trim())) return 0;
  const n = Number(raw);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** The highest restart count of regular containers, then of restartable init (sidecar) containers. */
function maxRestarts(pod: Pod): [number, number] {
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const regular = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
  const sidecar = Math.max(0, ...(pod.status?.initContainerStatuses ?? []).filter((s) => sidecars.has(s.name)).map((s) => s.restartCount ?? 0));
  return [regular, sidecar];
}

/** floor(log2(age in ns)), -1 for no age: timestamps in the same power-of-two bucket tie. */
function logRank(at: number, now: number): number {
  const ageNs = (now - at) * 1e6;
  return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
}

/**
 * Orders two timestamps for deletion: missing first, then more recent first, comparing on a
 * logarithmic scale (with the uid as tie breaker) so near-equal ages don't decide.
 */
function compareTimes(a: Pod, ta: number | undefined, b: Pod, tb: number | undefined, now: number): number {
  if (ta === tb) return 0;
  if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff !== 0) return diff;
  return (a.metadata?.uid ?? '').localeCompare(b.metadata?.uid ?? '');
}

const createdAt = (pod: Pod): number | undefined => {
  const t = Date.parse(pod.metadata?.creationTimestamp ?? '');
  return Number.isFinite(t) ? t : undefined;
};

export interface RankedPod<P extends Pod = Pod> {
  pod: P;
  /** How many related active pods share its node: higher is deleted first. */
  rank: number;
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  const [pa, pb] = [a.pod, b.pod];
  const [na, nb] = [pa.spec?.nodeName ?? '', pb.spec?.nodeName ?? ''];
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const phase = (PHASE_ORDER[pa.status?.phase ?? ''] ?? 0) - (PHASE_ORDER[pb.status?.phase ?? ''] ?? 0);
  if (phase !== 0) return phase;
  if (isPodReady(pa) !== isPodReady(pb)) return isPodReady(pa) ? 1 : -1;
  const cost = deletionCost(pa) - deletionCost(pb);
  if (cost !== 0) return cost;
  if (a.rank !== b.rank) return b.rank - a.rank;
  if (isPodReady(pa) && isPodReady(pb)) {
    const ready = compareTimes(pa, podReadySince(pa), pb, podReadySince(pb), now);
    if (ready !== 0) return ready;
  }
  const [ra, rb] = [maxRestarts(pa), maxRestarts(pb)];
  if (ra[0] !== rb[0]) return rb[0] - ra[0];
  if (ra[1] !== rb[1]) return rb[1] - ra[1];
  return compareTimes(pa, createdAt(pa), pb, createdAt(pb), now);
}

/**
 * The `count` pods to delete (getPodsToDelete). Pods are ranked by how many active `related` pods
 * (the pods of every ReplicaSet with the same owner) share their node.
 */
export function podsToDelete<P extends Pod>(pods: readonly P[], related: readonly Pod[], count: number, now: number): P[] {
  if (count >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: perNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  return ranked.sort((a, b) => compareForDeletion(a, b, now)).slice(0, count).map((r) => r.pod);
}
