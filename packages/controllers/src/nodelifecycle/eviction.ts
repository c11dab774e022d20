// Taint-based eviction (pkg/controller/tainteviction): a pod on a node with NoExecute taints must
// tolerate each of them, and goes when the shortest tolerationSeconds it relies on has passed
// since the taint was added.
import type { Taint, Toleration } from 'kubernetes-types/core/v1';

/** v1helper.TolerationsTolerateTaint for one toleration and one taint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/**
 * When the pod must be evicted (ms since the epoch): `now`-or-earlier for an untolerated taint,
 * undefined when it tolerates every NoExecute taint forever. `addedAt` gives each taint's start.
 */
export function evictionTime(
  tolerations: readonly Toleration[] | undefined,
  taints: readonly Taint[] | undefined,
  addedAt: (taint: Taint) => number,
): number | undefined {
  let earliest: number | undefined;
  for (const taint of taints ?? []) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = (tolerations ?? []).filter((t) => tolerates(t, taint));
    if (matching.length === 0) return Number.NEGATIVE_INFINITY;
    const bounded = matching.filter((t) => t.tolerationSeconds !== undefined && t.tolerationSeconds !== null);
    // Only unbounded tolerations: it may stay forever. Otherwise the shortest bound wins, as in
    // getMinTolerationTime, even when an unbounded toleration matches too.
    if (bounded.length === 0) continue;
    const seconds = Math.max(0, Math.min(...bounded.map((t) => t.tolerationSeconds!)));
    const at = addedAt(taint) + seconds * 1000;
    earliest = earliest === undefined ? at : Math.min(earliest, at);
  }
  return earliest;
}
