// The kinds, tunables and shared shapes of the HorizontalPodAutoscaler controller.
import { findResource, type KObject } from '@mini-kube/api';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition } from 'kubernetes-types/autoscaling/v2';
import type { Pod } from 'kubernetes-types/core/v1';

export type HpaObject = HorizontalPodAutoscaler & KObject;
export type PodObject = Pod & KObject;

export const HPAS = findResource('autoscaling', 'v2', 'horizontalpodautoscalers')!;
export const PODS = findResource('', 'v1', 'pods')!;

/** The kube-controller-manager flags of the HPA controller (`--horizontal-pod-autoscaler-*`). */
export interface HpaOptions {
  /** How often each HPA is reconciled (sync-period, 15 s). */
  syncPeriodMs: number;
  /** Ratios within 1 ± tolerance do not scale (tolerance, 0.1). */
  tolerance: number;
  /** Scale-down stabilisation window of HPAs without `behavior.scaleDown` (downscale-stabilization, 5 min). */
  downscaleStabilizationMs: number;
  /** A cpu sample of a pod this young is trusted only once it is ready (cpu-initialization-period, 5 min). */
  cpuInitializationPeriodMs: number;
  /** A pod unready within this long after its start has never been ready (initial-readiness-delay, 30 s). */
  initialReadinessDelayMs: number;
}

export const DEFAULT_HPA_OPTIONS: HpaOptions = {
  syncPeriodMs: 15_000,
  tolerance: 0.1,
  downscaleStabilizationMs: 300_000,
  cpuInitializationPeriodMs: 300_000,
  initialReadinessDelayMs: 30_000,
};

/** One pod's usage of a resource, summed over its containers, in milli-units (millicores, millibytes). */
export interface PodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}

/** Pod name → its metric. */
export type PodMetrics = Map<string, PodMetric>;

export type Condition = HorizontalPodAutoscalerCondition;
export type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

/** A condition to set: lastTransitionTime is filled in when it is written. */
export interface PlannedCondition {
  type: ConditionType;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}
