export * from './resources.js';
export * from './object.js';
