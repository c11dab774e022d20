// A DaemonSet on 1,000 sim nodes (`mini-kubed --nodes 1000 --runtime sim`): seconds from the create
// (POST) to a status with desiredNumberScheduled = numberReady = 1,000, as a watch on the DaemonSet sees
// it, with a per-second timeline of its status to show which stage is slow.
// CLI: node scripts/bench/daemonset.mjs [--profile DIR] [--nodes N]
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ensureBuilt, expectStatus, httpPool, report, round, rssMiB, startDaemon, watchStream } from './lib.mjs';

const { values: flags } = parseArgs({ options: { profile: { type: 'string' }, nodes: { type: 'string' } } });
const NODES = Number(flags.nodes ?? 1_000);
const PHASE_TIMEOUT_MS = 5 * 60_000;
const GOAL = { readySec: 30 };

const daemonSet = (name, namespace) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'agent', image: 'node-exporter:1.8', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
    },
  },
});

async function readyNodes(http) {
  const res = await http.call('GET', '/api/v1/nodes');
  expectStatus(res, 200, 'list nodes');
  return JSON.parse(res.body).items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

async function waitForNodes(http) {
  const t0 = performance.now();
  for (;;) {
    const n = await readyNodes(http);
    if (n >= NODES) return;
    if (performance.now() - t0 > PHASE_TIMEOUT_MS) throw new Error(`${n} of ${NODES} nodes Ready after ${PHASE_TIMEOUT_MS} ms`);
    await sleep(500);
  }
}

/** Create → desiredNumberScheduled = numberReady = NODES; the seconds and a status timeline. */
async function rollOut(http, url) {
  const path = '/apis/apps/v1/namespaces/default/daemonsets';
  const list = await http.call('GET', `${path}?limit=1`);
  expectStatus(list, 200, 'list daemonsets');
  const timeline = []; // [seconds since create, desired, current, ready, available]
  let t0;
  let reached;
  const done = new Promise((resolve) => (reached = resolve));
  const watch = await watchStream(url, `${path}?watch=1&resourceVersion=${JSON.parse(list.body).metadata.resourceVersion}`, (event, at) => {
    const s = event.object?.status ?? {};
    if (t0 === undefined) return;
    timeline.push([round((at - t0) / 1000, 1), s.desiredNumberScheduled ?? 0, s.currentNumberScheduled ?? 0, s.numberReady ?? 0, s.numberAvailable ?? 0]);
    if (s.desiredNumberScheduled === NODES && s.numberReady === NODES) reached(at);
  });
  t0 = performance.now();
  expectStatus(await http.call('POST', path, daemonSet('agent', 'default')), 201, 'create daemonset');
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`daemonset not ready after ${PHASE_TIMEOUT_MS} ms; last status ${JSON.stringify(timeline.at(-1))}`)), PHASE_TIMEOUT_MS);
  });
  const at = await Promise.race([done, timeout]);
  clearTimeout(timer);
  await watch.stop();
  const perSecond = timeline.filter((row, i) => i === timeline.length - 1 || Math.floor(row[0]) !== Math.floor(timeline[i + 1][0]));
  return { readySec: round((at - t0) / 1000), statusTimeline: { columns: ['sec', 'desired', 'current', 'ready', 'available'], rows: perSecond } };
}

/** Pods of the DaemonSet that are Running, and on how many distinct nodes. */
async function runningPods(http) {
  const res = await http.call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dagent');
  expectStatus(res, 200, 'list pods');
  const running = JSON.parse(res.body).items.filter((p) => p.status?.phase === 'Running');
  return { running: running.length, distinctNodes: new Set(running.map((p) => p.spec.nodeName)).size };
}

ensureBuilt();
const started = performance.now();
const daemon = await startDaemon({ args: ['--nodes', String(NODES), '--runtime', 'sim'], timeoutMs: 120_000, cpuProfDir: flags.profile });
const http = httpPool(daemon.url, 8);
try {
  await waitForNodes(http);
  const nodesReadySec = round((performance.now() - started) / 1000);
  const result = await rollOut(http, daemon.url);
  const pods = await runningPods(http);
  const met = { readySec: result.readySec <= GOAL.readySec, onePodPerNode: pods.running === NODES && pods.distinctNodes === NODES };
  report(
    'daemonset',
    { store: 'sqlite', nodes: NODES, runtime: 'sim', measure: 'create (POST) → desiredNumberScheduled = numberReady = nodes, seen on a watch' },
    { nodesReadySec, ...result, pods, rssMiB: rssMiB(daemon.pid), met },
    { readySec: `<= ${GOAL.readySec}`, onePodPerNode: true },
    Object.values(met).every(Boolean),
  );
} finally {
  await http.close();
  await daemon.stop(60_000);
}
