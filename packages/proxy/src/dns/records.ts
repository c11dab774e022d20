// Pure: what the cluster DNS knows, built from Services and their EndpointSlices — the data
// CoreDNS's kubernetes plugin reads. Names are kept lower-case; lookups are by `namespace/name`.
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface PortRecord {
  /** The port's name, lower-case ('' when unnamed). */
  name: string;
  /** `tcp`, `udp` or `sctp`. */
  protocol: string;
  port: number;
}

export interface EndpointRecord {
  ip: string;
  /** The DNS label of the endpoint: its hostname, else its IP with dashes (`10-0-0-1`). */
  label: string;
  ports: PortRecord[];
}

export interface ServiceRecord {
  name: string;
  namespace: string;
  /** A ClusterIP Service's address; absent for headless and ExternalName Services. */
  clusterIP?: string;
  externalName?: string;
  ports: PortRecord[];
  /** Headless Services only: the endpoints DNS publishes (ready ones, or all with publishNotReadyAddresses). */
  endpoints: EndpointRecord[];
}

export interface ClusterRecords {
  services: Map<string, ServiceRecord>;
  /** Namespaces holding at least one Service. */
  namespaces: Set<string>;
  /** Reverse lookups: cluster IPs and headless endpoint IPs → the FQDN label path without the zone. */
  reverse: Map<string, string>;
}

const toPort = (p: { name?: string; protocol?: string; port?: number }): PortRecord | undefined =>
  p.port === undefined ? undefined : { name: (p.name ?? '').toLowerCase(), protocol: (p.protocol ?? 'TCP').toLowerCase(), port: p.port };

const dashed = (ip: string): string => ip.replaceAll('.', '-');

/** The published endpoints of a headless Service, one per IP, sorted by IP. */
function headlessEndpoints(svc: Service, slices: EndpointSlice[]): EndpointRecord[] {
  const byIp = new Map<string, EndpointRecord>();
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const ports = (slice.ports ?? []).map(toPort).filter((p): p is PortRecord => p !== undefined);
    for (const e of slice.endpoints ?? []) {
      if (!publishNotReady && e.conditions?.ready === false) continue;
      for (const ip of e.addresses) {
        const known = byIp.get(ip);
        if (known) known.ports.push(...ports.filter((p) => !known.ports.some((k) => k.name === p.name && k.protocol === p.protocol)));
        else byIp.set(ip, { ip, label: (e.hostname ?? dashed(ip)).toLowerCase(), ports: [...ports] });
      }
    }
  }
  return [...byIp.values()].sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
}

export function buildRecords(services: Service[], slices: EndpointSlice[]): ClusterRecords {
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const name = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!name) continue;
    const key = `${s.metadata?.namespace}/${name}`;
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), s]);
  }
  const records: ClusterRecords = { services: new Map(), namespaces: new Set(), reverse: new Map() };
  for (const svc of services) {
    const name = svc.metadata?.name?.toLowerCase();
    const namespace = svc.metadata?.namespace?.toLowerCase();
    const spec = svc.spec;
    if (!name || !namespace || !spec) continue;
    const key = `${namespace}/${name}`;
    const ports = (spec.ports ?? []).map(toPort).filter((p): p is PortRecord => p !== undefined);
    const record: ServiceRecord = { name, namespace, ports, endpoints: [] };
    if (spec.type === 'ExternalName') {
      if (!spec.externalName) continue;
      record.externalName = spec.externalName.toLowerCase().replace(/\.$/, '');
    } else if (spec.clusterIP && spec.clusterIP !== 'None') {
      record.clusterIP = spec.clusterIP;
      records.reverse.set(spec.clusterIP, `${name}.${namespace}.svc`);
    } else {
      record.endpoints = headlessEndpoints(svc, slicesByService.get(`${svc.metadata?.namespace}/${svc.metadata?.name}`) ?? []);
      for (const e of record.endpoints) records.reverse.set(e.ip, `${e.label}.${name}.${namespace}.svc`);
    }
    records.services.set(key, record);
    records.namespaces.add(namespace);
  }
  return records;
}
