// mini-kubed's command line. Later issues add flags (--nodes, --runtime) beside these.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface DaemonConfig {
  dataDir: string;
  host: string;
  port: number;
  /** `sqlite`, `memory` or `etcd://host:port`. */
  store: string;
  logLevel: LogLevel;
  /** How long watch history is kept (resumable watches), in milliseconds. */
  watchHistoryMs: number;
  /** Simulated or local nodes run inside the daemon. */
  nodes: NodeSpec[];
  /** The default runtime of the nodes (a nodes-file entry may pick its own). */
  runtime: RuntimeKind;
  /** Cap of the CrashLoopBackOff delay (Kubernetes: 300 s); the first delay is min(10 s, cap / 4). */
  crashloopBackoffMaxMs?: number;
  /** A node whose lease is older than this is NotReady (Kubernetes: 40 s). */
  nodeMonitorGracePeriodMs: number;
  /** tolerationSeconds of the not-ready/unreachable tolerations every pod gets (Kubernetes: 300). */
  defaultTolerationSeconds: number;
  network: NetworkConfig;
  /** `host:port` of the Ingress listener; absent: the proxy's default (127.0.0.1:8080 when free). */
  ingressListen?: string;
  dns: DnsConfig;
}

/** The cluster DNS (README "DNS"). */
export interface DnsConfig {
  /** The kube-dns Service's cluster IP, pods' nameserver; absent: no cluster DNS. */
  clusterDNS?: string;
  clusterDomain: string;
  /** The port the DNS server listens on; pods use it only when it is 53. */
  port: number;
}

/** Loopback ranges (DESIGN.md "Local networking"); absent node/pod ranges use the kubelet's defaults. */
export interface NetworkConfig {
  /** A /24: node N gets its Nth address. */
  nodeCIDR?: string;
  /** A /16: node N's pods get its Nth /24. */
  podCIDR?: string;
  serviceCIDR: string;
}

export type RuntimeKind = 'sim' | 'process';

export interface NodeSpec {
  name: string;
  runtime?: RuntimeKind;
  cpu: string;
  memory: string;
  pods: number;
}

export const USAGE = `Usage: mini-kubed [flags]

A Kubernetes-compatible control plane in one process.

Flags:
  --data-dir DIR          where state and the kubeconfig live (default ~/.mini-kube)
  --listen HOST:PORT      address of the API server (default 127.0.0.1:6443; plain HTTP)
  --store KIND            sqlite (default), memory, or etcd://HOST:PORT
  --watch-history SECONDS how long watch history is kept for resuming watches (default 300)
  --nodes N               how many nodes run inside the daemon (default 1)
  --runtime KIND          how nodes run pods: process (local processes; default) or sim
  --crashloop-backoff-max SECONDS
                          cap of the restart back-off of crashing containers (default 300)
  --node-cpu Q            cpu capacity of each node (default 4)
  --node-memory Q         memory capacity of each node (default 8Gi)
  --node-pods N           pod capacity of each node (default 110)
  --nodes-file FILE       YAML list of nodes: [{name, cpu, memory, pods, runtime}], instead of --nodes
  --node-monitor-grace-period SECONDS
                          a node whose heartbeat is older is NotReady (default 40)
  --default-toleration-seconds SECONDS
                          how long pods stay on a NotReady/unreachable node (default 300)
  --node-cidr CIDR        a /24 of loopback addresses for the nodes (default 127.10.0.0/24)
  --pod-cidr CIDR         a /16 of loopback addresses for pods, a /24 per node (default 127.244.0.0/16)
  --service-cidr CIDR     the range of Service cluster IPs (default 127.96.0.0/12)
  --ingress-listen HOST:PORT
                          address of the Ingress HTTP listener (default 127.0.0.1:8080 when free)
  --cluster-dns IP        cluster IP of the kube-dns Service, pods' nameserver (default: the 10th
                          address of the service CIDR); none disables the cluster DNS
  --cluster-domain DOMAIN the cluster's DNS domain (default cluster.local)
  --cluster-dns-port PORT port of the DNS server (default 53; pods use the cluster DNS only on 53)
  --log-level LEVEL       error, warn, info (default) or debug
  -h, --help              show this help`;

export class FlagError extends Error {}

function parseListen(value: string, flag = '--listen'): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  const host = at > 0 ? value.slice(0, at) : '';
  const port = Number(value.slice(at + 1));
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) throw new FlagError(`${flag}: expected HOST:PORT, got "${value}"`);
  return { host, port };
}

function parseStore(value: string): string {
  if (value === 'sqlite' || value === 'memory' || value.startsWith('etcd://')) return value;
  throw new FlagError(`--store: expected sqlite, memory or etcd://HOST:PORT, got "${value}"`);
}

/** Parses argv (without node and the script); returns undefined when help was asked for. */
export function parseFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): DaemonConfig | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        listen: { type: 'string' },
        store: { type: 'string' },
        'watch-history': { type: 'string' },
        'log-level': { type: 'string' },
        nodes: { type: 'string' },
        runtime: { type: 'string' },
        'crashloop-backoff-max': { type: 'string' },
        'node-cpu': { type: 'string' },
        'node-memory': { type: 'string' },
        'node-pods': { type: 'string' },
        'nodes-file': { type: 'string' },
        'node-monitor-grace-period': { type: 'string' },
        'default-toleration-seconds': { type: 'string' },
        'node-cidr': { type: 'string' },
        'pod-cidr': { type: 'string' },
        'service-cidr': { type: 'string' },
        'ingress-listen': { type: 'string' },
        'cluster-dns': { type: 'string' },
        'cluster-domain': { type: 'string' },
        'cluster-dns-port': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) return undefined;
  const level = (v['log-level'] ?? 'info') as LogLevel;
  if (!['error', 'warn', 'info', 'debug'].includes(level)) throw new FlagError(`--log-level: expected error, warn, info or debug, got "${level}"`);
  const history = Number(v['watch-history'] ?? 300);
  if (!Number.isFinite(history) || history <= 0) throw new FlagError(`--watch-history: expected a number of seconds, got "${v['watch-history']}"`);
  const runtime = runtimeKind(v.runtime ?? 'process', '--runtime');
  const backoffMax = v['crashloop-backoff-max'] === undefined ? undefined : seconds(v['crashloop-backoff-max'], 300, '--crashloop-backoff-max');
  const serviceCIDR = cidrFlag(v['service-cidr'], undefined, '--service-cidr') ?? '127.96.0.0/12';
  return {
    dataDir: resolve(v['data-dir'] ?? join(env.HOME ?? homedir(), '.mini-kube')),
    ...parseListen(v.listen ?? '127.0.0.1:6443'),
    store: parseStore(v.store ?? 'sqlite'),
    logLevel: level,
    watchHistoryMs: history * 1000,
    nodes: v['nodes-file'] ? readNodesFile(v['nodes-file']) : uniformNodes(v),
    runtime,
    ...(backoffMax !== undefined ? { crashloopBackoffMaxMs: backoffMax * 1000 } : {}),
    nodeMonitorGracePeriodMs: seconds(v['node-monitor-grace-period'], 40, '--node-monitor-grace-period') * 1000,
    defaultTolerationSeconds: seconds(v['default-toleration-seconds'], 300, '--default-toleration-seconds'),
    network: {
      nodeCIDR: cidrFlag(v['node-cidr'], 24, '--node-cidr'),
      podCIDR: cidrFlag(v['pod-cidr'], 16, '--pod-cidr'),
      serviceCIDR,
    },
    ...(v['ingress-listen'] !== undefined ? { ingressListen: ingressListen(v['ingress-listen']) } : {}),
    dns: dnsConfig(v, serviceCIDR),
  };
}

function dnsConfig(v: Record<string, string | boolean | undefined>, serviceCIDR: string): DnsConfig {
  const domain = String(v['cluster-domain'] ?? 'cluster.local').toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(domain)) throw new FlagError(`--cluster-domain: expected a DNS domain, got "${v['cluster-domain']}"`);
  const port = Number(v['cluster-dns-port'] ?? 53);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new FlagError(`--cluster-dns-port: expected a port number, got "${v['cluster-dns-port']}"`);
  const raw = v['cluster-dns'] === undefined ? undefined : String(v['cluster-dns']);
  if (raw === 'none') return { clusterDomain: domain, port };
  const clusterDNS = raw ?? tenthAddress(serviceCIDR);
  if (clusterDNS === undefined) return { clusterDomain: domain, port }; // a range too small to hold it
  if (!inRange(clusterDNS, serviceCIDR)) throw new FlagError(`--cluster-dns: expected none or an address of the service CIDR ${serviceCIDR}, got "${raw}"`);
  return { clusterDNS, clusterDomain: domain, port };
}

const ipNumber = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** The range's 10th address, where Kubernetes puts kube-dns; undefined when the range is smaller. */
function tenthAddress(cidr: string): string | undefined {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  if (size < 16) return undefined;
  const n = ipNumber(ip!) - (ipNumber(ip!) % size) + 10;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Whether `ip` is a host address (neither the first nor the last) of `cidr`. */
function inRange(ip: string, cidr: string): boolean {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.split('.').some((o) => Number(o) > 255)) return false;
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const offset = ipNumber(ip) - (ipNumber(base!) - (ipNumber(base!) % size));
  return offset > 0 && offset < size - 1;
}

function ingressListen(raw: string): string {
  const { host, port } = parseListen(raw, '--ingress-listen');
  return `${host}:${port}`;
}

/** A loopback CIDR (127.x), of exactly `bits` when given. */
function cidrFlag(raw: string | undefined, bits: number | undefined, flag: string): string | undefined {
  if (raw === undefined) return undefined;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(raw);
  const prefix = Number(m?.[4]);
  if (!m || m.slice(1, 4).some((o) => Number(o) > 255) || (bits !== undefined ? prefix !== bits : prefix < 8 || prefix > 30)) {
    throw new FlagError(`${flag}: expected a loopback range 127.x.y.z/${bits ?? 'n'}, got "${raw}"`);
  }
  return raw;
}

function runtimeKind(raw: string, where: string): RuntimeKind {
  if (raw === 'sim' || raw === 'process') return raw;
  throw new FlagError(`${where}: expected process or sim, got "${raw}"`);
}

function seconds(raw: string | undefined, fallback: number, flag: string): number {
  const n = Number(raw ?? fallback);
  if (!Number.isFinite(n) || n < 0) throw new FlagError(`${flag}: expected a number of seconds, got "${raw}"`);
  return n;
}

function uniformNodes(v: Record<string, string | boolean | undefined>): NodeSpec[] {
  const count = Number(v.nodes ?? 1);
  if (!Number.isInteger(count) || count < 0 || count > 10_000) throw new FlagError(`--nodes: expected a whole number from 0 to 10000, got "${v.nodes}"`);
  const pods = Number(v['node-pods'] ?? 110);
  if (!Number.isInteger(pods) || pods <= 0) throw new FlagError(`--node-pods: expected a positive whole number, got "${v['node-pods']}"`);
  return Array.from({ length: count }, (_, i) => ({
    name: `node-${i + 1}`,
    cpu: String(v['node-cpu'] ?? '4'),
    memory: String(v['node-memory'] ?? '8Gi'),
    pods,
  }));
}

/** A nodes file: a YAML list of `{name, cpu, memory, pods, runtime}`; missing fields take the defaults. */
function readNodesFile(path: string): NodeSpec[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new FlagError(`--nodes-file: cannot read ${path}: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new FlagError(`--nodes-file: ${path} must hold a YAML list of nodes`);
  return parsed.map((entry: Partial<NodeSpec>, i) => {
    const name = entry?.name ?? `node-${i + 1}`;
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new FlagError(`--nodes-file: node ${i + 1}: "${name}" is not a valid node name`);
    const runtime = entry.runtime === undefined ? undefined : runtimeKind(String(entry.runtime), `--nodes-file: node ${i + 1}: runtime`);
    return { name, cpu: String(entry.cpu ?? '4'), memory: String(entry.memory ?? '8Gi'), pods: Number(entry.pods ?? 110), ...(runtime ? { runtime } : {}) };
  });
}
