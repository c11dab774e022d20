// The event log stores each value once; compaction keeps the latest put of each key at or below
// the compacted revision (current values, previous values of watchable events) and drops the rest.
// Also: files written by the first schema version are migrated on open.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StoreExpiredError } from '../src/index.js';
import { record, summary, tempDir } from './helpers.js';

describe('sqlite history', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir, 'state.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => openStore(`sqlite:${file}`, { compactIntervalMs: 0 });
  const eventRevisions = (): number[] => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare<[], number>('SELECT rev FROM events ORDER BY rev').pluck().all();
    } finally {
      db.close();
    }
  };

  it('keeps only the latest put of each key below the compacted revision, and every prev above it', async () => {
    const store = await open();
    const a1 = await store.create('/h/a', 'a1'); // 1: replaced by 2
    const a2 = await store.update('/h/a', 'a2', a1.modRevision); // 2: kept, the prev of 6
    await store.create('/h/b', 'b1'); // 3: replaced by 4
    await store.delete('/h/b'); // 4: a delete
    await store.create('/h/c', 'c1'); // 5: kept, c's current value
    await store.update('/h/a', 'a3', a2.modRevision); // 6
    const d = await store.create('/h/d', 'd1'); // 7: the last value of 8
    await store.delete('/h/d', d.modRevision); // 8
    await store.compact(5);
    expect(() => store.watch('/h/', { fromRevision: 4 }, () => {})).toThrow(StoreExpiredError);
    const rec = record(store, '/h/', { fromRevision: 5 });
    const events = await rec.waitFor(3);
    expect(summary(events)).toEqual(['put /h/a=a3@6', 'put /h/d=d1@7', 'delete /h/d=d1@8']);
    expect(events[0]!.prev).toEqual({ key: '/h/a', value: 'a2', createRevision: 1, modRevision: 2 });
    expect(events[2]!.kv).toEqual({ key: '/h/d', value: 'd1', createRevision: 7, modRevision: 7 });
    expect((await store.list('/h/')).items.map((kv) => `${kv.key}=${kv.value}`)).toEqual(['/h/a=a3', '/h/c=c1']);
    await store.close();
    expect(eventRevisions()).toEqual([2, 5, 6, 7, 8]);

    // Compacting further drops what the newly compacted events replaced, and the deletes.
    const again = await open();
    await again.compact(8);
    expect((await again.list('/h/')).items.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}`)).toEqual(['/h/a=a3@6', '/h/c=c1@5']);
    await again.close();
    expect(eventRevisions()).toEqual([5, 6]);
  });

  it('finishes at the next open a compaction cut short', async () => {
    const store = await open();
    let kv = await store.create('/h/a', '0');
    for (let i = 1; i < 10; i++) kv = await store.update('/h/a', String(i), kv.modRevision);
    await store.close();
    // As if the process died right after raising the compacted revision to 9.
    const db = new Database(file);
    db.prepare("INSERT INTO meta (name, value) VALUES ('compacted', 9)").run();
    db.close();

    const reopened = await open();
    expect(await reopened.compactedRevision()).toBe(9);
    const rec = record(reopened, '/h/', { fromRevision: 9 });
    expect((await rec.waitFor(1))[0]!.prev).toMatchObject({ value: '8', modRevision: 9 });
    await reopened.close();
    expect(eventRevisions()).toEqual([9, 10]);
  });

  it('migrates a file of the first schema version: values kept, history compacted', async () => {
    const db = new Database(file);
    db.exec(`
      CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL);
      CREATE TABLE events (rev INTEGER PRIMARY KEY, key TEXT NOT NULL, deleted INTEGER NOT NULL, value TEXT NOT NULL,
        create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL, prev_value TEXT, prev_mod_rev INTEGER, ts INTEGER NOT NULL);
      INSERT INTO meta VALUES ('compacted', 1);
      INSERT INTO kv VALUES ('/m/a', 'a2', 1, 3), ('/m/b', 'b1', 2, 2);
      INSERT INTO events VALUES (2, '/m/b', 0, 'b1', 2, 2, NULL, NULL, 100), (3, '/m/a', 0, 'a2', 1, 3, 'a1', 1, 100),
        (4, '/m/c', 0, 'c1', 4, 4, NULL, NULL, 100), (5, '/m/c', 1, 'c1', 4, 4, NULL, NULL, 100);
    `);
    db.close();

    const store = await open();
    expect(await store.currentRevision()).toBe(5);
    expect(await store.compactedRevision()).toBe(5);
    expect((await store.list('/m/')).items).toEqual([
      { key: '/m/a', value: 'a2', createRevision: 1, modRevision: 3 },
      { key: '/m/b', value: 'b1', createRevision: 2, modRevision: 2 },
    ]);
    const rec = record(store, '/m/', { fromRevision: 5 });
    const a = await store.update('/m/a', 'a3', 3);
    expect(a).toEqual({ key: '/m/a', value: 'a3', createRevision: 1, modRevision: 6 });
    expect((await rec.waitFor(1))[0]!.prev).toEqual({ key: '/m/a', value: 'a2', createRevision: 1, modRevision: 3 });
    await store.close();
    // Opening again finds the current version: nothing is migrated twice.
    const again = await open();
    expect((await again.get('/m/a'))?.value).toBe('a3');
    await again.close();
  });
});
