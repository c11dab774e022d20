// Pod resource usage from the resource metrics API (metrics.k8s.io/v1beta1 PodMetrics), read
// through the API server as the real controller's REST metrics client reads it.
import type { ApiClient } from '@mini-kube/client';
import { milliValue } from '@mini-kube/machinery';
import type { PodMetrics } from './types.js';

interface ContainerMetrics {
  name?: string;
  usage?: Record<string, string>;
}

export interface PodMetricsItem {
  metadata?: { name?: string };
  timestamp?: string;
  window?: string;
  containers?: ContainerMetrics[];
}

export class MetricsError extends Error {}

const DURATION_UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };

/** A Go duration (`30s`, `1m0s`, `1.5s`) in ms; 0 when it cannot be read. */
export function parseGoDuration(text: string | undefined): number {
  if (!text) return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  if (parts.map((p) => p[0]).join('') !== text) return 0;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * DURATION_UNITS[unit!]!, 0);
}

/** Each pod's usage of `resource`, summed over its containers; pods lacking it for any container are left out. */
export function podMetricsOf(items: readonly PodMetricsItem[], resource: string): PodMetrics {
  const result: PodMetrics = new Map();
  for (const item of items) {
    const containers = item.containers ?? [];
    if (containers.length === 0 || !item.metadata?.name) continue;
    let sum = 0;
    let complete = true;
    for (const c of containers) {
      const usage = c.usage?.[resource];
      if (usage === undefined) {
        complete = false;
        break;
      }
      sum += milliValue(usage);
    }
    if (complete) result.set(item.metadata.name, { value: sum, timestampMs: Date.parse(item.timestamp ?? '') || 0, windowMs: parseGoDuration(item.window) });
  }
  return result;
}

/** GetResourceMetric: the usage of the pods matching `selector` in `namespace`. */
export async function fetchPodMetrics(client: ApiClient, namespace: string, selector: string, resource: string): Promise<PodMetrics> {
  let items: PodMetricsItem[];
  try {
    const raw = await client.request('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods`, {
      query: selector ? { labelSelector: selector } : {},
    });
    items = raw.json<{ items?: PodMetricsItem[] }>().items ?? [];
  } catch (err) {
    throw new MetricsError(`unable to fetch metrics from resource metrics API: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (items.length === 0) throw new MetricsError('no metrics returned from resource metrics API');
  return podMetricsOf(items, resource);
}
