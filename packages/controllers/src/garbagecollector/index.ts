export { garbageCollector } from './controller.js';
