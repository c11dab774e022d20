// Restart safety: containers left running by a daemon killed together with its watchdog are found by
// the pid files in their sandboxes and killed — and a recycled pid is never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '@mini-kube/api';
import { waitFor } from '@mini-kube/testing';
import type { Pod } from 'kubernetes-types/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killLeftovers, parseStartTime, pidFile, pidFilesOf, processStart, writePidFile } from '../src/process/leftovers.js';
import { ProcessRuntime } from '../src/index.js';
import { startApi, type TestApi } from './harness.js';

const alive = (pid: number): boolean => processStart(pid) !== undefined;
const started: ChildProcess[] = [];

/** A detached `sleep`, leader of its own group, as a container is. */
function detachedSleep(): number {
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
  child.unref();
  started.push(child);
  return child.pid!;
}

afterAll(() => {
  for (const c of started) if (c.pid && alive(c.pid)) process.kill(-c.pid, 'SIGKILL');
});

describe('pid records', () => {
  it.each([
    ['1234 (sleep) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 98765 2000000 200 18446744073709551615', { state: 'S', start: 98765 }],
    ['77 (a (weird) name) Z 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0 0', { state: 'Z', start: 4242 }],
    ['garbage', undefined],
  ])('parses the state and start time of %s', (line, expected) => expect(parseStartTime(line)).toEqual(expected));

  it('reads the start time of a live process, and none for a gone one', () => {
    expect(processStart(process.pid)).toBeGreaterThan(0);
    expect(processStart(2 ** 22 + 17)).toBeUndefined();
  });
});

describe('killLeftovers', () => {
  it('kills the groups of this node’s recorded processes, spares a recycled pid and other nodes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leftovers-'));
    const leftover = detachedSleep();
    const otherNode = detachedSleep();
    await waitFor(() => alive(leftover) && alive(otherNode));
    const sandbox = (uid: string): string => join(dataDir, 'pods', uid);
    writePidFile(pidFile(sandbox('a'), 'main', 0), { node: 'node-1', pid: leftover, start: processStart(leftover)!, id: 'c1' });
    // This test's own pid, recorded with another start time: the pid was recycled, it is not ours.
    writePidFile(pidFile(sandbox('b'), 'main', 2), { node: 'node-1', pid: process.pid, start: processStart(process.pid)! - 1, id: 'c2' });
    writePidFile(pidFile(sandbox('c'), 'main', 0), { node: 'node-2', pid: otherNode, start: processStart(otherNode)!, id: 'c3' });
    mkdirSync(join(sandbox('d'), 'pids'), { recursive: true });
    writeFileSync(join(sandbox('d'), 'pids', 'main-0'), '{"node":"no'); // cut short by the crash

    const removedCgroups: string[] = [];
    const killed = await killLeftovers(dataDir, 'node-1', { onGone: (r) => void removedCgroups.push(r.id) });

    expect(killed.map((r) => r.pid)).toEqual([leftover]);
    expect(removedCgroups.sort()).toEqual(['c1', 'c2']); // the cgroups named by our ids are ours either way
    expect(alive(leftover)).toBe(false);
    expect(alive(otherNode)).toBe(true);
    expect(pidFilesOf(dataDir, 'node-1')).toEqual([]);
    expect(pidFilesOf(dataDir, 'node-2').map((f) => f.record?.pid)).toEqual([otherNode]);
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('ProcessRuntime pid files', () => {
  let api: TestApi;
  let dataDir: string;
  beforeAll(async () => {
    api = await startApi();
    dataDir = mkdtempSync(join(tmpdir(), 'leftovers-rt-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records a running container, and a later runtime of the node kills it; a clean exit removes the file', async () => {
    const pod = { metadata: { name: 'p', namespace: 'default', uid: 'uid-1' }, spec: { containers: [] } } as unknown as Pod & KObject;
    const first = new ProcessRuntime({ dataDir, client: api.client, nodeName: 'node-1', useNamespace: false });
    await first.startSandbox(pod, { podIP: '127.0.0.1', hostIP: '127.0.0.1' });
    const long = await first.startContainer(pod, { name: 'long', image: 'busybox', command: ['sh', '-c', 'sleep 3613 & wait'] }, { attempt: 0, init: false });
    const short = await first.startContainer(pod, { name: 'short', image: 'busybox', command: ['true'] }, { attempt: 0, init: false });
    const pids = join(dataDir, 'pods', 'uid-1', 'pids');
    await waitFor(() => first.containers('uid-1').find((c) => c.id === short.id)?.state === 'exited');
    expect(readdirSync(pids)).toEqual(['long-0']);
    const [record] = pidFilesOf(dataDir, 'node-1');
    expect(alive(record!.record!.pid)).toBe(true);

    // As if the daemon and its watchdog were killed: a new runtime of the same node starts.
    const second = new ProcessRuntime({ dataDir, client: api.client, nodeName: 'node-1', useNamespace: false });
    expect(await second.cleanupLeftovers()).toBe(1);
    await waitFor(() => first.containers('uid-1').find((c) => c.id === long.id)?.state === 'exited');
    expect(alive(record!.record!.pid)).toBe(false);
    expect(existsSync(join(pids, 'long-0'))).toBe(false);
    expect(await second.cleanupLeftovers()).toBe(0);
    await first.close();
    await second.close();
  });
});
