// Cold start: process spawn → GET /readyz answers "ok", on a fresh sqlite data dir each run.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ensureBuilt, report, round, spread, startDaemon } from './lib.mjs';

const RUNS = 10;
const GOAL_MEDIAN_MS = 300;

/** The floor no daemon can beat: `node -e 0` on this machine. */
function bareNodeMs() {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t0;
}

ensureBuilt();
const times = [];
for (let run = 0; run < RUNS; run++) {
  const daemon = await startDaemon({ store: 'sqlite', pollMs: 2 });
  times.push(daemon.readyMs);
  await daemon.stop();
}
const bare = Array.from({ length: 5 }, bareNodeMs);

const readyMs = spread(times);
report(
  'cold-start',
  { runs: RUNS, store: 'sqlite', dataDir: 'fresh temp dir per run', readyzPollMs: 2 },
  { readyMs, runsMs: times.map((t) => round(t)), bareNodeStartMs: spread(bare).median },
  { readyMedianMs: `<= ${GOAL_MEDIAN_MS}` },
  readyMs.median <= GOAL_MEDIAN_MS,
);
