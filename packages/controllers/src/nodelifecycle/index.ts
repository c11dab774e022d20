export { nodeLifecycleController } from './controller.js';
