// `kubectl get pods` wall time with 100 pods stored and a warm discovery cache (--cache-dir reused).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ensureBuilt, expectStatus, httpPool, makePod, makeTempDir, report, round, runConcurrent, spread, startDaemon } from './lib.mjs';

const PODS = 100;
const RUNS = 10;
const GOAL_MEDIAN_MS = 150;
const CONDITIONS = { pods: PODS, runs: RUNS, store: 'sqlite', discoveryCache: 'warm (--cache-dir reused, one warm-up run)' };
const GOAL = { medianMs: `<= ${GOAL_MEDIAN_MS}` };

/** Runs kubectl and returns its wall time in ms; throws when it fails. */
function timeKubectl(args) {
  const t0 = performance.now();
  const run = spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '' } });
  const ms = performance.now() - t0;
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return { ms, stdout: run.stdout };
}

const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  process.stdout.write(`${JSON.stringify({ name: 'kubectl-get', conditions: CONDITIONS, results: {}, goal: GOAL, ok: false, skipped: 'kubectl not found on PATH' })}\n`);
  process.exit(0);
}

ensureBuilt();
const daemon = await startDaemon({ store: 'sqlite' });
const http = httpPool(daemon.url, 8);
try {
  await runConcurrent(PODS, 8, async (i) => expectStatus(await http.call('POST', '/api/v1/namespaces/default/pods', makePod(i)), 201, `create pod ${i}`));
  const cacheDir = makeTempDir('mini-kube-kubectl-cache-');
  const args = ['get', 'pods', '--kubeconfig', daemon.kubeconfig, '--cache-dir', cacheDir];
  timeKubectl(args); // warm-up: fills the discovery cache
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const { ms, stdout } = timeKubectl(args);
    const rows = stdout.trim().split('\n').length - 1;
    if (rows !== PODS) throw new Error(`kubectl get pods printed ${rows} rows, expected ${PODS}`);
    times.push(ms);
  }
  // kubectl's own start-up on this machine, without any request: the floor of the figure above.
  const clientOnly = Array.from({ length: 5 }, () => timeKubectl(['version', '--client']).ms);
  const wall = spread(times);
  report(
    'kubectl-get',
    { ...CONDITIONS, kubectl: probe.stdout.split('\n')[0] },
    { wallMs: wall, runsMs: times.map((t) => round(t)), kubectlVersionClientMs: spread(clientOnly).median },
    GOAL,
    wall.median <= GOAL_MEDIAN_MS,
  );
} finally {
  await http.close();
  await daemon.stop();
}
