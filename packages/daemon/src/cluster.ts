// The in-daemon cluster components: controller manager, scheduler and the nodes' kubelets. They reach
// the API server with the same client a remote component would use, over the daemon's in-process
// transport (`dispatcher`; `apiUrl` names the server they reach that way).
import { setMaxListeners } from 'node:events';
import { findResource, type KObject, type Service } from '@mini-kube/api';
import { ApiClient, type RequestDispatcher } from '@mini-kube/client';
import { startControllerManager } from '@mini-kube/controllers';
import { ProcessRuntime, SimRuntime, cgroupLimiter, startKubelet, type Kubelet, type ProcessRuntimeOptions, type Runtime } from '@mini-kube/kubelet';
import { startClusterDns, startProxy, type ClusterDns } from '@mini-kube/proxy';
import { EventRecorder, InformerFactory, TokenBucket } from '@mini-kube/runtime';
import { startScheduler } from '@mini-kube/scheduler';
import type { DaemonConfig, NodeSpec } from './flags.js';
import type { Logger } from './logger.js';

/** Events per second all in-daemon kubelets may write together, and the burst (kubelet defaults). */
const KUBELET_EVENT_QPS = 50;
const KUBELET_EVENT_BURST = 100;
const SERVICES = findResource('', 'v1', 'services')!;

export interface Cluster {
  kubelets: Map<string, Kubelet>;
  stop(): Promise<void>;
}

export async function startCluster(config: DaemonConfig, apiUrl: string, log: Logger, dispatcher: RequestDispatcher): Promise<Cluster> {
  const abort = new AbortController();
  const signal = abort.signal;
  // Every informer and timer of every component listens for this one signal.
  setMaxListeners(0, signal);
  // Nothing on this thread reads managedFields: answers and watch events are decoded without them.
  const client = new ApiClient({ server: apiUrl, userAgent: 'mini-kubed', omitManagedFields: true, dispatcher });
  const running: Promise<unknown>[] = [];
  const keep = (name: string, p: Promise<unknown>): void => {
    running.push(
      p.catch((err: Error) => {
        if (!signal.aborted) log.error(`${name} stopped: ${err.stack ?? err.message}`);
      }),
    );
  };

  // One informer factory for every component: each pod event is decoded and cached once, not once
  // per component. All register synchronously below; the factory starts once they all have.
  const informers = new InformerFactory(client);
  keep('controller manager', startControllerManager({ client, signal, informers, options: { nodeMonitorGracePeriodMs: config.nodeMonitorGracePeriodMs, dataDir: config.dataDir } }));
  keep('scheduler', startScheduler({ client, signal, informers, recorder: new EventRecorder(client, { component: 'default-scheduler' }) }));

  // The kubelets of this daemon route the shared pod informer's events by node, and share one event
  // budget (the kubelet's eventRecordQPS, for all of them together).
  const kubeletEvents = new TokenBucket({ qps: KUBELET_EVENT_QPS, burst: KUBELET_EVENT_BURST });
  const kubelets = new Map<string, Kubelet>();
  // Process containers get the Service env vars of the Services that exist when they start.
  const services = informers.informer<Service & KObject>(SERVICES).lister;
  const listServices = (): Service[] => services.list();
  const dns = await startDns(config, client, signal, informers, log);
  if (dns) keep('cluster DNS', dns.closed);
  // Pods name the cluster DNS in their resolv.conf only when it answers on port 53.
  const podDns = { clusterDNS: dns && config.dns.port === 53 ? [config.dns.clusterDNS!] : [], clusterDomain: config.dns.clusterDomain };
  const started = config.nodes.map(async (node, i) => {
    const kubelet = await startKubelet({
      client,
      nodeName: node.name,
      nodeIndex: i + 1,
      ...nodeNetwork(config, i + 1),
      capacity: { cpu: node.cpu, memory: node.memory, pods: node.pods },
      runtime: newRuntime(config, node, client, listServices, podDns),
      ...backoff(config),
      informers,
      // Renew often enough that a healthy node never looks stale, even with a short grace period.
      leaseRenewMs: Math.min(10_000, config.nodeMonitorGracePeriodMs / 4),
      signal,
      recorder: new EventRecorder(client, { component: 'kubelet', host: node.name, limiter: kubeletEvents }),
    });
    kubelets.set(node.name, kubelet);
  });
  informers.start(signal);
  await Promise.all(started);
  keep('proxy', startProxy({ client, signal, informers, ...proxyNetwork(config), ingressListen: config.ingressListen, log: (m) => log.warn(`proxy: ${m}`) }));
  log.info(`${kubelets.size} node(s) ready (runtime: ${config.runtime})`);
  if (config.runtime === 'process' && process.getuid?.() !== 0) {
    log.warn('not running as root: process pods cannot bind ports below 1024 on their addresses, volumes are not bind-mounted and limits are not enforced');
  }

  return {
    kubelets,
    stop: async () => {
      abort.abort();
      await Promise.all([...kubelets.values()].map((k) => k.stop()));
      await Promise.all(running);
      await client.close();
    },
  };
}

/**
 * A node's runtime. Process containers die with the daemon: the runtime stops them when its kubelet
 * stops, and its watchdog kills them if the daemon is killed, so a restart starts pods afresh.
 */
function newRuntime(config: DaemonConfig, node: NodeSpec, client: ApiClient, services: () => Service[], dns: ProcessRuntimeOptions['dns']): Runtime {
  if ((node.runtime ?? config.runtime) === 'sim') return new SimRuntime();
  return new ProcessRuntime({ dataDir: config.dataDir, client, nodeName: node.name, limiter: cgroupLimiter, services, dns });
}

/**
 * The cluster DNS (README "DNS"): the kube-dns Service at `--cluster-dns`, whose endpoint, the DNS
 * server's own address, is `<pod CIDR>.0.53` — the pod range's first /24 is never a node's, so it
 * is the daemon's. When its sockets cannot be bound (not root, address taken), the daemon runs
 * without it and pods keep the host's resolver.
 */
async function startDns(config: DaemonConfig, client: ApiClient, signal: AbortSignal, informers: InformerFactory, log: Logger): Promise<ClusterDns | undefined> {
  const { clusterDNS, clusterDomain, port } = config.dns;
  if (!clusterDNS) return undefined;
  const serverAddress = dnsServerAddress(config);
  try {
    return await startClusterDns({ client, signal, informers, clusterIP: clusterDNS, serverAddress, port, domain: clusterDomain, log: (m) => log.warn(`dns: ${m}`) });
  } catch (err) {
    log.warn(`cluster DNS disabled: cannot listen on ${serverAddress}:${port} and ${clusterDNS}:${port}: ${(err as Error).message}`);
    return undefined;
  }
}

export function dnsServerAddress(config: DaemonConfig): string {
  const podCIDR = config.network.podCIDR ?? '127.244.0.0/16';
  return `${podCIDR.split('.').slice(0, 2).join('.')}.0.53`;
}

function backoff(config: DaemonConfig): { backoffBaseMs?: number; backoffMaxMs?: number } {
  const max = config.crashloopBackoffMaxMs;
  return max === undefined ? {} : { backoffMaxMs: max, backoffBaseMs: Math.min(10_000, max / 4) };
}

/** A node's address and pod range from the daemon's ranges, when they are set. */
function nodeNetwork(config: DaemonConfig, n: number): { address?: string; podCIDR?: string } {
  const { nodeCIDR, podCIDR } = config.network;
  if ((nodeCIDR || podCIDR) && n > 254) throw new Error('--node-cidr and --pod-cidr allow at most 254 nodes');
  return {
    address: nodeCIDR ? `${nodeCIDR.split('.').slice(0, 3).join('.')}.${n}` : undefined,
    podCIDR: podCIDR ? `${podCIDR.split('.').slice(0, 2).join('.')}.${n}.0/24` : undefined,
  };
}

/**
 * The proxy's node addresses (read from the Nodes when the daemon does not set them) and its
 * LoadBalancer range: with a pod range A.B.0.0/16, its last /24 (node 254's, the one no node gets
 * before the limit), so daemons with distinct ranges never share LoadBalancer addresses.
 */
function proxyNetwork(config: DaemonConfig): { nodeAddresses?: string[]; loadBalancerCIDR?: string } {
  const { nodeCIDR, podCIDR } = config.network;
  return {
    nodeAddresses: nodeCIDR ? config.nodes.map((_, i) => nodeNetwork(config, i + 1).address!) : undefined,
    loadBalancerCIDR: podCIDR ? `${podCIDR.split('.').slice(0, 2).join('.')}.254.0/24` : undefined,
  };
}
