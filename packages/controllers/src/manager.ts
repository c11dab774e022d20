// The controller manager: one informer factory and one context shared by every controller. Each
// controller registers its informers and handlers synchronously when called; the informers start
// after all have registered, and the manager resolves once every controller has stopped. A daemon
// passes its own factory so that the scheduler and kubelets share the same caches; it then starts
// the factory itself, in the same tick as this call (the controllers wait for the started informers).
import type { ApiClient } from '@mini-kube/client';
import { EventRecorder, InformerFactory, realClock, type Clock } from '@mini-kube/runtime';
import { DEFAULT_CONTROLLER_MANAGER_OPTIONS, type Controller, type ControllerContext, type ControllerManagerOptions } from './context.js';
import { deploymentController } from './deployment/index.js';
import { garbageCollector } from './garbagecollector/index.js';
import { nodeLifecycleController } from './nodelifecycle/index.js';
import { cronJobController } from './cronjob/index.js';
import { daemonSetController } from './daemonset/index.js';
import { endpointsController } from './endpoints/index.js';
import { endpointSliceController } from './endpointslice/index.js';
import { jobController } from './job/index.js';
import { horizontalPodAutoscalerController } from './podautoscaler/index.js';
import { statefulSetController } from './statefulset/index.js';
import { replicaSetController } from './replicaset/index.js';
import { localPathProvisioner } from './localpath/index.js';

export interface ControllerManagerConfig {
  client: ApiClient;
  signal: AbortSignal;
  clock?: Clock;
  options?: Partial<ControllerManagerOptions>;
  /** The controllers to run; all of them by default. */
  controllers?: Controller[];
  /** A factory shared with other components, started by the caller; the manager makes its own otherwise. */
  informers?: InformerFactory;
}

export const DEFAULT_CONTROLLERS: readonly Controller[] = [
  replicaSetController,
  deploymentController,
  daemonSetController,
  statefulSetController,
  jobController,
  cronJobController,
  endpointsController,
  endpointSliceController,
  horizontalPodAutoscalerController,
  garbageCollector,
  nodeLifecycleController,
  localPathProvisioner,
];

export async function startControllerManager(opts: ControllerManagerConfig): Promise<void> {
  const clock = opts.clock ?? realClock;
  const informers = opts.informers ?? new InformerFactory(opts.client, { clock });
  const recorders = new Map<string, EventRecorder>();
  const ctx: ControllerContext = {
    client: opts.client,
    informers,
    recorder(component) {
      let recorder = recorders.get(component);
      if (!recorder) recorders.set(component, (recorder = new EventRecorder(opts.client, { component, clock })));
      return recorder;
    },
    clock,
    signal: opts.signal,
    options: { ...DEFAULT_CONTROLLER_MANAGER_OPTIONS, ...opts.options },
  };
  const running = (opts.controllers ?? DEFAULT_CONTROLLERS).map((controller) => controller(ctx));
  if (!opts.informers) informers.start(opts.signal);
  await Promise.all(running);
}
