// Pure: the TCP listeners the proxy should hold, from Services and their EndpointSlices. Each
// Service port listens on its cluster IP, its node port (every node address and 127.0.0.1), its
// LoadBalancer ingress IPs and its loopback external IPs, and forwards to the ready endpoints.
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';

export interface Backend {
  ip: string;
  port: number;
}

export interface ListenerSpec {
  /** `address:port`: one listener per key. */
  key: string;
  address: string;
  port: number;
  /** `namespace/name:portName`, for logs and tests. */
  servicePort: string;
  backends: Backend[];
  /** sessionAffinity ClientIP: how long a client sticks to its backend. */
  affinityTimeoutMs?: number;
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const DEFAULT_AFFINITY_SECONDS = 10_800;

const isLoopback = (ip: string): boolean => /^127\.\d+\.\d+\.\d+$/.test(ip);

/**
 * The endpoints of one Service port: the ready ones; when none is ready, those still serving while
 * terminating (kube-proxy's fallback, so connections drain gracefully). Sorted, without duplicates.
 */
export function backendsFor(slices: EndpointSlice[], portName: string): Backend[] {
  const ready = new Map<string, Backend>();
  const terminating = new Map<string, Backend>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === 'TCP');
    if (port?.port === undefined) continue;
    for (const e of slice.endpoints ?? []) {
      const c = e.conditions ?? {};
      const target = c.ready !== false ? ready : c.serving && c.terminating ? terminating : undefined;
      for (const ip of e.addresses) target?.set(`${ip}:${port.port}`, { ip, port: port.port });
    }
  }
  const chosen = ready.size > 0 ? ready : terminating;
  return [...chosen.values()].sort(compareBackends);
}

const ipNumber = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

/** By address, then port, numerically (127.0.0.9 before 127.0.0.10). */
function compareBackends(a: Backend, b: Backend): number {
  return ipNumber(a.ip) - ipNumber(b.ip) || a.port - b.port;
}

/** Where a Service port is reachable besides its cluster IP. */
function frontAddresses(svc: Service, nodePort: number | undefined, nodeAddresses: string[]): [string, number][] {
  const spec = svc.spec!;
  const out: [string, number][] = [];
  if (nodePort && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    for (const a of new Set([...nodeAddresses, '127.0.0.1'])) out.push([a, nodePort]);
  }
  return out;
}

/** The EndpointSlices of each Service, by `namespace/name`. */
export function slicesByService(slices: EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const name = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!name) continue;
    const key = `${s.metadata?.namespace}/${name}`;
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

/** The listeners one Service asks for, given its own EndpointSlices. */
export function serviceListeners(svc: Service, slices: EndpointSlice[], nodeAddresses: string[]): ListenerSpec[] {
  const spec = svc.spec;
  if (!spec || spec.type === 'ExternalName') return [];
  const clusterIP = spec.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : undefined;
  const affinityTimeoutMs =
    spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS) * 1000 : undefined;
  const lbIPs = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip && isLoopback(ip));
  const externalIPs = (spec.externalIPs ?? []).filter(isLoopback);
  const out: ListenerSpec[] = [];
  for (const sp of spec.ports ?? []) {
    if ((sp.protocol ?? 'TCP') !== 'TCP') continue; // UDP and SCTP are not proxied
    const backends = backendsFor(slices, sp.name ?? '');
    const fronts: [string, number][] = [
      ...(clusterIP ? [[clusterIP, sp.port] as [string, number]] : []),
      ...frontAddresses(svc, sp.nodePort, nodeAddresses),
      ...(clusterIP ? [...lbIPs, ...externalIPs].map((ip): [string, number] => [ip, sp.port]) : []),
    ];
    for (const [address, port] of fronts) {
      out.push({ key: `${address}:${port}`, address, port, servicePort: `${serviceKey(svc)}:${sp.name ?? ''}`, backends, ...(affinityTimeoutMs ? { affinityTimeoutMs } : {}) });
    }
  }
  return out;
}

/** Services in the order that settles a contested address: by `namespace/name`. */
export const byServiceKey = (services: Service[]): Service[] =>
  services
    .map((svc) => [serviceKey(svc), svc] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, svc]) => svc);

/** One listener per key: the first Service (in the given order) keeps a contested address. */
export function mergeListeners(perService: ListenerSpec[][]): ListenerSpec[] {
  const listeners = new Map<string, ListenerSpec>();
  for (const specs of perService) for (const l of specs) if (!listeners.has(l.key)) listeners.set(l.key, l);
  return [...listeners.values()];
}

export function desiredListeners(services: Service[], slices: EndpointSlice[], nodeAddresses: string[]): ListenerSpec[] {
  const bySvc = slicesByService(slices);
  return mergeListeners(byServiceKey(services).map((svc) => serviceListeners(svc, bySvc.get(serviceKey(svc)) ?? [], nodeAddresses)));
}

export const serviceKey = (svc: Service): string => `${svc.metadata?.namespace}/${svc.metadata?.name}`;
