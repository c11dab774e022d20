// The kubelet stats summary (stats/v1alpha1) fields the metrics API reads, and how to fetch one
// from each node: the node's InternalIP and status.daemonEndpoints.kubeletEndpoint.Port, GET
// /stats/summary, as metrics-server scrapes kubelets.
import type { KObject } from '@mini-kube/api';

export interface UsageStats {
  cpu?: { time?: string; usageNanoCores?: number };
  memory?: { time?: string; workingSetBytes?: number };
}

export interface PodSummary extends UsageStats {
  podRef: { name: string; namespace: string; uid: string };
  containers?: (UsageStats & { name: string })[];
}

export interface NodeSummary {
  node: UsageStats & { nodeName: string };
  pods?: PodSummary[];
}

interface NodeFields {
  status?: { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
}

/** `http://<InternalIP>:<kubelet port>`, or undefined for a node that publishes none. */
export function kubeletURL(node: KObject): string | undefined {
  const status = (node as NodeFields).status;
  const ip = status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const port = status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!ip || !port) return undefined;
  return `http://${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
}

const SCRAPE_TIMEOUT_MS = 3000;

/** The summaries of the nodes that answer within the timeout (the others are left out, as metrics-server does). */
export async function scrapeNodes(nodes: readonly KObject[]): Promise<NodeSummary[]> {
  const results = await Promise.all(
    nodes.map(async (node) => {
      const base = kubeletURL(node);
      if (!base) return undefined;
      try {
        const res = await fetch(`${base}/stats/summary`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
        if (!res.ok) return undefined;
        return (await res.json()) as NodeSummary;
      } catch {
        return undefined;
      }
    }),
  );
  return results.filter((s): s is NodeSummary => s !== undefined);
}
