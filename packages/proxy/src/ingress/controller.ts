// The built-in Ingress controller of class `mini-kube`: makes sure that (default) IngressClass
// exists, runs one HTTP listener, keeps its routing table in step with Ingresses, Services and
// EndpointSlices, and writes the listener's address into each of its Ingresses' status.
import type { AddressInfo } from 'node:net';
import { findResource, type KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import { InformerFactory, WorkQueue, runController, type Informer } from '@mini-kube/runtime';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, IngressLoadBalancerIngress } from 'kubernetes-types/networking/v1';
import type { ProxyLog } from '../proxier.js';
import type { Backend } from '../plan.js';
import { refKey, resolveBackends } from './backends.js';
import { IngressServer } from './http-server.js';
import { CONTROLLER_NAME, DEFAULT_CLASS_ANNOTATION, INGRESS_CLASS, isOurs, routingTable } from './routes.js';

const INGRESSES = findResource('networking.k8s.io', 'v1', 'ingresses')!;
const CLASSES = findResource('networking.k8s.io', 'v1', 'ingressclasses')!;
const SERVICES = findResource('', 'v1', 'services')!;
const SLICES = findResource('discovery.k8s.io', 'v1', 'endpointslices')!;
const SYNC = 'sync';
/** Where the listener goes when no address is configured: this port if free, else any. */
const PREFERRED_PORT = 8080;

export interface IngressOptions {
  client: ApiClient;
  signal: AbortSignal;
  /** `host:port` of the listener; default 127.0.0.1, port 8080 when free, else an ephemeral one. */
  listen?: string;
  informers?: InformerFactory;
  log?: ProxyLog;
}

type Obj<T> = T & KObject;

export class IngressController {
  readonly server = new IngressServer();
  private readonly queue = new WorkQueue({ baseDelayMs: 100, maxDelayMs: 5_000 });
  private readonly informers: InformerFactory;
  private readonly ingresses: Informer<Obj<Ingress>>;
  private readonly classes: Informer<Obj<IngressClass>>;
  private readonly services: Informer<Obj<Service>>;
  private readonly slices: Informer<Obj<EndpointSlice>>;
  private address?: { ip: string; port: number };

  constructor(private readonly opts: IngressOptions) {
    this.informers = opts.informers ?? new InformerFactory(opts.client);
    this.ingresses = this.informers.informer(INGRESSES);
    this.classes = this.informers.informer(CLASSES);
    this.services = this.informers.informer(SERVICES);
    this.slices = this.informers.informer(SLICES);
    const changed = { onAdd: () => this.queue.add(SYNC), onUpdate: () => this.queue.add(SYNC), onDelete: () => this.queue.add(SYNC) };
    for (const informer of [this.ingresses, this.classes, this.services, this.slices]) informer.addEventHandler(changed);
  }

  /** The listener's address once `run` has opened it. */
  get listening(): { ip: string; port: number } | undefined {
    return this.address;
  }

  async run(): Promise<void> {
    const { signal } = this.opts;
    const bound = await this.openListener();
    this.address = { ip: bound.address, port: bound.port };
    (this.opts.log ?? console.log)(`ingress: class ${INGRESS_CLASS} listening on http://${bound.address}:${bound.port}`);
    try {
      this.informers.start(signal);
      await this.informers.waitForSync(signal);
      this.queue.add(SYNC);
      await runController(this.queue, { name: 'ingress', workers: 1, signal, reconcile: () => this.sync() });
    } catch {
      // aborted before the caches synced
    } finally {
      await this.server.close();
    }
  }

  async sync(): Promise<void> {
    await this.ensureClass();
    const classes = this.classes.lister.list();
    const ingresses = this.ingresses.lister.list();
    const table = routingTable(ingresses, classes);
    const services = this.services.lister.list();
    const slices = this.slices.lister.list();
    const endpoints = new Map<string, Backend[]>();
    for (const ref of [...table.routes.map((r) => r.backend), ...(table.defaultBackend ? [table.defaultBackend] : [])]) {
      endpoints.set(refKey(ref), resolveBackends(ref, services, slices));
    }
    this.server.update({ table, endpoints });
    await this.writeStatus(ingresses.filter((i) => isOurs(i, classes)));
  }

  private async ensureClass(): Promise<void> {
    if (this.classes.lister.list().some((c) => c.metadata.name === INGRESS_CLASS)) return;
    const cls = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: INGRESS_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
      spec: { controller: CONTROLLER_NAME },
    };
    await this.opts.client.create(CLASSES, cls).catch((err: unknown) => {
      if (!(err instanceof StatusError && err.code === 409)) throw err;
    });
  }

  private async writeStatus(ours: Obj<Ingress>[]): Promise<void> {
    const { ip, port } = this.address!;
    const want: IngressLoadBalancerIngress[] = [{ ip, ports: [{ port, protocol: 'TCP' }] }];
    for (const ing of ours) {
      if (JSON.stringify(ing.status?.loadBalancer?.ingress ?? []) === JSON.stringify(want)) continue;
      await this.opts.client.updateStatus(INGRESSES, { ...ing, status: { ...ing.status, loadBalancer: { ingress: want } } });
    }
  }

  /** The configured address, else 127.0.0.1:8080 when that port is free, else 127.0.0.1:0. */
  private async openListener(): Promise<AddressInfo> {
    const configured = this.opts.listen;
    if (configured) {
      const at = configured.lastIndexOf(':');
      return this.server.listen(configured.slice(0, at) || '127.0.0.1', Number(configured.slice(at + 1)));
    }
    return this.server.listen('127.0.0.1', PREFERRED_PORT).catch(() => this.server.listen('127.0.0.1', 0));
  }
}

/** Runs the Ingress controller until `signal` aborts; its listener is closed by then. */
export function startIngress(opts: IngressOptions): Promise<void> {
  return new IngressController(opts).run();
}
