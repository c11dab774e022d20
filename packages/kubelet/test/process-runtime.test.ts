// The process runtime under a real kubelet and API server: real processes, logs through pods/log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '@mini-kube/api';
import { waitFor } from '@mini-kube/testing';
import type { Pod } from 'kubernetes-types/core/v1';
import { ProcessRuntime, type Kubelet } from '../src/index.js';
import { PODS, getPod, startApi, testKubelet, type TestApi } from './harness.js';

let api: TestApi;
let kubelet: Kubelet;
let abort: AbortController;
let dataDir: string;
// A loopback block of this file's own (see packages/testing loopbackRanges for daemons).
const NODE_IP = '127.91.0.1';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'process-rt-'));
  api = await startApi();
  const runtime = new ProcessRuntime({ dataDir, client: api.client, nodeName: 'node-1', closeGraceMs: 1000 });
  ({ kubelet, abort } = await testKubelet(api.client, { runtime, address: NODE_IP, podCIDR: '127.91.1.0/24' }));
});

afterAll(async () => {
  await kubelet?.stop();
  abort?.abort();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Processes whose command line contains `token` (this test's markers). */
const processesWith = (token: string): string[] =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(token) && !l.includes('ps -eo'));

function podObject(name: string, containers: NonNullable<Pod['spec']>['containers'], spec: Partial<NonNullable<Pod['spec']>> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', containers, ...spec } };
}

async function deleteAndWait(name: string, gracePeriodSeconds?: number): Promise<void> {
  await api.client.delete(PODS, name, { namespace: 'default', ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) });
  await waitFor(async () => {
    try {
      await getPod(api.client, name);
      return false;
    } catch {
      return true;
    }
  }, { timeoutMs: 15_000 });
}

const state = (pod: Pod, i = 0) => pod.status?.containerStatuses?.[i]?.state;

describe('ProcessRuntime', () => {
  it('runs a busybox shell command and serves its log, tail and timestamps included', async () => {
    await api.client.create(PODS, podObject('hello', [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo hello; echo "ip=$POD_IP"; exec sleep 3601'] }]));
    const pod = await waitFor(async () => {
      const p = await getPod(api.client, 'hello');
      return p.status?.phase === 'Running' ? p : undefined;
    }, { timeoutMs: 15_000 });
    expect(pod.status?.containerStatuses?.[0]?.containerID).toMatch(/^process:\/\/[0-9a-f]{64}$/);
    await waitFor(async () => (await api.client.getLog(PODS, 'hello', { namespace: 'default' })).includes('ip='), { timeoutMs: 5000 });
    expect(await api.client.getLog(PODS, 'hello', { namespace: 'default' })).toBe(`hello\nip=${pod.status?.podIP}\n`);
    expect(await api.client.getLog(PODS, 'hello', { namespace: 'default', tailLines: 1 })).toBe(`ip=${pod.status?.podIP}\n`);
    expect(await api.client.getLog(PODS, 'hello', { namespace: 'default', timestamps: true })).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z hello\n/);
    await expect(api.client.getLog(PODS, 'hello', { namespace: 'default', previous: true })).rejects.toThrow(/previous terminated container "main" in pod "hello" not found/);
    expect(processesWith('sleep 3601')).toHaveLength(1);
    await deleteAndWait('hello', 1);
    expect(processesWith('sleep 3601')).toEqual([]);
  });

  it('reports exit codes, reasons and the termination message', async () => {
    await api.client.create(
      PODS,
      podObject('exit3', [{ name: 'main', image: 'alpine', command: ['sh', '-c', 'echo bye > /dev/termination-log; exit 3'] }], { restartPolicy: 'Never' }),
    );
    const pod = await waitFor(async () => {
      const p = await getPod(api.client, 'exit3');
      return p.status?.phase === 'Failed' ? p : undefined;
    }, { timeoutMs: 15_000 });
    expect(state(pod)?.terminated).toMatchObject({ exitCode: 3, reason: 'Error', message: 'bye\n' });
    // A finished pod keeps its log until deleted.
    expect(await api.client.getLog(PODS, 'exit3', { namespace: 'default' })).toBe('');
    await deleteAndWait('exit3');
  });

  it('falls back to the log tail for the message of a failed container', async () => {
    await api.client.create(
      PODS,
      podObject('fallback', [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo something broke >&2; exit 1'], terminationMessagePolicy: 'FallbackToLogsOnError' }], { restartPolicy: 'Never' }),
    );
    const pod = await waitFor(async () => {
      const p = await getPod(api.client, 'fallback');
      return p.status?.phase === 'Failed' ? p : undefined;
    }, { timeoutMs: 15_000 });
    expect(state(pod)?.terminated).toMatchObject({ exitCode: 1, reason: 'Error', message: 'something broke' });
    await deleteAndWait('fallback');
  });

  it('stops gracefully: preStop, then SIGTERM that a trap handles', async () => {
    const marker = join(dataDir, 'trapped');
    const hook = join(dataDir, 'prestop');
    await api.client.create(
      PODS,
      podObject('graceful', [
        {
          name: 'main',
          image: 'busybox',
          command: ['sh', '-c', `trap 'echo term > ${marker}; exit 0' TERM; while true; do sleep 0.1; done # graceful-3602`],
          lifecycle: { preStop: { exec: { command: ['sh', '-c', `echo pre > ${hook}`] } } },
        },
      ]),
    );
    await waitFor(async () => (await getPod(api.client, 'graceful')).status?.phase === 'Running', { timeoutMs: 15_000 });
    await deleteAndWait('graceful', 10);
    expect(readFileSync(hook, 'utf8')).toBe('pre\n');
    expect(readFileSync(marker, 'utf8')).toBe('term\n');
    expect(processesWith('graceful-3602')).toEqual([]);
  });

  it('kills a container that ignores SIGTERM once the grace period is over', async () => {
    await api.client.create(PODS, podObject('stubborn', [{ name: 'main', image: 'busybox', command: ['sh', '-c', "trap '' TERM; while true; do sleep 0.1; done # stubborn-3603"] }]));
    await waitFor(async () => (await getPod(api.client, 'stubborn')).status?.phase === 'Running', { timeoutMs: 15_000 });
    const started = Date.now();
    await deleteAndWait('stubborn', 2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(processesWith('stubborn-3603')).toEqual([]);
  });

  it('serves the nginx welcome page and an http-echo text on the pod IP', async () => {
    await api.client.create(
      PODS,
      podObject('web', [
        { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8081 }] },
        { name: 'echo', image: 'hashicorp/http-echo', args: ['-text=hi there', '-listen=:5678'] },
      ]),
    );
    const pod = await waitFor(async () => {
      const p = await getPod(api.client, 'web');
      return p.status?.phase === 'Running' ? p : undefined;
    }, { timeoutMs: 15_000 });
    const ip = pod.status!.podIP!;
    const page = await waitFor(async () => fetch(`http://${ip}:8081/`).then((r) => r.text()).catch(() => undefined), { timeoutMs: 10_000 });
    expect(page).toContain('Welcome to nginx!');
    expect(await waitFor(async () => fetch(`http://${ip}:5678/`).then((r) => r.text()).catch(() => undefined), { timeoutMs: 10_000 })).toBe('hi there\n');
    const access = await api.client.getLog(PODS, 'web', { namespace: 'default', container: 'nginx' });
    expect(access).toMatch(/^127\.\S+ - - \[.+\] "GET \/ HTTP\/1\.1" 200 \d+ "-" "\S+"\n/);
    await deleteAndWait('web', 5);
  });

  it('waits in ErrImagePull / ImagePullBackOff for an unknown image, and runs a user image from images.yaml', async () => {
    await api.client.create(PODS, podObject('unknown', [{ name: 'main', image: 'example.com/nothing:v9' }]));
    const reasons = new Set<string>();
    await waitFor(async () => {
      const waiting = state(await getPod(api.client, 'unknown'))?.waiting;
      if (waiting?.reason) reasons.add(waiting.reason);
      return reasons.has('ImagePullBackOff') ? waiting : undefined;
    }, { timeoutMs: 10_000, intervalMs: 50 });
    expect(state(await getPod(api.client, 'unknown'))?.waiting?.message).toMatch(/images\.yaml/);
    writeFileSync(join(dataDir, 'images.yaml'), `nothing:v9:\n  command: [sh, -c, 'echo "user image in $(pwd)"; exec sleep 3604']\n  workingDir: ${dataDir}\n`);
    await waitFor(async () => (await getPod(api.client, 'unknown')).status?.phase === 'Running', { timeoutMs: 15_000 });
    await waitFor(async () => (await api.client.getLog(PODS, 'unknown', { namespace: 'default' })) === `user image in ${dataDir}\n`, { timeoutMs: 5000 });
    const uid = (await getPod(api.client, 'unknown')).metadata.uid!;
    expect(existsSync(join(dataDir, 'pods', uid, 'logs'))).toBe(true);
    await deleteAndWait('unknown', 1);
    expect(processesWith('sleep 3604')).toEqual([]);
    await waitFor(() => !existsSync(join(dataDir, 'pods', uid)), { timeoutMs: 5000 });
  });
});

describe('ProcessRuntime without a mount namespace', () => {
  it('shows mounts and the termination file under MINI_KUBE_ROOT, and reports a missing program as StartError', async () => {
    const runtime = new ProcessRuntime({ dataDir, client: api.client, nodeName: 'node-1', useNamespace: false, closeGraceMs: 500 });
    const pod: Pod = {
      metadata: { name: 'plain', namespace: 'default', uid: 'uid-plain' },
      spec: { volumes: [{ name: 'scratch', emptyDir: {} }], containers: [] },
    };
    const exited = (name: string) =>
      new Promise<void>((resolve) => {
        const off = runtime.onChange(() => {
          if (runtime.containers('uid-plain').some((c) => c.name === name && c.state === 'exited')) {
            off();
            resolve();
          }
        });
      });
    await runtime.startSandbox(pod, { podIP: '127.91.1.250', hostIP: NODE_IP });
    const done = exited('writer');
    await runtime.startContainer(
      pod,
      { name: 'writer', image: 'busybox', volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }], command: ['sh', '-c', 'echo data > "$MINI_KUBE_ROOT/scratch/f"; echo msg > "$MINI_KUBE_ROOT/dev/termination-log"'] },
      { attempt: 0, init: false },
    );
    await done;
    expect(runtime.containers('uid-plain')[0]).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed', message: 'msg\n' });
    expect(readFileSync(join(dataDir, 'pods', 'uid-plain', 'volumes', 'scratch', 'f'), 'utf8')).toBe('data\n');

    const failed = exited('missing');
    await runtime.startContainer(pod, { name: 'missing', image: 'busybox', command: ['no-such-program-here'] }, { attempt: 0, init: false });
    await failed;
    expect(runtime.containers('uid-plain').find((c) => c.name === 'missing')).toMatchObject({ exitCode: 128, reason: 'StartError' });
    await runtime.removeSandbox('uid-plain'); // first: the logs stay
    expect(existsSync(join(dataDir, 'pods', 'uid-plain', 'logs'))).toBe(true);
    expect(existsSync(join(dataDir, 'pods', 'uid-plain', 'volumes'))).toBe(false);
    await runtime.removeSandbox('uid-plain'); // then: everything goes
    expect(existsSync(join(dataDir, 'pods', 'uid-plain'))).toBe(false);
    await runtime.close();
  });
});
