// Pure planning of a Service's Endpoints (pkg/controller/endpoint syncService): one address per
// selected pod and Service port, ready or not, repacked so addresses offering the same ports share
// a subset, and the Endpoints object to write when it differs from the current one.
import { isDeepStrictEqual } from 'node:util';
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod } from 'kubernetes-types/core/v1';
import { HEADLESS_LABEL, type EndpointsObject, type ServiceObject } from './types.js';
import { findPort, isPodReady, podHostname, podIPv4, shouldPodBeInEndpoints } from './pods.js';

interface Entry {
  address: EndpointAddress;
  ready: boolean;
  port?: EndpointPort;
}

function podAddress(svc: ServiceObject, pod: Pod): EndpointAddress {
  const hostname = podHostname(pod, svc);
  return {
    ip: podIPv4(pod)!,
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
  };
}

/** The subsets of a Service selecting `pods` (already filtered by its selector). */
export function desiredSubsets(svc: ServiceObject, pods: Pod[]): EndpointSubset[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const ports = svc.spec?.ports ?? [];
  const entries: Entry[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const address = podAddress(svc, pod);
    const ready = tolerateUnready || isPodReady(pod);
    // A headless Service without ports still lists its pods' addresses.
    if (ports.length === 0 && svc.spec?.clusterIP === 'None') entries.push({ address, ready });
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue; // this pod does not serve that named port
      const ep: EndpointPort = { ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) };
      entries.push({ address, ready, port: ep });
    }
  }
  return repack(entries);
}

const addressKey = (a: EndpointAddress): string => `${a.ip}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort | undefined): string => (p ? `${p.name ?? ''}/${p.port}/${p.protocol}` : '');
const byIp = (a: EndpointAddress, b: EndpointAddress): number => compareIps(a.ip, b.ip) || addressKey(a).localeCompare(addressKey(b));

function compareIps(a: string, b: string): number {
  const na = a.split('.').map(Number);
  const nb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (na[i] !== nb[i]) return (na[i] ?? 0) - (nb[i] ?? 0);
  return 0;
}

/** RepackSubsets: group ports by the exact set of (address, ready) offering them; sort everything. */
function repack(entries: Entry[]): EndpointSubset[] {
  const byPort = new Map<string, { port?: EndpointPort; addrs: Map<string, Entry> }>();
  for (const e of entries) {
    const key = portKey(e.port);
    let group = byPort.get(key);
    if (!group) byPort.set(key, (group = { port: e.port, addrs: new Map() }));
    group.addrs.set(addressKey(e.address), e);
  }
  const bySet = new Map<string, { addrs: Entry[]; ports: EndpointPort[] }>();
  for (const { port, addrs } of byPort.values()) {
    const list = [...addrs.values()];
    const key = list.map((e) => `${addressKey(e.address)}:${e.ready}`).sort().join(',');
    let subset = bySet.get(key);
    if (!subset) bySet.set(key, (subset = { addrs: list, ports: [] }));
    if (port) subset.ports.push(port);
  }
  const subsets = [...bySet.values()].map(({ addrs, ports }) => {
    const ready = addrs.filter((e) => e.ready).map((e) => e.address).sort(byIp);
    const notReady = addrs.filter((e) => !e.ready).map((e) => e.address).sort(byIp);
    return {
      ...(ready.length ? { addresses: ready } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady } : {}),
      ...(ports.length ? { ports: ports.sort((a, b) => portKey(a).localeCompare(portKey(b))) } : {}),
    };
  });
  const first = (s: EndpointSubset): EndpointAddress => (s.addresses ?? s.notReadyAddresses)![0]!;
  return subsets.sort((a, b) => byIp(first(a), first(b)) || JSON.stringify(a.ports).localeCompare(JSON.stringify(b.ports)));
}

/** The Endpoints' labels: the Service's, plus the headless marker when it has no cluster IP. */
export function endpointsLabels(svc: ServiceObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  const ip = svc.spec?.clusterIP;
  if (!ip || ip === 'None') labels[HEADLESS_LABEL] = '';
  else delete labels[HEADLESS_LABEL];
  return labels;
}

/**
 * The Endpoints object to create or update, or undefined when `current` already says it all.
 * Fields other than subsets and labels (annotations, owner data) are kept from `current`.
 */
export function planEndpoints(svc: ServiceObject, pods: Pod[], current: EndpointsObject | undefined): EndpointsObject | undefined {
  const subsets = desiredSubsets(svc, pods);
  const labels = endpointsLabels(svc);
  if (current && isDeepStrictEqual(current.subsets ?? [], subsets) && isDeepStrictEqual(current.metadata.labels ?? {}, labels)) return undefined;
  const metadata = current ? { ...current.metadata, labels } : { name: svc.metadata.name, namespace: svc.metadata.namespace, labels };
  const next: EndpointsObject = { apiVersion: 'v1', kind: 'Endpoints', metadata };
  if (subsets.length) next.subsets = subsets;
  return next;
}
