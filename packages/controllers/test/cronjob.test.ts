// The CronJob controller against a real API server, on a fake clock that starts at the real time
// (the API server stamps creationTimestamp with real time): Jobs on schedule, Forbid, Replace,
// history limits, suspend, and a restart after missed activations.
import { afterEach, describe, expect, it } from 'vitest';
import { cronJobController } from '../src/cronjob/index.js';
import { CRONJOBS, Harness, JOBS, type JobObject } from './job-harness.js';
import type { KObject } from '@mini-kube/api';
import type { CronJob } from 'kubernetes-types/batch/v1';

type CronJobObject = CronJob & KObject;
const MIN = 60_000;
let h: Harness;
afterEach(async () => h?.stop());

/**
 * A second past the start of the current real minute, the fake clock's start. Near the end of a
 * minute it first waits for the next one, so CronJobs are created in the same minute.
 */
async function minuteStart(): Promise<number> {
  const left = MIN - (Date.now() % MIN);
  if (left < 5000) await new Promise((r) => setTimeout(r, left + 10));
  return Math.floor(Date.now() / MIN) * MIN + 1000;
}

function cronJob(name: string, spec: Record<string, unknown> = {}): CronJobObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '* * * * *',
      timeZone: 'UTC',
      jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  } as CronJobObject;
}

const jobsOf = async (cj: string): Promise<JobObject[]> =>
  (await h.client.list<JobObject>(JOBS, { namespace: 'default' })).items.filter((j) => j.metadata.ownerReferences?.[0]?.name === cj).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
const getCronJob = (name: string): Promise<CronJobObject> => h.client.get<CronJobObject>(CRONJOBS, name, { namespace: 'default' });

/** Marks a Job finished as the Job controller would. */
async function finishJob(job: JobObject, type: 'Complete' | 'Failed', at: number): Promise<void> {
  const ts = new Date(at).toISOString().replace(/\.\d+Z$/, 'Z');
  await h.client.updateStatus(JOBS, {
    ...job,
    status: { startTime: ts, ...(type === 'Complete' ? { completionTime: ts, succeeded: 1 } : { failed: 1 }), conditions: [{ type, status: 'True', lastTransitionTime: ts }] },
  });
}

/** Moves the fake clock to the next minute (plus the 100 ms requeue padding) and waits for `count` jobs. */
async function nextMinute(cj: string, count: number): Promise<JobObject[]> {
  const next = Math.floor(h.clock.now() / MIN) * MIN + MIN + 200;
  await h.clock.advance(next - h.clock.now());
  return h.until(async () => {
    const jobs = await jobsOf(cj);
    return jobs.length === count ? jobs : undefined;
  }, `${count} jobs of ${cj}`);
}

describe('cronjob controller', () => {
  it('creates a Job per activation with its name, annotation and owner, and tracks status', async () => {
    h = await Harness.start([cronJobController], await minuteStart());
    await h.client.create(CRONJOBS, cronJob('tick'));
    const [job] = await nextMinute('tick', 1);
    const scheduled = Math.floor(h.clock.now() / MIN) * MIN;
    expect(job!.metadata.name).toBe(`tick-${scheduled / MIN}`);
    expect(job!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(new Date(scheduled).toISOString().replace('.000Z', 'Z'));
    expect(job!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    const cj = await h.until(async () => ((await getCronJob('tick')).status?.active?.length === 1 ? getCronJob('tick') : undefined), 'the active ref');
    expect(cj.status?.lastScheduleTime).toBe(new Date(scheduled).toISOString().replace('.000Z', 'Z'));

    await finishJob(job!, 'Complete', h.clock.now());
    const after = await h.until(async () => {
      const c = await getCronJob('tick');
      return !c.status?.active && c.status?.lastSuccessfulTime ? c : undefined;
    }, 'the completed job to leave the active list');
    expect(after.status?.lastSuccessfulTime).toBeDefined();
    await nextMinute('tick', 2);
  });

  it('Forbid skips an activation while a Job runs; Replace deletes it for the new one', async () => {
    h = await Harness.start([cronJobController], await minuteStart());
    await h.client.create(CRONJOBS, cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    await h.client.create(CRONJOBS, cronJob('replace', { concurrencyPolicy: 'Replace' }));
    await nextMinute('forbid', 1);
    const [first] = await h.until(async () => ((await jobsOf('replace')).length === 1 ? jobsOf('replace') : undefined), 'the first replace job');
    await h.until(async () => (await getCronJob('replace')).status?.active?.length === 1 && (await getCronJob('forbid')).status?.active?.length === 1, 'active refs');

    await h.clock.advance(MIN);
    const [second] = await h.until(async () => {
      const jobs = await jobsOf('replace');
      return jobs.length === 1 && jobs[0]!.metadata.uid !== first!.metadata.uid ? jobs : undefined;
    }, 'the replace job replaced');
    expect(second!.metadata.name).not.toBe(first!.metadata.name);
    await h.until(async () => (await h.eventReasons()).includes('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid'), 'the Forbid event');
    expect(await jobsOf('forbid')).toHaveLength(1);
  });

  it('prunes finished Jobs beyond the history limits and starts nothing while suspended', async () => {
    h = await Harness.start([cronJobController], await minuteStart());
    await h.client.create(CRONJOBS, cronJob('hist', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 0 }));
    const [a] = await nextMinute('hist', 1);
    await finishJob(a!, 'Complete', h.clock.now());
    const [, b] = await nextMinute('hist', 2);
    await finishJob(b!, 'Complete', h.clock.now() + 1000);
    await h.until(async () => (await jobsOf('hist')).map((j) => j.metadata.name).join() === b!.metadata.name, 'the older success pruned');
    const [, c] = await nextMinute('hist', 2);
    await finishJob(c!, 'Failed', h.clock.now());
    await h.until(async () => (await jobsOf('hist')).length === 1, 'the failure pruned');

    await h.client.patch(CRONJOBS, 'hist', { spec: { suspend: true } }, { type: 'merge', namespace: 'default' });
    await h.until(async () => (await getCronJob('hist')).spec?.suspend === true, 'suspended');
    await h.clock.advance(3 * MIN);
    await new Promise((r) => setTimeout(r, 300)); // nothing to wait for: give a wrong Job the chance to appear
    expect((await jobsOf('hist')).map((j) => j.metadata.name)).toEqual([b!.metadata.name]);
  });

  it('after missed activations (controller down) runs only the most recent one', async () => {
    h = await Harness.start([], await minuteStart());
    await h.client.create(CRONJOBS, cronJob('late'));
    await h.clock.advance(5 * MIN);
    h.startControllers([cronJobController]);
    const jobs = await h.until(async () => ((await jobsOf('late')).length > 0 ? jobsOf('late') : undefined), 'a job');
    expect(jobs.map((j) => j.metadata.name)).toEqual([`late-${Math.floor(h.clock.now() / MIN)}`]);
  });
});
