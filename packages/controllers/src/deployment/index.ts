// The Deployment controller as the controller manager runs it.
import type { Controller } from '../context.js';
import { DeploymentController } from './controller.js';

export { DeploymentController } from './controller.js';
export const deploymentController: Controller = (ctx) => new DeploymentController(ctx).run();
