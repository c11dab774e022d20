// The ReplicaSet controller as the controller manager runs it.
import type { Controller } from '../context.js';
import { ReplicaSetController } from './controller.js';

export { ReplicaSetController } from './controller.js';
export const replicaSetController: Controller = (ctx) => new ReplicaSetController(ctx).run();
