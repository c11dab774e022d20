// The proxy as the daemon runs it: informers on Services, EndpointSlices (and Nodes, when node
// addresses are not given) feed one coalescing sync that assigns LoadBalancer addresses and makes
// the listeners match `desiredListeners`.
import { findResource, type KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { InformerFactory, WorkQueue, runController, type Informer } from '@mini-kube/runtime';
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { DEFAULT_LOAD_BALANCER_CIDR, parseRange, planLoadBalancers, type IpRange } from './load-balancer.js';
import { desiredListeners } from './plan.js';
import { Proxier, type ProxyLog } from './proxier.js';
import { startIngress } from './ingress/controller.js';

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTSLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const NODES = findResource('', 'v1', 'nodes')!;
const SYNC = 'sync';
/** Listeners that failed to open are retried this often. */
const RETRY_MS = 2_000;

export interface ProxyOptions {
  client: ApiClient;
  signal: AbortSignal;
  /** Addresses NodePorts listen on (besides 127.0.0.1); read from the Nodes' InternalIPs when absent. */
  nodeAddresses?: string[];
  /** Where LoadBalancer addresses come from (default 127.112.0.0/16). */
  loadBalancerCIDR?: string;
  informers?: InformerFactory;
  log?: ProxyLog;
  /** `host:port` of the Ingress listener (default 127.0.0.1:8080 when free, else an ephemeral port). */
  ingressListen?: string;
}

type ServiceObject = Service & KObject;

export class ServiceProxy {
  readonly proxier: Proxier;
  private readonly queue = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 5_000 });
  private readonly informers: InformerFactory;
  private readonly services: Informer<ServiceObject>;
  private readonly slices: Informer<EndpointSlice & KObject>;
  private readonly nodes?: Informer<Node & KObject>;
  private readonly lbRange: IpRange;

  constructor(private readonly opts: ProxyOptions) {
    this.proxier = new Proxier(opts.log);
    this.lbRange = parseRange(opts.loadBalancerCIDR ?? DEFAULT_LOAD_BALANCER_CIDR);
    this.informers = opts.informers ?? new InformerFactory(opts.client);
    this.services = this.informers.informer(SERVICES);
    this.slices = this.informers.informer(ENDPOINTSLICES);
    if (!opts.nodeAddresses) this.nodes = this.informers.informer(NODES);
    const changed = { onAdd: () => this.queue.add(SYNC), onUpdate: () => this.queue.add(SYNC), onDelete: () => this.queue.add(SYNC) };
    for (const informer of [this.services, this.slices, this.nodes]) informer?.addEventHandler(changed);
  }

  async run(): Promise<void> {
    const { signal } = this.opts;
    this.informers.start(signal);
    try {
      await this.informers.waitForSync(signal);
    } catch {
      return;
    }
    this.queue.add(SYNC);
    try {
      await runController(this.queue, { name: 'proxy', workers: 1, signal, reconcile: () => this.sync() });
    } finally {
      await this.proxier.stop();
    }
  }

  async sync(): Promise<void> {
    const services = this.services.lister.list();
    const specs = desiredListeners(services, this.slices.lister.list(), this.nodeAddresses());
    const failures = await this.proxier.sync(specs);
    await this.assignLoadBalancers(services);
    if (failures > 0) this.queue.addAfter(SYNC, RETRY_MS);
  }

  private nodeAddresses(): string[] {
    if (this.opts.nodeAddresses) return this.opts.nodeAddresses;
    return this.nodes!.lister.list().flatMap((n) => (n.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address));
  }

  /** Writes LoadBalancer ingress addresses; the status update's event brings the listeners. */
  private async assignLoadBalancers(services: ServiceObject[]): Promise<void> {
    for (const change of planLoadBalancers(services, this.lbRange)) {
      const svc = change.service as ServiceObject;
      await this.opts.client.updateStatus(SERVICES, { ...svc, status: { ...svc.status, loadBalancer: { ingress: change.ingress } } });
    }
  }
}

/** Runs the proxy and the Ingress controller until `signal` aborts; their listeners are closed by then. */
export async function startProxy(opts: ProxyOptions): Promise<void> {
  const { client, signal, informers, log, ingressListen } = opts;
  await Promise.all([new ServiceProxy(opts).run(), startIngress({ client, signal, informers, log, listen: ingressListen })]);
}
