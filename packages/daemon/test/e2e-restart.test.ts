// State survives a clean restart and a crash; a second daemon on the same data dir refuses.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '@mini-kube/client';
import { REPO_ROOT, makeTempDir, startDaemon } from '@mini-kube/testing';
import { findResource, type KObject } from '@mini-kube/api';

const configmaps = findResource('', 'v1', 'configmaps')!;

describe('restart and crash', () => {
  it('keeps objects, uids and resourceVersions across SIGTERM, and resumes a watch', async () => {
    const dataDir = makeTempDir('restart-');
    const first = await startDaemon({ dataDir });
    const made: KObject[] = [];
    for (let i = 0; i < 5; i++) {
      made.push(await first.client.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { i: String(i) } }, { namespace: 'default' }));
    }
    const lastSeen = made.at(-1)!.metadata.resourceVersion!;
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await startDaemon({ dataDir });
    try {
      const { items } = await second.client.list(configmaps, { namespace: 'default' });
      for (const before of made) {
        const after = items.find((o) => o.metadata.name === before.metadata.name);
        expect(after?.metadata.uid).toBe(before.metadata.uid);
        expect(after?.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      }
      // Changes made after the last resourceVersion the old watch saw arrive on a resumed watch.
      await second.client.patch(configmaps, 'cm-0', { data: { i: 'changed' } }, { namespace: 'default', type: 'merge' });
      const abort = new AbortController();
      const events: string[] = [];
      for await (const ev of second.client.watch(configmaps, { namespace: 'default', resourceVersion: lastSeen, signal: abort.signal })) {
        events.push(`${ev.type} ${ev.object.metadata.name}`);
        abort.abort();
      }
      expect(events).toEqual(['MODIFIED cm-0']);
    } finally {
      await second.stop();
    }
  });

  it('refuses a second daemon on the same data dir', async () => {
    const daemon = await startDaemon();
    try {
      const res = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/mini-kubed'), '--data-dir', daemon.dataDir, '--listen', '127.0.0.1:0'], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`another mini-kubed (pid ${daemon.pid}) is already using the data dir`);
    } finally {
      await daemon.stop();
    }
  });

  it('loses no acknowledged write when killed with SIGKILL', async () => {
    const dataDir = makeTempDir('crash-');
    const daemon = await startDaemon({ dataDir });
    const client = new ApiClient({ server: daemon.url });
    const acknowledged: string[] = [];
    let stop = false;
    // Eight writers in parallel, each remembering what the server confirmed.
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `w${w}-${i}`;
        try {
          await client.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { w: String(w) } }, { namespace: 'default' });
          acknowledged.push(name);
        } catch {
          return; // the daemon is gone
        }
      }
    });
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 10));
    await daemon.kill();
    stop = true;
    await Promise.all(writers);
    await client.close();

    const restarted = await startDaemon({ dataDir });
    try {
      const { items } = await restarted.client.list(configmaps, { namespace: 'default' });
      const present = new Set(items.map((o) => o.metadata.name));
      const lost = acknowledged.filter((n) => !present.has(n));
      expect(acknowledged.length).toBeGreaterThanOrEqual(300);
      expect(lost).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });
});
