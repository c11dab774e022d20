// What a new cluster starts with: the system namespaces and the `kubernetes` Service pointing at
// the API server itself.
import { findResource, type KObject, type ResourceInfo } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { firstClusterIp } from './registry/allocators.js';
import type { Registry, RequestContext } from './registry/registry.js';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const core = (plural: string): ResourceInfo => findResource('', 'v1', plural)!;
const ctx: RequestContext = { userAgent: 'mini-kube-apiserver', warnings: [] };

async function createIfMissing(registry: Registry, resource: ResourceInfo, namespace: string | undefined, obj: KObject): Promise<void> {
  try {
    await registry.get(resource, namespace, obj.metadata.name!);
    return;
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 404)) throw err;
  }
  await registry.create(resource, namespace, obj, ctx, { fieldManager: 'mini-kube-apiserver' });
}

export async function bootstrap(registry: Registry, apiserver: { host: string; port: number }, serviceCIDR: string): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) await createIfMissing(registry, core('namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await createIfMissing(registry, core('services'), 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: firstClusterIp(serviceCIDR), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiserver.port }], sessionAffinity: 'None', type: 'ClusterIP' },
  });
  // The endpoints follow the API server's address, which may change between runs.
  const endpoints = findResource('', 'v1', 'endpoints')!;
  const subsets = [{ addresses: [{ ip: apiserver.host }], ports: [{ name: 'https', port: apiserver.port, protocol: 'TCP' }] }];
  await createIfMissing(registry, endpoints, 'default', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets,
  });
  await registry.patch(endpoints, 'default', 'kubernetes', 'application/merge-patch+json', { subsets }, ctx, { fieldManager: 'mini-kube-apiserver' });
  // The API server keeps the kubernetes Service's EndpointSlice itself, as the real one does.
  const slices = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
  const slice = {
    addressType: 'IPv4',
    endpoints: [{ addresses: [apiserver.host], conditions: { ready: true } }],
    ports: [{ name: 'https', port: apiserver.port, protocol: 'TCP' }],
  };
  await createIfMissing(registry, slices, 'default', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    ...slice,
  });
  await registry.patch(slices, 'default', 'kubernetes', 'application/merge-patch+json', slice, ctx, { fieldManager: 'mini-kube-apiserver' });
}
