// The Job controller against a real API server: parallelism and completions, Indexed Jobs,
// backoffLimit with its back-off, podFailurePolicy, activeDeadlineSeconds, suspend and TTL.
import { afterEach, describe, expect, it } from 'vitest';
import { jobController } from '../src/job/index.js';
import { Harness, JOBS, conditionTypes, jobManifest } from './job-harness.js';

let h: Harness;
afterEach(async () => h?.stop());

describe('job controller', () => {
  it('runs completions 3 with parallelism 2, counts through the finalizer and completes', async () => {
    h = await Harness.start([jobController]);
    await h.client.create(JOBS, jobManifest('work', { completions: 3, parallelism: 2 }));
    const first = await h.until(async () => ((await h.activePods('work')).length === 2 ? h.activePods('work') : undefined), 'two pods');
    expect(first[0]!.metadata.finalizers).toContain('batch.kubernetes.io/job-tracking');
    expect(first[0]!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'work', controller: true });
    await h.until(async () => (await h.job('work')).status?.active === 2, 'status.active 2');

    await h.finish(first[0]!, 0);
    await h.until(async () => (await h.job('work')).status?.succeeded === 1, 'one success counted');
    const second = await h.until(async () => ((await h.activePods('work')).length === 2 ? h.activePods('work') : undefined), 'a third pod');
    expect((await h.pods('work')).length).toBe(3);
    for (const pod of second) await h.finish(pod, 0);

    const done = await h.until(async () => {
      const job = await h.job('work');
      return conditionTypes(job).includes('Complete') ? job : undefined;
    }, 'the job to complete');
    expect(conditionTypes(done)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(done.status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(done.status?.conditions?.[1]).toMatchObject({ reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(done.status?.completionTime).toBeDefined();
    expect((await h.pods('work')).every((p) => !p.metadata.finalizers?.length)).toBe(true);
    await h.until(async () => (await h.eventReasons()).includes('Completed: Job completed'), 'the Completed event');
  });

  it('gives Indexed Job pods their index, hostname and JOB_COMPLETION_INDEX, and records completedIndexes', async () => {
    h = await Harness.start([jobController]);
    await h.client.create(JOBS, jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await h.until(async () => ((await h.activePods('idx')).length === 3 ? h.activePods('idx') : undefined), 'three pods');
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1', '2']);
    const one = byIndex.get('1')!;
    expect(one.metadata.name).toMatch(/^idx-1-/);
    expect(one.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('1');
    expect(one.spec?.hostname).toBe('idx-1');
    expect(one.spec?.containers[0]?.env).toContainEqual({
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
    });
    await h.finish(one, 0);
    await h.finish(byIndex.get('2')!, 0);
    await h.until(async () => (await h.job('idx')).status?.completedIndexes === '1-2', 'completedIndexes 1-2');
    // Index 0 fails: its replacement (after the 10 s back-off) gets index 0 again.
    await h.finish(byIndex.get('0')!, 1);
    const again = await h.until(async () => (await h.activePods('idx'))[0], 'a replacement pod', 1000);
    expect(again.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).toBe('0');
    await h.finish(again, 0);
    const done = await h.until(async () => {
      const job = await h.job('idx');
      return conditionTypes(job).includes('Complete') ? job : undefined;
    }, 'the job to complete');
    expect(done.status).toMatchObject({ completedIndexes: '0-2', succeeded: 3, failed: 1 });
  });

  it('stops at backoffLimit after backing off, with reason BackoffLimitExceeded', async () => {
    h = await Harness.start([jobController]);
    await h.client.create(JOBS, jobManifest('flaky', { backoffLimit: 1 }));
    const first = await h.until(async () => (await h.activePods('flaky'))[0], 'a pod');
    await h.finish(first, 1);
    await h.until(async () => (await h.job('flaky')).status?.failed === 1, 'one failure counted');
    // The replacement waits 10 s (fake time).
    await h.clock.advance(9000);
    expect(await h.activePods('flaky')).toHaveLength(0);
    const second = await h.until(async () => (await h.activePods('flaky'))[0], 'a retry after the back-off', 500);
    await h.finish(second, 2);
    const failed = await h.until(async () => {
      const job = await h.job('flaky');
      return conditionTypes(job).includes('Failed') ? job : undefined;
    }, 'the job to fail');
    expect(conditionTypes(failed)).toEqual(['FailureTarget', 'Failed']);
    expect(failed.status?.conditions?.[1]).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(failed.status?.failed).toBe(2);
    await h.until(async () => (await h.eventReasons()).includes('BackoffLimitExceeded: Job has reached the specified backoff limit'), 'the warning event');
  });

  it('fails the job at once on a podFailurePolicy FailJob rule, and ignores Ignore-matched failures', async () => {
    h = await Harness.start([jobController]);
    const podFailurePolicy = {
      rules: [
        { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
      ],
    };
    await h.client.create(JOBS, jobManifest('policy', { backoffLimit: 0, parallelism: 2, completions: 2, podFailurePolicy }));
    const [a, b] = await h.until(async () => ((await h.activePods('policy')).length === 2 ? h.activePods('policy') : undefined), 'two pods');
    await h.finish(a!, 137, [{ type: 'DisruptionTarget', status: 'True' }]);
    await h.until(async () => (await h.activePods('policy')).length === 2 && (await h.pods('policy')).length === 3, 'an ignored failure replaced', 1000);
    expect((await h.job('policy')).status?.failed ?? 0).toBe(0);
    await h.finish(b!, 42);
    const failed = await h.until(async () => {
      const job = await h.job('policy');
      return conditionTypes(job).includes('Failed') ? job : undefined;
    }, 'the job to fail');
    const cond = failed.status?.conditions?.find((c) => c.type === 'Failed');
    expect(cond?.reason).toBe('PodFailurePolicy');
    expect(cond?.message).toBe(`Container c for pod default/${b!.metadata.name} failed with exit code 42 matching FailJob rule at index 0`);
    expect(await h.activePods('policy')).toHaveLength(0);
  });

  it('fails a job past activeDeadlineSeconds, deleting its pods', async () => {
    h = await Harness.start([jobController]);
    await h.client.create(JOBS, jobManifest('slow', { activeDeadlineSeconds: 5 }));
    await h.until(async () => (await h.activePods('slow'))[0], 'a pod');
    await h.clock.advance(5000);
    const failed = await h.until(async () => {
      const job = await h.job('slow');
      return conditionTypes(job).includes('Failed') ? job : undefined;
    }, 'the job to fail', 100);
    expect(failed.status?.conditions?.find((c) => c.type === 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    await h.until(async () => (await h.pods('slow')).length === 0, 'its pod deleted');
  });

  it('suspends (deleting active pods) and resumes', async () => {
    h = await Harness.start([jobController]);
    await h.client.create(JOBS, jobManifest('pause', { suspend: true, parallelism: 2, completions: 4 }));
    const suspended = await h.until(async () => {
      const job = await h.job('pause');
      return conditionTypes(job).includes('Suspended') ? job : undefined;
    }, 'the Suspended condition');
    expect(suspended.status?.conditions?.[0]).toMatchObject({ reason: 'JobSuspended', message: 'Job suspended' });
    expect(suspended.status?.startTime).toBeUndefined();
    expect(await h.pods('pause')).toHaveLength(0);

    await h.client.patch(JOBS, 'pause', { spec: { suspend: false } }, { type: 'merge', namespace: 'default' });
    await h.until(async () => (await h.activePods('pause')).length === 2, 'two pods after resuming');
    const resumed = await h.job('pause');
    expect(resumed.status?.conditions?.[0]).toMatchObject({ type: 'Suspended', status: 'False', reason: 'JobResumed' });
    expect(resumed.status?.startTime).toBeDefined();

    await h.client.patch(JOBS, 'pause', { spec: { suspend: true } }, { type: 'merge', namespace: 'default' });
    await h.until(async () => (await h.pods('pause')).length === 0, 'active pods deleted on suspend');
    expect((await h.job('pause')).status?.failed ?? 0).toBe(0);
    expect(await h.eventReasons()).toEqual(expect.arrayContaining(['Suspended: Job suspended', 'Resumed: Job resumed']));
  });

  it('deletes a finished job once ttlSecondsAfterFinished has passed', async () => {
    h = await Harness.start([jobController]);
    await h.client.create(JOBS, jobManifest('brief', { ttlSecondsAfterFinished: 30 }));
    const pod = await h.until(async () => (await h.activePods('brief'))[0], 'a pod');
    await h.finish(pod, 0);
    await h.until(async () => conditionTypes(await h.job('brief')).includes('Complete'), 'completion');
    await h.clock.advance(29_000);
    expect((await h.job('brief')).metadata.deletionTimestamp).toBeUndefined();
    await h.until(() => h.job('brief').then((j) => Boolean(j.metadata.deletionTimestamp), () => true), 'the job deleted', 1000);
  });

  it('removes the tracking finalizer from the pods of a deleted job', async () => {
    h = await Harness.start([jobController]);
    await h.client.create(JOBS, jobManifest('gone', { parallelism: 2, completions: 2 }));
    await h.until(async () => (await h.activePods('gone')).length === 2, 'two pods');
    await h.client.delete(JOBS, 'gone', { namespace: 'default', propagationPolicy: 'Background' }); // no garbage collector here: the pods stay
    await h.until(async () => (await h.pods('gone')).every((p) => !p.metadata.finalizers?.length), 'finalizers removed');
  });
});
