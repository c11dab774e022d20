// startKubelet: one node agent. Registers the Node, keeps its Lease and status fresh, and syncs the
// pods bound to it through a work queue fed by the pod informer and by the runtime's notifications.
import { EventRecorder, WorkQueue, realClock, runController } from '@mini-kube/runtime';
import type { Pod } from 'kubernetes-types/core/v1';
import { IpPool, nodeAddress, podCIDR } from './addresses.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { NodeHeartbeat } from './heartbeat.js';
import { nodeSystemInfo } from './host-info.js';
import { nodeCapacity, type NodeConfig } from './node-object.js';
import { podSource } from './pod-source.js';
import { CpuRates, statsSummary } from './process/metrics.js';
import { execUpgradeHandler } from './server/exec.js';
import { startKubeletServer, type KubeletServer } from './server/kubelet-server.js';
import { PodSyncer } from './pod-sync.js';
import { Prober } from './process/probes.js';
import type { Kubelet, KubeletOptions } from './types.js';
import { limitWarnings } from './limit-warnings.js';

const POD_WORKERS = 4;

export async function startKubelet(opts: KubeletOptions): Promise<Kubelet> {
  const { client, nodeName, runtime } = opts;
  const clock = opts.clock ?? realClock;
  const node: NodeConfig = {
    name: nodeName,
    address: opts.address ?? nodeAddress(opts.nodeIndex),
    podCIDR: opts.podCIDR ?? podCIDR(opts.nodeIndex),
    capacity: nodeCapacity(opts.capacity),
    nodeInfo: nodeSystemInfo(nodeName, runtime.version),
  };
  const unenforced = runtime.unenforcedLimits?.();
  if (unenforced) node.readyNote = `Container resource limits are not enforced: ${unenforced}`;
  const abort = new AbortController();
  const stopOnSignal = (): void => abort.abort();
  opts.signal.addEventListener('abort', stopOnSignal, { once: true });
  const signal = abort.signal;

  const queue = new WorkQueue({ clock });
  const recorder = opts.recorder ?? new EventRecorder(client, { component: 'kubelet', host: nodeName, clock });
  const enqueueUid = (uid: string): void => {
    const key = syncer.keyOf(uid);
    if (key) queue.add(key);
  };
  const prober = runtime.probes ? new Prober({ runtime, recorder, clock, onChange: enqueueUid }) : undefined;
  const syncer = new PodSyncer({
    client,
    runtime,
    hostIP: node.address,
    ips: new IpPool(node.podCIDR),
    allocatable: node.capacity,
    clock,
    limits: { baseMs: opts.backoffBaseMs ?? DEFAULT_BACKOFF.baseMs, maxMs: opts.backoffMaxMs ?? DEFAULT_BACKOFF.maxMs },
    recorder,
    prober,
    requeueAfter: (key, ms) => queue.addAfter(key, ms),
  });
  // Subscribe before registering: a shared informer may be started by the caller meanwhile.
  // Every change of a pod is synced, except the echo of the kubelet's own status write.
  const onPodChange = (key: string, updated?: Pod): void => {
    if (!updated || !syncer.ownWrite(key, updated)) queue.add(key);
  };
  const source = podSource({ client, nodeName, informers: opts.informers, clock, signal, onChange: onPodChange });
  const unsubscribe = runtime.onChange(enqueueUid);
  let server: KubeletServer;
  try {
    const getPod = (namespace: string, name: string) => source.get(`${namespace}/${name}`);
    const rates = new CpuRates();
    const startedAt = clock.now();
    server = await startKubeletServer({
      address: node.address,
      runtime,
      getPod,
      statsSummary: () => statsSummary({ nodeName, nodeStartTime: startedAt, pods: syncer.pods(), runtime, rates, now: clock.now() }),
      onUpgrade: execUpgradeHandler({ runtime, getPod }),
    });
  } catch (err) {
    abort.abort();
    source.close();
    unsubscribe();
    throw err;
  }
  node.kubeletPort = server.port;

  const heartbeat = new NodeHeartbeat({
    client,
    clock,
    node,
    leaseRenewMs: opts.leaseRenewMs ?? 10_000,
    leaseDurationSeconds: opts.leaseDurationSeconds ?? 40,
    nodeStatusReportMs: opts.nodeStatusReportMs ?? 300_000,
    onError: (err) => console.error(`kubelet ${nodeName}: heartbeat failed: ${err instanceof Error ? err.message : String(err)}`),
  });
  try {
    await heartbeat.register();
  } catch (err) {
    abort.abort();
    source.close();
    unsubscribe();
    await server.close();
    throw err;
  }
  heartbeat.start();
  const warnings = limitWarnings(recorder, nodeName, unenforced);
  warnings.node();
  try {
    const killed = await runtime.cleanupLeftovers?.();
    if (killed) console.warn(`kubelet ${nodeName}: killed ${killed} container(s) left running by an earlier run`);
  } catch (err) {
    console.error(`kubelet ${nodeName}: could not clean up leftover containers: ${err instanceof Error ? err.message : String(err)}`);
  }
  const loop = runController(queue, {
    name: `kubelet ${nodeName}`,
    workers: POD_WORKERS,
    signal,
    reconcile: (key) => {
      const pod = source.get(key);
      warnings.pod(key, pod);
      return syncer.sync(key, pod);
    },
  });

  return {
    nodeName,
    setHeartbeat: (enabled) => heartbeat.setEnabled(enabled),
    stop: async () => {
      opts.signal.removeEventListener('abort', stopOnSignal);
      abort.abort();
      await heartbeat.stop();
      await loop;
      prober?.stop();
      unsubscribe();
      source.close();
      await server.close();
      await runtime.close();
      await recorder.flush();
    },
  };
}
