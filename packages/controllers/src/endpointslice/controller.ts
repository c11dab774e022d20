// The EndpointSlice controller (pkg/controller/endpointslice, and endpointslicemirroring for
// Services without a selector): keeps a Service's discovery.k8s.io/v1 slices equal to its selected
// pods, or to its hand-made Endpoints. Plans with pure functions; writes through the API.
import { runWhenSynced } from '../run.js';
import { StatusError, selectorFromSet } from '@mini-kube/machinery';
import { WorkQueue, objectKey, splitKey, type Informer } from '@mini-kube/runtime';
import type { ControllerContext } from '../context.js';
import { queueServicesAndPods } from '../endpoints/handlers.js';
import { hasSelector, selectedPods } from '../endpoints/pods.js';
import { ENDPOINTS, ENDPOINTSLICES, PODS, SERVICES, type EndpointSliceObject, type EndpointsObject, type PodObject, type ServiceObject } from '../endpoints/types.js';
import { desiredGroups } from './endpoints.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, MIRRORING_CONTROLLER_NAME, SERVICE_NAME_LABEL, SKIP_MIRROR_LABEL, mirrorSliceMeta, mirroredGroups, serviceSliceMeta } from './meta.js';
import { planSlices, type SlicePlan } from './plan.js';
import { SliceTracker } from './tracker.js';

/** How long to wait for the cache to show the controller's own writes before planning again. */
const STALE_CACHE_RETRY_MS = 50;

export class EndpointSliceController {
  readonly queue: WorkQueue;
  private readonly services: Informer<ServiceObject>;
  private readonly pods: Informer<PodObject>;
  private readonly slices: Informer<EndpointSliceObject>;
  private readonly endpoints: Informer<EndpointsObject>;
  private readonly tracker = new SliceTracker();

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.services = ctx.informers.informer<ServiceObject>(SERVICES);
    this.pods = ctx.informers.informer<PodObject>(PODS);
    this.slices = ctx.informers.informer<EndpointSliceObject>(ENDPOINTSLICES);
    this.endpoints = ctx.informers.informer<EndpointsObject>(ENDPOINTS);
    queueServicesAndPods(this.services, this.pods, this.queue);
    const sliceChanged = (slice: EndpointSliceObject): void => {
      const managedBy = slice.metadata.labels?.[MANAGED_BY_LABEL];
      const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (service && (managedBy === CONTROLLER_NAME || managedBy === MIRRORING_CONTROLLER_NAME)) this.queue.add(`${slice.metadata.namespace}/${service}`);
    };
    this.slices.addEventHandler({ onAdd: sliceChanged, onUpdate: (_o, cur) => sliceChanged(cur), onDelete: sliceChanged });
    const endpointsChanged = (ep: EndpointsObject): void => this.queue.add(objectKey(ep));
    this.endpoints.addEventHandler({ onAdd: endpointsChanged, onUpdate: (_o, cur) => endpointsChanged(cur), onDelete: endpointsChanged });
  }

  async run(): Promise<void> {
    await runWhenSynced(this.ctx, 'endpointslice-controller', this.queue, (key) => this.reconcile(key));
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ours = this.slices.lister.list(namespace, selectorFromSet({ [SERVICE_NAME_LABEL]: name }));
    if (!this.tracker.caughtUp(key, ours)) {
      this.queue.addAfter(key, STALE_CACHE_RETRY_MS);
      return;
    }
    const managedBy = (by: string): EndpointSliceObject[] => ours.filter((s) => s.metadata.labels?.[MANAGED_BY_LABEL] === by);
    const svc = this.services.lister.get(namespace, name);
    const none = { create: [], update: [], delete: [] };
    let fromPods: SlicePlan = { ...none, delete: managedBy(CONTROLLER_NAME) };
    let mirrored: SlicePlan = { ...none, delete: managedBy(MIRRORING_CONTROLLER_NAME) };
    if (svc && svc.spec?.type !== 'ExternalName') {
      if (hasSelector(svc)) {
        const groups = desiredGroups(svc, selectedPods(svc, this.pods.lister.list(namespace)));
        fromPods = planSlices(groups, managedBy(CONTROLLER_NAME), serviceSliceMeta(svc));
      } else {
        const ep = this.endpoints.lister.get(namespace, name);
        if (ep && ep.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true') {
          mirrored = planSlices(mirroredGroups(ep), managedBy(MIRRORING_CONTROLLER_NAME), mirrorSliceMeta(svc, ep), { placeholder: false });
        }
      }
    }
    await this.apply(key, fromPods);
    await this.apply(key, mirrored);
    if (!svc) this.tracker.forget(key);
  }

  private async apply(key: string, plan: SlicePlan): Promise<void> {
    const { client } = this.ctx;
    // Creations and updates before deletions, so a Service never briefly has no slice at all.
    for (const slice of plan.create) this.tracker.wrote(key, await client.create<EndpointSliceObject>(ENDPOINTSLICES, slice));
    for (const slice of plan.update) this.tracker.wrote(key, await client.update<EndpointSliceObject>(ENDPOINTSLICES, slice));
    for (const slice of plan.delete) {
      try {
        await client.delete(ENDPOINTSLICES, slice.metadata.name!, { namespace: slice.metadata.namespace });
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
      this.tracker.deleted(key, slice);
    }
  }
}
