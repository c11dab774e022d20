// Pure: LoadBalancer addresses from the proxy's own loopback range. A Service of type LoadBalancer
// without an ingress IP of the range gets the lowest free one; a Service that is no longer a
// LoadBalancer has its range address taken back. Returns the status changes to write.
import type { LoadBalancerIngress, Service } from 'kubernetes-types/core/v1';

export const DEFAULT_LOAD_BALANCER_CIDR = '127.112.0.0/16';

export interface IpRange {
  first: number;
  size: number;
}

const toNumber = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const toIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

export function parseRange(cidr: string): IpRange {
  const [ip, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!ip || !/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid CIDR "${cidr}"`);
  const size = 2 ** (32 - prefix);
  const base = toNumber(ip) - (toNumber(ip) % size);
  // Skip the network and broadcast addresses, as a real range would.
  return { first: base + 1, size: size - 2 };
}

export const inRange = (range: IpRange, ip: string | undefined): boolean =>
  !!ip && /^\d+\.\d+\.\d+\.\d+$/.test(ip) && toNumber(ip) >= range.first && toNumber(ip) < range.first + range.size;

export interface StatusChange {
  service: Service;
  ingress: LoadBalancerIngress[];
}

export function planLoadBalancers(services: Service[], range: IpRange): StatusChange[] {
  const ours = (svc: Service) => (svc.status?.loadBalancer?.ingress ?? []).filter((i) => inRange(range, i.ip));
  const used = new Set(services.flatMap((s) => (s.spec?.type === 'LoadBalancer' ? ours(s).map((i) => i.ip!) : [])));
  const changes: StatusChange[] = [];
  let next = 0;
  // Only LoadBalancers and holders of a range address matter: most Services are neither.
  const sorted = services
    .filter((s) => s.spec?.type === 'LoadBalancer' || ours(s).length)
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
  for (const svc of sorted) {
    const current = svc.status?.loadBalancer?.ingress ?? [];
    if (svc.spec?.type !== 'LoadBalancer') {
      if (ours(svc).length) changes.push({ service: svc, ingress: current.filter((i) => !inRange(range, i.ip)) });
      continue;
    }
    if (ours(svc).length) continue;
    while (next < range.size && used.has(toIp(range.first + next))) next++;
    if (next >= range.size) break; // the range is exhausted: the Service stays pending
    const ip = toIp(range.first + next);
    used.add(ip);
    changes.push({ service: svc, ingress: [...current, { ip, ipMode: 'VIP' }] });
  }
  return changes;
}
