// The CronJob controller's pure parts, table-driven: schedules, missed activations, the
// scheduling decision, the active list and the history limits, the Job template.
import type { CronJob, CronJobSpec, Job } from 'kubernetes-types/batch/v1';
import { describe, expect, it } from 'vitest';
import { jobsToCleanUp, reconcileActive } from '../src/cronjob/active.js';
import { formatInZone, jobFromCronJob, jobName } from '../src/cronjob/job-template.js';
import { planSchedule } from '../src/cronjob/plan.js';
import { mostRecentScheduleTime, nextScheduleDelay, parseSchedule } from '../src/cronjob/schedule.js';

const T = (s: string): number => Date.parse(s);
const MIN = 60_000;
const BASE = T('2024-03-10T10:00:00Z');

describe('schedules', () => {
  it.each([
    ['*/5 * * * *', undefined, '2024-03-10T10:02:00Z', '2024-03-10T10:05:00Z'],
    ['*/5 * * * *', undefined, '2024-03-10T10:05:00Z', '2024-03-10T10:10:00Z'],
    ['0 9 * * *', 'America/New_York', '2024-03-10T10:00:00Z', '2024-03-10T13:00:00Z'], // EDT began that night
    ['@hourly', undefined, '2024-03-10T10:00:00Z', '2024-03-10T11:00:00Z'],
    ['@midnight', undefined, '2024-03-10T10:00:00Z', '2024-03-11T00:00:00Z'],
    ['@every 90s', undefined, '2024-03-10T10:00:00.500Z', '2024-03-10T10:01:30Z'],
    ['0 0 13 * 5', undefined, '2024-03-10T10:00:00Z', '2024-03-13T00:00:00Z'], // day-of-month OR day-of-week
  ])('%s (zone %s) after %s is %s', (schedule, zone, after, want) => {
    const prev = process.env.TZ;
    expect(new Date(parseSchedule(schedule, zone ?? 'UTC').next(T(after))!).toISOString()).toBe(new Date(T(want)).toISOString());
    expect(process.env.TZ).toBe(prev);
  });

  it.each([
    ['not yet due', BASE + 30_000, undefined, 'none', 0],
    ['one due', BASE + MIN + 5000, BASE + MIN, 'none', 0],
    ['several missed: only the latest', BASE + 5 * MIN + 5000, BASE + 5 * MIN, 'few', 5],
    ['more than 100 missed', BASE + 200 * MIN, BASE + 200 * MIN, 'many', 200],
  ])('%s', (_name, now, mostRecent, missed, count) => {
    const r = mostRecentScheduleTime(parseSchedule('* * * * *', 'UTC'), now, BASE, undefined);
    expect([r.mostRecent, r.missed, r.missedCount]).toEqual([mostRecent, missed, count]);
  });

  it('starts counting at the starting deadline, and rejects schedules that never fire', () => {
    const r = mostRecentScheduleTime(parseSchedule('* * * * *', 'UTC'), BASE + 200 * MIN + 1000, BASE, undefined, 120);
    expect([r.mostRecent, r.missed]).toEqual([BASE + 200 * MIN, 'few']);
    expect(() => mostRecentScheduleTime(parseSchedule('59 23 31 2 *', 'UTC'), BASE, BASE - MIN)).toThrow('less than 1 second');
  });

  it('requeues 100 ms after the next activation', () => {
    expect(nextScheduleDelay(parseSchedule('*/10 * * * *', 'UTC'), BASE + MIN, BASE, BASE)).toBe(9 * MIN + 100);
  });
});

const cronJob = (spec: Partial<CronJobSpec>, status: CronJob['status'] = {}): CronJob => ({
  metadata: { name: 'cj', namespace: 'ns', uid: 'cj-uid', creationTimestamp: new Date(BASE).toISOString() },
  spec: { schedule: '* * * * *', timeZone: 'UTC', jobTemplate: { spec: { template: {} } }, ...spec },
  status,
});

describe('planSchedule', () => {
  const at = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
  it.each([
    ['runs the due activation', cronJob({}), BASE + MIN + 1000, BASE + MIN, []],
    ['not yet', cronJob({}), BASE + 1000, undefined, []],
    ['suspended', cronJob({ suspend: true }), BASE + MIN + 1000, undefined, []],
    ['already scheduled', cronJob({}, { lastScheduleTime: at(BASE + MIN) }), BASE + MIN + 1000, undefined, []],
    ['forbid with an active job', cronJob({ concurrencyPolicy: 'Forbid' }, { active: [{ name: 'x' }] }), BASE + MIN + 1000, undefined, ['JobAlreadyActive']],
    // The starting deadline moves the earliest activation considered: a late one is not even seen.
    ['past the starting deadline', cronJob({ startingDeadlineSeconds: 10 }, { lastScheduleTime: at(BASE) }), BASE + MIN + 30_000, undefined, []],
    ['within the starting deadline', cronJob({ startingDeadlineSeconds: 60 }, { lastScheduleTime: at(BASE) }), BASE + MIN + 30_000, BASE + MIN, []],
    ['many missed still runs the latest', cronJob({}), BASE + 150 * MIN + 10, BASE + 150 * MIN, ['TooManyMissedTimes']],
    ['unknown zone', cronJob({ timeZone: 'Mars/Base' }), BASE + MIN, undefined, ['UnknownTimeZone']],
  ])('%s', (_name, cj, now, run, reasons) => {
    const plan = planSchedule(cj, now);
    expect(plan.run).toBe(run);
    expect(plan.events.map((e) => e.reason)).toEqual(reasons);
  });

  it('replaces with concurrencyPolicy Replace, and requeues for the next activation', () => {
    expect(planSchedule(cronJob({ concurrencyPolicy: 'Replace' }, { active: [{ name: 'x' }] }), BASE + MIN).replace).toBe(true);
    expect(planSchedule(cronJob({ startingDeadlineSeconds: 10 }, { lastScheduleTime: at(BASE) }), BASE + MIN + 30_000).requeueAfterMs).toBe(30_100);
  });
});

const job = (name: string, uid: string, finished?: 'Complete' | 'Failed', startTime?: string, completionTime?: string): Job => ({
  metadata: { name, uid },
  status: { startTime, completionTime, ...(finished ? { conditions: [{ type: finished, status: 'True' }] } : {}) },
});

describe('active list and history', () => {
  it('drops finished jobs, reports unexpected and unknown ones, tracks lastSuccessfulTime', () => {
    const cj = cronJob({}, { active: [{ name: 'done', uid: 'a' }, { name: 'gone', uid: 'b' }, { name: 'run', uid: 'c' }] });
    const r = reconcileActive(cj, [job('done', 'a', 'Complete', undefined, '2024-03-10T10:05:00Z'), job('run', 'c'), job('stray', 'd')]);
    expect(r.status.active?.map((ref) => ref.name)).toEqual(['gone', 'run']);
    expect(r.status.lastSuccessfulTime).toBe('2024-03-10T10:05:00Z');
    expect(r.unexpected.map((j) => j.metadata?.name)).toEqual(['stray']);
    expect(r.unknown.map((ref) => ref.name)).toEqual(['gone']);
    expect(r.events).toEqual([{ type: 'Normal', reason: 'SawCompletedJob', message: 'Saw completed job: done, condition: Complete' }]);
  });

  it.each([
    [{ successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }, ['s1', 's2']],
    [{ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 }, ['s1', 's2', 's3', 'f1']],
    [{ successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 5 }, []],
  ])('history limits %j delete %j', (limits, want) => {
    const jobs = [
      job('s3', '3', 'Complete', '2024-03-10T10:03:00Z'),
      job('s1', '1', 'Complete', '2024-03-10T10:01:00Z'),
      job('f1', '4', 'Failed', '2024-03-10T10:04:00Z'),
      job('s2', '2', 'Complete', '2024-03-10T10:02:00Z'),
      job('r', '5', undefined, '2024-03-10T10:05:00Z'),
    ];
    expect(jobsToCleanUp(cronJob(limits), jobs).map((j) => j.metadata?.name)).toEqual(want);
  });
});

describe('job template', () => {
  it('names the Job after the scheduled minute and stamps the scheduled time in the zone', () => {
    const cj = cronJob({ timeZone: 'Europe/Paris', jobTemplate: { metadata: { labels: { a: 'b' } }, spec: { template: {}, backoffLimit: 2 } } });
    const j = jobFromCronJob(cj, BASE, { apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: 'cj-uid', controller: true });
    expect(j.metadata?.name).toBe(`cj-${BASE / MIN}`);
    expect(jobName('cj', BASE + 59_000)).toBe(`cj-${BASE / MIN}`);
    expect(j.metadata?.labels).toEqual({ a: 'b' });
    expect(j.metadata?.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2024-03-10T11:00:00+01:00' });
    expect(j.spec?.backoffLimit).toBe(2);
    expect(formatInZone(BASE)).toBe('2024-03-10T10:00:00Z');
    expect(formatInZone(BASE, 'America/St_Johns')).toBe('2024-03-10T07:30:00-02:30');
  });
});
