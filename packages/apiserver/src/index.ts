export { ApiServer, type ApiServerOptions } from './server.js';
export { Registry, type RequestContext, type WriteOptions } from './registry/registry.js';
export type { PodLogSource } from './subresources/pods.js';
export { KUBERNETES_VERSION } from './version.js';
export type { Answer, Exchange, StreamSink } from './http/exchange.js';
