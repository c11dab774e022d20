// PodMetrics and NodeMetrics (metrics.k8s.io/v1beta1) from kubelet summaries joined with the pods
// and nodes of the registry: CPU in nanocores (`1234567n`), memory in KiB (`10240Ki`), as
// metrics-server writes them.
import type { KObject } from '@mini-kube/api';
import type { NodeSummary, UsageStats } from './summary.js';
import { formatTime } from '@mini-kube/machinery';

export const METRICS_GROUP_VERSION = 'metrics.k8s.io/v1beta1';
const WINDOW = '10s';

export interface Usage {
  cpu: string;
  memory: string;
}

export function usageOf(stats: UsageStats): Usage {
  return { cpu: `${Math.round(stats.cpu?.usageNanoCores ?? 0)}n`, memory: `${Math.round((stats.memory?.workingSetBytes ?? 0) / 1024)}Ki` };
}

const timestampOf = (stats: UsageStats, now: Date): string => stats.cpu?.time ?? formatTime(now.getTime());
const creation = (now: Date): string => formatTime(now.getTime());

/** PodMetrics of `pods` (already filtered by namespace, name and labels) that some summary reports on. */
export function podMetrics(pods: readonly KObject[], summaries: readonly NodeSummary[], now: Date): KObject[] {
  const byUid = new Map(summaries.flatMap((s) => s.pods ?? []).map((p) => [p.podRef.uid, p]));
  const items: KObject[] = [];
  for (const pod of pods) {
    const stats = byUid.get(pod.metadata.uid ?? '');
    if (!stats?.containers?.length) continue;
    items.push({
      kind: 'PodMetrics',
      apiVersion: METRICS_GROUP_VERSION,
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: creation(now), ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}) },
      timestamp: timestampOf(stats, now),
      window: WINDOW,
      containers: stats.containers.map((c) => ({ name: c.name, usage: usageOf(c) })),
    });
  }
  return items;
}

/** NodeMetrics of `nodes` that answered with a summary. */
export function nodeMetrics(nodes: readonly KObject[], summaries: readonly NodeSummary[], now: Date): KObject[] {
  const byName = new Map(summaries.map((s) => [s.node.nodeName, s.node]));
  const items: KObject[] = [];
  for (const node of nodes) {
    const stats = byName.get(node.metadata.name ?? '');
    if (!stats) continue;
    items.push({
      kind: 'NodeMetrics',
      apiVersion: METRICS_GROUP_VERSION,
      metadata: { name: node.metadata.name, creationTimestamp: creation(now), ...(node.metadata.labels ? { labels: node.metadata.labels } : {}) },
      timestamp: timestampOf(stats, now),
      window: WINDOW,
      usage: usageOf(stats),
    });
  }
  return items;
}

export const metricsList = (kind: 'PodMetricsList' | 'NodeMetricsList', items: KObject[]): Record<string, unknown> => ({
  kind,
  apiVersion: METRICS_GROUP_VERSION,
  metadata: {},
  items,
});
