// Printers of the networking kinds: Service, Endpoints, EndpointSlice, Ingress, IngressClass.
import { translateTimestampSince } from '@mini-kube/machinery';
import type { Endpoints, Service, ServicePort } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, IngressRule } from 'kubernetes-types/networking/v1';
import { ageColumn, column, convertor, nameColumn, wide } from './columns.js';
import { formatLabels, listWithMore, loadBalancerAddresses } from './format.js';

/** EXTERNAL-IP: external IPs, load-balancer ingress, `<pending>` while a load balancer is awaited. */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** PORT(S): `80/TCP`, or `80:30080/TCP` when a node port is allocated. */
export function servicePorts(ports: ServicePort[] | undefined): string {
  const text = (ports ?? [])
    .map((p) => {
      const protocol = p.protocol ?? 'TCP';
      return p.nodePort ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
    })
    .join(',');
  return text || '<none>';
}

export const serviceConvertor = convertor<Service>(
  [nameColumn(), column('Type'), column('Cluster-IP'), column('External-IP'), column('Port(s)'), ageColumn(), wide('Selector')],
  (svc, now) => [
    svc.metadata?.name ?? '',
    svc.spec?.type ?? 'ClusterIP',
    svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>',
    serviceExternalIP(svc),
    servicePorts(svc.spec?.ports),
    translateTimestampSince(svc.metadata?.creationTimestamp, now),
    formatLabels(svc.spec?.selector),
  ],
);

/** ENDPOINTS: the first three `ip:port` (or bare IPs for port-less subsets), then ` + N more...`. */
export function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    // A headless service may have no ports: list the bare addresses.
    const pairs = ports.length === 0 ? addresses.map((a) => a.ip) : ports.flatMap((p) => addresses.map((a) => joinHostPort(a.ip, p.port)));
    count += pairs.length;
    list.push(...pairs.slice(0, Math.max(0, max - list.length)));
  }
  const shown = list.join(',');
  return count > max ? `${shown} + ${count - max} more...` : shown;
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export const endpointsConvertor = convertor<Endpoints>([nameColumn(), column('Endpoints'), ageColumn()], (ep, now) => [
  ep.metadata?.name ?? '',
  formatEndpoints(ep),
  translateTimestampSince(ep.metadata?.creationTimestamp, now),
]);

export const endpointSliceConvertor = convertor<EndpointSlice>(
  [nameColumn(), column('AddressType'), column('Ports'), column('Endpoints'), ageColumn()],
  (slice, now) => {
    const ports = (slice.ports ?? []).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*'));
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [
      slice.metadata?.name ?? '',
      slice.addressType ?? '',
      listWithMore(ports, ports.length),
      listWithMore(addresses, addresses.length),
      translateTimestampSince(slice.metadata?.creationTimestamp, now),
    ];
  },
);

/** HOSTS: the first three rule hosts, `*` when no rule names one. */
export function ingressHosts(rules: IngressRule[] | undefined): string {
  const all = rules ?? [];
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of all) {
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  // The real printer counts every rule beyond the third, whether it names a host or not.
  return more ? `${hosts.join(',')} + ${all.length - max} more...` : hosts.join(',');
}

export const ingressConvertor = convertor<Ingress>(
  [
    nameColumn(),
    column('Class', { description: 'The name of the IngressClass resource that should be used for additional configuration' }),
    column('Hosts', { description: 'Hosts that incoming requests are matched against before the ingress rule' }),
    column('Address', { description: 'Address is a list containing ingress points for the load-balancer' }),
    column('Ports', { description: 'Ports of TLS configurations that open' }),
    ageColumn(),
  ],
  (ing, now) => [
    ing.metadata?.name ?? '',
    ing.spec?.ingressClassName ?? '<none>',
    ingressHosts(ing.spec?.rules),
    loadBalancerAddresses(ing.status?.loadBalancer?.ingress),
    (ing.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
    translateTimestampSince(ing.metadata?.creationTimestamp, now),
  ],
);

export const ingressClassConvertor = convertor<IngressClass>(
  [
    nameColumn(),
    column('Controller', { description: 'Controller that is responsible for handling this class' }),
    column('Parameters', { description: 'A reference to a resource with additional parameters' }),
    ageColumn(),
  ],
  (ic, now) => {
    const p = ic.spec?.parameters;
    const parameters = p ? `${p.kind}${p.apiGroup != null ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return [ic.metadata?.name ?? '', ic.spec?.controller ?? '', parameters, translateTimestampSince(ic.metadata?.creationTimestamp, now)];
  },
);
