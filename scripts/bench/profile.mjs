// Where the daemon's time goes: runs start-up and the api-load phases against a daemon under
// `node --cpu-prof`, then prints the hot functions of each phase (self and total time, per file).
// CLI: node scripts/bench/profile.mjs [--top N] [--keep DIR]   (--keep: where the .cpuprofile stays)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBuilt, httpPool, makeTempDir, startDaemon } from './lib.mjs';
import { CREATE_IN_FLIGHT, TABLE_ACCEPT, createPods, getRandomPods, listPods, watchLatency } from './api-load-phases.mjs';
import { printSummary, summarizeProfile } from './profile-summary.mjs';

const { values } = parseArgs({ options: { top: { type: 'string' }, keep: { type: 'string' } } });
const top = Number(values.top ?? 15);
const profileDir = values.keep ?? makeTempDir('mini-kubed-prof-');
const nowUs = () => Number(process.hrtime.bigint() / 1000n); // the clock of V8 profile timestamps

ensureBuilt();
const windows = []; // [phase, fromUs, toUs, figures]
const phase = async (name, run) => {
  const from = nowUs();
  const figures = await run();
  windows.push([name, from, nowUs(), figures]);
};

let daemon;
await phase('start-up (spawn → /readyz ok)', async () => {
  daemon = await startDaemon({ store: 'sqlite', cpuProfDir: profileDir });
  return { readyMs: Math.round(daemon.readyMs) };
});
const http = httpPool(daemon.url, CREATE_IN_FLIGHT);
try {
  await phase('create 10,000 pods', () => createPods(http));
  await phase('get random pods', () => getRandomPods(http));
  await phase('list 10,000 pods (JSON)', () => listPods(http, 'application/json'));
  await phase('list 10,000 pods (Table)', () => listPods(http, TABLE_ACCEPT));
  await phase('watch latency', () => watchLatency(http, daemon.url));
} finally {
  await http.close();
  await daemon.stop();
}

const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no .cpuprofile written in ${profileDir}`);
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8'));
for (const [name, fromUs, toUs, figures] of windows) {
  printSummary(`${name} ${JSON.stringify(figures)} [--from ${fromUs} --to ${toUs}]`, summarizeProfile(profile, { fromUs, toUs, top }));
}
if (values.keep) process.stdout.write(`profile: ${join(profileDir, file)}\n`);
