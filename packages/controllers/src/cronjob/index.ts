// The CronJob controller as the controller manager runs it.
import type { Controller } from '../context.js';
import { CronJobController } from './controller.js';

export { CronJobController } from './controller.js';
export const cronJobController: Controller = (ctx) => new CronJobController(ctx).run();
