// API load on a sqlite store: create 10,000 pods (32 in flight), GET random pods, LIST them all,
// watch delivery latency of 2,000 updates, and the daemon's RSS idle and with the pods stored.
import { ensureBuilt, httpPool, makePod, report, rssMiB, startDaemon } from './lib.mjs';
import { CREATE_IN_FLIGHT, GET_IN_FLIGHT, GETS, GOAL, LISTS, PODS, TABLE_ACCEPT, UPDATES, createPods, getRandomPods, listPods, watchLatency } from './api-load-phases.mjs';

ensureBuilt();
const daemon = await startDaemon({ store: 'sqlite' });
const http = httpPool(daemon.url, CREATE_IN_FLIGHT);
try {
  const rssIdleMiB = rssMiB(daemon.pid);
  const create = await createPods(http);
  const rssWithPodsMiB = rssMiB(daemon.pid);
  const get = await getRandomPods(http);
  const list = await listPods(http, 'application/json');
  const listTable = await listPods(http, TABLE_ACCEPT);
  const watch = await watchLatency(http, daemon.url);
  const rssAfterMiB = rssMiB(daemon.pid);

  const met = {
    create: create.objectsPerSec >= GOAL.createPerSec,
    get: get.p99 <= GOAL.getP99Ms,
    list: list.ms.median <= GOAL.listMedianMs,
    watch: watch.fromAckMs.p99 <= GOAL.watchP99Ms,
  };
  report(
    'api-load',
    {
      store: 'sqlite',
      pods: PODS,
      podJsonBytes: Buffer.byteLength(JSON.stringify(makePod(0))),
      createInFlight: CREATE_IN_FLIGHT,
      gets: GETS,
      getInFlight: GET_IN_FLIGHT,
      lists: LISTS,
      watchUpdates: UPDATES,
      watchUpdateMode: 'merge-patch of a label, one at a time, next sent after the event arrived',
      client: 'undici Pool, keep-alive, same host',
    },
    { create, getMs: get, listJson: list, listTable, watch, rss: { idleMiB: rssIdleMiB, withPodsMiB: rssWithPodsMiB, afterAllMiB: rssAfterMiB }, met },
    {
      createPerSec: `>= ${GOAL.createPerSec}`,
      getP99Ms: `<= ${GOAL.getP99Ms}`,
      listMedianMs: `<= ${GOAL.listMedianMs}`,
      watchFromAckP99Ms: `<= ${GOAL.watchP99Ms}`,
    },
    Object.values(met).every(Boolean),
  );
} finally {
  await http.close();
  await daemon.stop();
}
