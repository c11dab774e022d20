// WAL checkpoints from a worker (checkpointer.ts): the worker copies committed pages into the database
// file while the writing connection leaves that alone; a file store starts one once it has written
// enough, and what it wrote is all there after a reopen.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { Checkpointer } from '../src/checkpointer.js';
import { openStore } from '../src/index.js';
import { tempDir } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const fileIn = (name: string): string => {
  const dir = tempDir();
  dirs.push(dir);
  return join(dir, name);
};
const VALUE = 'x'.repeat(2000);

it('copies the WAL into the database file from its worker; the writer no longer checkpoints below the backstop', async () => {
  const file = fileIn('wal.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const checkpointer = Checkpointer.start(db)!;
  expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  for (let i = 0; i < 3000; i++) insert.run(VALUE); // ≈ 6 MB of WAL: past SQLite's 1,000 pages, under the backstop
  const before = statSync(file).size;
  expect(before).toBeLessThan(100_000); // nothing checkpointed by the writer
  checkpointer.request();
  for (const deadline = Date.now() + 10_000; statSync(file).size <= 5_000_000 && Date.now() < deadline; ) await sleep(20);
  expect(statSync(file).size).toBeGreaterThan(5_000_000);
  await checkpointer.close();
  expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 3000 });
  db.close();
});

it('a file store checkpoints in the background once it has written enough, and keeps every write across a reopen', async () => {
  const spec = `sqlite:${fileIn('state.db')}`;
  const store = await openStore(spec, { compactIntervalMs: 0 });
  await Promise.all(Array.from({ length: 1200 }, (_, i) => store.create(`/k/${String(i).padStart(4, '0')}`, VALUE)));
  await store.close(); // ends the worker too: the test would hang on it otherwise
  const reopened = await openStore(spec, { compactIntervalMs: 0 });
  try {
    const { items } = await reopened.list('/k/');
    expect(items.length).toBe(1200);
    expect(items.every((kv) => kv.value === VALUE)).toBe(true);
  } finally {
    await reopened.close();
  }
});
