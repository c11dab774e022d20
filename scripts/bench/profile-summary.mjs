// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): top functions by self and by total time, and self
// time per source file, optionally inside a time window. Frames of the dist/ bundle are mapped back to
// their TypeScript sources through the bundle's source map.
// CLI: node scripts/bench/profile-summary.mjs FILE.cpuprofile [--top N] [--from US --to US] [--match TEXT]
// (--match keeps the rows containing TEXT, e.g. `packages/` for mini-kube's own code)
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, round } from './lib.mjs';

const sourceMaps = new Map(); // script url → SourceMap | null

function sourceMapOf(url) {
  if (!sourceMaps.has(url)) {
    let map = null;
    if (url.startsWith('file://') && existsSync(`${fileURLToPath(url)}.map`)) {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
    }
    sourceMaps.set(url, map);
  }
  return sourceMaps.get(url);
}

const shortPath = (path) => (path.startsWith('/') ? relative(ROOT, path) : path);

/** "function (file:line)" of a call frame, in original sources when a source map knows them. */
function describe({ functionName, url, lineNumber, columnNumber }) {
  const name = functionName || '(anonymous)';
  if (!url) return { fn: name, file: '(native)', where: '' };
  const entry = sourceMapOf(url)?.findEntry(lineNumber, columnNumber);
  if (entry?.originalSource) {
    const file = shortPath(fileURLToPath(new URL(entry.originalSource, url)));
    return { fn: entry.name && !functionName ? entry.name : name, file, where: `${file}:${entry.originalLine + 1}` };
  }
  const file = url.startsWith('file://') ? shortPath(fileURLToPath(url)) : url;
  return { fn: name, file, where: `${file}:${lineNumber + 1}` };
}

/**
 * Self and total time per function and self time per file, for the samples taken in [fromUs, toUs]
 * (V8 timestamps: CLOCK_MONOTONIC microseconds, the clock of process.hrtime). Idle time is left out;
 * shares are of the busy time. `match` keeps the rows whose text contains it.
 */
export function summarizeProfile(profile, { fromUs = -Infinity, toUs = Infinity, top = 20, match = '' } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = new Map(); // node id → { key, fn, file, where }
  for (const n of profile.nodes) {
    const d = describe(n.callFrame);
    keyOf.set(n.id, { ...d, key: `${d.fn} ${d.where}` });
  }
  const self = new Map();
  const total = new Map();
  const files = new Map();
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  let busyUs = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    const us = profile.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
    const id = profile.samples[i];
    const leaf = keyOf.get(id);
    if (t < fromUs || t > toUs || leaf.fn === '(idle)') continue;
    busyUs += us;
    add(self, leaf.key, us);
    add(files, leaf.file, us);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { key } = keyOf.get(at);
      if (!seen.has(key)) add(total, key, us);
      seen.add(key);
    }
  }
  const rank = (map) =>
    [...map.entries()]
      .filter(([what]) => what.includes(match))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([what, us]) => ({ what, ms: round(us / 1000, 1), share: `${round((100 * us) / busyUs, 1)}%` }));
  return { busyMs: round(busyUs / 1000, 1), selfTop: rank(self), totalTop: rank(total).filter((r) => !r.what.startsWith('(root)')), filesBySelf: rank(files) };
}

export function printSummary(title, summary) {
  const lines = [`== ${title}: ${summary.busyMs} ms busy`, '-- self time'];
  for (const r of summary.selfTop) lines.push(`${r.share.padStart(6)} ${String(r.ms).padStart(8)} ms  ${r.what}`);
  lines.push('-- total (inclusive) time');
  for (const r of summary.totalTop) lines.push(`${r.share.padStart(6)} ${String(r.ms).padStart(8)} ms  ${r.what}`);
  lines.push('-- self time per file');
  for (const r of summary.filesBySelf) lines.push(`${r.share.padStart(6)} ${String(r.ms).padStart(8)} ms  ${r.what}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, match: { type: 'string' } } });
  const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
  const summary = summarizeProfile(profile, { top: Number(values.top ?? 20), fromUs: values.from ? Number(values.from) : undefined, toUs: values.to ? Number(values.to) : undefined, match: values.match });
  printSummary(positionals[0], summary);
}
