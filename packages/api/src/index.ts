export * from './resources.js';
export * from './object.js';
export * from './schemas.js';
