// Pure: the answer to one question, as CoreDNS's kubernetes plugin (with `pods insecure` and
// `fallthrough in-addr.arpa`) would give it. Names outside the cluster domain, and reverse lookups
// of addresses the cluster does not know, are left to the forwarder.
import type { Answer, RecordType, SoaAnswer } from 'dns-packet';
import type { ClusterRecords, EndpointRecord, ServiceRecord } from './records.js';

/** CoreDNS's default TTL for cluster records. */
export const TTL = 5;

export type Rcode = 'NOERROR' | 'NXDOMAIN';

export interface Resolution {
  rcode: Rcode;
  answers: Answer[];
  /** Address records of SRV targets. */
  additionals: Answer[];
  /** The zone's SOA on negative answers (NXDOMAIN, or NOERROR without answers), for negative caching. */
  authorities: Answer[];
  /** An ExternalName's CNAME target, to be resolved and appended for A/AAAA questions. */
  chase?: string;
}

export type Outcome = Resolution | { forward: true };

/** Whether `name` (lower-case) is `zone` or below it. */
const within = (name: string, zone: string): boolean => name === zone || name.endsWith(`.${zone}`);

export function soa(zone: string, serial: number): SoaAnswer {
  return {
    type: 'SOA',
    name: zone,
    ttl: TTL,
    data: { mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial, refresh: 7200, retry: 1800, expire: 86400, minimum: TTL },
  };
}

/**
 * `qname` as asked (answers echo its case), `type` the question's type, `zone` the cluster domain
 * (lower-case, no trailing dot), `serial` the SOA serial.
 */
export function resolve(qname: string, type: RecordType, records: ClusterRecords, zone: string, serial = 1): Outcome {
  const name = qname.toLowerCase().replace(/\.$/, '');
  const reply = new Reply(qname, zone, serial);
  if (name.endsWith('.in-addr.arpa')) return reverse(name, type, records, zone, reply);
  if (!within(name, zone)) return { forward: true };
  const labels = name === zone ? [] : name.slice(0, -(zone.length + 1)).split('.');
  const top = labels.at(-1);
  if (labels.length === 0) {
    if (type === 'SOA') return reply.with([soa(zone, serial)]);
    if (type === 'NS') return reply.with([{ type: 'NS', name: qname, ttl: TTL, data: `ns.dns.${zone}` }]);
    return reply.noData();
  }
  if (top === 'svc') return serviceName(labels.slice(0, -1), type, records, reply);
  if (top === 'pod') return podName(labels.slice(0, -1), type, reply);
  return reply.nxdomain();
}

/** Names below `svc.<zone>`: `<ns>`, `<svc>.<ns>`, `<endpoint>.<svc>.<ns>`, `_<port>._<proto>.<svc>.<ns>`. */
function serviceName(labels: string[], type: RecordType, records: ClusterRecords, reply: Reply): Resolution {
  if (labels.length === 0) return reply.noData();
  const namespace = labels.at(-1)!;
  if (labels.length === 1) return records.namespaces.has(namespace) ? reply.noData() : reply.nxdomain();
  const svc = records.services.get(`${namespace}/${labels.at(-2)}`);
  if (!svc) return reply.nxdomain();
  const fqdn = `${svc.name}.${svc.namespace}.svc.${reply.zone}`;
  if (labels.length === 2) return serviceRecords(svc, fqdn, type, reply);
  if (labels.length === 3) {
    const ep = svc.endpoints.find((e) => e.label === labels[0]);
    if (!ep) return reply.nxdomain();
    return type === 'A' ? reply.with([reply.a(ep.ip)]) : reply.noData();
  }
  if (labels.length === 4 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
    const srv = srvRecords(svc, fqdn, labels[0]!.slice(1), labels[1]!.slice(1), reply);
    if (srv.answers.length === 0) return reply.nxdomain();
    return type === 'SRV' ? srv : reply.noData();
  }
  return reply.nxdomain();
}

function serviceRecords(svc: ServiceRecord, fqdn: string, type: RecordType, reply: Reply): Resolution {
  if (svc.externalName !== undefined) {
    const cname: Answer = { type: 'CNAME', name: reply.qname, ttl: TTL, data: svc.externalName };
    return { ...reply.with([cname]), ...(type === 'A' || type === 'AAAA' ? { chase: svc.externalName } : {}) };
  }
  // A headless Service without endpoints has no records at all (CoreDNS answers NXDOMAIN).
  if (svc.clusterIP === undefined && svc.endpoints.length === 0) return reply.nxdomain();
  if (type === 'A') return reply.with(svc.clusterIP !== undefined ? [reply.a(svc.clusterIP)] : svc.endpoints.map((e) => reply.a(e.ip)));
  if (type === 'SRV') return srvRecords(svc, fqdn, undefined, undefined, reply);
  return reply.noData();
}

/**
 * SRV records of a Service: for a ClusterIP Service, one per matching port, pointing at the Service;
 * for a headless one, one per endpoint and matching port, pointing at the endpoint's name.
 * `port`/`protocol` undefined match every named port.
 */
function srvRecords(svc: ServiceRecord, fqdn: string, port: string | undefined, protocol: string | undefined, reply: Reply): Resolution {
  const matches = (p: { name: string; protocol: string }): boolean => p.name !== '' && (port === undefined || p.name === port) && (protocol === undefined || p.protocol === protocol);
  const targets: { target: string; port: number; ip: string }[] = [];
  if (svc.clusterIP !== undefined) {
    for (const p of svc.ports.filter(matches)) targets.push({ target: fqdn, port: p.port, ip: svc.clusterIP });
  } else {
    for (const e of svc.endpoints) for (const p of e.ports.filter(matches)) targets.push({ target: `${e.label}.${fqdn}`, port: p.port, ip: e.ip });
  }
  // CoreDNS splits a weight of 100 evenly among the records of one answer.
  const weight = Math.max(1, Math.floor(100 / Math.max(1, targets.length)));
  const answers: Answer[] = targets.map((t) => ({ type: 'SRV', name: reply.qname, ttl: TTL, data: { priority: 0, weight, port: t.port, target: t.target } }));
  const seen = new Set<string>();
  const additionals: Answer[] = [];
  for (const t of targets) {
    if (seen.has(t.target)) continue;
    seen.add(t.target);
    additionals.push({ type: 'A', name: t.target, ttl: TTL, data: t.ip });
  }
  return { ...reply.with(answers), additionals };
}

/** `<a-b-c-d>.<ns>.pod.<zone>` → a.b.c.d, unchecked (`pods insecure`). */
function podName(labels: string[], type: RecordType, reply: Reply): Resolution {
  if (labels.length === 0) return reply.noData();
  if (labels.length === 1) return reply.noData(); // a namespace
  if (labels.length !== 2) return reply.nxdomain();
  const octets = labels[0]!.split('-');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return reply.nxdomain();
  return type === 'A' ? reply.with([reply.a(octets.map(Number).join('.'))]) : reply.noData();
}

/** PTR of an address the cluster knows; every other reverse name goes upstream. */
function reverse(name: string, type: RecordType, records: ClusterRecords, zone: string, reply: Reply): Outcome {
  const octets = name.slice(0, -'.in-addr.arpa'.length).split('.');
  const path = octets.length === 4 ? records.reverse.get(octets.reverse().join('.')) : undefined;
  if (path === undefined) return { forward: true };
  return type === 'PTR' ? reply.with([{ type: 'PTR', name: reply.qname, ttl: TTL, data: `${path}.${zone}` }]) : reply.noData();
}

class Reply {
  constructor(
    readonly qname: string,
    readonly zone: string,
    private readonly serial: number,
  ) {}

  a(ip: string): Answer {
    return { type: 'A', name: this.qname, ttl: TTL, data: ip };
  }

  with(answers: Answer[]): Resolution {
    if (answers.length === 0) return this.noData();
    return { rcode: 'NOERROR', answers, additionals: [], authorities: [] };
  }

  noData(): Resolution {
    return { rcode: 'NOERROR', answers: [], additionals: [], authorities: [soa(this.zone, this.serial)] };
  }

  nxdomain(): Resolution {
    return { rcode: 'NXDOMAIN', answers: [], additionals: [], authorities: [soa(this.zone, this.serial)] };
  }
}
