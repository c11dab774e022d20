// The `kube-system/kube-dns` Service as a real cluster has it (clusterIP = the cluster DNS address,
// ports 53/UDP `dns` and 53/TCP `dns-tcp`), without a selector: its Endpoints are written here and
// point at the DNS server's own address (the endpointslice mirroring controller makes the slice).
import { findResource, type KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { Endpoints, Service } from 'kubernetes-types/core/v1';

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTS = findResource('', 'v1', 'endpoints')!;
export const KUBE_DNS = { namespace: 'kube-system', name: 'kube-dns' } as const;
const LABELS = { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' };

export interface KubeDnsAddresses {
  /** The Service's cluster IP (what pods' resolv.conf names). */
  clusterIP: string;
  /** The DNS server's own address: the Service's endpoint. */
  serverAddress: string;
  /** The port the server listens on (53 unless changed). */
  serverPort: number;
}

export function kubeDnsService(a: KubeDnsAddresses): Service & KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...KUBE_DNS, labels: LABELS },
    spec: {
      type: 'ClusterIP',
      clusterIP: a.clusterIP,
      clusterIPs: [a.clusterIP],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: a.serverPort },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: a.serverPort },
      ],
      sessionAffinity: 'None',
    },
  } as Service & KObject;
}

export function kubeDnsEndpoints(a: KubeDnsAddresses): Endpoints & KObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { ...KUBE_DNS, labels: LABELS },
    subsets: [
      {
        addresses: [{ ip: a.serverAddress }],
        ports: [
          { name: 'dns', port: a.serverPort, protocol: 'UDP' },
          { name: 'dns-tcp', port: a.serverPort, protocol: 'TCP' },
        ],
      },
    ],
  } as Endpoints & KObject;
}

const notFound = (err: unknown): boolean => err instanceof StatusError && err.code === 404;

async function getOrUndefined<T extends KObject>(client: ApiClient, resource: typeof SERVICES): Promise<T | undefined> {
  try {
    return await client.get<T>(resource, KUBE_DNS.name, { namespace: KUBE_DNS.namespace });
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

/** Creates the Service and its Endpoints, or brings them in line with `a` (a new cluster IP means a new Service). */
export async function ensureKubeDns(client: ApiClient, a: KubeDnsAddresses): Promise<void> {
  const opts = { namespace: KUBE_DNS.namespace };
  const svc = await getOrUndefined<Service & KObject>(client, SERVICES);
  const wanted = kubeDnsService(a);
  if (svc && svc.spec?.clusterIP !== a.clusterIP) await client.delete(SERVICES, KUBE_DNS.name, opts);
  if (!svc || svc.spec?.clusterIP !== a.clusterIP) await client.create(SERVICES, wanted, opts);
  else if (JSON.stringify(svc.spec?.ports?.map((p) => p.targetPort)) !== JSON.stringify(wanted.spec!.ports!.map((p) => p.targetPort))) {
    await client.update(SERVICES, { ...svc, spec: { ...svc.spec, ports: wanted.spec!.ports } }, opts);
  }
  const ep = await getOrUndefined<Endpoints & KObject>(client, ENDPOINTS);
  const endpoints = kubeDnsEndpoints(a);
  if (!ep) await client.create(ENDPOINTS, endpoints, opts);
  else await client.update(ENDPOINTS, { ...ep, subsets: endpoints.subsets }, opts);
}
