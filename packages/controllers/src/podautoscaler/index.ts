// The HorizontalPodAutoscaler controller as the controller manager runs it.
import type { Controller } from '../context.js';
import { HorizontalPodAutoscalerController } from './controller.js';
import type { HpaOptions } from './types.js';

export { HorizontalPodAutoscalerController } from './controller.js';
export { DEFAULT_HPA_OPTIONS, type HpaOptions } from './types.js';

/** The controller with non-default tunables (sync period, tolerance, stabilisation windows). */
export const horizontalPodAutoscalerControllerWith =
  (options: Partial<HpaOptions>): Controller =>
  (ctx) =>
    new HorizontalPodAutoscalerController(ctx, options).run();

export const horizontalPodAutoscalerController: Controller = horizontalPodAutoscalerControllerWith({});
