// The DaemonSet controller as the controller manager runs it.
import type { Controller } from '../context.js';
import { DaemonSetController } from './controller.js';

export { DaemonSetController } from './controller.js';
export const daemonSetController: Controller = (ctx) => new DaemonSetController(ctx).run();
