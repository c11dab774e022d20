// The composition root: opens the store, starts the API server, writes the kubeconfig.
// The cluster components (controllers, scheduler, kubelets, proxy) run on a thread of their own.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiServer } from '@mini-kube/apiserver';
import { registerAdminRoutes } from './admin.js';
import { startClusterThread, type ClusterHandle } from './cluster-thread.js';
import { openStore, type Store } from '@mini-kube/store';
import type { DaemonConfig } from './flags.js';
import { writeKubeconfig } from './kubeconfig.js';
import { lockDataDir } from './lock.js';
import type { Logger } from './logger.js';

export interface RunningDaemon {
  url: string;
  kubeconfig: string;
  /** Settles if the cluster thread dies while the daemon runs. */
  crashed: Promise<Error>;
  stop(): Promise<void>;
}

function storeSpec(config: DaemonConfig): string {
  return config.store === 'sqlite' ? `sqlite:${join(config.dataDir, 'state.db')}` : config.store;
}

export async function startDaemon(config: DaemonConfig, log: Logger): Promise<RunningDaemon> {
  mkdirSync(config.dataDir, { recursive: true });
  const unlock = lockDataDir(config.dataDir);
  let store: Store | undefined;
  let apiserver: ApiServer | undefined;
  let cluster: ClusterHandle | undefined;
  try {
    store = await openStore(storeSpec(config), { historyWindowMs: config.watchHistoryMs });
    apiserver = new ApiServer({
      store,
      logger: config.logLevel === 'debug' ? { level: 'debug' } : false,
      admission: { defaultTolerationSeconds: config.defaultTolerationSeconds },
      serviceCIDR: config.network.serviceCIDR,
    });
    registerAdminRoutes(apiserver.app, () => cluster);
    const address = await apiserver.listen(config.host, config.port);
    const url = `http://${address}`;
    // Written as soon as the API answers (/readyz is ok from here), so clients never wait for the nodes.
    const kubeconfig = writeKubeconfig(config.dataDir, url);
    cluster = await startClusterThread(config, url, (ex) => apiserver!.serve(ex));
    log.info(`API server listening on ${url} (store: ${config.store}, data dir: ${config.dataDir})`);
    let stopping: Promise<void> | undefined;
    return {
      url,
      kubeconfig,
      crashed: cluster.crashed,
      stop: () =>
        (stopping ??= (async () => {
          await cluster!.stop();
          await apiserver!.close();
          await store!.close();
          unlock();
        })()),
    };
  } catch (err) {
    await cluster?.stop().catch(() => undefined);
    await apiserver?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    unlock();
    throw err;
  }
}
