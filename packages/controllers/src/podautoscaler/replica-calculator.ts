// The replica arithmetic of pkg/controller/podautoscaler/replica_calculator.go, pure: from the
// target's pods and their metrics to a proposed replica count. Pods without metrics and pods not
// yet ready are assumed to use 100% / 0% of their request, whichever dampens the change, and a
// change that would flip direction under those assumptions is not made.
import { milliValue } from '@mini-kube/machinery';
import type { PodMetrics, PodObject } from './types.js';

export interface CalculatorConfig {
  tolerance: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
  nowMs: number;
}

export interface PodGroups {
  readyCount: number;
  /** Pending pods, and (for cpu) pods not ready or still warming up: 0% on a scale-up, else left out. */
  unready: Set<string>;
  /** Running pods without a metric: 0% on a scale-up, 100% on a scale-down. */
  missing: Set<string>;
  /** Terminating and failed pods: never counted. */
  ignored: Set<string>;
}

const ms = (ts: string | undefined): number | undefined => (ts ? Date.parse(ts) : undefined);

export function groupPods(pods: readonly PodObject[], metrics: PodMetrics, resource: string, cfg: CalculatorConfig): PodGroups {
  const groups: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name!;
    const phase = pod.status?.phase;
    if (pod.metadata.deletionTimestamp || phase === 'Failed') groups.ignored.add(name);
    else if (phase === 'Pending' || phase === undefined) groups.unready.add(name);
    else if (!metrics.has(name)) groups.missing.add(name);
    else if (resource === 'cpu' && cpuSampleUnready(pod, metrics.get(name)!, cfg)) groups.unready.add(name);
    else groups.readyCount++;
  }
  return groups;
}

/** A cpu sample is not trusted while the pod warms up, nor from a pod that has never been ready. */
function cpuSampleUnready(pod: PodObject, metric: { timestampMs: number; windowMs: number }, cfg: CalculatorConfig): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const started = ms(pod.status?.startTime);
  if (!ready || started === undefined) return true;
  const transition = ms(ready.lastTransitionTime) ?? 0;
  if (started + cfg.cpuInitializationPeriodMs > cfg.nowMs) {
    // Within the initialisation period: the sample must cover a full window since becoming ready.
    return ready.status === 'False' || metric.timestampMs < transition + metric.windowMs;
  }
  return ready.status === 'False' && started + cfg.initialReadinessDelayMs > transition;
}

export class CalculationError extends Error {}

/** Each pod's request of `resource` in milli-units, summed over its (and sidecar) containers. */
export function podRequests(pods: readonly PodObject[], resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
    let sum = 0;
    for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
      const request = c.resources?.requests?.[resource];
      if (request === undefined) throw new CalculationError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += milliValue(String(request));
    }
    requests.set(pod.metadata.name!, sum);
  }
  return requests;
}

export interface UtilizationRatio {
  ratio: number;
  /** Whole percent of the requests in use (truncated, as the integer arithmetic upstream). */
  utilization: number;
  /** Average usage per pod, milli-units. */
  rawAverage: number;
}

export function resourceUtilizationRatio(metrics: PodMetrics, requests: Map<string, number>, targetUtilization: number): UtilizationRatio {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [pod, metric] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new CalculationError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / entries) };
}

export function metricUsageRatio(metrics: PodMetrics, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const metric of metrics.values()) total += metric.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}

export interface ResourceProposal {
  replicas: number;
  utilization: number;
  rawAverage: number;
}

/** GetResourceReplicas: the replicas that bring the average utilization (percent of requests) to the target. */
export function resourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  pods: readonly PodObject[],
  podMetrics: PodMetrics,
  cfg: CalculatorConfig,
): ResourceProposal {
  if (pods.length === 0) throw new CalculationError('no pods returned by selector while calculating replica count');
  const metrics = new Map(podMetrics);
  const groups = groupPods(pods, metrics, resource, cfg);
  for (const name of [...groups.ignored, ...groups.unready]) metrics.delete(name);
  if (metrics.size === 0) throw new CalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, resource);
  const { ratio, utilization, rawAverage } = resourceUtilizationRatio(metrics, requests, targetUtilization);
  const keep = (replicas: number): ResourceProposal => ({ replicas, utilization, rawAverage });

  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - ratio) <= cfg.tolerance) return keep(currentReplicas);
    return keep(Math.ceil(ratio * groups.readyCount));
  }
  // On a scale-down missing pods use all their request (or the target, when above 100%).
  const fallback = Math.max(100, targetUtilization);
  fillAssumed(metrics, groups, ratio, scaleUpWithUnready, (pod) => Math.trunc(((requests.get(pod) ?? 0) * fallback) / 100));
  const newRatio = resourceUtilizationRatio(metrics, requests, targetUtilization).ratio;
  return keep(dampened(currentReplicas, ratio, newRatio, metrics.size, cfg.tolerance));
}

export interface ValueProposal {
  replicas: number;
  /** Average usage per pod, milli-units. */
  usage: number;
}

/** GetRawResourceReplicas / calcPlainMetricReplicas: the replicas that bring the average usage to `targetUsage` (milli). */
export function rawResourceReplicas(
  currentReplicas: number,
  targetUsage: number,
  resource: string,
  pods: readonly PodObject[],
  podMetrics: PodMetrics,
  cfg: CalculatorConfig,
): ValueProposal {
  if (pods.length === 0) throw new CalculationError('no pods returned by selector while calculating replica count');
  const metrics = new Map(podMetrics);
  const groups = groupPods(pods, metrics, resource, cfg);
  for (const name of [...groups.ignored, ...groups.unready]) metrics.delete(name);
  if (metrics.size === 0) throw new CalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = metricUsageRatio(metrics, targetUsage);

  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - ratio) <= cfg.tolerance) return { replicas: currentReplicas, usage };
    return { replicas: Math.ceil(ratio * groups.readyCount), usage };
  }
  // On a scale-down missing pods use exactly the target.
  fillAssumed(metrics, groups, ratio, scaleUpWithUnready, () => targetUsage);
  const newRatio = metricUsageRatio(metrics, targetUsage).ratio;
  return { replicas: dampened(currentReplicas, ratio, newRatio, metrics.size, cfg.tolerance), usage };
}

/** Gives missing pods (and, on a scale-up, unready ones) the usage that dampens the change. */
function fillAssumed(metrics: PodMetrics, groups: PodGroups, ratio: number, scaleUpWithUnready: boolean, scaleDownUsage: (pod: string) => number): void {
  const assumed = { timestampMs: 0, windowMs: 0 };
  for (const pod of groups.missing) {
    if (ratio < 1) metrics.set(pod, { ...assumed, value: scaleDownUsage(pod) });
    else if (ratio > 1) metrics.set(pod, { ...assumed, value: 0 });
  }
  if (scaleUpWithUnready) for (const pod of groups.unready) metrics.set(pod, { ...assumed, value: 0 });
}

/** The count from the re-run ratio, unless it is within tolerance or would reverse the direction. */
function dampened(currentReplicas: number, ratio: number, newRatio: number, counted: number, tolerance: number): number {
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return currentReplicas;
  const replicas = Math.ceil(newRatio * counted);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return currentReplicas;
  return replicas;
}
