// A real API server over an in-memory store, on 127.0.0.1, for the runtime's integration tests.
import { findResource } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { openStore } from '@mini-kube/store';
import type { Store } from '@mini-kube/store';

export const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
export const NAMESPACES = findResource('', 'v1', 'namespaces')!;
export const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
export const EVENTS = findResource('', 'v1', 'events')!;

export interface TestApi {
  store: Store;
  client: ApiClient;
  port: number;
  /** Closes the server (dropping its watches), keeping the store. */
  stop(): Promise<void>;
  /** Serves the same store again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startApi(store?: Store): Promise<TestApi> {
  const theStore = store ?? (await openStore('memory', { compactIntervalMs: 0 }));
  let server: ApiServer | undefined = new ApiServer({ store: theStore });
  const address = await server.listen('127.0.0.1', 0);
  const port = Number(address.split(':')[1]);
  const client = new ApiClient({ server: `http://${address}` });
  return {
    store: theStore,
    client,
    port,
    async stop() {
      await server?.close();
      server = undefined;
    },
    async restart() {
      server = new ApiServer({ store: theStore });
      await server.listen('127.0.0.1', port);
    },
    async close() {
      await client.close();
      await server?.close();
      await theStore.close();
    },
  };
}

export function configMap(namespace: string, name: string, data: Record<string, string> = {}, labels?: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name, ...(labels ? { labels } : {}) }, data };
}

export async function createNamespace(client: ApiClient, name: string): Promise<void> {
  await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
