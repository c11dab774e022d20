// Process pods on `mini-kubed --nodes 2 --runtime process` (issue 4):
//   running: 100 busybox `sleep` pods created one after the other (each once the one before runs);
//            each pod's time from its create request to the Running phase seen on a watch (goal p99
//            <= 300 ms); then a burst of 100 more created 10 in flight, the same measure (queueing included);
//   rss:     daemon RSS with the 100 sequential pods running minus before them, per pod (goal <= 200 KB),
//            and the same on a `--runtime sim` daemon: what the control plane alone costs per pod. Each
//            RSS is the median of 5 samples 1 s apart, taken after a 3 s settle; the daemon's V8
//            heapUsed (garbage included: no GC is forced) and heapTotal are reported beside it, read
//            through a preload that writes process.memoryUsage() on SIGUSR2;
//   logs:    `kubectl logs` of a 100 MB log (a pod writes it, then sleeps), wall time against `cat`
//            of the log file (the CRI file, with its timestamps: more bytes than kubectl prints).
// The daemon gets MINI_KUBE_CONTAINER_LOG_MAX_SIZE=256 MiB so that the 100 MB log is not rotated.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { daemonMemory, ensureBuilt, expectStatus, httpPool, latencies, report, round, runConcurrent, spread, startDaemon, watchStream } from './lib.mjs';

const PODS = 100;
const IN_FLIGHT = 10;
const LOG_BYTES = 100_000_000;
const LOG_RUNS = 3;
const SETTLE_MS = 3000;
const MEMORY_SAMPLES = 5;
const PODS_PATH = '/api/v1/namespaces/default/pods';
const GOAL = { sequentialRunningP99Ms: '<= 300', rssPerPodKB: '<= 200', logsVsCat: 'reported' };
const CONDITIONS = { nodes: 2, runtime: 'process', pods: PODS, burstInFlight: IN_FLIGHT, logBytes: LOG_BYTES, root: process.getuid?.() === 0 };

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!hasKubectl) {
  process.stdout.write(`${JSON.stringify({ name: 'process-pods', conditions: CONDITIONS, results: {}, goal: GOAL, ok: false, skipped: 'kubectl not found on PATH' })}\n`);
  process.exit(0);
}

const pod = (name, script) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { bench: 'process-pods' } },
  spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', script] }] },
});

/** Waits until `check()` is truthy, polling every `everyMs`; throws after `timeoutMs`. */
async function until(what, check, timeoutMs = 120_000, everyMs = 100) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Wall time of `cmd args` with stdout to /dev/null (ms), and its exit code. */
function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${stderr}`))));
  });
}

/** Bytes `cmd args` writes to stdout. */
function outputBytes(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (c) => (bytes += c.length));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(bytes) : reject(new Error(`${cmd}: exit ${code}`))));
  });
}

async function revision(http, path) {
  const res = await http.call('GET', `${path}?limit=1`);
  expectStatus(res, 200, `list ${path}`);
  return JSON.parse(res.body).metadata.resourceVersion;
}

/** Watches the pods of the default namespace; `running` maps a name to when it was first seen Running. */
async function runningWatch(url, http) {
  const running = new Map();
  const watch = await watchStream(url, `${PODS_PATH}?watch=1&resourceVersion=${await revision(http, PODS_PATH)}`, (event, at) => {
    const p = event.object;
    if (p.status?.phase === 'Running' && !running.has(p.metadata.name)) running.set(p.metadata.name, at);
  });
  return { running, stop: () => watch.stop() };
}

/** Creates pods `prefix-0..n-1`, `inFlight` at a time; each one's ms from its create request to Running. */
async function createRunning(http, watch, prefix, n, inFlight) {
  const created = new Map();
  await runConcurrent(n, inFlight, async (i) => {
    const name = `${prefix}-${i}`;
    created.set(name, performance.now());
    expectStatus(await http.call('POST', PODS_PATH, pod(name, 'exec sleep 3600')), 201, `create ${name}`);
    if (inFlight === 1) await until(`${name} Running`, () => watch.running.has(name), 60_000, 2);
  });
  await until(`all ${prefix} pods Running`, () => [...created.keys()].every((n) => watch.running.has(n)));
  return [...created].map(([name, at]) => watch.running.get(name) - at);
}

/** A daemon with a warmed-up node (one pod started and deleted) and a pod watch. */
async function warmDaemon(runtime) {
  const daemon = await startDaemon({ memoryProbe: true, args: ['--nodes', '2', '--runtime', runtime] });
  const http = httpPool(daemon.url, IN_FLIGHT);
  const watch = await runningWatch(daemon.url, http);
  expectStatus(await http.call('POST', PODS_PATH, pod('warmup', 'exec sleep 3600')), 201, 'create warmup');
  await until('warmup Running', () => watch.running.has('warmup'));
  expectStatus(await http.call('DELETE', `${PODS_PATH}/warmup`), 200, 'delete warmup');
  await until('warmup gone', async () => (await http.call('GET', `${PODS_PATH}/warmup`)).status === 404);
  await sleep(SETTLE_MS); // the heap settles after start-up before the baseline
  return { daemon, http, watch };
}

/** RSS and heapUsed growth per pod (KB) over `PODS` pods created one after the other. */
async function rssPerPod({ daemon, http, watch }) {
  const before = await daemonMemory(daemon.pid, MEMORY_SAMPLES);
  const sequential = await createRunning(http, watch, 'seq', PODS, 1);
  await sleep(SETTLE_MS); // status writes and events settle
  const after = await daemonMemory(daemon.pid, MEMORY_SAMPLES);
  const perPodKB = (key) => round(((after[key] - before[key]) * 1024) / PODS, 1);
  return { sequential, before, after, perPodKB: perPodKB('rssMiB'), heapPerPodKB: { used: perPodKB('heapUsedMiB'), total: perPodKB('heapTotalMiB') } };
}

ensureBuilt();
process.env.MINI_KUBE_CONTAINER_LOG_MAX_SIZE = String(256 * 1024 * 1024);
const results = {};
const proc = await warmDaemon('process');
try {
  const { sequential, before, after, perPodKB, heapPerPodKB } = await rssPerPod(proc);
  results.createToRunningMs = { sequential: latencies(sequential), burst: latencies(await createRunning(proc.http, proc.watch, 'burst', PODS, IN_FLIGHT)) };
  results.daemonRssMiB = { before: before.rssMiB, with100Pods: after.rssMiB };
  results.daemonHeapMiB = { before: { used: before.heapUsedMiB, total: before.heapTotalMiB }, with100Pods: { used: after.heapUsedMiB, total: after.heapTotalMiB } };
  results.rssPerPodKB = perPodKB;
  results.heapPerPodKB = heapPerPodKB;

  // The 100 MB log: 1,000,000 lines of 99 characters + newline.
  const line = 'x'.repeat(99);
  expectStatus(await proc.http.call('POST', PODS_PATH, pod('logger', `yes ${line} | head -c ${LOG_BYTES}; echo DONE; exec sleep 3600`)), 201, 'create logger');
  const kc = ['--kubeconfig', proc.daemon.kubeconfig];
  await until('the log written', () => spawnSync('kubectl', [...kc, 'logs', 'logger', '--tail=1'], { encoding: 'utf8' }).stdout === 'DONE\n', 180_000, 500);
  const uid = JSON.parse((await proc.http.call('GET', `${PODS_PATH}/logger`)).body).metadata.uid;
  const logDir = join(proc.daemon.dataDir, 'pods', uid, 'logs', 'main');
  const files = readdirSync(logDir).map((f) => join(logDir, f));
  const kubectlBytes = await outputBytes('kubectl', [...kc, 'logs', 'logger']);
  const kubectlMs = [];
  const catMs = [];
  for (let run = 0; run < LOG_RUNS; run++) {
    kubectlMs.push(await timed('kubectl', [...kc, 'logs', 'logger']));
    catMs.push(await timed('cat', files));
  }
  const kubectlWall = spread(kubectlMs);
  const catWall = spread(catMs);
  results.logs = {
    kubectlBytes,
    fileBytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
    kubectlMs: kubectlWall,
    catMs: catWall,
    ratio: round(kubectlWall.median / catWall.median, 1),
  };
  if (kubectlBytes !== LOG_BYTES + 5) throw new Error(`kubectl logs printed ${kubectlBytes} bytes, expected ${LOG_BYTES + 5}`);
} finally {
  await proc.watch.stop();
  await proc.http.close();
  await proc.daemon.stop();
}

// The same pods on simulated nodes: the control plane's share of the RSS per pod.
const sim = await warmDaemon('sim');
try {
  const simRss = await rssPerPod(sim);
  results.simBaselineRssPerPodKB = simRss.perPodKB;
  results.simBaselineHeapPerPodKB = simRss.heapPerPodKB;
} finally {
  await sim.watch.stop();
  await sim.http.close();
  await sim.daemon.stop();
}

report('process-pods', CONDITIONS, results, GOAL, results.createToRunningMs.sequential.p99 <= 300 && results.rssPerPodKB <= 200);
