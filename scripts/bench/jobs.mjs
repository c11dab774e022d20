// The Job controller at scale on sim nodes (`mini-kubed --nodes 10 --runtime sim`): 1,000 Jobs of 1
// completion (their sim containers exit 0 after a second), created 32 in flight → every Job has the
// condition Complete, seconds from the first create. Watches also count the writes per Job and pod
// (ADDED/MODIFIED/DELETED events), to show what the loops cost.
// CLI: node scripts/bench/jobs.mjs [--profile DIR]
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ensureBuilt, expectStatus, httpPool, latencies, report, round, runConcurrent, startDaemon, watchStream } from './lib.mjs';

const NODES = 10;
const JOBS = 1_000;
const IN_FLIGHT = 32;
const TIMEOUT_MS = 5 * 60_000;
const GOAL = { totalSec: 60 }; // no upstream anchor: a minute for 1,000 Jobs on this 2-core host
const NS = 'jobs';

const { values: flags } = parseArgs({ options: { profile: { type: 'string' } } });

const job = (name) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: NS },
  spec: { completions: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } } },
});

const isComplete = (j) => j?.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True');

async function currentRevision(http, path) {
  const res = await http.call('GET', `${path}?limit=1`);
  expectStatus(res, 200, `list ${path}`);
  return JSON.parse(res.body).metadata.resourceVersion;
}

async function readyNodes(http) {
  const res = await http.call('GET', '/api/v1/nodes');
  expectStatus(res, 200, 'list nodes');
  return JSON.parse(res.body).items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

/** Creates the Jobs and waits until a watch has seen each Complete. */
async function runJobs(http, url) {
  expectStatus(await http.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }), 201, 'create namespace');
  const jobsPath = `/apis/batch/v1/namespaces/${NS}/jobs`;
  const podsPath = `/api/v1/namespaces/${NS}/pods`;
  const writes = { jobs: {}, pods: {} };
  const count = (kind, type) => (writes[kind][type] = (writes[kind][type] ?? 0) + 1);
  const completeAt = new Map(); // name → ms
  let allComplete;
  const done = new Promise((resolve) => (allComplete = resolve));
  const jobWatch = await watchStream(url, `${jobsPath}?watch=1&resourceVersion=${await currentRevision(http, jobsPath)}`, (event, at) => {
    count('jobs', event.type);
    const name = event.object?.metadata?.name;
    if (!isComplete(event.object) || completeAt.has(name)) return;
    completeAt.set(name, at);
    if (completeAt.size === JOBS) allComplete();
  });
  // When each pod was first seen created, bound, Running and Succeeded: which stage the time goes to.
  const podStages = { created: new Map(), bound: new Map(), running: new Map(), succeeded: new Map() };
  const podWatch = await watchStream(url, `${podsPath}?watch=1&resourceVersion=${await currentRevision(http, podsPath)}`, (event, at) => {
    count('pods', event.type);
    const pod = event.object;
    const name = pod?.metadata?.name;
    const seen = (stage, yes) => yes && !podStages[stage].has(name) && podStages[stage].set(name, at);
    seen('created', event.type === 'ADDED');
    seen('bound', Boolean(pod?.spec?.nodeName));
    seen('running', pod?.status?.phase === 'Running');
    seen('succeeded', pod?.status?.phase === 'Succeeded');
  });

  const t0 = performance.now();
  const createdAt = new Map();
  const createMs = [];
  await runConcurrent(JOBS, IN_FLIGHT, async (i) => {
    const name = `job-${i}`;
    createdAt.set(name, performance.now());
    const res = await http.call('POST', jobsPath, job(name));
    expectStatus(res, 201, `create job ${i}`);
    createMs.push(res.ms);
  });
  const createSec = (performance.now() - t0) / 1000;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`only ${completeAt.size} of ${JOBS} jobs Complete after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  await Promise.race([done, timeout]);
  clearTimeout(timer);
  // Let the last status writes and pod finalizer removals arrive before counting.
  await sleep(2000);
  await Promise.all([jobWatch.stop(), podWatch.stop()]);
  const totalSec = Math.max(...[...completeAt.values()].map((at) => (at - t0) / 1000));
  const stageSec = (times) => latencies([...times.values()].map((at) => (at - t0) / 1000));
  const perJob = [...completeAt].map(([name, at]) => (at - createdAt.get(name)) / 1000);
  return {
    totalSec: round(totalSec),
    completePerSec: round(JOBS / totalSec, 0),
    createSec: round(createSec),
    createRequestMs: latencies(createMs),
    createToCompleteSec: latencies(perJob),
    secSinceFirstCreate: { podCreated: stageSec(podStages.created), podBound: stageSec(podStages.bound), podRunning: stageSec(podStages.running), podSucceeded: stageSec(podStages.succeeded), jobComplete: stageSec(completeAt) },
    watchEvents: writes,
    jobWritesPerJob: round(Object.values(writes.jobs).reduce((a, b) => a + b, 0) / JOBS, 1),
    podWritesPerJob: round(Object.values(writes.pods).reduce((a, b) => a + b, 0) / JOBS, 1),
  };
}

ensureBuilt();
const daemon = await startDaemon({ args: ['--nodes', String(NODES), '--runtime', 'sim'], timeoutMs: 60_000, cpuProfDir: flags.profile });
const http = httpPool(daemon.url, IN_FLIGHT);
try {
  const t0 = performance.now();
  while ((await readyNodes(http)) < NODES) {
    if (performance.now() - t0 > 60_000) throw new Error('nodes not Ready after 60 s');
    await sleep(200);
  }
  const results = await runJobs(http, daemon.url);
  const met = { totalSec: results.totalSec <= GOAL.totalSec };
  report(
    'jobs',
    { store: 'sqlite', nodes: NODES, runtime: 'sim', jobs: JOBS, completions: 1, createInFlight: IN_FLIGHT, measure: 'first create (POST) → every Job Complete on a watch; sim containers run 1 s' },
    { ...results, met },
    { totalSec: `<= ${GOAL.totalSec}` },
    Object.values(met).every(Boolean),
  );
} finally {
  await http.close();
  await daemon.stop(60_000);
}
