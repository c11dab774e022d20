// `npm run bench`: runs each benchmark in its own process, one after the other, and prints the one JSON
// line each prints. A benchmark that fails still yields a line: { name, ok: false, error }.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './lib.mjs';

const BENCHMARKS = [
  'cold-start', 'api-load', 'updates', 'kubectl-get', 'cli-get', 'scheduler', 'deployments', 'daemonset', 'jobs',
  'process-pods', 'proxy', 'proxy-ready', 'services-scale',
];
const TIMEOUT_MS = 10 * 60_000; // per benchmark: they stop by themselves well before

ensureBuilt();
let failed = false;
for (const name of BENCHMARKS) {
  const script = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url));
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: TIMEOUT_MS, killSignal: 'SIGTERM', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = run.stdout?.trim().split('\n').findLast((l) => l.startsWith('{'));
  if (run.status === 0 && line) {
    process.stdout.write(`${line}\n`);
  } else {
    failed = true;
    const error = run.error?.message ?? `exited with ${run.status ?? run.signal}`;
    process.stdout.write(`${JSON.stringify({ name, ok: false, error })}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
