// Node and pod addresses on the loopback interface (DESIGN.md, "Local networking"). Node N has
// address 127.10.0.N and pod CIDR 127.244.N.0/24 for N ≤ 255; larger indexes carry into the next
// octet (127.10.1.0, 127.245.0.0/24, ...), so up to 3,071 nodes fit in 127.0.0.0/8.

const MAX_NODE_INDEX = (255 - 244 + 1) * 256 - 1;

function checkIndex(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_NODE_INDEX) throw new RangeError(`node index ${n} is not in 1..${MAX_NODE_INDEX}`);
}

export function nodeAddress(n: number): string {
  checkIndex(n);
  return `127.10.${Math.floor(n / 256)}.${n % 256}`;
}

export function podCIDR(n: number): string {
  checkIndex(n);
  return `127.${244 + Math.floor(n / 256)}.${n % 256}.0/24`;
}

/** Hands out the addresses .2 to .254 of a /24 (.1 is left for a gateway, as CNI host-local does). */
export class IpPool {
  private readonly prefix: string;
  private readonly used = new Set<number>();
  private next = 2;

  constructor(cidr: string) {
    const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(cidr);
    if (!m) throw new Error(`only /24 pod CIDRs are supported, not ${cidr}`);
    this.prefix = m[1]!;
  }

  get size(): number {
    return this.used.size;
  }

  /** `preferred` (e.g. the IP a pod had before a restart) when it is ours and free; else the next free one. */
  allocate(preferred?: string): string | undefined {
    const wanted = preferred ? this.hostPart(preferred) : undefined;
    if (wanted !== undefined && !this.used.has(wanted)) return this.take(wanted);
    // Round-robin from the last allocation, so a just-released address is not reused at once.
    for (let i = 0; i < 253; i++) {
      const host = ((this.next - 2 + i) % 253) + 2;
      if (!this.used.has(host)) return this.take(host);
    }
    return undefined;
  }

  release(ip: string): void {
    const host = this.hostPart(ip);
    if (host !== undefined) this.used.delete(host);
  }

  private take(host: number): string {
    this.used.add(host);
    this.next = host + 1;
    return `${this.prefix}.${host}`;
  }

  private hostPart(ip: string): number | undefined {
    if (!ip.startsWith(this.prefix + '.')) return undefined;
    const host = Number(ip.slice(this.prefix.length + 1));
    return Number.isInteger(host) && host >= 2 && host <= 254 ? host : undefined;
  }
}
