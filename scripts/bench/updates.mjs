// The API server's cost per update of the kinds the control loops make, on a daemon with no kubelets
// (`--nodes 0`: nothing else writes): 2,000 pods created, then per pod a binding (the scheduler's
// POST pods/binding), a Pending status (PUT pods/status as a kubelet writes it while containers are
// created), a Running and Ready status; then 2,000 Leases created and renewed twice (PUT), as node
// heartbeats are. Each phase runs 16 in flight; reported per phase: the daemon's CPU µs per update
// (/proc/<pid>/stat) and updates/s.
// CLI: node scripts/bench/updates.mjs [--profile DIR] [--pods N]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { cpuSeconds, ensureBuilt, expectStatus, httpPool, makePod, monotonicUs, podName, report, round, runConcurrent, startDaemon } from './lib.mjs';

const IN_FLIGHT = 16;
const NAMESPACE = 'updates-bench';
const PODS_PATH = `/api/v1/namespaces/${NAMESPACE}/pods`;
const LEASES_PATH = `/apis/coordination.k8s.io/v1/namespaces/${NAMESPACE}/leases`;
const NODE = 'bench-node-1';
// Half the mean measured before the update path was reworked (930 µs on the 2-core bench host).
const GOAL_MEAN_UPDATE_CPU_US = 465;

const { values: flags } = parseArgs({ options: { profile: { type: 'string' }, pods: { type: 'string' } } });
const PODS = Number(flags.pods ?? 2_000);

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const condition = (type, status, reason, message) => ({
  type,
  status,
  lastProbeTime: null,
  lastTransitionTime: now(),
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

/** The kubelet's first status: containers being created. `pod` is the bound pod as read back. */
function pendingStatus(pod) {
  const scheduled = pod.status.conditions.find((c) => c.type === 'PodScheduled');
  return {
    phase: 'Pending',
    conditions: [
      condition('PodReadyToStartContainers', 'False'),
      condition('Initialized', 'True'),
      condition('Ready', 'False', 'ContainersNotReady', 'containers with unready status: [web]'),
      condition('ContainersReady', 'False', 'ContainersNotReady', 'containers with unready status: [web]'),
      scheduled,
    ],
    hostIP: '127.10.0.1',
    hostIPs: [{ ip: '127.10.0.1' }],
    startTime: now(),
    containerStatuses: [
      {
        name: 'web',
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
        ready: false,
        restartCount: 0,
        image: 'registry.example.com/shop/web:1.4.2',
        imageID: '',
        started: false,
      },
    ],
    qosClass: pod.status.qosClass,
  };
}

/** Then Running and Ready, with its IP. */
function runningStatus(pod, i) {
  const previous = pod.status;
  const ip = `10.244.${(i >> 8) & 255}.${i & 255}`;
  return {
    ...previous,
    phase: 'Running',
    conditions: [
      condition('PodReadyToStartContainers', 'True'),
      previous.conditions.find((c) => c.type === 'Initialized'),
      condition('Ready', 'True'),
      condition('ContainersReady', 'True'),
      previous.conditions.find((c) => c.type === 'PodScheduled'),
    ],
    podIP: ip,
    podIPs: [{ ip }],
    containerStatuses: [
      {
        name: 'web',
        state: { running: { startedAt: now() } },
        lastState: {},
        ready: true,
        restartCount: 0,
        image: 'registry.example.com/shop/web:1.4.2',
        imageID: 'registry.example.com/shop/web@sha256:4f1c2d',
        containerID: `sim://${pod.metadata.uid}-web`,
        started: true,
      },
    ],
  };
}

const node = () => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: NODE, labels: { 'kubernetes.io/hostname': NODE } },
  status: {
    capacity: { cpu: '64', memory: '256Gi', pods: '10000' },
    allocatable: { cpu: '64', memory: '256Gi', pods: '10000' },
    conditions: [condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')],
  },
});

const lease = (i) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: `node-${i}`, namespace: NAMESPACE },
  spec: { holderIdentity: `node-${i}`, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace('Z', '000Z') },
});

/** Runs one phase of `count` requests; returns its daemon CPU per request, rate and profile window. */
async function phase(pid, count, task) {
  const from = monotonicUs();
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await runConcurrent(count, IN_FLIGHT, task);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  return { cpuUsPerUpdate: round((cpu * 1e6) / count, 0), perSec: round(count / seconds, 0), cpuSec: round(cpu, 2), windowUs: [from, monotonicUs()] };
}

ensureBuilt();
const daemon = await startDaemon({ args: ['--nodes', '0', '--node-monitor-grace-period', '3600'], cpuProfDir: flags.profile });
const http = httpPool(daemon.url, IN_FLIGHT);
const results = {};
try {
  const call = async (method, path, body, wanted, what) => {
    const res = await http.call(method, path, body);
    expectStatus(res, wanted, what);
    return JSON.parse(res.body);
  };
  await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, 201, 'create namespace');
  // The pods' node must exist, or the pod garbage collector deletes them as orphans.
  await call('POST', '/api/v1/nodes', node(), 201, 'create node');
  const pods = new Array(PODS);
  const pid = daemon.pid;
  results.podCreate = await phase(pid, PODS, async (i) => {
    pods[i] = await call('POST', PODS_PATH, makePod(i, NAMESPACE), 201, `create pod ${i}`);
  });
  results.binding = await phase(pid, PODS, async (i) => {
    const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name: podName(i), namespace: NAMESPACE }, target: { apiVersion: 'v1', kind: 'Node', name: NODE } };
    await call('POST', `${PODS_PATH}/${podName(i)}/binding`, body, 201, `bind pod ${i}`);
  });
  // A kubelet learns of its pods from its watch; read back here, outside the measured phases.
  await runConcurrent(PODS, IN_FLIGHT, async (i) => {
    pods[i] = await call('GET', `${PODS_PATH}/${podName(i)}`, undefined, 200, `get pod ${i}`);
  });
  const putStatus = async (i, status) => {
    pods[i] = await call('PUT', `${PODS_PATH}/${podName(i)}/status`, { ...pods[i], status }, 200, `status of pod ${i}`);
  };
  results.statusPending = await phase(pid, PODS, (i) => putStatus(i, pendingStatus(pods[i])));
  results.statusRunning = await phase(pid, PODS, (i) => putStatus(i, runningStatus(pods[i], i)));
  if (pods.some((p) => p.status.phase !== 'Running' || p.spec.nodeName !== NODE)) throw new Error('a pod did not end bound and Running');

  const leases = new Array(PODS);
  results.leaseCreate = await phase(pid, PODS, async (i) => {
    leases[i] = await call('POST', LEASES_PATH, lease(i), 201, `create lease ${i}`);
  });
  const renew = async (i) => {
    const body = { ...leases[i], spec: { ...leases[i].spec, renewTime: new Date().toISOString().replace('Z', '000Z') } };
    leases[i] = await call('PUT', `${LEASES_PATH}/node-${i}`, body, 200, `renew lease ${i}`);
  };
  results.leaseRenew = await phase(pid, 2 * PODS, (n) => renew(n % PODS));
} finally {
  await http.close();
  await daemon.stop(60_000);
}
const windows = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.windowUs]));
for (const v of Object.values(results)) delete v.windowUs;
const updates = ['binding', 'statusPending', 'statusRunning', 'leaseRenew'];
const meanUs = round(updates.reduce((sum, k) => sum + results[k].cpuUsPerUpdate, 0) / updates.length, 0);
report(
  'updates',
  {
    store: 'sqlite',
    nodes: 0,
    pods: PODS,
    inFlight: IN_FLIGHT,
    measure: 'daemon CPU (user + system, /proc) per request of each phase, and requests/s; creates for reference',
  },
  { ...results, meanUpdateCpuUs: meanUs, ...(flags.profile ? { profileWindowsUs: windows } : {}) },
  { meanUpdateCpuUs: `<= ${GOAL_MEAN_UPDATE_CPU_US} (mean of binding, the two status PUTs and lease renewals)` },
  meanUs <= GOAL_MEAN_UPDATE_CPU_US,
);
