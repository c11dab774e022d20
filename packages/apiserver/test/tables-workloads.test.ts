// Rows of the apps/v1 and batch/v1 kinds.
import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { tableConvertorFor } from '../src/tables/index.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const cells = (group: string, kind: string, obj: object) => tableConvertorFor(group, kind).cells(obj as KObject, NOW);
const columnNames = (group: string, kind: string) => tableConvertorFor(group, kind).columns.map((c) => `${c.name}${c.priority ? '¹' : ''}`);

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'log', image: 'busybox' }] },
};

describe('deployments', () => {
  it('has the real columns', () => {
    expect(columnNames('apps', 'Deployment')).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers¹', 'Images¹', 'Selector¹']);
  });

  it('prints ready/desired, counts, containers and the selector', () => {
    const deploy = {
      metadata: { name: 'web', creationTimestamp: ago(39) },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', tier: 'fe' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(cells('apps', 'Deployment', deploy)).toEqual(['web', '2/3', 3, 2, '39s', 'web,log', 'nginx:1.25,busybox', 'app=web,tier=fe']);
  });

  it('prints a fresh deployment with no status as 0/N', () => {
    const deploy = { metadata: { name: 'new' }, spec: { replicas: 2, selector: {}, template } };
    expect(cells('apps', 'Deployment', deploy).slice(0, 4)).toEqual(['new', '0/2', 0, 0]);
    // An empty selector prints as an empty string for deployments.
    expect(cells('apps', 'Deployment', deploy)[7]).toBe('');
  });
});

describe('replicasets', () => {
  it('prints integer counts and <none> for an empty selector', () => {
    const rs = { metadata: { name: 'web-7d4', creationTimestamp: ago(600) }, spec: { replicas: 3, template }, status: { replicas: 3, readyReplicas: 1 } };
    expect(cells('apps', 'ReplicaSet', rs)).toEqual(['web-7d4', 3, 3, 1, '10m', 'web,log', 'nginx:1.25,busybox', '<none>']);
    expect(tableConvertorFor('apps', 'ReplicaSet').columns.slice(1, 4).map((c) => c.type)).toEqual(['integer', 'integer', 'integer']);
  });

  it('formats set-based selectors like labels.Selector.String()', () => {
    const rs = {
      metadata: { name: 'x' },
      spec: {
        replicas: 1,
        template,
        selector: {
          matchLabels: { tier: 'fe' },
          matchExpressions: [
            { key: 'env', operator: 'In', values: ['prod', 'dev'] },
            { key: 'zone', operator: 'NotIn', values: ['b'] },
            { key: 'canary', operator: 'DoesNotExist' },
            { key: 'app', operator: 'Exists' },
          ],
        },
      },
    };
    expect(cells('apps', 'ReplicaSet', rs)[7]).toBe('app,!canary,env in (dev,prod),tier=fe,zone notin (b)');
  });
});

describe('statefulsets and daemonsets', () => {
  it('prints a statefulset as ready/desired with no selector column', () => {
    expect(columnNames('apps', 'StatefulSet')).toEqual(['Name', 'Ready', 'Age', 'Containers¹', 'Images¹']);
    const sts = { metadata: { name: 'db', creationTimestamp: ago(3 * 3600 + 60) }, spec: { replicas: 3, template }, status: { readyReplicas: 1 } };
    expect(cells('apps', 'StatefulSet', sts)).toEqual(['db', '1/3', '3h1m', 'web,log', 'nginx:1.25,busybox']);
  });

  it('prints daemonset counts and the node selector', () => {
    expect(columnNames('apps', 'DaemonSet')).toEqual([
      'Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers¹', 'Images¹', 'Selector¹',
    ]);
    const ds = {
      metadata: { name: 'agent', creationTimestamp: ago(49 * 3600) },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { ...template, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } } },
      },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    };
    expect(cells('apps', 'DaemonSet', ds)).toEqual([
      'agent', 3, 3, 2, 3, 2, 'disk=ssd,kubernetes.io/os=linux', '2d1h', 'web,log', 'nginx:1.25,busybox', 'app=agent',
    ]);
  });

  it('prints <none> for a daemonset without node selector', () => {
    expect(cells('apps', 'DaemonSet', { metadata: { name: 'x' }, spec: { template } })[6]).toBe('<none>');
  });
});

describe('controller revisions', () => {
  it('names the controller as kind.group/name', () => {
    const cr = {
      metadata: {
        name: 'db-5c4d',
        creationTimestamp: ago(70),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u1', controller: true }],
      },
      revision: 2,
    };
    expect(cells('apps', 'ControllerRevision', cr)).toEqual(['db-5c4d', 'statefulset.apps/db', 2, '70s']);
    expect(cells('apps', 'ControllerRevision', { metadata: { name: 'orphan' }, revision: 1 })[1]).toBe('<none>');
  });
});

describe('jobs', () => {
  it('has the 1.30+ columns: Status, Completions, Duration', () => {
    expect(columnNames('batch', 'Job')).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers¹', 'Images¹', 'Selector¹']);
  });

  const job = (spec: object, status: object, meta: object = {}) => ({
    metadata: { name: 'pi', creationTimestamp: ago(600), ...meta },
    spec: { template, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } }, ...spec },
    status,
  });

  it.each<[string, object, object, object, unknown[]]>([
    ['a completed job', { completions: 1 }, {
      succeeded: 1, startTime: ago(600), completionTime: ago(590),
      conditions: [{ type: 'Complete', status: 'True' }],
    }, {}, ['Complete', '1/1', '10s']],
    ['a running job measures to now', { completions: 3 }, { succeeded: 1, startTime: ago(190) }, {}, ['Running', '1/3', '3m10s']],
    ['a parallel job without completions', { parallelism: 2 }, { startTime: ago(5) }, {}, ['Running', '0/1 of 2', '5s']],
    ['a job not started yet', {}, {}, {}, ['Running', '0/1', '']],
    ['a failed job', { completions: 1 }, { startTime: ago(60), conditions: [{ type: 'Failed', status: 'True' }] }, {}, ['Failed', '0/1', '60s']],
    ['a suspended job', { completions: 1 }, { conditions: [{ type: 'Suspended', status: 'True' }] }, {}, ['Suspended', '0/1', '']],
    ['a job being deleted', { completions: 1 }, {}, { deletionTimestamp: ago(1) }, ['Terminating', '0/1', '']],
  ])('%s', (_, spec, status, meta, expected) => {
    const row = cells('batch', 'Job', job(spec, status, meta));
    expect(row.slice(1, 4)).toEqual(expected);
    expect(row[4]).toBe('10m');
    expect(row[7]).toBe('batch.kubernetes.io/controller-uid=abc');
  });
});

describe('cronjobs', () => {
  it('has the real columns', () => {
    expect(columnNames('batch', 'CronJob')).toEqual([
      'Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers¹', 'Images¹', 'Selector¹',
    ]);
  });

  it('prints last schedule as an age and suspend as True/False', () => {
    const cj = {
      metadata: { name: 'hello', creationTimestamp: ago(3600) },
      spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ name: 'hello-1' }], lastScheduleTime: ago(30) },
    };
    expect(cells('batch', 'CronJob', cj)).toEqual(['hello', '*/1 * * * *', '<none>', 'False', 1, '30s', '60m', 'web,log', 'nginx:1.25,busybox', '<none>']);
  });

  it('prints <none> before the first schedule and <unset> without suspend', () => {
    const cj = { metadata: { name: 'x' }, spec: { schedule: '0 2 * * *', timeZone: 'Etc/UTC', jobTemplate: { spec: { template } } } };
    expect(cells('batch', 'CronJob', cj).slice(1, 6)).toEqual(['0 2 * * *', 'Etc/UTC', '<unset>', 0, '<none>']);
  });
});
