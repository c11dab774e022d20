// State survives a clean restart and a crash; a second daemon on the same data dir refuses.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '@mini-kube/client';
import { REPO_ROOT, hasKubectl, kubectl, makeTempDir, startDaemon, waitFor } from '@mini-kube/testing';
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

/** Live processes as [pid, ppid, argv], from /proc. */
function processes(): { pid: number; ppid: number; argv: string[] }[] {
  const found: { pid: number; ppid: number; argv: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').slice(0, -1);
      found.push({ pid: Number(entry), ppid: Number(fields[1]), argv });
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

const PODS = 5;
const marker = (i: number): string => String(3630 + i); // pod i runs `sleep 363i`
const pidsOf = (i: number): number[] =>
  processes()
    .filter((p) => p.argv.length === 2 && p.argv[0] === 'sleep' && p.argv[1] === marker(i))
    .map((p) => p.pid);
const podManifest = (i: number): string => `apiVersion: v1
kind: Pod
metadata: { name: sleeper-${i} }
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - { name: main, image: busybox, command: [sleep, '${marker(i)}'] }
`;

describe.skipIf(!hasKubectl())('process pods across a SIGKILL of the daemon and its watchdog', () => {
  afterAll(() => {
    for (let i = 0; i < PODS; i++) for (const pid of pidsOf(i)) process.kill(pid, 'SIGKILL');
  });

  it('kills the leftovers on the next start: each pod runs exactly one process, and is Running again', async () => {
    const args = ['--nodes', '2', '--runtime', 'process'];
    const first = await startDaemon({ args });
    const k = async (daemon: typeof first, argv: string[], stdin?: string): Promise<string> => {
      const r = await kubectl(argv, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs: 60_000 });
      if (r.code !== 0) throw new Error(`kubectl ${argv.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const all = Array.from({ length: PODS }, (_, i) => i);
    const names = all.map((i) => `pod/sleeper-${i}`);
    await k(first, ['apply', '-f', '-'], all.map(podManifest).join('---\n'));
    await k(first, ['wait', '--for=condition=Ready', ...names, '--timeout=60s']);
    const before = all.map((i) => pidsOf(i));
    expect(before.map((p) => p.length)).toEqual(all.map(() => 1));

    // The watchdogs (one per node with pods) go first, so that nothing kills the containers.
    const watchdogs = processes().filter((p) => p.ppid === first.pid && p.argv.join(' ').includes("trap '' INT TERM HUP QUIT"));
    expect(watchdogs.length).toBeGreaterThanOrEqual(1);
    for (const w of watchdogs) process.kill(w.pid, 'SIGKILL');
    await first.kill();
    expect(all.map((i) => pidsOf(i))).toEqual(before); // orphaned, still running

    const second = await startDaemon({ dataDir: first.dataDir, args });
    try {
      await waitFor(() => all.every((i) => pidsOf(i).length === 1 && pidsOf(i)[0] !== before[i]![0]), {
        timeoutMs: 60_000,
        message: 'each pod restarted in a new process',
      });
      await k(second, ['wait', '--for=condition=Ready', ...names, '--timeout=60s']);
      const phases = await k(second, ['get', 'pods', '-o', 'jsonpath={.items[*].status.phase}']);
      expect(phases.split(' ')).toEqual(all.map(() => 'Running'));
      expect(all.map((i) => pidsOf(i).length)).toEqual(all.map(() => 1));
      expect(before.flat().filter((pid) => processes().some((p) => p.pid === pid && p.argv[0] === 'sleep'))).toEqual([]);
    } finally {
      await second.stop();
    }
    expect(all.flatMap((i) => pidsOf(i))).toEqual([]);
  }, 180_000);
});
