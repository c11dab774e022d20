// The Job controller as the controller manager runs it.
import type { Controller } from '../context.js';
import { JobController } from './controller.js';

export { JobController } from './controller.js';
export const jobController: Controller = (ctx) => new JobController(ctx).run();
