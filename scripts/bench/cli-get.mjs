// `mini-kubectl get pods` against `kubectl get pods` on one daemon with 100 pods: 20 runs of each,
// alternating so that both see the same machine load, each with a warm discovery cache.
// Prints one JSON line (scripts/bench/README.md): both medians and their ratio.
// Goal (issue 6 "Speed"): median(mini-kubectl) / median(kubectl) <= 1.0.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureBuilt, expectStatus, httpPool, makePod, makeTempDir, report, round, runConcurrent, spread, startDaemon, ROOT } from './lib.mjs';

const PODS = 100;
const RUNS = 20;
const GOAL_RATIO = 1.0;
// The daemon runs one node, but makePod's pods name a scheduler that does not exist: they stay
// Pending and nothing else runs during the measurement.
const CONDITIONS = { pods: PODS, runs: RUNS, store: 'sqlite', discoveryCache: 'warm (--cache-dir reused, one warm-up run each)', order: 'alternating' };
const GOAL = { ratio: `<= ${GOAL_RATIO}` };

function timeRun(command, args) {
  const t0 = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '' } });
  const ms = performance.now() - t0;
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const rows = run.stdout.trim().split('\n').length - 1;
  if (rows !== PODS) throw new Error(`${command} get pods printed ${rows} rows, expected ${PODS}`);
  return ms;
}

const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  process.stdout.write(`${JSON.stringify({ name: 'cli-get', conditions: CONDITIONS, results: {}, goal: GOAL, ok: false, skipped: 'kubectl not found on PATH' })}\n`);
  process.exit(0);
}

ensureBuilt();
const daemon = await startDaemon({ store: 'sqlite' });
const http = httpPool(daemon.url, 8);
try {
  await runConcurrent(PODS, 8, async (i) => expectStatus(await http.call('POST', '/api/v1/namespaces/default/pods', makePod(i)), 201, `create pod ${i}`));
  const common = ['get', 'pods', '--kubeconfig', daemon.kubeconfig];
  const kubectlArgs = [...common, '--cache-dir', makeTempDir('cli-get-kubectl-')];
  const bin = join(ROOT, 'bin', 'mini-kubectl');
  const miniArgs = [...common, '--cache-dir', makeTempDir('cli-get-mini-')];
  const runKubectl = () => timeRun('kubectl', kubectlArgs);
  // As users run it: the executable, whose shebang keeps NODE_EXTRA_CA_CERTS from slowing Node's start.
  const runMini = () => timeRun(bin, miniArgs);
  // For reference: `node bin/mini-kubectl`, where Node itself loads NODE_EXTRA_CA_CERTS when set.
  const runMiniViaNode = () => timeRun(process.execPath, [bin, ...miniArgs]);
  runKubectl(); // warm-ups fill the discovery (and kubeconfig) caches
  runMini();
  const kubectlMs = [];
  const miniMs = [];
  const viaNodeMs = [];
  for (let i = 0; i < RUNS; i++) {
    kubectlMs.push(runKubectl());
    miniMs.push(runMini());
    viaNodeMs.push(runMiniViaNode());
  }
  const kubectl = spread(kubectlMs);
  const mini = spread(miniMs);
  const ratio = round(mini.median / kubectl.median, 3);
  report(
    'cli-get',
    { ...CONDITIONS, kubectl: probe.stdout.split('\n')[0], nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS ?? null },
    { miniKubectlMs: mini, kubectlMs: kubectl, ratio, viaNodeMs: spread(viaNodeMs), viaNodeRatio: round(spread(viaNodeMs).median / kubectl.median, 3) },
    GOAL,
    ratio <= GOAL_RATIO,
  );
} finally {
  await http.close();
  await daemon.stop();
}
