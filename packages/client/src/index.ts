export { ApiClient, type RawRequestOptions } from './client.js';
export type { ClientConfig } from './config.js';
export { loadKubeconfig, type Kubeconfig } from './kubeconfig.js';
export * from './options.js';
export { resourcePath, queryString, type PathParts, type QueryValue } from './paths.js';
export { RawResponse, type DispatchRequest, type RequestDispatcher, type StreamResponse } from './transport.js';
export { WatchStream } from './watch.js';
export { responseError, isStatusBody, type RequestContext } from './errors.js';
