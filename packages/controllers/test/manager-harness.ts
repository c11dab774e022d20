// An in-process API server on a memory store, a client, and a controller context over it, for
// the replicaset, deployment and manager tests. Tests may call a controller's `reconcile` directly.
import { setMaxListeners } from 'node:events';
import { afterEach, beforeEach } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { EventRecorder, InformerFactory, realClock, type Clock } from '@mini-kube/runtime';
import { openStore } from '@mini-kube/store';
import { makeTempDir } from '@mini-kube/testing';
import type { KObject } from '@mini-kube/api';
import { DEFAULT_CONTROLLER_MANAGER_OPTIONS, type ControllerContext } from '../src/context.js';
import { PODS } from '../src/replicaset/types.js';

export interface Harness {
  url: string;
  client: ApiClient;
  ctx: ControllerContext;
  informers: InformerFactory;
  signal: AbortSignal;
  /** Starts the informers the controllers registered and waits for their first list. */
  startInformers(): Promise<void>;
  /** A kubeconfig for the real kubectl. */
  kubeconfig(): string;
  stop(): Promise<void>;
}

export async function startHarness(clock: Clock = realClock): Promise<Harness> {
  const server = new ApiServer({ store: await openStore('memory') });
  const url = `http://${await server.listen('127.0.0.1', 0)}`;
  const client = new ApiClient({ server: url });
  const abort = new AbortController();
  setMaxListeners(50, abort.signal);
  const informers = new InformerFactory(client, { clock });
  const recorders: EventRecorder[] = [];
  const ctx: ControllerContext = {
    client,
    informers,
    recorder: (component) => {
      const r = new EventRecorder(client, { component, clock });
      recorders.push(r);
      return r;
    },
    clock,
    signal: abort.signal,
    options: { ...DEFAULT_CONTROLLER_MANAGER_OPTIONS, workers: 2 },
  };
  return {
    url,
    client,
    ctx,
    informers,
    signal: abort.signal,
    async startInformers() {
      informers.start(abort.signal);
      await informers.waitForSync(abort.signal);
    },
    kubeconfig() {
      const path = join(makeTempDir('controllers-kubeconfig-'), 'kubeconfig');
      writeFileSync(
        path,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server: url } }],
          users: [{ name: 'u', user: {} }],
          contexts: [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
          'current-context': 'c',
        }),
      );
      return path;
    },
    async stop() {
      abort.abort();
      await Promise.all(recorders.map((r) => r.flush().catch(() => undefined)));
      await client.close();
      await server.close();
    },
  };
}

/**
 * Runs `controller` on a fresh harness around each test of the file (vitest hooks); the getter
 * gives the current harness.
 */
export function useControllerHarness(controller: (ctx: ControllerContext) => Promise<void>): () => Harness {
  let harness: Harness;
  let running: Promise<void>;
  beforeEach(async () => {
    harness = await startHarness();
    running = controller(harness.ctx);
    harness.informers.start(harness.signal);
  });
  afterEach(async () => {
    const stopping = harness.stop();
    await running?.catch(() => undefined);
    await stopping;
  });
  return () => harness;
}

/** What a kubelet reports for a started, ready pod. */
export async function markPodReady(client: ApiClient, pod: KObject): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const fresh = await client.get(PODS, pod.metadata.name!, { namespace: pod.metadata.namespace });
  await client.updateStatus(PODS, {
    ...fresh,
    status: {
      ...(fresh.status as object),
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
    },
  });
}

export const podName = (p: KObject): string => p.metadata.name!;
