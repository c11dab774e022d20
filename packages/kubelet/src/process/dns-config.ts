// A pod's /etc/resolv.conf and /etc/hosts, as the kubelet makes them (pkg/kubelet/network/dns and
// the managed hosts file). Both are written to `<sandbox>/etc/` and become two more mounts of each
// container: bind-mounted over /etc/resolv.conf and /etc/hosts in its mount namespace, or, without
// one, shown under the root view as `$MINI_KUBE_ROOT/etc/resolv.conf` and `$MINI_KUBE_ROOT/etc/hosts`.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Mount } from './volumes.js';

/** What the kubelet is configured with (`--cluster-dns`, `--cluster-domain`). */
export interface ClusterDnsSettings {
  /** The cluster DNS addresses; empty: ClusterFirst pods get the host's resolver. */
  clusterDNS: string[];
  clusterDomain: string;
}

export interface DnsOption {
  name: string;
  value?: string;
}

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: DnsOption[];
}

// The kubelet's limits (validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars).
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;

const unique = (items: string[]): string[] => [...new Set(items)];

function parseOption(raw: string): DnsOption {
  const at = raw.indexOf(':');
  return at < 0 ? { name: raw } : { name: raw.slice(0, at), value: raw.slice(at + 1) };
}

/** The nameserver, search (or domain) and options lines of a resolv.conf. */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...fields] = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (key === 'nameserver' && fields[0]) out.nameservers.push(fields[0]);
    else if (key === 'search' || key === 'domain') out.searches = fields.filter(Boolean);
    else if (key === 'options') out.options.push(...fields.filter(Boolean).map(parseOption));
  }
  return out;
}

export function readHostResolvConf(path = '/etc/resolv.conf'): ResolvConf {
  try {
    return parseResolvConf(readFileSync(path, 'utf8'));
  } catch {
    return { nameservers: [], searches: [], options: [] };
  }
}

type DnsSource = 'cluster' | 'host' | 'none';

/** Where a pod's base resolver config comes from (kubelet getPodDNSType). */
export function dnsSource(pod: Pod, settings: ClusterDnsSettings): DnsSource {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'None') return 'none';
  if (policy === 'Default') return 'host';
  const cluster = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.spec?.hostNetwork);
  // Without a cluster DNS, ClusterFirst falls back to the host's resolver, as the kubelet does.
  return cluster && settings.clusterDNS.length > 0 ? 'cluster' : 'host';
}

/** Options of `extra` override those of `base` with the same name; new ones are appended. */
function mergeOptions(base: DnsOption[], extra: DnsOption[]): DnsOption[] {
  const out = base.map((o) => ({ ...o }));
  for (const o of extra) {
    const same = out.find((b) => b.name === o.name);
    if (same) same.value = o.value;
    else out.push({ ...o });
  }
  return out;
}

function limitSearches(searches: string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const s of searches.slice(0, MAX_SEARCHES)) {
    chars += s.length + (out.length ? 1 : 0);
    if (chars > MAX_SEARCH_CHARS) break;
    out.push(s);
  }
  return out;
}

/** The pod's resolver config: the policy's base, then spec.dnsConfig merged in, within the kubelet's limits. */
export function podResolvConf(pod: Pod, settings: ClusterDnsSettings, host: ResolvConf): ResolvConf {
  const ns = pod.metadata?.namespace ?? 'default';
  const domain = settings.clusterDomain;
  let base: ResolvConf;
  switch (dnsSource(pod, settings)) {
    case 'cluster':
      base = { nameservers: settings.clusterDNS, searches: [`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches], options: [{ name: 'ndots', value: '5' }] };
      break;
    case 'host':
      base = host;
      break;
    default:
      base = { nameservers: [], searches: [], options: [] };
  }
  const extra = pod.spec?.dnsConfig;
  const options = mergeOptions(base.options, (extra?.options ?? []).filter((o) => o.name).map((o) => ({ name: o.name!, ...(o.value !== undefined ? { value: o.value } : {}) })));
  return {
    nameservers: unique([...base.nameservers, ...(extra?.nameservers ?? [])]).slice(0, MAX_NAMESERVERS),
    searches: limitSearches(unique([...base.searches, ...(extra?.searches ?? [])])),
    options,
  };
}

export function formatResolvConf(rc: ResolvConf): string {
  const lines = [
    ...(rc.searches.length ? [`search ${rc.searches.join(' ')}`] : []),
    ...rc.nameservers.map((n) => `nameserver ${n}`),
    ...(rc.options.length ? [`options ${rc.options.map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name)).join(' ')}`] : []),
  ];
  return lines.join('\n') + '\n';
}

/** The kubelet's managed hosts file: loopback boilerplate, the pod's own name, then its hostAliases. */
export function podHostsFile(pod: Pod, podIP: string, clusterDomain: string): string {
  const hostname = (pod.spec?.hostname || pod.metadata?.name || '').slice(0, 63);
  const subdomain = pod.spec?.subdomain;
  const own = subdomain ? `${podIP}\t${hostname}.${subdomain}.${pod.metadata?.namespace ?? 'default'}.svc.${clusterDomain}\t${hostname}` : `${podIP}\t${hostname}`;
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
    own,
  ];
  const aliases = (pod.spec?.hostAliases ?? []).filter((a) => a.ip && a.hostnames?.length);
  if (aliases.length) lines.push('', '# Entries added by HostAliases.', ...aliases.map((a) => `${a.ip}\t${a.hostnames!.join('\t')}`));
  return lines.join('\n') + '\n';
}

/**
 * Writes the pod's resolv.conf (and hosts file, unless it uses the host's network) into
 * `<sandbox>/etc/`, and returns them as mounts, leaving out paths the container mounts itself.
 */
export async function podDnsMounts(sandbox: string, pod: Pod, settings: ClusterDnsSettings, taken: readonly Mount[] = []): Promise<Mount[]> {
  const dir = join(sandbox, 'etc');
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [['/etc/resolv.conf', formatResolvConf(podResolvConf(pod, settings, readHostResolvConf()))]];
  if (!pod.spec?.hostNetwork) files.push(['/etc/hosts', podHostsFile(pod, pod.status?.podIP ?? '', settings.clusterDomain)]);
  const mounts: Mount[] = [];
  for (const [mountPath, content] of files) {
    if (taken.some((m) => m.mountPath.replace(/\/$/, '') === mountPath)) continue;
    const hostPath = join(dir, mountPath.slice('/etc/'.length));
    await writeFile(hostPath, content);
    mounts.push({ mountPath, hostPath, readOnly: false });
  }
  return mounts;
}
