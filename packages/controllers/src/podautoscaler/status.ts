// The HPA status as the controller writes it (setStatus, setCondition in horizontal.go).
import { setCondition, type Condition as MachineryCondition, formatTime } from '@mini-kube/machinery';
import type { HorizontalPodAutoscalerStatus, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { Condition, PlannedCondition } from './types.js';

/** Sets each condition in order; lastTransitionTime moves only when a condition's status changes. */
export function withConditions(conditions: readonly Condition[] | undefined, planned: readonly PlannedCondition[], nowMs: number): Condition[] {
  // HorizontalPodAutoscalerCondition lacks the index signature machinery's Condition has.
  let result = [...(conditions ?? [])] as MachineryCondition[];
  for (const c of planned) result = setCondition(result, { ...c }, formatTime(nowMs));
  return result as Condition[];
}

export interface StatusInput {
  previous: HorizontalPodAutoscalerStatus | undefined;
  currentReplicas: number;
  desiredReplicas: number;
  metrics: MetricStatus[];
  conditions: Condition[];
  /** Set when the target was rescaled now. */
  rescaledAtMs?: number;
}

export function buildStatus(input: StatusInput): HorizontalPodAutoscalerStatus {
  const lastScaleTime = input.rescaledAtMs !== undefined ? formatTime(input.rescaledAtMs) : input.previous?.lastScaleTime;
  return {
    ...(lastScaleTime ? { lastScaleTime } : {}),
    currentReplicas: input.currentReplicas,
    desiredReplicas: input.desiredReplicas,
    ...(input.metrics.length > 0 ? { currentMetrics: input.metrics } : {}),
    ...(input.conditions.length > 0 ? { conditions: input.conditions } : {}),
  };
}
