import { describe, expect, it } from 'vitest';
import type { DeploymentStatus } from 'kubernetes-types/apps/v1';
import {
  calculateStatus,
  deploymentTimedOut,
  pauseCondition,
  rolloutStatus,
  stuckRequeueAfter,
} from '../src/deployment/status.js';
import { formatTime } from '@mini-kube/machinery';
import { deployment, replicaSet } from './deployment-fixtures.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const cond = (status: DeploymentStatus, type: string) => status.conditions?.find((c) => c.type === type);

describe('calculateStatus', () => {
  it('sums the ReplicaSets and sets Available against maxUnavailable', () => {
    const d = deployment(4); // maxUnavailable 25% → 1, so 3 available suffice
    const old = replicaSet('old', 1, 1);
    const cur = replicaSet('new', 3, 2, { ready: 3 });
    const s = calculateStatus(d, [old, cur], cur, NOW);
    expect(s).toMatchObject({ observedGeneration: 1, replicas: 4, updatedReplicas: 3, readyReplicas: 4, availableReplicas: 3, unavailableReplicas: 1 });
    expect(cond(s, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    const fewer = calculateStatus(d, [replicaSet('new', 4, 2)], undefined, NOW);
    expect(cond(fewer, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
  });
});

describe('rolloutStatus', () => {
  it('marks a complete rollout NewReplicaSetAvailable', () => {
    const d = deployment(2);
    const rs = replicaSet('web-1', 2, 2);
    const s = rolloutStatus(d, [rs], rs, NOW);
    expect(cond(s, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-1" has successfully progressed.' });
  });

  it('refreshes lastUpdateTime while progressing but keeps lastTransitionTime', () => {
    const d = deployment(3);
    const earlier = formatTime(NOW - 60_000);
    d.status = {
      replicas: 3,
      updatedReplicas: 1,
      availableReplicas: 2,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: earlier, lastTransitionTime: earlier }],
    };
    const s = rolloutStatus(d, [replicaSet('old', 1, 1), replicaSet('new', 2, 2)], replicaSet('new', 2, 2), NOW);
    expect(cond(s, 'Progressing')).toMatchObject({ reason: 'ReplicaSetUpdated', lastUpdateTime: formatTime(NOW), lastTransitionTime: earlier });
  });

  it('reports ProgressDeadlineExceeded once the deadline passed without progress', () => {
    const d = deployment(3);
    d.spec!.progressDeadlineSeconds = 30;
    const stale = formatTime(NOW - 31_000);
    d.status = {
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 0,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: stale, lastTransitionTime: stale }],
    };
    const rs = replicaSet('new', 3, 0);
    expect(deploymentTimedOut(d, d.status, NOW)).toBe(true);
    expect(deploymentTimedOut(d, d.status, NOW - 2000)).toBe(false);
    const s = rolloutStatus(d, [rs], rs, NOW);
    expect(cond(s, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "new" has timed out progressing.' });
  });

  it('asks to look again when the deadline will pass', () => {
    const d = deployment(3);
    d.spec!.progressDeadlineSeconds = 30;
    const at = formatTime(NOW - 10_000);
    const status: DeploymentStatus = {
      replicas: 3,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: at, lastTransitionTime: at }],
    };
    expect(stuckRequeueAfter(d, status, NOW)).toBe(21_000);
    expect(stuckRequeueAfter(d, { ...status, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 1 }, NOW)).toBeUndefined();
  });

  it('copies a ReplicaSet ReplicaFailure condition', () => {
    const rs = { ...replicaSet('new', 3, 0) };
    Object.assign(rs, { status: { ...rs.status!, replicas: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: formatTime(NOW) }] } });
    const s = rolloutStatus(deployment(3), [rs], rs, NOW);
    expect(cond(s, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: 'quota' });
  });
});

describe('pauseCondition', () => {
  it.each([
    { paused: true, reason: 'NewReplicaSetAvailable', want: 'DeploymentPaused' },
    { paused: true, reason: 'DeploymentPaused', want: undefined },
    { paused: false, reason: 'DeploymentPaused', want: 'DeploymentResumed' },
    { paused: false, reason: 'ReplicaSetUpdated', want: undefined },
  ])('paused $paused with $reason → $want', ({ paused, reason, want }) => {
    const d = deployment(1);
    d.spec!.paused = paused;
    d.status = { conditions: [{ type: 'Progressing', status: 'True', reason }] };
    const c = pauseCondition(d, NOW);
    expect(c?.reason).toBe(want);
    if (c) expect(c.status).toBe('Unknown');
  });
});
