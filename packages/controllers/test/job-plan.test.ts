// The Job controller's pure planning, table-driven: indexes, wanted pods, removals, back-off,
// pod failure policy and the success / failure criteria.
import type { Job, JobSpec } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { assessJob } from '../src/job/assess.js';
import { backoffRemaining, nextBackoffRecord } from '../src/job/backoff.js';
import { matchPodFailurePolicy } from '../src/job/failure-policy.js';
import { firstPendingIndexes, formatIndexes, parseIndexes } from '../src/job/indexes.js';
import { activePodsForRemoval, planManage, wantActive } from '../src/job/manage.js';
import { enactFinished, moveCountedUncounted } from '../src/job/tracking.js';
import { ttlRemaining } from '../src/job/ttl.js';

const NOW = Date.UTC(2024, 0, 1, 1, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();
const job = (spec: Partial<JobSpec>, status: Job['status'] = {}): Job => ({ metadata: { name: 'j', namespace: 'ns' }, spec: { template: {}, ...spec }, status });
let uid = 0;
const pod = (phase: string, opts: { index?: number; finalizer?: boolean; deleting?: boolean; exitCode?: number; finishedAt?: number; ready?: boolean } = {}): Pod => ({
  metadata: {
    uid: `u${++uid}`,
    name: `p${uid}`,
    namespace: 'ns',
    finalizers: opts.finalizer === false ? [] : ['batch.kubernetes.io/job-tracking'],
    ...(opts.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(opts.index) } } : {}),
    ...(opts.deleting ? { deletionTimestamp: iso(NOW) } : {}),
  },
  status: {
    phase,
    ...(opts.ready ? { conditions: [{ type: 'Ready', status: 'True' }] } : {}),
    ...(opts.exitCode !== undefined
      ? { containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: opts.exitCode, finishedAt: iso(opts.finishedAt ?? NOW) } } }] }
      : {}),
  },
});

describe('completion indexes', () => {
  it.each([
    ['', 5, []],
    ['0-2,4', 5, [0, 1, 2, 4]],
    ['3-9', 5, [3, 4]],
    ['x,1', 5, [1]],
  ])('parses %j below %i', (text, completions, want) => {
    expect(parseIndexes(text, completions)).toEqual(want);
  });
  it.each([
    [[], ''],
    [[0, 1, 2, 5], '0-2,5'],
    [[7, 3, 4, 9, 3], '3-4,7,9'],
  ])('formats %j as %j', (ixs, want) => expect(formatIndexes(ixs)).toBe(want));
  it('picks the lowest indexes neither succeeded nor held', () => {
    expect(firstPendingIndexes(3, 6, new Set([0, 2]), new Set([1]))).toEqual([3, 4, 5]);
    expect(firstPendingIndexes(2, 3, new Set([0, 1, 2]), new Set())).toEqual([]);
  });
});

describe('wanted active pods', () => {
  it.each([
    [{ completions: 5, parallelism: 2 }, 0, 0, 2],
    [{ completions: 5, parallelism: 2 }, 2, 4, 1],
    [{ completions: 5, parallelism: 2 }, 0, 5, 0],
    [{ parallelism: 3 }, 1, 0, 3],
    [{ parallelism: 3 }, 1, 1, 1], // work queue: once one succeeded, no new pods
  ])('%j with %i active and %i succeeded wants %i', (spec, active, succeeded, want) => {
    expect(wantActive(job(spec), active, succeeded)).toBe(want);
  });
});

describe('planManage', () => {
  it('creates up to parallelism, the missing indexes of Indexed jobs, and deletes all when suspended', () => {
    const plain = job({ completions: 4, parallelism: 3 });
    const running = [pod('Running')];
    expect(planManage(plain, running, assessJob(plain, running, new Set(), NOW), 0).create).toHaveLength(2);
    expect(planManage(plain, running, assessJob(plain, running, new Set(), NOW), 5000)).toEqual({ delete: [], create: [], backoffMs: 5000 });

    const indexed = job({ completions: 4, parallelism: 4, completionMode: 'Indexed' }, { completedIndexes: '0' });
    const pods = [pod('Running', { index: 2 }), pod('Succeeded', { index: 3 })];
    expect(planManage(indexed, pods, assessJob(indexed, pods, new Set(), NOW), 0).create).toEqual([1]);

    const suspended = job({ completions: 4, parallelism: 2, suspend: true });
    const active = [pod('Running'), pod('Pending')];
    expect(planManage(suspended, active, assessJob(suspended, active, new Set(), NOW), 0).delete).toHaveLength(2);
  });

  it('removes invalid and repeated indexes first, keeping the most advanced pod of an index', () => {
    const indexed = job({ completions: 3, parallelism: 3, completionMode: 'Indexed' });
    const pending = pod('Pending', { index: 1 });
    const ready = pod('Running', { index: 1, ready: true });
    const invalid = pod('Running', { index: 7 });
    const keep = pod('Running', { index: 0 });
    expect(activePodsForRemoval(indexed, [pending, ready, invalid, keep], 0)).toEqual([invalid, pending]);
  });

  it('waits for terminating pods before replacing them when podReplacementPolicy is Failed', () => {
    const j = job({ completions: 2, parallelism: 2, podReplacementPolicy: 'Failed' });
    const pods = [pod('Running'), pod('Running', { deleting: true })];
    expect(planManage(j, pods, assessJob(j, pods, new Set(), NOW), 0).create).toHaveLength(0);
    const eager = job({ completions: 2, parallelism: 2, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(planManage(eager, pods, assessJob(eager, pods, new Set(), NOW), 0).create).toHaveLength(1);
  });
});

describe('assessJob', () => {
  it.each([
    ['no failure', job({ backoffLimit: 1 }, { failed: 1 }), [pod('Running')], undefined],
    ['backoff limit', job({ backoffLimit: 1 }, { failed: 1 }), [pod('Failed')], 'FailureTarget/BackoffLimitExceeded'],
    ['uncounted failures count', job({ backoffLimit: 0 }, { uncountedTerminatedPods: { failed: ['x'] } }), [], 'FailureTarget/BackoffLimitExceeded'],
    ['deadline', job({ activeDeadlineSeconds: 60 }, { startTime: iso(NOW - 60_000) }), [pod('Running')], 'FailureTarget/DeadlineExceeded'],
    ['suspended ignores the deadline', job({ activeDeadlineSeconds: 60, suspend: true }, { startTime: iso(NOW - 60_000) }), [], undefined],
    ['earlier FailureTarget', job({}, { conditions: [{ type: 'FailureTarget', status: 'True', reason: 'R', message: 'M' }] }), [], 'Failed/R'],
    ['earlier SuccessCriteriaMet', job({}, { conditions: [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached' }] }), [], 'SuccessCriteriaMet/CompletionsReached'],
    ['counted pods are skipped', job({ backoffLimit: 0 }), [pod('Failed', { finalizer: false })], undefined],
  ])('%s', (_name, j, pods, want) => {
    const f = assessJob(j, pods, new Set(), NOW).finished;
    expect(f ? `${f.type}/${f.reason}` : undefined).toBe(want);
  });

  it('counts new successes and failures, and terminating pods as failed unless only Failed pods are replaced', () => {
    const pods = [pod('Succeeded'), pod('Failed'), pod('Running', { deleting: true }), pod('Running', { ready: true })];
    const a = assessJob(job({ backoffLimit: 6 }, { succeeded: 2 }), pods, new Set(), NOW);
    expect({ succeeded: a.succeeded, failed: a.failed, active: a.active.length, ready: a.ready, terminating: a.terminating }).toEqual({ succeeded: 3, failed: 2, active: 1, ready: 1, terminating: 1 });
    expect(assessJob(job({ podReplacementPolicy: 'Failed' }), pods, new Set(), NOW).failed).toBe(1);
  });
});

describe('pod failure policy', () => {
  const policy = {
    rules: [
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [3, 4] } },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [3, 4] } },
    ],
  };
  it.each([
    ['exit 3 fails the job', pod('Failed', { exitCode: 3 }), { countFailed: true, action: 'FailJob' }],
    ['exit 1 counts', pod('Failed', { exitCode: 1 }), { countFailed: true, action: 'Count' }],
    ['no container status: no rule', pod('Failed'), { countFailed: true }],
  ])('%s', (_name, p, want) => expect(matchPodFailurePolicy(policy, p)).toMatchObject(want));
  it('ignores disruptions and words the FailJob message like Kubernetes', () => {
    const disrupted = { ...pod('Failed', { exitCode: 3 }), status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True' }] } };
    expect(matchPodFailurePolicy(policy, disrupted)).toEqual({ countFailed: false, action: 'Ignore' });
    const p = pod('Failed', { exitCode: 4 });
    expect(matchPodFailurePolicy(policy, p).failJobMessage).toBe(`Container c for pod ns/${p.metadata?.name} failed with exit code 4 matching FailJob rule at index 1`);
  });
});

describe('back-off', () => {
  it.each([
    [0, 0, 0],
    [1, 0, 10_000],
    [1, 4_000, 6_000],
    [3, 0, 40_000],
    [12, 0, 360_000],
    [2, 30_000, 0],
  ])('%i failures, %i ms ago: wait %i ms', (failures, ago, want) => {
    expect(backoffRemaining({ failuresAfterLastSuccess: failures, lastFailureTime: NOW - ago }, NOW)).toBe(want);
  });
  it('resets on a success after the failures and counts failures after it', () => {
    const failedBefore = pod('Failed', { exitCode: 1, finishedAt: NOW - 5000 });
    const succeeded = pod('Succeeded', { exitCode: 0, finishedAt: NOW - 3000 });
    const failedAfter = pod('Failed', { exitCode: 1, finishedAt: NOW - 1000 });
    expect(nextBackoffRecord({ failuresAfterLastSuccess: 4, lastFailureTime: 0 }, [succeeded], [failedBefore], NOW)).toEqual({ failuresAfterLastSuccess: 0 });
    expect(nextBackoffRecord({ failuresAfterLastSuccess: 4 }, [succeeded], [failedBefore, failedAfter], NOW)).toEqual({ failuresAfterLastSuccess: 1, lastFailureTime: NOW - 1000 });
    expect(nextBackoffRecord({ failuresAfterLastSuccess: 1, lastFailureTime: 0 }, [], [failedAfter], NOW)).toEqual({ failuresAfterLastSuccess: 2, lastFailureTime: NOW - 1000 });
  });
});

describe('counting and finishing', () => {
  it('moves uids that lost their finalizer into the counters', () => {
    const status = { succeeded: 1, failed: 0, uncountedTerminatedPods: { succeeded: ['a', 'b'], failed: ['c'] } };
    moveCountedUncounted(status, new Set(['b']));
    expect(status).toEqual({ succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: ['b'], failed: [] } });
  });
  it.each([
    ['uncounted pods', { uncountedTerminatedPods: { failed: ['x'] } }, 0, false],
    ['terminating pods', {}, 1, false],
    ['nothing left', {}, 0, true],
  ])('declares the Job finished unless there are %s', (_name, status, terminating, want) => {
    const terminal = { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'm' };
    const s: Job['status'] = structuredClone(status);
    expect(enactFinished(s!, terminal, terminating, NOW)).toBe(want);
    expect(Boolean(s?.completionTime)).toBe(want);
  });
  it.each([
    [{ ttlSecondsAfterFinished: 100 }, NOW - 40_000, 60_000],
    [{ ttlSecondsAfterFinished: 0 }, NOW - 1, -1],
    [{}, NOW, undefined],
  ])('ttl %j finished at %i leaves %j ms', (spec, at, want) => {
    const finished = job(spec, { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: iso(at) }] });
    expect(ttlRemaining(finished, NOW)).toBe(want);
  });
});
