// The cluster DNS (CoreDNS's kubernetes + forward plugins, in-process).
export { startClusterDns, DEFAULT_CLUSTER_DOMAIN, type ClusterDns, type ClusterDnsOptions } from './cluster-dns.js';
export { DnsServer, type DnsServerOptions } from './server.js';
export { buildRecords, type ClusterRecords } from './records.js';
export { resolve as resolveDnsName, TTL as DNS_TTL, type Resolution, type Outcome } from './resolve.js';
export { hostNameservers, parseNameservers, type Upstream } from './forward.js';
export { ensureKubeDns, KUBE_DNS } from './kube-dns.js';
