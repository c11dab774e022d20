// The cluster DNS as the daemon runs it: Service and EndpointSlice informers feed the records
// (rebuilt lazily after a change), the server answers on its own address (UDP+TCP) and on the
// cluster IP (UDP; the service proxy brings TCP there to the endpoint), and the kube-dns Service
// and Endpoints are kept pointing at it.
import { findResource, type KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { InformerFactory } from '@mini-kube/runtime';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { hostNameservers, type Upstream } from './forward.js';
import { ensureKubeDns } from './kube-dns.js';
import { buildRecords, type ClusterRecords } from './records.js';
import { DnsServer } from './server.js';

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTSLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const ENSURE_ATTEMPTS = 5;
const ENSURE_RETRY_MS = 1_000;

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

export interface ClusterDnsOptions {
  client: ApiClient;
  signal: AbortSignal;
  informers?: InformerFactory;
  /** The kube-dns Service's cluster IP: pods' nameserver. */
  clusterIP: string;
  /** The server's own address (the kube-dns endpoint, "the CoreDNS pod"). */
  serverAddress: string;
  /** Default 53. */
  port?: number;
  /** Default cluster.local. */
  domain?: string;
  /** Where names outside the domain go; default: the host's /etc/resolv.conf nameservers. */
  upstreams?: () => Upstream[];
  log?: (message: string) => void;
}

export interface ClusterDns {
  server: DnsServer;
  /** Settles once the server has closed after `signal` aborted. */
  closed: Promise<void>;
}

/**
 * Binds the server's sockets (rejects when they cannot be bound: the caller decides to run without
 * cluster DNS), then serves until `signal` aborts. Register before the informer factory starts.
 */
export async function startClusterDns(opts: ClusterDnsOptions): Promise<ClusterDns> {
  const { client, signal, clusterIP, serverAddress, log } = opts;
  const port = opts.port ?? 53;
  const informers = opts.informers ?? new InformerFactory(client);
  const services = informers.informer<Service & KObject>(SERVICES);
  const slices = informers.informer<EndpointSlice & KObject>(ENDPOINTSLICES);
  let records: ClusterRecords | undefined;
  const changed = (): void => void (records = undefined);
  for (const i of [services, slices]) i.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  const own = [serverAddress, clusterIP];
  const server = new DnsServer({
    addresses: [serverAddress],
    udpOnlyAddresses: clusterIP === serverAddress ? [] : [clusterIP],
    port,
    zone: opts.domain ?? DEFAULT_CLUSTER_DOMAIN,
    records: () => {
      if (!services.hasSynced() || !slices.hasSynced()) return undefined;
      return (records ??= buildRecords(services.lister.list(), slices.lister.list()));
    },
    upstreams: opts.upstreams ?? (() => hostNameservers(own)),
    log,
  });
  await server.listen();
  if (!opts.informers) informers.start(signal);
  const closed = new Promise<void>((done) => {
    if (signal.aborted) void server.close().then(done);
    else signal.addEventListener('abort', () => void server.close().then(done), { once: true });
  });
  void keepKubeDns(opts, port, signal);
  return { server, closed };
}

async function keepKubeDns(opts: ClusterDnsOptions, serverPort: number, signal: AbortSignal): Promise<void> {
  for (let attempt = 1; attempt <= ENSURE_ATTEMPTS && !signal.aborted; attempt++) {
    try {
      await ensureKubeDns(opts.client, { clusterIP: opts.clusterIP, serverAddress: opts.serverAddress, serverPort });
      return;
    } catch (err) {
      if (attempt === ENSURE_ATTEMPTS) opts.log?.(`cannot create the kube-system/kube-dns Service: ${(err as Error).message}`);
      else await new Promise((r) => setTimeout(r, ENSURE_RETRY_MS));
    }
  }
}
