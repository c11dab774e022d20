export * from './errors.js';
export * from './duration.js';
export * from './validation.js';
export * from './labels.js';
export * from './label-parser.js';
export * from './patch/index.js';
