// The outcome of one filter on one node. `null` is success; a rejection carries its code, which
// decides whether preemption could help (Unschedulable) or not (UnschedulableAndUnresolvable),
// and the reasons counted in the "0/N nodes are available" message.

export type RejectionCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface Rejection {
  readonly code: RejectionCode;
  readonly reasons: readonly string[];
}

export type FilterStatus = Rejection | null;

export const unschedulable = (...reasons: string[]): Rejection => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Rejection => ({ code: 'UnschedulableAndUnresolvable', reasons });

/** The highest score a score plugin gives a node after normalizing. */
export const MAX_NODE_SCORE = 100;
