// Fetches what each describer needs (the object, its events, related objects) and renders it.
import type { Ctx } from '../context.js';
import type { ApiResource } from '../discovery.js';
import { describeConfigMap, describeIngress, describeNamespace, describeNode, describeSecret, describeService, formatEndpointSlices } from './core.js';
import { searchEvents, type EventRef } from './events.js';
import { describeGeneric } from './generic.js';
import { describePod } from './pod.js';
import { splitReplicaSets } from './template.js';
import { countPods, describeCronJob, describeDaemonSet, describeDeployment, describeJob, describeReplicaSet, describeStatefulSet } from './workloads.js';
import { selectorString } from './format.js';

export interface DescribeOptions {
  showEvents: boolean;
}

async function list(ctx: Ctx, path: string, query: Record<string, string | undefined> = {}): Promise<any[]> {
  const items: any[] = [];
  let cont: string | undefined;
  do {
    const page = await ctx.http.json('GET', path, { query: { ...query, limit: 500, continue: cont } });
    items.push(...(page.items ?? []));
    cont = page.metadata?.continue || undefined;
  } while (cont);
  return items;
}

const tolerate = <T>(p: Promise<T>, fallback: T): Promise<T> => p.catch(() => fallback);

export async function describeObject(ctx: Ctx, r: ApiResource, obj: any, opts: DescribeOptions): Promise<string> {
  const ns: string | undefined = obj.metadata.namespace;
  const ref: EventRef = { name: obj.metadata.name, namespace: ns ?? '', kind: r.kind, uid: obj.metadata.uid };
  const events = (over: Partial<EventRef> = {}) => (opts.showEvents ? searchEvents(ctx, { ...ref, ...over }) : Promise.resolve(undefined));
  const nsPath = (plural: string, group = '') => (group ? `/apis/${group}/namespaces/${ns}/${plural}` : `/api/v1/namespaces/${ns}/${plural}`);
  const ownedPods = async () => countPods(await tolerate(list(ctx, nsPath('pods'), { labelSelector: selectorString(obj.spec?.selector) }), []), obj.metadata.uid);
  const key = `${r.group}/${r.kind}`;
  switch (key) {
    case '/Pod':
      return describePod(obj, await events({ kind: undefined }));
    case 'apps/Deployment': {
      const ev = await events();
      const rss = await tolerate(list(ctx, `/apis/apps/v1/namespaces/${ns}/replicasets`, { labelSelector: selectorString(obj.spec?.selector) }), []);
      const { newRS, oldRSs } = splitReplicaSets(obj, rss);
      return describeDeployment(obj, oldRSs, newRS, ev);
    }
    case 'apps/ReplicaSet':
      return describeReplicaSet(obj, await ownedPods(), await events());
    case 'apps/DaemonSet':
      return describeDaemonSet(obj, await ownedPods(), await events());
    case 'apps/StatefulSet':
      return describeStatefulSet(obj, await ownedPods(), await events());
    case 'batch/Job':
      return describeJob(obj, await events());
    case 'batch/CronJob':
      return describeCronJob(obj, await events());
    case '/Service': {
      const slices = await tolerate(list(ctx, `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, { labelSelector: `kubernetes.io/service-name=${obj.metadata.name}` }), []);
      return describeService(obj, slices, await events());
    }
    case '/ConfigMap':
      return describeConfigMap(obj, await events());
    case '/Secret':
      return describeSecret(obj);
    case '/Namespace': {
      const quotas = await tolerate(list(ctx, `/api/v1/namespaces/${obj.metadata.name}/resourcequotas`), undefined as any[] | undefined);
      const limits = await tolerate(list(ctx, `/api/v1/namespaces/${obj.metadata.name}/limitranges`), undefined as any[] | undefined);
      return describeNamespace(obj, quotas, limits);
    }
    case '/Node':
      return describeNodeWithPods(ctx, obj, opts);
    case 'networking.k8s.io/Ingress':
      return describeIngressWithBackends(ctx, obj, await events());
  }
  return describeGeneric(obj, await events());
}

async function describeNodeWithPods(ctx: Ctx, node: any, opts: DescribeOptions): Promise<string> {
  const name = node.metadata.name;
  const pods = await list(ctx, '/api/v1/pods', { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed` });
  let events: any[] | undefined;
  if (opts.showEvents) {
    // Controllers record node events by uid, kubelets by name: kubectl merges both searches.
    const byUid = await searchEvents(ctx, { name, namespace: '', kind: 'Node', uid: node.metadata.uid });
    const byName = await searchEvents(ctx, { name, namespace: '', kind: 'Node', uid: name });
    events = [...byUid, ...byName];
  }
  let lease: any;
  let leaseError: string | undefined;
  try {
    lease = await ctx.http.json('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`, { resource: 'leases.coordination.k8s.io', name });
  } catch (err) {
    leaseError = (err as Error).message;
  }
  return describeNode(node, pods, events, lease, leaseError);
}

async function describeIngressWithBackends(ctx: Ctx, ing: any, events: any[] | undefined): Promise<string> {
  const ns = ing.metadata.namespace;
  const cache = new Map<string, string>();
  const backends: any[] = [ing.spec?.defaultBackend, ...(ing.spec?.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => p.backend))].filter(Boolean);
  for (const b of backends) {
    if (!b.service) continue;
    const port = b.service.port?.number ? String(b.service.port.number) : (b.service.port?.name ?? '');
    const label = `${b.service.name}:${port}`;
    if (cache.has(label)) continue;
    try {
      const slices = await list(ctx, `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, { labelSelector: `kubernetes.io/service-name=${b.service.name}` });
      const svc = await ctx.http.json('GET', `/api/v1/namespaces/${ns}/services/${encodeURIComponent(b.service.name)}`, { resource: 'services', name: b.service.name });
      const sp = (svc.spec?.ports ?? []).find((p: any) => (b.service.port?.number && p.port === b.service.port.number) || (b.service.port?.name && p.name === b.service.port.name));
      cache.set(label, `${label} (${formatEndpointSlices(slices, sp?.name ?? '')})`);
    } catch (err) {
      cache.set(label, `${label} (<error: ${(err as Error).message}>)`);
    }
  }
  const render = (_ns: string, b: any): string => {
    if (b.service) return cache.get(`${b.service.name}:${b.service.port?.number ? b.service.port.number : (b.service.port?.name ?? '')}`) ?? '';
    if (b.resource) return `APIGroup: ${b.resource.apiGroup ?? '<none>'}, Kind: ${b.resource.kind}, Name: ${b.resource.name}`;
    return '';
  };
  return describeIngress(ing, render, events);
}

