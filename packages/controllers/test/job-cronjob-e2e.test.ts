// Jobs and CronJobs end to end: the real kubectl against `mini-kubed --nodes 3 --runtime sim`
// (sim containers of Job pods exit 0 after a second; an exit-code annotation makes them fail).
import { findResource, type KObject } from '@mini-kube/api';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';
import type { Pod } from 'kubernetes-types/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PODS = findResource('', 'v1', 'pods')!;

const JOB = `apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  completions: 5
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`;

const FAILING = `apiVersion: batch/v1
kind: Job
metadata: {name: broken}
spec:
  backoffLimit: 1
  template:
    metadata:
      annotations: {sim.mini-kube.io/exit-code: "3"}
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`;

const isActive = (p: Pod): boolean => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

describe.skipIf(!hasKubectl())('Jobs and CronJobs on simulated nodes', () => {
  let daemon: Daemon;
  const run = (args: string[], stdin?: string, timeoutMs?: number) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await run(args, stdin, timeoutMs);
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '3', '--runtime', 'sim'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('completes 5 completions with never more than 2 pods at once, and kubectl wait returns', async () => {
    // Watch the Job's pods from the start and keep the highest number active at once.
    const watch = daemon.client.watch<Pod & KObject>(PODS, { namespace: 'default', labelSelector: 'batch.kubernetes.io/job-name=batch' });
    const active = new Map<string, boolean>();
    let maxActive = 0;
    const watching = (async () => {
      for await (const ev of watch) {
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
        active.set(ev.object.metadata.name!, ev.type !== 'DELETED' && isActive(ev.object));
        maxActive = Math.max(maxActive, [...active.values()].filter(Boolean).length);
      }
    })();
    await ok(['apply', '-f', '-'], JOB);
    expect(await ok(['wait', '--for=condition=complete', 'job/batch', '--timeout=60s'], undefined, 70_000)).toContain('job.batch/batch condition met');
    watch.close();
    await watching.catch(() => undefined);
    expect(maxActive).toBe(2);
    expect(await ok(['get', 'job', 'batch', '-o', 'jsonpath={.status.succeeded} {.status.conditions[*].type}'])).toBe('5 SuccessCriteriaMet Complete');
    const pods = (await daemon.client.list<Pod & KObject>(PODS, { namespace: 'default', labelSelector: 'batch.kubernetes.io/job-name=batch' })).items;
    expect(pods.filter((p) => p.status?.phase === 'Succeeded')).toHaveLength(5);
    expect(pods.every((p) => !p.metadata.finalizers?.length)).toBe(true);
    expect(await ok(['get', 'jobs'])).toMatch(/^batch\s+Complete\s+5\/5\s+/m);
  }, 90_000);

  it('stops a failing job at its backoffLimit with reason BackoffLimitExceeded', async () => {
    await ok(['apply', '-f', '-'], FAILING);
    const res = await ok(['wait', '--for=condition=failed', 'job/broken', '--timeout=60s'], undefined, 70_000);
    expect(res).toContain('condition met');
    expect(await ok(['get', 'job', 'broken', '-o', 'jsonpath={.status.failed} {.status.conditions[?(@.type=="Failed")].reason}'])).toBe('2 BackoffLimitExceeded');
    expect(await ok(['describe', 'job', 'broken'])).toContain('BackoffLimitExceeded');
  }, 90_000);

  it('creates a Job from a CronJob with kubectl create job --from, and suspends the CronJob', async () => {
    await ok(['create', 'cronjob', 'nightly', '--image=busybox', '--schedule=0 3 * * *']);
    expect(await ok(['create', 'job', 'manual', '--from=cronjob/nightly'])).toContain('job.batch/manual created');
    const manual = JSON.parse(await ok(['get', 'job', 'manual', '-o', 'json']));
    expect(manual.metadata.annotations['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(manual.metadata.ownerReferences[0]).toMatchObject({ kind: 'CronJob', name: 'nightly' });
    await ok(['wait', '--for=condition=complete', 'job/manual', '--timeout=60s'], undefined, 70_000);

    await ok(['patch', 'cronjob', 'nightly', '-p', '{"spec":{"suspend":true}}']);
    await waitFor(async () => /^nightly\s+0 3 \* \* \*\s+\S+\s+True\s+/m.test(await ok(['get', 'cronjob', 'nightly'])), { message: 'SUSPEND True in kubectl get' });
  }, 90_000);
});
