// 1,000 Services × 3 endpoints: how long until the proxy listens on every clusterIP:port and forwards
// there, and what it costs the daemon in memory. The Services have no selector and hand-made
// Endpoints (3 addresses each; the EndpointSlice mirroring controller turns them into slices), so no
// pod has to run: the 3 backends are TCP servers of this script on 127.238.0.1-3:8080 that greet
// each connection with "ok". `--nodes 1 --runtime sim`.
//   program: first create → every clusterIP:80 answers "ok" through the proxy (creates 32 in flight);
//            with when the last mirrored EndpointSlice appeared on a watch (the control plane's part);
//   one more: with the 1,000 in place, create one Service + Endpoints → it answers (p50/p99 of 20);
//   rss:     daemon RSS before and after, and its open file descriptors.
// CLI: node scripts/bench/services-scale.mjs [--services N] [--profile DIR]
import { readdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ensureBuilt, expectStatus, httpPool, latencies, report, round, rssMiB, runConcurrent, startDaemon, watchStream } from './lib.mjs';
import { BENCH_NETWORK } from './proxy-lib.mjs';

const { values: flags } = parseArgs({ options: { services: { type: 'string' }, profile: { type: 'string' } } });
const SERVICES = Number(flags.services ?? 1000);
const BACKENDS = ['127.238.0.1', '127.238.0.2', '127.238.0.3'];
const BACKEND_PORT = 8080;
const IN_FLIGHT = 32;
const ONE_MORE_SAMPLES = 20;
const TIMEOUT_MS = 5 * 60_000;
const GOAL = { programSec: 30, rssMiB: 500 }; // the issue asks for the figures; these are our own bounds
const NS = '/api/v1/namespaces/default';

/** TCP servers that write "ok" to each connection and close it. */
async function startBackends() {
  const servers = await Promise.all(
    BACKENDS.map(
      (host) =>
        new Promise((resolve, reject) => {
          const server = createServer((socket) => socket.end('ok'));
          server.once('error', reject);
          server.listen(BACKEND_PORT, host, () => resolve(server));
        }),
    ),
  );
  return { close: () => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))) };
}

/** True when `host:80` forwards to a backend (the greeting arrives); false when refused, reset or silent. */
function forwards(host) {
  return new Promise((resolve) => {
    const socket = connect({ host, port: 80 });
    let data = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('data', (d) => (data += d));
    socket.once('end', () => done(data === 'ok'));
    socket.once('error', () => done(false));
  });
}

/** Creates Service `name` (no selector, port 80 → 8080) and its Endpoints; returns the cluster IP. */
async function createService(http, name) {
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ name: 'tcp', port: 80, targetPort: BACKEND_PORT }] } };
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name },
    subsets: [{ addresses: BACKENDS.map((ip) => ({ ip })), ports: [{ name: 'tcp', port: BACKEND_PORT }] }],
  };
  const created = await http.call('POST', `${NS}/services`, service);
  expectStatus(created, 201, `create service ${name}`);
  expectStatus(await http.call('POST', `${NS}/endpoints`, endpoints), 201, `create endpoints ${name}`);
  return JSON.parse(created.body).spec.clusterIP;
}

/** Probes every address until each forwards, 32 at a time; resolves when all do. */
async function untilAllForward(ips) {
  const deadline = performance.now() + TIMEOUT_MS;
  let pending = ips;
  while (pending.length) {
    const failing = [];
    await runConcurrent(pending.length, IN_FLIGHT, async (i) => {
      if (!(await forwards(pending[i]))) failing.push(pending[i]);
    });
    if (performance.now() > deadline) throw new Error(`${failing.length} of ${ips.length} cluster IPs not forwarding after ${TIMEOUT_MS} ms`);
    pending = failing;
    if (pending.length) await sleep(20);
  }
}

async function revision(http) {
  const res = await http.call('GET', `${NS}/services?limit=1`);
  expectStatus(res, 200, 'list services');
  return JSON.parse(res.body).metadata.resourceVersion;
}

const openFiles = (pid) => readdirSync(`/proc/${pid}/fd`).length;

async function main() {
  ensureBuilt();
  const backends = await startBackends();
  const daemon = await startDaemon({ args: ['--nodes', '1', '--runtime', 'sim', ...BENCH_NETWORK], cpuProfDir: flags.profile });
  const http = httpPool(daemon.url, IN_FLIGHT);
  try {
    await sleep(2000); // let start-up settle before the baseline
    const before = { rssMiB: rssMiB(daemon.pid), openFiles: openFiles(daemon.pid) };

    let slices = 0;
    let slicesAt = 0;
    const watch = await watchStream(daemon.url, `/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?watch=1&resourceVersion=${await revision(http)}`, (event, at) => {
      if (event.type === 'ADDED' && ++slices === SERVICES) slicesAt = at;
    });
    const t0 = performance.now();
    const ips = new Array(SERVICES);
    await runConcurrent(SERVICES, IN_FLIGHT, async (i) => (ips[i] = await createService(http, `svc-${i}`)));
    const createdSec = (performance.now() - t0) / 1000;
    await untilAllForward(ips);
    const programSec = (performance.now() - t0) / 1000;
    await watch.stop();
    const after = { rssMiB: rssMiB(daemon.pid), openFiles: openFiles(daemon.pid) };

    const oneMore = [];
    for (let i = 0; i < ONE_MORE_SAMPLES; i++) {
      const t = performance.now();
      const ip = await createService(http, `extra-${i}`);
      while (!(await forwards(ip))) await sleep(1);
      oneMore.push(performance.now() - t);
    }
    report(
      'services-scale',
      { nodes: 1, runtime: 'sim', services: SERVICES, endpointsPerService: BACKENDS.length, endpoints: 'hand-made, selectorless', createsInFlight: IN_FLIGHT },
      {
        createSec: round(createdSec),
        slicesSec: slicesAt ? round((slicesAt - t0) / 1000) : undefined,
        programSec: round(programSec),
        oneMoreServiceMs: latencies(oneMore),
        daemon: { before, after, rssPerServiceKiB: round(((after.rssMiB - before.rssMiB) * 1024) / SERVICES, 1) },
      },
      GOAL,
      programSec <= GOAL.programSec && after.rssMiB <= GOAL.rssMiB,
    );
  } finally {
    await http.close();
    await daemon.stop();
    await backends.close();
  }
}

await main();
