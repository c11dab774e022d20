// The result a probe worker reports (prober/worker.go doProbe): a new outcome counts only once it
// has repeated successThreshold (or failureThreshold) times in a row; readiness starts as failing,
// liveness as passing, startup as not yet known.
import type { Probe } from 'kubernetes-types/core/v1';
import type { ProbeResult } from './probes-check.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ProbeState {
  /** The result in force. */
  result: ProbeResult | undefined;
  lastOutcome: ProbeResult | undefined;
  /** How many times in a row lastOutcome came. */
  run: number;
  /** Liveness and startup stop probing after a failure, until the container is replaced. */
  onHold: boolean;
}

export function initialProbeState(kind: ProbeKind): ProbeState {
  return { result: kind === 'readiness' ? 'failure' : kind === 'liveness' ? 'success' : undefined, lastOutcome: undefined, run: 0, onHold: false };
}

/** The state after one probe outcome. */
export function nextProbeState(state: ProbeState, outcome: ProbeResult, probe: Probe, kind: ProbeKind): ProbeState {
  const run = state.lastOutcome === outcome ? state.run + 1 : 1;
  const needed = outcome === 'success' ? (probe.successThreshold ?? 1) : (probe.failureThreshold ?? 3);
  if (run < needed) return { ...state, lastOutcome: outcome, run };
  const failed = outcome === 'failure' && kind !== 'readiness';
  // After a liveness or startup failure the count starts over, like the kubelet's resultRun = 0.
  return { result: outcome, lastOutcome: outcome, run: failed ? 0 : run, onHold: failed };
}
