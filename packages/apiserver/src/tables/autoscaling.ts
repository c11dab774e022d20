// The HorizontalPodAutoscaler printer and its TARGETS cell. Like the real server, which prints the
// internal object, autoscaling/v1 objects are printed from their v2 form.
import type { KObject } from '@mini-kube/api';
import { translateTimestampSince } from '@mini-kube/machinery';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import { hpaV1ToV2 } from '../registry/hpa-v1.js';
import { ageColumn, column, convertor, nameColumn } from './columns.js';

const UNKNOWN = '<unknown>';

/** One metric as `current/target`; resource metrics carry their name (`cpu: 50%/80%`). */
function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': {
      const target = spec.external?.target;
      if (target?.averageValue != null) {
        return `${status?.external?.current?.averageValue ?? UNKNOWN}/${target.averageValue} (avg)`;
      }
      return `${status?.external ? (status.external.current?.value ?? '0') : UNKNOWN}/${target?.value ?? '0'}`;
    }
    case 'Pods':
      return `${status?.pods ? (status.pods.current?.averageValue ?? '0') : UNKNOWN}/${spec.pods?.target?.averageValue ?? '0'}`;
    case 'Object': {
      const target = spec.object?.target;
      if (target?.averageValue != null) {
        return `${status?.object?.current?.averageValue ?? UNKNOWN}/${target.averageValue} (avg)`;
      }
      return `${status?.object ? (status.object.current?.value ?? '0') : UNKNOWN}/${target?.value ?? '0'}`;
    }
    case 'Resource':
      return resourceMetric(spec.resource, status?.resource);
    case 'ContainerResource':
      return resourceMetric(spec.containerResource, status?.containerResource);
    default:
      return '<unknown type>';
  }
}

interface ResourceMetric {
  name: string;
  target?: { averageValue?: string; averageUtilization?: number };
}
interface ResourceMetricStatus {
  current?: { averageValue?: string; averageUtilization?: number };
}

function resourceMetric(spec: ResourceMetric | undefined, status: ResourceMetricStatus | undefined): string {
  const name = spec?.name ?? '';
  if (spec?.target?.averageValue != null) {
    return `${name}: ${status ? (status.current?.averageValue ?? '0') : UNKNOWN}/${spec.target.averageValue}`;
  }
  const utilization = status?.current?.averageUtilization;
  const current = utilization != null ? `${utilization}%` : UNKNOWN;
  const targetUtilization = spec?.target?.averageUtilization;
  const target = targetUtilization != null ? `${targetUtilization}%` : '<auto>';
  return `${name}: ${current}/${target}`;
}

/** TARGETS: the first two metrics, then ` + N more...`; `<none>` without metrics. */
export function formatHpaMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  const all = specs ?? [];
  if (all.length === 0) return '<none>';
  const max = 2;
  // Statuses pair with specs by position, as the real printer pairs them.
  const shown = all.slice(0, max).map((spec, i) => formatMetric(spec, statuses?.[i]));
  return all.length > max ? `${shown.join(', ')} + ${all.length - max} more...` : shown.join(', ');
}

export const hpaConvertor = convertor<HorizontalPodAutoscaler>(
  [nameColumn(), column('Reference'), column('Targets'), column('MinPods'), column('MaxPods'), column('Replicas'), ageColumn()],
  (obj, now) => hpaCells((obj as { apiVersion?: string }).apiVersion === 'autoscaling/v1' ? (hpaV1ToV2(obj as unknown as KObject) as unknown as HorizontalPodAutoscaler) : obj, now),
);

function hpaCells(hpa: HorizontalPodAutoscaler, now: number): unknown[] {
  return [
    hpa.metadata?.name ?? '',
    `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}`,
    formatHpaMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
    hpa.spec?.minReplicas != null ? String(hpa.spec.minReplicas) : '<unset>',
    hpa.spec?.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    translateTimestampSince(hpa.metadata?.creationTimestamp, now),
  ];
}
