// Jobs and CronJobs end to end: the real kubectl against `mini-kubed --nodes 2 --runtime process`,
// so every Job pod is a real `sh` process. The tests run concurrently: the CronJob test waits for
// two real minute boundaries, and the Job tests (including the failing Job's 10 s + 20 s pod
// failure back-off) fit inside that time.
import { findResource, type KObject } from '@mini-kube/api';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PODS = findResource('', 'v1', 'pods')!;
const JOBS = findResource('batch', 'v1', 'jobs')!;
const EVENTS = findResource('', 'v1', 'events')!;
type PodObject = Pod & KObject;
type JobObject = Job & KObject;

const INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

const job = (name: string, extra: string, command: string): string => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${extra}
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: busybox, command: [sh, -c, '${command}']}]
`;

const cronJob = (name: string, policy: string, command: string): string => `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}}
spec:
  schedule: '*/1 * * * *'
  concurrencyPolicy: ${policy}
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        metadata: {labels: {cron: ${name}}}
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 1
          containers: [{name: c, image: busybox, command: [sh, -c, '${command}']}]
`;

const isActive = (p: Pod): boolean => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const ownerName = (o: KObject): string | undefined => o.metadata.ownerReferences?.find((r) => r.controller)?.name;

describe.skipIf(!hasKubectl())('Jobs and CronJobs on process nodes', () => {
  let daemon: Daemon;
  // Watches a failed test left open: closed before the daemon stops (an open one holds the client).
  const openWatches = new Set<{ close(): void }>();
  const run = (args: string[], stdin?: string, timeoutMs?: number) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await run(args, stdin, timeoutMs);
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };
  const jobPods = async (name: string): Promise<PodObject[]> =>
    (await daemon.client.list<PodObject>(PODS, { namespace: 'default', labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;

  /** Watches a Job's pods from before it exists; `stop()` returns the most ever active at once. */
  const watchActive = (name: string): { stop(): Promise<number> } => {
    const watch = daemon.client.watch<PodObject>(PODS, { namespace: 'default', labelSelector: `batch.kubernetes.io/job-name=${name}` });
    openWatches.add(watch);
    const active = new Map<string, boolean>();
    let most = 0;
    const watching = (async () => {
      for await (const ev of watch) {
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
        active.set(ev.object.metadata.name!, ev.type !== 'DELETED' && isActive(ev.object));
        most = Math.max(most, [...active.values()].filter(Boolean).length);
      }
    })();
    return {
      stop: async () => {
        watch.close();
        openWatches.delete(watch);
        await watching.catch(() => undefined);
        return most;
      },
    };
  };

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '2', '--runtime', 'process'] });
  });
  afterAll(async () => {
    for (const watch of openWatches) watch.close();
    await daemon?.stop();
  });

  it.concurrent('runs an Indexed Job of 5 completions 2 at a time, each pod printing its own index', async () => {
    const watch = watchActive('indexed');
    const extra = '  completionMode: Indexed\n  completions: 5\n  parallelism: 2';
    await ok(['apply', '-f', '-'], job('indexed', extra, 'echo $JOB_COMPLETION_INDEX; sleep 1'));
    expect(await ok(['wait', '--for=condition=complete', 'job/indexed', '--timeout=120s'], undefined, 130_000)).toContain('job.batch/indexed condition met');
    expect(await watch.stop()).toBe(2);

    const pods = await jobPods('indexed');
    expect(pods.map((p) => p.status?.phase)).toEqual(Array(5).fill('Succeeded'));
    const logs = new Map<string, string>();
    for (const pod of pods) {
      const index = pod.metadata.annotations?.[INDEX_ANNOTATION];
      expect(pod.metadata.name).toMatch(new RegExp(`^indexed-${index}-[a-z0-9]{5}$`));
      expect(pod.spec?.hostname).toBe(`indexed-${index}`);
      expect(pod.spec?.containers[0]!.env).toContainEqual({
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${INDEX_ANNOTATION}']` } },
      });
      logs.set(index!, await ok(['logs', pod.metadata.name!]));
    }
    expect([...logs.keys()].sort()).toEqual(['0', '1', '2', '3', '4']);
    for (const [index, log] of logs) expect(log).toBe(`${index}\n`);
    expect(await ok(['get', 'job', 'indexed', '-o', 'jsonpath={.status.succeeded} {.status.completedIndexes}'])).toBe('5 0-4');
    expect(await ok(['describe', 'job', 'indexed'])).toMatch(/^Completed Indexes:\s+0-4$/m);
  }, 150_000);

  it.concurrent('runs a NonIndexed Job of 5 completions never more than 2 at once', async () => {
    const watch = watchActive('plain');
    await ok(['apply', '-f', '-'], job('plain', '  completions: 5\n  parallelism: 2', 'sleep 1'));
    await ok(['wait', '--for=condition=complete', 'job/plain', '--timeout=120s'], undefined, 130_000);
    expect(await watch.stop()).toBe(2);
    expect((await jobPods('plain')).map((p) => p.status?.phase)).toEqual(Array(5).fill('Succeeded'));
    expect(await ok(['get', 'job', 'plain', '-o', 'jsonpath={.status.succeeded} {.status.conditions[?(@.type=="Complete")].status}'])).toBe('5 True');
  }, 150_000);

  it.concurrent('stops a failing Job after backoffLimit + 1 pods with reason BackoffLimitExceeded', async () => {
    await ok(['apply', '-f', '-'], job('failing', '  backoffLimit: 2', 'exit 1'));
    expect(await ok(['wait', '--for=condition=failed', 'job/failing', '--timeout=120s'], undefined, 130_000)).toContain('job.batch/failing condition met');
    expect(await ok(['get', 'job', 'failing', '-o', 'jsonpath={.status.failed} {.status.conditions[?(@.type=="Failed")].reason}'])).toBe('3 BackoffLimitExceeded');
    const pods = await jobPods('failing');
    expect(pods.map((p) => p.status?.phase)).toEqual(Array(3).fill('Failed'));
    expect(pods.map((p) => p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode)).toEqual([1, 1, 1]);
    // Each replacement waited out the back-off (10 s, then 20 s) after the previous failure
    // (timestamps have whole seconds, hence the second of slack).
    const byAge = pods.sort((x, y) => Date.parse(x.metadata.creationTimestamp!) - Date.parse(y.metadata.creationTimestamp!));
    const finishedAt = (p: PodObject): number => Date.parse(p.status!.containerStatuses![0]!.state!.terminated!.finishedAt!);
    expect(Date.parse(byAge[1]!.metadata.creationTimestamp!) - finishedAt(byAge[0]!)).toBeGreaterThanOrEqual(9_000);
    expect(Date.parse(byAge[2]!.metadata.creationTimestamp!) - finishedAt(byAge[1]!)).toBeGreaterThanOrEqual(19_000);
  }, 150_000);

  it.concurrent('runs CronJobs on the minute: Forbid skips while its Job runs, history keeps the newest', async () => {
    const start = Date.now();
    // The Forbid Job outlives the next minute boundary; the Allow one finishes at once.
    await ok(['apply', '-f', '-'], `${cronJob('forbid', 'Forbid', 'sleep 75')}---\n${cronJob('quick', 'Allow', 'echo done')}`);
    const watch = daemon.client.watch<JobObject>(JOBS, { namespace: 'default' });
    openWatches.add(watch);
    const seen = new Map<string, Set<string>>(); // cronjob → names of every Job it owned
    let mostForbid = 0;
    const watching = (async () => {
      for await (const ev of watch) {
        if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') continue;
        const owner = ownerName(ev.object);
        if (!owner) continue;
        seen.set(owner, (seen.get(owner) ?? new Set()).add(ev.object.metadata.name!));
        if (owner === 'forbid') mostForbid = Math.max(mostForbid, seen.get('forbid')!.size);
      }
    })();
    const cronEvents = async (name: string, reason: string): Promise<Event[]> =>
      (await daemon.client.list<Event & KObject>(EVENTS, { namespace: 'default', fieldSelector: `involvedObject.name=${name},reason=${reason}` })).items;

    // The first tick starts a Job of each; at the second the Forbid one is still running and skipped.
    const skipped = await waitFor(() => cronEvents('forbid', 'JobAlreadyActive').then((e) => e.length > 0), {
      timeoutMs: 150_000,
      intervalMs: 1000,
      message: 'the Forbid CronJob skipping a tick',
    });
    expect(skipped).toBe(true);
    const forbidJobs = (await daemon.client.list<JobObject>(JOBS, { namespace: 'default' })).items.filter((j) => ownerName(j) === 'forbid');
    expect(forbidJobs).toHaveLength(1);
    expect(forbidJobs[0]!.status?.active).toBe(1);
    expect(mostForbid).toBe(1);
    expect(await ok(['get', 'cronjob', 'forbid', '-o', 'jsonpath={.status.active[*].name}'])).toBe(forbidJobs[0]!.metadata.name);

    // Two runs of the Allow CronJob, and only the newest Job is kept.
    const quick = await waitFor(
      async () => {
        const cj = JSON.parse(await ok(['get', 'cronjob', 'quick', '-o', 'json']));
        const jobs = (await daemon.client.list<JobObject>(JOBS, { namespace: 'default' })).items.filter((j) => ownerName(j) === 'quick');
        return (seen.get('quick')?.size ?? 0) >= 2 && jobs.length === 1 && cj.status?.lastSuccessfulTime && !cj.status.active ? { cj, jobs } : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, message: 'two runs of the Allow CronJob, the older one pruned' },
    );
    const scheduled = Date.parse(quick.cj.status.lastScheduleTime);
    expect(scheduled % 60_000).toBe(0);
    expect(scheduled).toBeGreaterThan(start);
    expect(Date.parse(quick.cj.status.lastSuccessfulTime)).toBeGreaterThanOrEqual(scheduled);
    // Jobs are named after their scheduled minute: the one kept is the newest.
    const names = [...seen.get('quick')!].sort();
    expect(quick.jobs[0]!.metadata.name).toBe(`quick-${scheduled / 60_000}`);
    expect(names.at(-1)).toBe(quick.jobs[0]!.metadata.name);
    expect(quick.jobs[0]!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(quick.cj.status.lastScheduleTime);
    expect(await ok(['get', 'cronjob', 'forbid', '-o', 'jsonpath={.status.lastScheduleTime}'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);

    // A manual run from a CronJob's template. From the Forbid one: a quick Job finished within the
    // second of the newest scheduled one would tie on startTime and lose to it by name, so the
    // history limit could delete it at once (as Kubernetes' byJobStartTime would).
    expect(await ok(['create', 'job', 'manual', '--from=cronjob/forbid'])).toContain('job.batch/manual created');
    const manual = JSON.parse(await ok(['get', 'job', 'manual', '-o', 'json']));
    expect(manual.metadata.annotations['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(manual.metadata.ownerReferences[0]).toMatchObject({ kind: 'CronJob', name: 'forbid', controller: true });
    expect(manual.spec.template.spec.containers[0].command).toEqual(['sh', '-c', 'sleep 75']);
    expect(manual.spec.template.metadata.labels.cron).toBe('forbid');
    // Its pod really runs the template.
    await waitFor(async () => (await jobPods('manual')).some((p) => p.status?.phase === 'Running'), { timeoutMs: 30_000, message: 'the manual Job running' });

    watch.close();
    openWatches.delete(watch);
    await watching.catch(() => undefined);
    await ok(['delete', 'cronjob', 'forbid', 'quick', '--cascade=background']);
  }, 240_000);
});
