// Entry of the cluster thread (built to dist/cluster-worker.js): runs the in-daemon components on
// their own V8 thread, so the API server and its clients use two cores, as separate processes would.
import { parentPort, workerData } from 'node:worker_threads';
import { ChannelDispatcher } from './api-channel-client.js';
import { startCluster, type Cluster } from './cluster.js';
import type { ClusterThreadData, FromClusterThread, ToClusterThread } from './cluster-messages.js';
import { createLogger } from './logger.js';

const port = parentPort!;
const { config, apiUrl, apiPort } = workerData as ClusterThreadData;
const log = createLogger(config.logLevel);
const send = (message: FromClusterThread): void => port.postMessage(message);

let cluster!: Cluster;
try {
  cluster = await startCluster(config, apiUrl, log, new ChannelDispatcher(apiPort));
  send({ type: 'started', nodes: [...cluster.kubelets.keys()] });
} catch (err) {
  // The main thread reports it and terminates this thread.
  send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  await new Promise(() => undefined);
}

port.on('message', (message: ToClusterThread) => {
  if (message.type === 'heartbeat') cluster.kubelets.get(message.node)?.setHeartbeat(message.enabled);
  else if (message.type === 'stop') {
    void cluster.stop().finally(() => {
      send({ type: 'stopped' });
      port.close();
    });
  }
});
