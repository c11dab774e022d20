import { describe, expect, it } from 'vitest';
import { setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations } from '../src/deployment/annotations.js';
import { deployment, replicaSet } from './deployment-fixtures.js';

const REV = 'deployment.kubernetes.io/revision';

describe('setNewReplicaSetAnnotations', () => {
  it('stamps a ReplicaSet being created with revision, replicas and copied annotations', () => {
    const d = deployment(3);
    d.metadata!.annotations = { 'kubernetes.io/change-cause': 'set image 1.27', [REV]: '4', 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
    const rs = replicaSet('web-abc', 1, 0);
    expect(setNewReplicaSetAnnotations(d, rs, 5, false, { desired: 3, max: 4 })).toBe(true);
    expect(rs.metadata!.annotations).toEqual({
      'kubernetes.io/change-cause': 'set image 1.27',
      [REV]: '5',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  it('raises a reused ReplicaSet to the new revision and remembers the old one', () => {
    const rs = replicaSet('web-abc', 0, 0, { annotations: { [REV]: '1' } });
    expect(setNewReplicaSetAnnotations(deployment(3), rs, 3, true, { desired: 3, max: 4 })).toBe(true);
    expect(rs.metadata!.annotations).toEqual({ [REV]: '3', 'deployment.kubernetes.io/revision-history': '1' });
    // Once more: revision 5 after 3, history grows.
    setNewReplicaSetAnnotations(deployment(3), rs, 5, true, { desired: 3, max: 4 });
    expect(rs.metadata!.annotations!['deployment.kubernetes.io/revision-history']).toBe('1,3');
  });

  it('never lowers a revision and reports no change when all is current', () => {
    const rs = replicaSet('web-abc', 3, 3, { annotations: { [REV]: '7' } });
    expect(setNewReplicaSetAnnotations(deployment(3), rs, 2, true, { desired: 3, max: 4 })).toBe(false);
    expect(rs.metadata!.annotations![REV]).toBe('7');
  });
});

describe('replicas and deployment revision annotations', () => {
  it('report whether they changed', () => {
    const rs = replicaSet('a', 1, 1);
    expect(setReplicasAnnotations(rs, 3, 4)).toBe(true);
    expect(setReplicasAnnotations(rs, 3, 4)).toBe(false);
    const d = deployment(3);
    expect(setDeploymentRevision(d, '2')).toBe(true);
    expect(setDeploymentRevision(d, '2')).toBe(false);
    expect(d.metadata!.annotations![REV]).toBe('2');
  });
});
