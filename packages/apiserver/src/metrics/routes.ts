// metrics.k8s.io/v1beta1 served in-process (what metrics-server serves through aggregation):
// discovery documents, and PodMetrics / NodeMetrics built from the kubelets' stats summaries on
// each request. `kubectl top pods|nodes` reads these.
import { findResource, type KObject } from '@mini-kube/api';
import { notFound } from '@mini-kube/machinery';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from '../registry/registry.js';
import { METRICS_GROUP_VERSION, metricsList, nodeMetrics, podMetrics } from './convert.js';
import { scrapeNodes } from './summary.js';

export const METRICS_GROUP = 'metrics.k8s.io';
const VERSION = 'v1beta1';
const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;

const RESOURCES = [
  { name: 'nodes', kind: 'NodeMetrics', namespaced: false },
  { name: 'pods', kind: 'PodMetrics', namespaced: true },
];

/** The group's entry in the aggregated /apis document. */
export function metricsAggregatedGroup(): Record<string, unknown> {
  return {
    metadata: { name: METRICS_GROUP },
    versions: [
      {
        version: VERSION,
        freshness: 'Current',
        resources: RESOURCES.map((r) => ({
          resource: r.name,
          responseKind: { group: METRICS_GROUP, version: VERSION, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: '',
          verbs: ['get', 'list'],
        })),
      },
    ],
  };
}

/** The group's APIGroup, in the legacy /apis list and at /apis/metrics.k8s.io. */
export function metricsApiGroup(): Record<string, unknown> {
  const version = { groupVersion: METRICS_GROUP_VERSION, version: VERSION };
  return { kind: 'APIGroup', apiVersion: 'v1', name: METRICS_GROUP, versions: [version], preferredVersion: version };
}

function resourceList(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: METRICS_GROUP_VERSION,
    resources: RESOURCES.map((r) => ({ name: r.name, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list'] })),
  };
}

type Params = { namespace?: string; name?: string };
type Query = { labelSelector?: string; fieldSelector?: string };

export function registerMetricsRoutes(app: FastifyInstance, registry: Registry, now: () => Date = () => new Date()): void {
  const base = `/apis/${METRICS_GROUP}`;
  app.get(base, async () => metricsApiGroup());
  app.get(`${base}/${VERSION}`, async () => resourceList());

  const nodes = async (req: FastifyRequest): Promise<unknown> => {
    const { name } = req.params as Params;
    const { labelSelector, fieldSelector } = req.query as Query;
    const list = name ? [await registry.get(NODES, undefined, name)] : (await registry.list(NODES, undefined, { labelSelector, fieldSelector })).items;
    const items = nodeMetrics(list, await scrapeNodes(list), now());
    if (!name) return metricsList('NodeMetricsList', items);
    if (!items[0]) throw notFound(METRICS_GROUP, 'nodemetrics', name);
    return items[0];
  };
  app.get(`${base}/${VERSION}/nodes`, nodes);
  app.get(`${base}/${VERSION}/nodes/:name`, nodes);

  const pods = async (req: FastifyRequest): Promise<unknown> => {
    const { namespace, name } = req.params as Params;
    const { labelSelector, fieldSelector } = req.query as Query;
    let list: KObject[];
    if (name) {
      try {
        list = [await registry.get(PODS, namespace, name)];
      } catch {
        throw notFound(METRICS_GROUP, 'podmetrics', name);
      }
    } else list = (await registry.list(PODS, namespace, { labelSelector, fieldSelector })).items;
    const nodeNames = new Set(list.map((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName).filter(Boolean));
    const nodeList = (await registry.list(NODES, undefined)).items.filter((n) => nodeNames.has(n.metadata.name));
    const items = podMetrics(list, await scrapeNodes(nodeList), now());
    if (!name) return metricsList('PodMetricsList', items);
    if (!items[0]) throw notFound(METRICS_GROUP, 'podmetrics', name);
    return items[0];
  };
  app.get(`${base}/${VERSION}/pods`, pods);
  app.get(`${base}/${VERSION}/namespaces/:namespace/pods`, pods);
  app.get(`${base}/${VERSION}/namespaces/:namespace/pods/:name`, pods);
}
