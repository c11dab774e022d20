// The Endpoints controller (pkg/controller/endpoint): keeps one Endpoints object per Service with a
// selector, named after it. Services without a selector keep whatever Endpoints users made; the
// Endpoints of a deleted Service are deleted.
import { StatusError } from '@mini-kube/machinery';
import { WorkQueue, objectKey, runController, splitKey, type Informer } from '@mini-kube/runtime';
import type { ControllerContext } from '../context.js';
import { queueServicesAndPods } from './handlers.js';
import { hasSelector, selectedPods } from './pods.js';
import { planEndpoints } from './plan.js';
import { ENDPOINTS, PODS, SERVICES, type EndpointsObject, type PodObject, type ServiceObject } from './types.js';

export class EndpointsController {
  readonly queue: WorkQueue;
  private readonly services: Informer<ServiceObject>;
  private readonly pods: Informer<PodObject>;
  private readonly endpoints: Informer<EndpointsObject>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.services = ctx.informers.informer<ServiceObject>(SERVICES);
    this.pods = ctx.informers.informer<PodObject>(PODS);
    this.endpoints = ctx.informers.informer<EndpointsObject>(ENDPOINTS);
    queueServicesAndPods(this.services, this.pods, this.queue);
    // Someone deleted Endpoints the controller maintains: put them back.
    this.endpoints.addEventHandler({ onDelete: (ep) => this.queue.add(objectKey(ep)) });
  }

  async run(): Promise<void> {
    await Promise.resolve();
    try {
      await this.ctx.informers.waitForSync(this.ctx.signal);
    } catch {
      return;
    }
    // Endpoints left behind by Services deleted while the controller was down (checkLeftoverEndpoints).
    for (const ep of this.endpoints.lister.list()) this.queue.add(objectKey(ep));
    await runController(this.queue, {
      name: 'endpoint-controller',
      workers: this.ctx.options.workers,
      signal: this.ctx.signal,
      reconcile: (key) => this.reconcile(key),
    });
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.lister.get(namespace, name);
    if (!svc) return this.deleteEndpoints(namespace, name);
    if (!hasSelector(svc)) return; // hand-made Endpoints are the user's
    const pods = selectedPods(svc, this.pods.lister.list(namespace));
    const current = this.endpoints.lister.get(namespace, name);
    const next = planEndpoints(svc, pods, current);
    if (!next) return;
    // A stale cache makes the write fail with a conflict (or AlreadyExists): the retry sees fresher data.
    if (current) await this.ctx.client.update(ENDPOINTS, next);
    else await this.ctx.client.create(ENDPOINTS, next);
  }

  private async deleteEndpoints(namespace: string | undefined, name: string): Promise<void> {
    try {
      await this.ctx.client.delete(ENDPOINTS, name, { namespace });
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
  }
}
