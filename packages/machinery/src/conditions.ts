// Status conditions, kept the way meta.SetStatusCondition keeps them: one per type, and
// lastTransitionTime moves only when the status changes. Functions return new arrays.

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
  [field: string]: unknown;
}

export function getCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return getCondition(conditions, type)?.status === 'True';
}

/**
 * Sets `condition` in `conditions`. `now` (RFC 3339) stamps lastTransitionTime when the
 * condition is new or its status changed and the caller gave none; otherwise the old time stays.
 */
export function setCondition<C extends Condition>(conditions: readonly C[] | undefined, condition: C, now: string): C[] {
  const list = [...(conditions ?? [])];
  const at = list.findIndex((c) => c.type === condition.type);
  const existing = at >= 0 ? list[at] : undefined;
  const transitioned = !existing || existing.status !== condition.status;
  const lastTransitionTime = transitioned ? (condition.lastTransitionTime ?? now) : existing.lastTransitionTime ?? now;
  const next = { ...condition, lastTransitionTime };
  if (at >= 0) list[at] = next;
  else list.push(next);
  return list;
}

export function removeCondition<C extends Condition>(conditions: readonly C[] | undefined, type: string): C[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}
