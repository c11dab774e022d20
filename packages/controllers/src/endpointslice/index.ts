// The EndpointSlice controller (with Endpoints mirroring) as the controller manager runs it.
import type { Controller } from '../context.js';
import { EndpointSliceController } from './controller.js';

export { EndpointSliceController } from './controller.js';
export const endpointSliceController: Controller = (ctx) => new EndpointSliceController(ctx).run();
