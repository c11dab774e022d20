// The sqlite backend across a close and reopen of the same file.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StoreExpiredError } from '../src/index.js';
import { record, summary, tempDir } from './helpers.js';

describe('sqlite persistence', () => {
  let dir: string;
  let spec: string;
  beforeEach(() => {
    dir = tempDir();
    spec = `sqlite:${join(dir, 'nested', 'state.db')}`; // the parent folder is created on open
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps values, continues revisions and resumes watches after a reopen', async () => {
    const first = await openStore(spec, { compactIntervalMs: 0 });
    await first.create('/k/a', 'a1');
    const b = await first.create('/k/b', 'b1');
    await first.update('/k/b', 'b2', b.modRevision);
    await first.create('/k/c', 'c1');
    await first.delete('/k/c');
    const lastBeforeClose = await first.currentRevision();
    await first.compact(1);
    await first.close();

    const second = await openStore(spec, { compactIntervalMs: 0 });
    try {
      expect(await second.currentRevision()).toBe(lastBeforeClose);
      expect(await second.compactedRevision()).toBe(1);
      expect((await second.list('/k/')).items.map((kv) => `${kv.key}=${kv.value}`)).toEqual(['/k/a=a1', '/k/b=b2']);
      // A watch from before the close replays the history kept on disk, then goes live.
      const rec = record(second, '/k/', { fromRevision: 2 });
      const next = await second.create('/k/d', 'd1');
      expect(next.modRevision).toBe(lastBeforeClose + 1);
      expect(summary(await rec.waitFor(4))).toEqual(['put /k/b=b2@3', 'put /k/c=c1@4', 'delete /k/c=c1@5', 'put /k/d=d1@6']);
      expect(() => second.watch('/k/', { fromRevision: 0 }, () => {})).toThrow(StoreExpiredError);
    } finally {
      await second.close();
    }
  });

  it('keeps the revision when compaction dropped every event', async () => {
    const first = await openStore(spec, { compactIntervalMs: 0 });
    await first.create('/k/a', 'a1');
    await first.delete('/k/a');
    await first.compact(2);
    await first.close();
    const second = await openStore(spec, { compactIntervalMs: 0 });
    try {
      expect(await second.currentRevision()).toBe(2);
      expect((await second.create('/k/a', 'again')).createRevision).toBe(3);
    } finally {
      await second.close();
    }
  });

  it('refuses unknown specs and names etcd as not yet supported', async () => {
    await expect(openStore('etcd://127.0.0.1:2379')).rejects.toThrow('the etcd store is not yet supported; use --store sqlite or memory');
    await expect(openStore('postgres://x')).rejects.toThrow(/unknown store/);
    await expect(openStore('sqlite:')).rejects.toThrow(/needs a file/);
  });
});
