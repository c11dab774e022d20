// Every acknowledged write survives SIGKILL: a child process writes and reports each key it got
// back from the store; the test kills it mid-stream and checks the file has every reported key.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoNodeModules = resolve(here, '../../../node_modules');
const dir = tempDir();
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('keeps every acknowledged write when the writer is killed', async () => {
  const bundle = join(dir, 'crash-writer.cjs');
  // CommonJS so that NODE_PATH lets the bundle find the native better-sqlite3 in the repo.
  buildSync({
    entryPoints: [join(here, 'fixtures/crash-writer.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['better-sqlite3'],
    logLevel: 'error',
  });
  const file = join(dir, 'state.db');
  const child = spawn(process.execPath, [bundle, file], {
    env: { ...process.env, NODE_PATH: repoNodeModules },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));

  const acknowledged = new Map<string, number>();
  for await (const line of createInterface({ input: child.stdout })) {
    const [key, revision] = line.split(' ');
    acknowledged.set(key!, Number(revision));
    // Kill mid-stream; lines already in the pipe are read on, as they were acknowledged too.
    if (acknowledged.size === 3000) child.kill('SIGKILL');
  }
  expect(stderr).toBe('');
  expect(await exited).toBe('SIGKILL');
  expect(acknowledged.size).toBeGreaterThanOrEqual(3000);

  const store = await openStore(`sqlite:${file}`, { compactIntervalMs: 0 });
  try {
    const stored = new Map((await store.list('/crash/')).items.map((kv) => [kv.key, kv.modRevision]));
    const missing = [...acknowledged].filter(([key, revision]) => stored.get(key) !== revision);
    expect(missing).toEqual([]);
    // The revision counter continues past the last acknowledged write.
    const last = Math.max(...acknowledged.values());
    expect((await store.create('/after', 'x')).modRevision).toBeGreaterThan(last);
  } finally {
    await store.close();
  }
});
