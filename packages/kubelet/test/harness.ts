// A real API server over an in-memory store on 127.0.0.1, and kubelets with the sim runtime on it.
import { findResource, type KObject } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { openStore } from '@mini-kube/store';
import type { Pod } from 'kubernetes-types/core/v1';
import { SimRuntime, startKubelet, type Kubelet, type KubeletOptions } from '../src/index.js';

export const PODS = findResource('', 'v1', 'pods')!;
export const NODES = findResource('', 'v1', 'nodes')!;
export const LEASES = findResource('coordination.k8s.io', 'v1', 'leases')!;
export const EVENTS = findResource('', 'v1', 'events')!;

export interface TestApi {
  client: ApiClient;
  close(): Promise<void>;
}

export async function startApi(): Promise<TestApi> {
  const store = await openStore('memory');
  const server = new ApiServer({ store });
  const address = await server.listen('127.0.0.1', 0);
  const client = new ApiClient({ server: `http://${address}` });
  return {
    client,
    async close() {
      await client.close();
      await server.close();
      await store.close();
    },
  };
}

/** A kubelet with fast timings; stop it (or abort) at the end of the test. */
export async function testKubelet(client: ApiClient, overrides: Partial<KubeletOptions> = {}): Promise<{ kubelet: Kubelet; abort: AbortController }> {
  const abort = new AbortController();
  const kubelet = await startKubelet({
    client,
    nodeName: 'node-1',
    nodeIndex: 1,
    runtime: new SimRuntime({ startDelayMs: 0 }),
    signal: abort.signal,
    backoffBaseMs: 300,
    backoffMaxMs: 2_000,
    ...overrides,
  });
  return { kubelet, abort };
}

export function pod(name: string, spec: Partial<NonNullable<Pod['spec']>> = {}, annotations?: Record<string, string>, nodeName = 'node-1'): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { nodeName, containers: [{ name: 'web', image: 'nginx' }], ...spec },
  };
}

export const getPod = (client: ApiClient, name: string): Promise<Pod & KObject> => client.get<Pod & KObject>(PODS, name, { namespace: 'default' });

export async function eventsOf(client: ApiClient, name: string): Promise<{ reason: string; message: string; type: string; count: number }[]> {
  const list = await client.list(EVENTS, { namespace: 'default', fieldSelector: `involvedObject.name=${name}` });
  return list.items.map((e) => e as unknown as { reason: string; message: string; type: string; count: number });
}
