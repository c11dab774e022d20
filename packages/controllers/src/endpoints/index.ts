// The Endpoints controller as the controller manager runs it.
import type { Controller } from '../context.js';
import { EndpointsController } from './controller.js';

export { EndpointsController } from './controller.js';
export const endpointsController: Controller = (ctx) => new EndpointsController(ctx).run();
