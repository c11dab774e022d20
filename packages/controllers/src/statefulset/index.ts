// The StatefulSet controller as the controller manager runs it.
import type { Controller } from '../context.js';
import { StatefulSetController } from './controller.js';

export { StatefulSetController } from './controller.js';
export const statefulSetController: Controller = (ctx) => new StatefulSetController(ctx).run();
