// Scheduler throughput in the shape of upstream's SchedulingBasic (5000Nodes_10000Pods): 5,000 Ready
// nodes registered as plain Node objects (no kubelets: only the scheduler looks at them), 1,000 pods
// placed first, then 10,000 measured pods → pods bound per second, seen through a watch.
// CLI: node scripts/bench/scheduler.mjs [--profile DIR]   (DIR keeps the daemon's .cpuprofile; the
// report then adds the scheduler's own CPU time per measured pod, read from it)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ensureBuilt, expectStatus, httpPool, latencies, monotonicUs, report, round, rssMiB, runConcurrent, startDaemon, watchStream } from './lib.mjs';
import { summarizeProfile } from './profile-summary.mjs';

const NODES = 5_000;
const WARMUP_PODS = 1_000;
const MEASURED_PODS = 10_000;
const IN_FLIGHT = 32;
const BIND_TIMEOUT_MS = 5 * 60_000;
const GOAL_PODS_PER_SEC = 1_000;
const UPSTREAM_FLOOR = 680; // SchedulingBasic 5000Nodes_10000Pods threshold in scheduler_perf
const NAMESPACE = 'sched-bench';
const PODS_PATH = `/api/v1/namespaces/${NAMESPACE}/pods`;

const { values: flags } = parseArgs({ options: { profile: { type: 'string' } } });

// scheduler_perf's node-default.yaml and pod-default.yaml, with the status a kubelet would post.
function makeNode(i) {
  const name = `hollow-${i}`;
  const capacity = { cpu: '4', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const condition = (type, status, reason) => ({ type, status, reason, message: reason, lastHeartbeatTime: now, lastTransitionTime: now });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: {},
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID'),
        condition('Ready', 'True', 'KubeletReady'),
      ],
      addresses: [{ type: 'Hostname', address: name }],
    },
  };
}

const makePod = (name) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NAMESPACE },
  spec: {
    containers: [
      {
        name: 'pause',
        image: 'registry.k8s.io/pause:3.10',
        ports: [{ containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '100m', memory: '500Mi' } },
      },
    ],
  },
});

async function registerNodes(http) {
  const t0 = performance.now();
  await runConcurrent(NODES, IN_FLIGHT, async (i) => {
    // As a kubelet registers: the status comes with the create.
    expectStatus(await http.call('POST', '/api/v1/nodes', makeNode(i)), 201, `create node ${i}`);
  });
  return round((performance.now() - t0) / 1000);
}

/**
 * Creates `count` pods named `${prefix}-i` and resolves when all are bound: the times the creates
 * ran and the arrival time of each first binding, from a watch opened before the first create.
 */
async function createAndAwaitBinding(http, url, prefix, count) {
  const list = await http.call('GET', `${PODS_PATH}?limit=1`);
  expectStatus(list, 200, 'list pods');
  const bound = new Map(); // name → ms when first seen with spec.nodeName
  let allBound;
  const finished = new Promise((resolve) => (allBound = resolve));
  const watch = await watchStream(url, `${PODS_PATH}?watch=1&resourceVersion=${JSON.parse(list.body).metadata.resourceVersion}`, (event, at) => {
    const pod = event.object;
    if (event.type === 'ERROR') throw new Error(`watch error: ${JSON.stringify(pod)}`);
    if (!pod?.spec?.nodeName || !pod.metadata.name.startsWith(`${prefix}-`) || bound.has(pod.metadata.name)) return;
    bound.set(pod.metadata.name, { at, node: pod.spec.nodeName });
    if (bound.size === count) allBound();
  });
  const createStart = performance.now();
  const createMs = [];
  await runConcurrent(count, IN_FLIGHT, async (i) => {
    const res = await http.call('POST', PODS_PATH, makePod(`${prefix}-${i}`));
    expectStatus(res, 201, `create pod ${i}`);
    createMs.push(res.ms);
  });
  const createEnd = performance.now();
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`only ${bound.size} of ${count} pods bound after ${BIND_TIMEOUT_MS} ms`)), BIND_TIMEOUT_MS);
  });
  await Promise.race([finished, timeout, watch.done.then(() => Promise.reject(new Error('watch ended early')))]);
  clearTimeout(timer);
  await watch.stop();
  return { createStart, createEnd, createMs, bound };
}

/** Throughput from the binding times, as scheduler_perf reports it: overall and per 1 s window. */
function throughput({ createStart, createEnd, createMs, bound }) {
  const times = [...bound.values()].map((b) => b.at).sort((a, b) => a - b);
  const first = times[0];
  const last = times.at(-1);
  const perSecond = new Array(Math.max(1, Math.ceil((last - first) / 1000))).fill(0);
  for (const t of times) perSecond[Math.min(perSecond.length - 1, Math.floor((t - first) / 1000))]++;
  return {
    podsPerSec: round(times.length / ((last - createStart) / 1000), 0),
    bindingWindowPodsPerSec: round(times.length / ((last - first) / 1000), 0),
    perSecondWindows: latencies(perSecond),
    createPerSec: round(times.length / ((createEnd - createStart) / 1000), 0),
    createRequestMs: latencies(createMs),
    lastBindAfterLastCreateSec: round((last - createEnd) / 1000),
    totalSec: round((last - createStart) / 1000),
    nodesUsed: new Set([...bound.values()].map((b) => b.node)).size,
  };
}

/**
 * The scheduler's share of the daemon's CPU while the measured pods ran: self time in
 * packages/scheduler per pod (the algorithm, cache, queue; not the client or event recorder it
 * calls), the scheduling loop's inclusive time per pod, and its top functions.
 */
function schedulerCpu(dir, [fromUs, toUs], pods) {
  // The newest profile: the names start CPU.<date>.<time>.
  const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort().at(-1);
  if (!file) return undefined;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const summary = summarizeProfile(profile, { fromUs, toUs, top: 1000, match: 'packages/scheduler/' });
  const selfMs = summary.filesBySelf.reduce((sum, f) => sum + f.ms, 0);
  const loop = summary.totalTop.find((r) => r.what.startsWith('scheduleOne '));
  return {
    busyMs: summary.busyMs,
    selfMs: round(selfMs, 0),
    selfUsPerPod: round((selfMs * 1000) / pods, 1),
    scheduleOneUsPerPod: loop ? round((loop.ms * 1000) / pods, 1) : undefined,
    selfTop: summary.selfTop.slice(0, 6).map((r) => `${r.ms} ms ${r.what}`),
  };
}

ensureBuilt();
const daemon = await startDaemon({
  // No kubelets: the Node objects are all there is. The node lifecycle controller must not mark them
  // NotReady for want of leases while the benchmark runs.
  args: ['--nodes', '0', '--node-monitor-grace-period', '3600'],
  cpuProfDir: flags.profile,
});
const http = httpPool(daemon.url, IN_FLIGHT);
const windows = {};
let results;
try {
  expectStatus(await http.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }), 201, 'create namespace');
  let from = monotonicUs();
  const registerSec = await registerNodes(http);
  windows.registerNodes = [from, monotonicUs()];
  from = monotonicUs();
  const warmup = throughput(await createAndAwaitBinding(http, daemon.url, 'warmup', WARMUP_PODS));
  windows.warmup = [from, monotonicUs()];
  from = monotonicUs();
  const measured = throughput(await createAndAwaitBinding(http, daemon.url, 'measured', MEASURED_PODS));
  windows.measured = [from, monotonicUs()];
  results = { registerNodesSec: registerSec, warmup, measured, rssMiBAfter: rssMiB(daemon.pid) };
} finally {
  await http.close();
  // The daemon writes its profile as it exits.
  await daemon.stop(60_000);
}
if (flags.profile) Object.assign(results, { profileWindowsUs: windows, schedulerCpu: schedulerCpu(flags.profile, windows.measured, MEASURED_PODS) });
const met = { podsPerSec: results.measured.podsPerSec >= GOAL_PODS_PER_SEC };
report(
  'scheduler',
  {
    store: 'sqlite',
    nodes: NODES,
    nodeCapacity: { cpu: '4', memory: '32Gi', pods: 110 },
    podRequests: { cpu: '100m', memory: '500Mi' },
    warmupPods: WARMUP_PODS,
    measuredPods: MEASURED_PODS,
    createInFlight: IN_FLIGHT,
    measure: 'first create → last pod seen bound on a watch (podsPerSec); per 1 s windows of bindings',
  },
  { ...results, met },
  { podsPerSec: `>= ${GOAL_PODS_PER_SEC} (upstream floor ${UPSTREAM_FLOOR})` },
  Object.values(met).every(Boolean),
);
