// autoscaling/v2 HorizontalPodAutoscaler (stored) <-> autoscaling/v1 (a view), as Kubernetes converts
// them: v1 has one CPU utilization target; what v1 cannot say (other metrics, their status,
// conditions, behavior) rides in `autoscaling.alpha.kubernetes.io/*` annotations of the v1 object, so
// that a v1 read-modify-write keeps it. Metric annotations use v1's (v2beta1-like) MetricSpec and
// MetricStatus shapes, as the real server writes them.
import type { KObject } from '@mini-kube/api';
import type { MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP = [METRICS_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

// v1's implicit target when no metric is given (autoscaling.DefaultCPUUtilization).
const DEFAULT_CPU_UTILIZATION = 80;

// Loosely typed: the v1 annotation shapes have no TypeScript types (k8s.io/api keeps them internal).
type Json = Record<string, any>;

const isCpuUtilization = (m: MetricSpec): boolean =>
  m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.type === 'Utilization' && m.resource.target.averageUtilization !== undefined;

/** Drops undefined members, so converted objects compare and serialise like written ones. */
function compact<T extends Json>(obj: T): T {
  for (const key of Object.keys(obj)) if (obj[key] === undefined) delete obj[key];
  return obj;
}

// ---- metric specs and statuses: v2 <-> v1 annotation shapes ----

function specToV1(m: MetricSpec): Json {
  const t = (target: Json | undefined) => target ?? {};
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = (m.type === 'Resource' ? m.resource : m.containerResource) as Json;
      const body = compact({ name: src.name, container: src.container, targetAverageUtilization: t(src.target).averageUtilization, targetAverageValue: t(src.target).averageValue });
      return { type: m.type, [m.type === 'Resource' ? 'resource' : 'containerResource']: body };
    }
    case 'Pods':
      return { type: 'Pods', pods: compact({ metricName: m.pods!.metric.name, selector: m.pods!.metric.selector, targetAverageValue: t(m.pods!.target).averageValue }) };
    case 'Object': {
      const o = m.object!;
      return { type: 'Object', object: compact({ target: o.describedObject, metricName: o.metric.name, selector: o.metric.selector, targetValue: o.target.value, averageValue: o.target.averageValue }) };
    }
    case 'External': {
      const e = m.external!;
      return { type: 'External', external: compact({ metricName: e.metric.name, metricSelector: e.metric.selector, targetValue: e.target.value, targetAverageValue: e.target.averageValue }) };
    }
    default:
      return m as Json;
  }
}

function resourceTarget(src: Json): Json {
  if (src.targetAverageUtilization !== undefined) return { type: 'Utilization', averageUtilization: src.targetAverageUtilization };
  return { type: 'AverageValue', averageValue: src.targetAverageValue };
}

const valueTarget = (value: unknown, average: unknown): Json => (value !== undefined ? { type: 'Value', value } : { type: 'AverageValue', averageValue: average });

function specFromV1(m: Json): MetricSpec {
  switch (m.type) {
    case 'Resource':
      return { type: 'Resource', resource: { name: m.resource.name, target: resourceTarget(m.resource) } } as MetricSpec;
    case 'ContainerResource': {
      const c = m.containerResource;
      return { type: 'ContainerResource', containerResource: { name: c.name, container: c.container, target: resourceTarget(c) } } as MetricSpec;
    }
    case 'Pods':
      return { type: 'Pods', pods: { metric: compact({ name: m.pods.metricName, selector: m.pods.selector }), target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue } } };
    case 'Object': {
      const o = m.object;
      return { type: 'Object', object: { describedObject: o.target, metric: compact({ name: o.metricName, selector: o.selector }), target: valueTarget(o.targetValue, o.averageValue) } } as MetricSpec;
    }
    case 'External': {
      const e = m.external;
      return { type: 'External', external: { metric: compact({ name: e.metricName, selector: e.metricSelector }), target: valueTarget(e.targetValue, e.targetAverageValue) } } as MetricSpec;
    }
    default:
      return m as MetricSpec;
  }
}

function statusToV1(m: MetricStatus): Json {
  const c = (current: Json | undefined) => current ?? {};
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = (m.type === 'Resource' ? m.resource : m.containerResource) as Json;
      const body = compact({ name: src.name, container: src.container, currentAverageUtilization: c(src.current).averageUtilization, currentAverageValue: c(src.current).averageValue });
      return { type: m.type, [m.type === 'Resource' ? 'resource' : 'containerResource']: body };
    }
    case 'Pods':
      return { type: 'Pods', pods: compact({ metricName: m.pods!.metric.name, selector: m.pods!.metric.selector, currentAverageValue: c(m.pods!.current).averageValue }) };
    case 'Object': {
      const o = m.object!;
      return { type: 'Object', object: compact({ target: o.describedObject, metricName: o.metric.name, selector: o.metric.selector, currentValue: o.current.value, averageValue: o.current.averageValue }) };
    }
    case 'External': {
      const e = m.external!;
      return { type: 'External', external: compact({ metricName: e.metric.name, metricSelector: e.metric.selector, currentValue: e.current.value, currentAverageValue: e.current.averageValue }) };
    }
    default:
      return m as Json;
  }
}

function statusFromV1(m: Json): MetricStatus {
  const resourceCurrent = (src: Json) => compact({ averageUtilization: src.currentAverageUtilization, averageValue: src.currentAverageValue });
  switch (m.type) {
    case 'Resource':
      return { type: 'Resource', resource: { name: m.resource.name, current: resourceCurrent(m.resource) } };
    case 'ContainerResource': {
      const c = m.containerResource;
      return { type: 'ContainerResource', containerResource: { name: c.name, container: c.container, current: resourceCurrent(c) } };
    }
    case 'Pods':
      return { type: 'Pods', pods: { metric: compact({ name: m.pods.metricName, selector: m.pods.selector }), current: { averageValue: m.pods.currentAverageValue } } };
    case 'Object': {
      const o = m.object;
      return { type: 'Object', object: { describedObject: o.target, metric: compact({ name: o.metricName, selector: o.selector }), current: compact({ value: o.currentValue, averageValue: o.averageValue }) } };
    }
    case 'External': {
      const e = m.external;
      return { type: 'External', external: { metric: compact({ name: e.metricName, selector: e.metricSelector }), current: compact({ value: e.currentValue, averageValue: e.currentAverageValue }) } };
    }
    default:
      return m as MetricStatus;
  }
}

// ---- whole objects ----

function parseAnnotation<T>(annotations: Record<string, string>, key: string): T | undefined {
  const text = annotations[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined; // a hand-edited, malformed annotation is ignored, not fatal to a read
  }
}

/** The stored (v2) form of an autoscaling/v1 HorizontalPodAutoscaler. */
export function hpaV1ToV2(obj: KObject): KObject {
  const { spec = {}, status, metadata, ...rest } = obj as Json;
  const annotations: Record<string, string> = { ...metadata.annotations };
  const otherMetrics = parseAnnotation<Json[]>(annotations, METRICS_ANNOTATION) ?? [];
  const currentMetrics = parseAnnotation<Json[]>(annotations, CURRENT_METRICS_ANNOTATION);
  const conditions = parseAnnotation<Json[]>(annotations, CONDITIONS_ANNOTATION);
  const behavior = parseAnnotation<Json>(annotations, BEHAVIOR_ANNOTATION);
  for (const key of ROUND_TRIP) delete annotations[key];

  const metrics: MetricSpec[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage !== null) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  metrics.push(...otherMetrics.map(specFromV1));
  if (metrics.length === 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } });

  const v2Spec = compact({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior });
  const out: Json = { ...rest, apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: withAnnotations(metadata, annotations), spec: v2Spec };
  if (status) {
    let current: MetricStatus[] | undefined = currentMetrics?.map(statusFromV1);
    // Without the annotation, the one figure v1 has becomes the CPU metric's status.
    if (!current && status.currentCPUUtilizationPercentage !== undefined) {
      current = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
    }
    out.status = compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas,
      desiredReplicas: status.desiredReplicas,
      currentMetrics: current,
      conditions,
    });
  }
  return out as KObject;
}

/** The autoscaling/v1 view of a stored (v2) HorizontalPodAutoscaler. */
export function hpaV2ToV1(obj: KObject): KObject {
  const { spec = {}, status, metadata, ...rest } = obj as Json;
  const annotations: Record<string, string> = { ...metadata.annotations };
  const metrics: MetricSpec[] = spec.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  if (others.length) annotations[METRICS_ANNOTATION] = JSON.stringify(others.map(specToV1));
  if (spec.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  const current: MetricStatus[] = status?.currentMetrics ?? [];
  if (current.length) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(current.map(statusToV1));
  if (status?.conditions?.length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);

  const v1Spec = compact({
    scaleTargetRef: spec.scaleTargetRef,
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
    targetCPUUtilizationPercentage: cpu?.resource?.target.averageUtilization,
  });
  const out: Json = { ...rest, apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: withAnnotations(metadata, annotations), spec: v1Spec };
  if (status) {
    const cpuStatus = current.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    out.status = compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: cpuStatus?.resource?.current.averageUtilization,
    });
  }
  return out as KObject;
}

function withAnnotations(metadata: Json, annotations: Record<string, string>): Json {
  const { annotations: _old, ...meta } = metadata;
  return Object.keys(annotations).length ? { ...meta, annotations } : meta;
}
