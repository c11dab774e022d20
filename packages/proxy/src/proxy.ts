// The proxy as the daemon runs it: informers on Services, EndpointSlices (and Nodes, when node
// addresses are not given) queue the Service they concern; reconciling a Service plans its listeners
// alone (`serviceListeners`) and applies what changed, so a change costs the same with 1,000
// Services as with one. Two more keys: `@lb` assigns LoadBalancer addresses, `@nodes` replans
// every Service when the node addresses change.
import { findResource, type KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { InformerFactory, WorkQueue, runController, type Informer } from '@mini-kube/runtime';
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { DEFAULT_LOAD_BALANCER_CIDR, parseRange, planLoadBalancers, type IpRange } from './load-balancer.js';
import { SERVICE_NAME_LABEL, serviceListeners } from './plan.js';
import { ListenerTable } from './planner.js';
import { Proxier, type ProxyLog } from './proxier.js';
import { startIngress } from './ingress/controller.js';

const SERVICES = findResource('', 'v1', 'services')!;
const ENDPOINTSLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const NODES = findResource('', 'v1', 'nodes')!;
const LOAD_BALANCERS = '@lb';
const NODE_ADDRESSES = '@nodes';
const RETRY = '@retry';
const SLICE_SERVICE_INDEX = 'proxy/service';
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
  private readonly table = new ListenerTable();
  private nodeAddresses: string[] = [];

  constructor(private readonly opts: ProxyOptions) {
    this.proxier = new Proxier(opts.log);
    this.lbRange = parseRange(opts.loadBalancerCIDR ?? DEFAULT_LOAD_BALANCER_CIDR);
    this.informers = opts.informers ?? new InformerFactory(opts.client);
    this.services = this.informers.informer(SERVICES);
    this.slices = this.informers.informer(ENDPOINTSLICES);
    this.slices.addIndex(SLICE_SERVICE_INDEX, (s) => {
      const name = s.metadata.labels?.[SERVICE_NAME_LABEL];
      return name ? [`${s.metadata.namespace}/${name}`] : [];
    });
    const serviceChanged = (svc: ServiceObject): void => {
      this.queue.add(`${svc.metadata.namespace}/${svc.metadata.name}`);
      this.queue.add(LOAD_BALANCERS);
    };
    this.services.addEventHandler({ onAdd: serviceChanged, onUpdate: (_old, svc) => serviceChanged(svc), onDelete: serviceChanged });
    const sliceChanged = (slice: EndpointSlice & KObject): void => {
      const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (name) this.queue.add(`${slice.metadata.namespace}/${name}`);
    };
    this.slices.addEventHandler({ onAdd: sliceChanged, onUpdate: (_old, slice) => sliceChanged(slice), onDelete: sliceChanged });
    if (!opts.nodeAddresses) {
      this.nodes = this.informers.informer(NODES);
      const nodesChanged = (): void => this.queue.add(NODE_ADDRESSES);
      // Most node updates are status reports with the same addresses: they change no listener.
      const addressesChanged = (old: Node, node: Node): void => {
        if (internalIPs(old).join(',') !== internalIPs(node).join(',')) nodesChanged();
      };
      this.nodes.addEventHandler({ onAdd: nodesChanged, onUpdate: addressesChanged, onDelete: nodesChanged });
    }
  }

  async run(): Promise<void> {
    const { signal } = this.opts;
    this.informers.start(signal);
    try {
      await this.informers.waitForSync(signal);
    } catch {
      return;
    }
    this.nodeAddresses = this.currentNodeAddresses();
    try {
      await runController(this.queue, { name: 'proxy', workers: 1, signal, reconcile: (key) => this.reconcile(key) });
    } finally {
      await this.proxier.stop();
    }
  }

  private async reconcile(key: string): Promise<void> {
    if (key === LOAD_BALANCERS) return this.assignLoadBalancers();
    if (key === NODE_ADDRESSES) return this.replanForNodes();
    if (key !== RETRY) await this.proxier.apply(this.table.set(key, this.plan(key)));
    else await this.proxier.retry();
    if (this.proxier.failures > 0) this.queue.addAfter(RETRY, RETRY_MS);
  }

  /** The listeners Service `key` asks for now (none when it is gone). */
  private plan(key: string): ReturnType<typeof serviceListeners> {
    const [namespace, name] = key.split('/');
    const svc = this.services.lister.get(namespace, name!);
    return svc ? serviceListeners(svc, this.slices.byIndex(SLICE_SERVICE_INDEX, key), this.nodeAddresses) : [];
  }

  private replanForNodes(): void {
    const addresses = this.currentNodeAddresses();
    if (addresses.join(',') === this.nodeAddresses.join(',')) return;
    this.nodeAddresses = addresses;
    for (const key of this.table.services) this.queue.add(key);
  }

  private currentNodeAddresses(): string[] {
    if (this.opts.nodeAddresses) return this.opts.nodeAddresses;
    return this.nodes!.lister.list().flatMap(internalIPs);
  }

  /** Writes LoadBalancer ingress addresses; the status update's event brings the listeners. */
  private async assignLoadBalancers(): Promise<void> {
    for (const change of planLoadBalancers(this.services.lister.list(), this.lbRange)) {
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

const internalIPs = (node: Node): string[] => (node.status?.addresses ?? []).filter((a) => a.type === 'InternalIP').map((a) => a.address);
