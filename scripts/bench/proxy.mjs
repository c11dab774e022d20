// The Service proxy's data path against the pod itself, same load tool, same run: one http-echo pod
// (process runtime, `--nodes 1`) behind a ClusterIP Service; autocannon alternates direct
// (podIP:5678) and proxied (clusterIP:80) rounds.
//   throughput: 10 keep-alive connections, requests/s; ratio proxied / direct (goal ≥ 0.7);
//   latency:    1 connection (no queueing), p50 from every response's own time (autocannon's
//               histogram keeps whole ms only); added p50 = proxied − direct (goal ≤ 0.2 ms).
// CLI: node scripts/bench/proxy.mjs [--rounds N] [--seconds S] [--profile DIR]
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuSeconds, ensureBuilt, httpPool, median, percentile, report, round, startDaemon } from './lib.mjs';
import { BENCH_NETWORK, createEchoService, readyPods, waitAnswering } from './proxy-lib.mjs';

const GOAL = { throughputRatio: 0.7, addedP50Ms: 0.2 };
const { values: flags } = parseArgs({ options: { rounds: { type: 'string' }, seconds: { type: 'string' }, profile: { type: 'string' } } });
const ROUNDS = Number(flags.rounds ?? 3);
const SECONDS = Number(flags.seconds ?? 5);
const LOAD = { connections: 10, pipelining: 1 };
const LATENCY = { connections: 1, pipelining: 1 };

/** One autocannon run; `latencies` are the exact times of the 2xx responses, in ms. */
async function load(url, settings, seconds) {
  const latencies = [];
  const instance = autocannon({ url, ...settings, duration: seconds });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === 200) latencies.push(ms);
  });
  const result = await instance;
  if (result.errors || result.non2xx) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return { requests: result.requests.total, seconds: result.duration, latencies };
}

/** Alternates direct and proxied runs; per target: requests/s of each round and all latencies. */
async function alternate(targets, settings, pid) {
  const out = Object.fromEntries(Object.keys(targets).map((k) => [k, { perSecond: [], latencies: [], daemonCpu: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, url] of Object.entries(targets)) {
      const cpu0 = cpuSeconds(pid);
      const run = await load(url, settings, SECONDS);
      out[name].perSecond.push(run.requests / run.seconds);
      for (const ms of run.latencies) out[name].latencies.push(ms); // a spread overflows the stack on a fast run
      out[name].daemonCpu.push((cpuSeconds(pid) - cpu0) / run.seconds);
    }
  }
  return out;
}

const summary = (t) => ({
  requestsPerSec: round(median(t.perSecond), 0),
  rounds: t.perSecond.map((x) => round(x, 0)),
  p50Ms: round(percentile(t.latencies, 50), 3),
  p99Ms: round(percentile(t.latencies, 99), 3),
  daemonCpuCores: round(median(t.daemonCpu), 2),
});

async function main() {
  ensureBuilt();
  const daemon = await startDaemon({ args: ['--nodes', '1', '--runtime', 'process', ...BENCH_NETWORK], cpuProfDir: flags.profile });
  const http = httpPool(daemon.url, 4);
  try {
    const clusterIP = await createEchoService(http, 'echo');
    const [pod] = await readyPods(http, 'echo', 1);
    const podIP = pod.status.podIP;
    await waitAnswering(clusterIP, 80, pod.metadata.name);
    const targets = { direct: `http://${podIP}:5678/`, proxied: `http://${clusterIP}:80/` };
    await alternate(targets, LOAD, daemon.pid); // warm-up: JIT of both paths, not counted

    const throughput = await alternate(targets, LOAD, daemon.pid);
    const latency = await alternate(targets, LATENCY, daemon.pid);
    const ratio = round(median(throughput.proxied.perSecond) / median(throughput.direct.perSecond), 3);
    const addedP50Ms = round(percentile(latency.proxied.latencies, 50) - percentile(latency.direct.latencies, 50), 3);
    const addedP50UnderLoadMs = round(percentile(throughput.proxied.latencies, 50) - percentile(throughput.direct.latencies, 50), 3);
    report(
      'proxy',
      { nodes: 1, runtime: 'process', pods: 1, tool: 'autocannon 9', rounds: ROUNDS, secondsPerRun: SECONDS, load: LOAD, latencyLoad: LATENCY },
      {
        throughput: { ratio, direct: summary(throughput.direct), proxied: summary(throughput.proxied), addedP50UnderLoadMs },
        latency: { addedP50Ms, direct: summary(latency.direct), proxied: summary(latency.proxied) },
      },
      GOAL,
      ratio >= GOAL.throughputRatio && addedP50Ms <= GOAL.addedP50Ms,
    );
  } finally {
    await http.close();
    await daemon.stop();
  }
}

await main();
