// Cluster IPs (127.96.0.0/12 by default, on loopback — see DESIGN.md "Local networking") and node ports
// (30000–32767) for Services. The used sets are rebuilt from stored Services on first use, so
// allocations survive restarts; afterwards the registry keeps them in step on create and delete.
import { fieldErrors, type FieldError } from '@mini-kube/machinery';

export const DEFAULT_SERVICE_CIDR = '127.96.0.0/12';
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

function ipToString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** Parses "a.b.c.d/n" into its first address and size. */
export function parseCidr(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const base = ipToNumber(ip ?? '');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`invalid CIDR "${cidr}": expected a.b.c.d/n with n from 8 to 30`);
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size };
}

/** The first usable address of a range: the `kubernetes` Service takes it. */
export function firstClusterIp(cidr: string): string {
  return ipToString(parseCidr(cidr).base + 1);
}

/** Offset of the cluster DNS address in the range (Kubernetes: kube-dns at the 10th address). */
const DNS_OFFSET = 10;
export const DNS_SERVICE = { namespace: 'kube-system', name: 'kube-dns' } as const;

/** The cluster DNS address of a range (10th), reserved for kube-system/kube-dns; undefined in ranges under 16 addresses. */
export function clusterDnsIp(cidr: string): string | undefined {
  const { base, size } = parseCidr(cidr);
  return size < 16 ? undefined : ipToString(base + DNS_OFFSET);
}

interface ServiceLike {
  metadata?: { namespace?: string; name?: string };
  spec?: { clusterIP?: string; clusterIPs?: string[]; type?: string; ports?: { nodePort?: number; port?: number }[] };
}

export class ServiceAllocator {
  private readonly base: number;
  private readonly size: number;
  private readonly ips = new Set<string>();
  private readonly ports = new Set<number>();
  private nextIp = 1;
  /** Never handed out, and given on request only to kube-system/kube-dns. */
  private readonly dnsIp: string | undefined;

  constructor(private readonly cidr: string = DEFAULT_SERVICE_CIDR) {
    ({ base: this.base, size: this.size } = parseCidr(cidr));
    this.dnsIp = clusterDnsIp(cidr);
  }

  /** Records what existing Services hold. */
  load(services: ServiceLike[]): void {
    for (const svc of services) this.retain(svc);
  }

  retain(svc: ServiceLike): void {
    const ip = svc.spec?.clusterIP;
    if (ip && ip !== 'None') this.ips.add(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.ports.add(p.nodePort);
  }

  release(svc: ServiceLike): void {
    const ip = svc.spec?.clusterIP;
    if (ip) this.ips.delete(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) this.ports.delete(p.nodePort);
  }

  /**
   * Fills spec.clusterIP(s) and node ports of a new Service, honouring requested values when they are
   * free and in range. Returns field errors for requests that cannot be honoured; allocates nothing then.
   */
  allocate(svc: ServiceLike, dryRun: boolean): FieldError[] {
    const spec = (svc.spec ??= {});
    const errors: FieldError[] = [];
    const wantsIp = spec.type !== 'ExternalName';
    const requested = spec.clusterIP ?? spec.clusterIPs?.[0];
    if (wantsIp && requested && requested !== 'None') {
      const n = ipToNumber(requested);
      if (n === undefined || n - this.base <= 0 || n - this.base >= this.size - 1) {
        errors.push(
          fieldErrors.invalid('spec.clusterIPs', [requested], `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.cidr}`),
        );
      } else if (this.ips.has(requested)) {
        errors.push(fieldErrors.invalid('spec.clusterIPs', [requested], `failed to allocate IP ${requested}: provided IP is already allocated`));
      } else if (requested === this.dnsIp && !isDnsService(svc)) {
        errors.push(fieldErrors.invalid('spec.clusterIPs', [requested], `failed to allocate IP ${requested}: provided IP is reserved for the cluster DNS Service kube-system/kube-dns`));
      }
    }
    const needsNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    (spec.ports ?? []).forEach((p, i) => {
      if (p.nodePort === undefined) return;
      if (!needsNodePorts) return;
      if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
        errors.push(fieldErrors.invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`));
      } else if (this.ports.has(p.nodePort)) {
        errors.push(fieldErrors.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
      }
    });
    if (errors.length) return errors;

    if (wantsIp && requested !== 'None') {
      const ip = requested ?? this.freeIp();
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
    } else if (requested === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
    }
    if (needsNodePorts) {
      const taken = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n): n is number => n !== undefined));
      for (const p of spec.ports ?? []) {
        if (p.nodePort !== undefined) continue;
        p.nodePort = this.freePort(taken);
        taken.add(p.nodePort);
      }
    }
    if (!dryRun) this.retain(svc);
    return [];
  }

  private freeIp(): string {
    for (let i = 0; i < this.size - 2; i++) {
      const candidate = ipToString(this.base + 1 + ((this.nextIp - 1 + i) % (this.size - 2)));
      if (!this.ips.has(candidate) && candidate !== this.dnsIp) {
        this.nextIp = this.nextIp + i + 1;
        return candidate;
      }
    }
    throw new Error('the cluster IP range is full');
  }

  /** A free node port, from a random start as Kubernetes picks them (daemons side by side rarely collide). */
  private freePort(taken: Set<number>): number {
    const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const port = NODE_PORT_MIN + ((start + i) % span);
      if (!this.ports.has(port) && !taken.has(port)) return port;
    }
    throw new Error('the node port range is full');
  }
}

const isDnsService = (svc: ServiceLike): boolean => svc.metadata?.namespace === DNS_SERVICE.namespace && svc.metadata?.name === DNS_SERVICE.name;

/**
 * An update that leaves the cluster IP or a node port out keeps what the Service was given
 * (`kubectl replace` of a manifest without them).
 */
export function keepServiceAllocations(next: ServiceLike, old: ServiceLike): void {
  const spec = next.spec;
  if (!spec || !old.spec) return;
  if (!spec.clusterIP && old.spec.clusterIP) {
    spec.clusterIP = old.spec.clusterIP;
    spec.clusterIPs = old.spec.clusterIPs ?? [old.spec.clusterIP];
  }
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
  for (const port of spec.ports ?? []) {
    if (port.nodePort !== undefined) continue;
    const before = old.spec.ports?.find((p) => p.port === port.port);
    if (before?.nodePort) port.nodePort = before.nodePort;
  }
}
