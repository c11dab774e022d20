// Node health (pkg/controller/nodelifecycle's tryUpdateNodeHealth): a node is stale when its kubelet
// has not shown a sign of life for the grace period. Signs of life are a new Lease renewTime or a
// new Ready heartbeat; their age is measured on the controller's own clock from when a change was
// *observed*, as Kubernetes does, so clock skew between hosts does not matter.
import type { NodeCondition } from 'kubernetes-types/core/v1';

/** The conditions the controller turns to Unknown when the kubelet goes silent. */
export const WATCHED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export const STOPPED_POSTING = { reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
export const NEVER_POSTED = { reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' };

/** Remembers, per node, the last heartbeat seen and when it was first seen. */
export class HeartbeatTracker {
  private readonly seen = new Map<string, { signal: string; at: number }>();

  /** Records the node's current heartbeat; returns when it last changed (the probe time). */
  observe(node: string, signal: string, now: number): number {
    const last = this.seen.get(node);
    if (last && last.signal === signal) return last.at;
    this.seen.set(node, { signal, at: now });
    return now;
  }

  /** Drops nodes that no longer exist. */
  retain(nodes: ReadonlySet<string>): void {
    for (const name of this.seen.keys()) if (!nodes.has(name)) this.seen.delete(name);
  }
}

/** The heartbeat of a node: its lease's renewTime and its Ready condition's lastHeartbeatTime. */
export function heartbeatSignal(leaseRenewTime: string | undefined, conditions: readonly NodeCondition[] | undefined): string {
  const ready = conditions?.find((c) => c.type === 'Ready');
  return `${leaseRenewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}`;
}

/**
 * The conditions of a stale node: every watched condition Unknown, keeping its last heartbeat.
 * Undefined when they already are (no write needed).
 */
export function unknownConditions(
  conditions: readonly NodeCondition[] | undefined,
  nowIso: string,
  creationTimestamp: string | undefined,
): NodeCondition[] | undefined {
  const list = [...(conditions ?? [])];
  let changed = false;
  for (const type of WATCHED_CONDITIONS) {
    const at = list.findIndex((c) => c.type === type);
    const existing = at >= 0 ? list[at] : undefined;
    if (existing?.status === 'Unknown') continue;
    changed = true;
    const next: NodeCondition = existing
      ? { ...existing, status: 'Unknown', ...STOPPED_POSTING, lastTransitionTime: nowIso }
      : { type, status: 'Unknown', ...NEVER_POSTED, lastHeartbeatTime: creationTimestamp, lastTransitionTime: nowIso };
    if (existing) list[at] = next;
    else list.push(next);
  }
  return changed ? list : undefined;
}

export function readyStatus(conditions: readonly NodeCondition[] | undefined): string | undefined {
  return conditions?.find((c) => c.type === 'Ready')?.status;
}
