// The control loops at scale on 1,000 sim nodes (`mini-kubed --nodes 1000 --runtime sim`):
//   idle:     daemon CPU over 60 s with the nodes heartbeating and nothing else to do;
//   big:      one Deployment of 10,000 replicas, create → status.availableReplicas = 10,000;
//   rss:      daemon RSS with 1,000 nodes and 10,000 pods: at once when the Deployment is available, and
//             settled (the median of 5 samples 1 s apart after a 10 s settle, the goal's measure), with
//             the daemon's V8 heapUsed (garbage included: no GC is forced) and heapTotal, read through
//             a preload that writes process.memoryUsage() on SIGUSR2;
//   small:    1,000 Deployments of 1 replica, created 32 in flight → each readyReplicas = 1, per second.
// CLI: node scripts/bench/deployments.mjs [--profile DIR] [--idle-seconds N] [--count-writes] [--small-only]
// (--count-writes: counts the watch events of the busy kinds per phase, i.e. the writes the loops make;
// --small-only: skips idle, big and rss, for quick A/B runs of the small phase, which then runs twice
// (a warm-up, then the measure) on nodes without the big Deployment's 10,000 pods: not the goal's measure)
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cpuSeconds, daemonMemory, ensureBuilt, expectStatus, httpPool, latencies, monotonicUs, report, round, rssMiB, runConcurrent, startDaemon, watchStream } from './lib.mjs';

const NODES = 1_000;
const BIG_REPLICAS = 10_000;
const SMALL_DEPLOYMENTS = 1_000;
const IN_FLIGHT = 32;
const SETTLE_MS = 10_000; // after the last node is Ready, before the idle window
const PHASE_TIMEOUT_MS = 5 * 60_000;
const MEMORY_SAMPLES = 5;
const GOAL = { bigSec: 15, smallReadyPerSec: 300, rssMiB: 800, idleCpuShare: 0.5 };

const { values: flags } = parseArgs({ options: { profile: { type: 'string' }, 'idle-seconds': { type: 'string' }, 'count-writes': { type: 'boolean' }, 'small-only': { type: 'boolean' } } });
const IDLE_SECONDS = Number(flags['idle-seconds'] ?? 60);

const deployment = (name, namespace, replicas) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
  },
});

const COUNTED = { pods: '/api/v1/pods', events: '/api/v1/events', replicasets: '/apis/apps/v1/replicasets', deployments: '/apis/apps/v1/deployments', leases: '/apis/coordination.k8s.io/v1/leases', nodes: '/api/v1/nodes' };

/** Cluster-wide watches counting ADDED/MODIFIED/DELETED per kind; `take()` returns the counts since the last take. */
async function writeCounter(http, url) {
  const counts = {};
  const watches = await Promise.all(
    Object.entries(COUNTED).map(async ([kind, path]) =>
      watchStream(url, `${path}?watch=1&resourceVersion=${await currentRevision(http, path)}`, (event) => {
        const key = `${kind} ${event.type}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }),
    ),
  );
  return {
    take() {
      const taken = { ...counts };
      for (const k of Object.keys(counts)) delete counts[k];
      return taken;
    },
    stop: () => Promise.all(watches.map((w) => w.stop())),
  };
}

/** Polls until `count()` reaches `wanted`; the seconds it took, or undefined on timeout. */
async function pollUntil(what, wanted, count, everyMs = 250) {
  const t0 = performance.now();
  for (;;) {
    const n = await count();
    if (n >= wanted) return (performance.now() - t0) / 1000;
    if (performance.now() - t0 > PHASE_TIMEOUT_MS) throw new Error(`${what}: ${n} of ${wanted} after ${PHASE_TIMEOUT_MS} ms`);
    await sleep(everyMs);
  }
}

async function readyNodes(http) {
  const res = await http.call('GET', '/api/v1/nodes');
  expectStatus(res, 200, 'list nodes');
  return JSON.parse(res.body).items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

/** Daemon CPU over `seconds` of doing nothing but heartbeats: CPU seconds per second (1 = a core). */
async function idleCpu(pid, seconds) {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const wallSec = (performance.now() - t0) / 1000;
  const used = cpuSeconds(pid) - cpu0;
  return { wallSec: round(wallSec, 1), cpuSec: round(used), coreShare: round(used / wallSec, 3) };
}

async function namespace(http, name) {
  expectStatus(await http.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), 201, `create namespace ${name}`);
}

/** Resources version to start a watch from: a LIST of one item of `path`. */
async function currentRevision(http, path) {
  const res = await http.call('GET', `${path}?limit=1`);
  expectStatus(res, 200, `list ${path}`);
  return JSON.parse(res.body).metadata.resourceVersion;
}

/**
 * One Deployment of BIG_REPLICAS: seconds from the create to availableReplicas = BIG_REPLICAS, and a
 * timeline of its status (as a watch saw it) to show which stage is slow.
 */
async function bigDeployment(http, url) {
  const ns = 'big';
  await namespace(http, ns);
  const path = `/apis/apps/v1/namespaces/${ns}/deployments`;
  const timeline = []; // [seconds since create, replicas, updated, ready, available]
  let t0;
  let available;
  const reached = new Promise((resolve) => (available = resolve));
  const watch = await watchStream(url, `${path}?watch=1&resourceVersion=${await currentRevision(http, path)}`, (event, at) => {
    const s = event.object?.status ?? {};
    if (t0 === undefined) return;
    timeline.push([round((at - t0) / 1000, 1), s.replicas ?? 0, s.updatedReplicas ?? 0, s.readyReplicas ?? 0, s.availableReplicas ?? 0]);
    if (s.availableReplicas === BIG_REPLICAS) available(at);
  });
  t0 = performance.now();
  expectStatus(await http.call('POST', path, deployment('web', ns, BIG_REPLICAS)), 201, 'create deployment');
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`deployment not available after ${PHASE_TIMEOUT_MS} ms; last status ${JSON.stringify(timeline.at(-1))}`)), PHASE_TIMEOUT_MS);
  });
  const at = await Promise.race([reached, timeout]);
  clearTimeout(timer);
  await watch.stop();
  // Keep the timeline short: one row per second at most.
  const perSecond = timeline.filter((row, i) => i === timeline.length - 1 || Math.floor(row[0]) !== Math.floor(timeline[i + 1][0]));
  return { seconds: round((at - t0) / 1000), statusTimeline: { columns: ['sec', 'replicas', 'updated', 'ready', 'available'], rows: perSecond } };
}

/** SMALL_DEPLOYMENTS Deployments of 1 replica: Ready (readyReplicas = 1) per second, from the first create. */
async function smallDeployments(http, url, pid, ns = 'small') {
  await namespace(http, ns);
  const path = `/apis/apps/v1/namespaces/${ns}/deployments`;
  const readyAt = new Map(); // name → ms
  let allReady;
  const done = new Promise((resolve) => (allReady = resolve));
  const watch = await watchStream(
    url,
    `${path}?watch=1&resourceVersion=${await currentRevision(http, path)}`,
    (event, at) => {
      const d = event.object;
      if (d?.status?.readyReplicas !== 1 || readyAt.has(d.metadata.name)) return;
      readyAt.set(d.metadata.name, at);
      if (readyAt.size === SMALL_DEPLOYMENTS) allReady();
    },
    // Only an event whose JSON has `"readyReplicas":1` can be a Ready one (it is decoded and checked).
    (line) => line.includes('"readyReplicas":1'),
  );
  const t0 = performance.now();
  const cpu0 = cpuSeconds(pid);
  const ownCpu0 = process.cpuUsage();
  const createMs = [];
  await runConcurrent(SMALL_DEPLOYMENTS, IN_FLIGHT, async (i) => {
    const res = await http.call('POST', path, deployment(`app-${i}`, ns, 1));
    expectStatus(res, 201, `create deployment ${i}`);
    createMs.push(res.ms);
  });
  const createSec = (performance.now() - t0) / 1000;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`only ${readyAt.size} of ${SMALL_DEPLOYMENTS} deployments ready after ${PHASE_TIMEOUT_MS} ms`)), PHASE_TIMEOUT_MS);
  });
  await Promise.race([done, timeout]);
  clearTimeout(timer);
  const cpuSec = cpuSeconds(pid) - cpu0;
  const ownCpu = process.cpuUsage(ownCpu0);
  await watch.stop();
  const fromCreate = [...readyAt.values()].map((at) => (at - t0) / 1000);
  const totalSec = Math.max(...fromCreate);
  return {
    readyPerSec: round(SMALL_DEPLOYMENTS / totalSec, 0),
    totalSec: round(totalSec),
    createSec: round(createSec),
    // Both daemon threads, from the first create to the last Ready: steadier than the rate on a VM that drifts.
    daemonCpuMsPerDeployment: round((cpuSec * 1000) / SMALL_DEPLOYMENTS),
    // This benchmark's own CPU (its creates and watch), which the daemon shares the cores with.
    benchCpuMsPerDeployment: round((ownCpu.user + ownCpu.system) / 1000 / SMALL_DEPLOYMENTS),
    createRequestMs: latencies(createMs),
    readySecSinceFirstCreate: latencies(fromCreate),
  };
}

ensureBuilt();
const started = performance.now();
const daemon = await startDaemon({ memoryProbe: true, args: ['--nodes', String(NODES), '--runtime', 'sim'], timeoutMs: 120_000, cpuProfDir: flags.profile });
const http = httpPool(daemon.url, IN_FLIGHT);
const windows = {};
const writes = {};
let counter;
const phase = async (name, run) => {
  const from = monotonicUs();
  counter?.take();
  const result = await run();
  windows[name] = [from, monotonicUs()];
  if (counter) writes[name] = counter.take();
  return result;
};
try {
  const nodesReadySec = await phase('nodes', async () => {
    await pollUntil('Ready nodes', NODES, () => readyNodes(http), 500);
    return round((performance.now() - started) / 1000);
  });
  const rssNodesMiB = rssMiB(daemon.pid);
  if (flags['count-writes']) counter = await writeCounter(http, daemon.url);
  await sleep(SETTLE_MS);
  if (flags['small-only']) {
    await smallDeployments(http, daemon.url, daemon.pid, 'warm-up'); // JIT warm, as after the big phase
    const small = await phase('small', () => smallDeployments(http, daemon.url, daemon.pid));
    const met = { smallReadyPerSec: small.readyPerSec >= GOAL.smallReadyPerSec };
    report('deployments-small-only', { store: 'sqlite', nodes: NODES, runtime: 'sim', smallDeployments: SMALL_DEPLOYMENTS, createInFlight: IN_FLIGHT }, { small, ...(counter ? { watchEventsPerPhase: writes } : {}), ...(flags.profile ? { profileWindowsUs: windows } : {}), met }, { smallReadyPerSec: `>= ${GOAL.smallReadyPerSec}` }, met.smallReadyPerSec);
  } else {
    const idle = await phase('idle', () => idleCpu(daemon.pid, IDLE_SECONDS));
    const big = await phase('big', () => bigDeployment(http, daemon.url));
    const rssPodsMiB = rssMiB(daemon.pid);
    await sleep(SETTLE_MS);
    const settled = await daemonMemory(daemon.pid, MEMORY_SAMPLES);
    const small = await phase('small', () => smallDeployments(http, daemon.url, daemon.pid));
    const rssEndMiB = rssMiB(daemon.pid);
    const met = {
      bigSec: big.seconds <= GOAL.bigSec,
      smallReadyPerSec: small.readyPerSec >= GOAL.smallReadyPerSec,
      rssMiB: settled.rssMiB <= GOAL.rssMiB,
      idleCpuShare: idle.coreShare <= GOAL.idleCpuShare,
    };
    report(
      'deployments',
      {
        store: 'sqlite',
        nodes: NODES,
        runtime: 'sim',
        bigReplicas: BIG_REPLICAS,
        smallDeployments: SMALL_DEPLOYMENTS,
        createInFlight: IN_FLIGHT,
        idleSeconds: IDLE_SECONDS,
        measure: 'create (POST) → status seen on a watch; idle CPU from /proc/<pid>/stat',
      },
      { nodesReadySec, idleCpu: idle, big, small, rss: { nodesMiB: rssNodesMiB, nodesAndBigMiB: rssPodsMiB, nodesAndBigSettled: settled, endMiB: rssEndMiB }, ...(counter ? { watchEventsPerPhase: writes } : {}), ...(flags.profile ? { profileWindowsUs: windows } : {}), met },
      {
        bigSec: `<= ${GOAL.bigSec}`,
        smallReadyPerSec: `>= ${GOAL.smallReadyPerSec}`,
        rssMiBAt1000NodesAnd10000Pods: `<= ${GOAL.rssMiB}`,
        idleCpuCoreShare: `<= ${GOAL.idleCpuShare}`,
      },
      Object.values(met).every(Boolean),
    );
  }
} finally {
  await counter?.stop();
  await http.close();
  await daemon.stop(60_000);
}
