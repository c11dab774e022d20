// Pod becomes Ready → the proxy sends it traffic. Two http-echo pods (process runtime, `--nodes 1`)
// behind a ClusterIP Service; the victim's readiness is an exec probe on a file of the bench
// (periodSeconds 1). Per sample: the victim is made not ready and leaves the EndpointSlice, then
// ready again; the sample is from the arrival of its Ready=True pod event on the bench's watch to
// the first answer it gives through clusterIP:80, while two loops send requests on fresh
// connections (the answer names the pod). Goal: p99 ≤ 100 ms. Also reported: when the slice event
// arrived and when the first request the pod answered was sent (the rest is that request's trip).
// CLI: node scripts/bench/proxy-ready.mjs [--samples N]
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ensureBuilt, httpPool, latencies, makeTempDir, report, startDaemon, watchStream } from './lib.mjs';
import { BENCH_NETWORK, createEchoService, getText, readyPods, waitAnswering } from './proxy-lib.mjs';

const GOAL = { p99Ms: 100 };
const LOOPS = 2;
const STEP_TIMEOUT_MS = 30_000;
const { values: flags } = parseArgs({ options: { samples: { type: 'string' } } });
const SAMPLES = Number(flags.samples ?? 50);

/** Resolves once `check()` is true (state the watches and loops keep in memory), polled every 2 ms. */
async function until(what, check) {
  const deadline = performance.now() + STEP_TIMEOUT_MS;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Sequential GETs on fresh connections from `loops` loops; answers are kept with when each was sent and came. */
function requestLoops(host, port, loops) {
  const answers = [];
  let stopped = false;
  const one = async () => {
    while (!stopped) {
      const sent = performance.now();
      const pod = await getText(host, port).catch(() => undefined);
      answers.push({ sent, at: performance.now(), pod });
    }
  };
  const done = Promise.all(Array.from({ length: loops }, one));
  return {
    answers,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

const podReady = (pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function main() {
  ensureBuilt();
  const toggles = makeTempDir('mini-kube-bench-readiness-');
  const daemon = await startDaemon({ args: ['--nodes', '1', '--runtime', 'process', ...BENCH_NETWORK] });
  const http = httpPool(daemon.url, 4);
  const watches = [];
  let loops;
  try {
    const readinessProbe = { exec: { command: ['sh', '-c', `test ! -e ${toggles}/$POD_NAME`] }, periodSeconds: 1, failureThreshold: 1 };
    const clusterIP = await createEchoService(http, 'echo', { replicas: 2, readinessProbe });
    const victim = (await readyPods(http, 'echo', 2))[0].metadata.name;
    await waitAnswering(clusterIP, 80);

    // What the watches saw last: the victim's readiness (with when it turned true) and its endpoint's.
    const seen = { ready: true, readyAt: 0, endpointReady: true, endpointReadyAt: 0 };
    watches.push(
      await watchStream(daemon.url, '/api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Decho', ({ object }, at) => {
        if (object.metadata.name !== victim) return;
        const ready = podReady(object);
        if (ready && !seen.ready) seen.readyAt = at;
        seen.ready = ready;
      }),
      await watchStream(daemon.url, '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?watch=1&labelSelector=kubernetes.io%2Fservice-name%3Decho', ({ object }, at) => {
        const endpoint = (object.endpoints ?? []).find((e) => e.targetRef?.name === victim);
        const ready = endpoint?.conditions?.ready === true;
        if (ready && !seen.endpointReady) seen.endpointReadyAt = at;
        seen.endpointReady = ready;
      }),
    );
    loops = requestLoops(clusterIP, 80, LOOPS);
    const file = join(toggles, victim);
    const toTraffic = [];
    const toEndpoint = [];
    const toFirstSent = [];
    for (let i = 0; i < SAMPLES; i++) {
      writeFileSync(file, '');
      await until('the victim not ready', () => !seen.ready && !seen.endpointReady);
      // Out of the proxy's rotation too: the last 10 answers all from the other pod.
      const out = loops.answers.length;
      await until('answers without the victim', () => loops.answers.length - out >= 10 && !loops.answers.slice(-10).some((a) => a.pod === victim));

      const back = loops.answers.length;
      rmSync(file);
      await until('the victim ready', () => seen.ready && seen.endpointReady);
      await until('an answer from the victim', () => loops.answers.slice(back).some((a) => a.pod === victim));
      const first = loops.answers.slice(back).find((a) => a.pod === victim);
      toTraffic.push(first.at - seen.readyAt);
      toFirstSent.push(first.sent - seen.readyAt);
      toEndpoint.push(seen.endpointReadyAt - seen.readyAt);
    }
    const failed = loops.answers.filter((a) => a.pod === undefined).length;
    const readyToTraffic = latencies(toTraffic);
    report(
      'proxy-ready',
      { nodes: 1, runtime: 'process', pods: 2, samples: SAMPLES, requestLoops: LOOPS, probe: 'exec, periodSeconds 1' },
      {
        readyToTrafficMs: readyToTraffic,
        // Where the time goes: the EndpointSlice event, and the sending of the first request the pod answered.
        readyToEndpointMs: latencies(toEndpoint),
        readyToFirstAnsweredRequestSentMs: latencies(toFirstSent),
        requests: loops.answers.length,
        failedRequests: failed,
      },
      GOAL,
      readyToTraffic.p99 <= GOAL.p99Ms && failed === 0,
    );
  } finally {
    await loops?.stop();
    await Promise.all(watches.map((w) => w.stop()));
    await http.close();
    await daemon.stop();
  }
}

await main();
