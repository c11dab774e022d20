export { startControllerManager, DEFAULT_CONTROLLERS, type ControllerManagerConfig } from './manager.js';
export { DEFAULT_CONTROLLER_MANAGER_OPTIONS, type Controller, type ControllerContext, type ControllerManagerOptions } from './context.js';
export { replicaSetController, ReplicaSetController } from './replicaset/index.js';
export { deploymentController, DeploymentController } from './deployment/index.js';
export { garbageCollector } from './garbagecollector/index.js';
export { nodeLifecycleController } from './nodelifecycle/index.js';
