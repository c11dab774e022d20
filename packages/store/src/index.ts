export * from './types.js';
export { openStore } from './open-store.js';
export { SqliteStore, type StoreOptions } from './sqlite-store.js';
