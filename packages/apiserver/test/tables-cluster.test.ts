// Rows of Node, Namespace, Lease, ConfigMap, Secret, ServiceAccount, PV, PVC, Event, HPA, and the
// default table; and a printer for every kind of the kind table.
import { describe, expect, it } from 'vitest';
import { RESOURCES, type KObject } from '@mini-kube/api';
import { tableConvertorFor } from '../src/tables/index.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const cells = (group: string, kind: string, obj: object) => tableConvertorFor(group, kind).cells(obj as KObject, NOW);
const columnNames = (group: string, kind: string) => tableConvertorFor(group, kind).columns.map((c) => `${c.name}${c.priority ? '¹' : ''}`);

describe('every kind', () => {
  it('has a printer whose cells match its columns, and only unknown kinds get the default table', () => {
    for (const r of RESOURCES) {
      const convertor = tableConvertorFor(r.group, r.kind);
      expect(convertor.columns.map((c) => c.name), `${r.group}/${r.kind}`).not.toContain('Created At');
      expect(convertor.cells({ metadata: { name: 'x' } }, NOW)).toHaveLength(convertor.columns.length);
      expect(convertor.columns.filter((c) => c.format === 'name')).toHaveLength(1);
    }
  });

  it('prints kinds without a printer as Name and the raw Created At', () => {
    const convertor = tableConvertorFor('example.com', 'Widget');
    expect(convertor.columns.map((c) => [c.name, c.type, c.format])).toEqual([['Name', 'string', 'name'], ['Created At', 'date', '']]);
    expect(convertor.cells({ metadata: { name: 'w1', creationTimestamp: '2024-04-30T08:00:00Z' } }, NOW)).toEqual(['w1', '2024-04-30T08:00:00Z']);
  });
});

describe('nodes', () => {
  const node = (extra: { labels?: Record<string, string>; unschedulable?: boolean; conditions?: object[] }) => ({
    metadata: { name: 'node-1', creationTimestamp: ago(8 * 24 * 3600), labels: extra.labels },
    spec: { unschedulable: extra.unschedulable },
    status: {
      conditions: extra.conditions ?? [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '127.10.0.1' }],
      nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Ubuntu 24.04', kernelVersion: '6.8.0', containerRuntimeVersion: 'mini-kube://0.1.0' },
    },
  });

  it('has the real columns', () => {
    expect(columnNames('', 'Node')).toEqual([
      'Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP¹', 'External-IP¹', 'OS-Image¹', 'Kernel-Version¹', 'Container-Runtime¹',
    ]);
  });

  it('prints a ready worker', () => {
    expect(cells('', 'Node', node({}))).toEqual([
      'node-1', 'Ready', '<none>', '8d', 'v1.32.4', '127.10.0.1', '<none>', 'Ubuntu 24.04', '6.8.0', 'mini-kube://0.1.0',
    ]);
  });

  it.each<[string, Parameters<typeof node>[0], string, string]>([
    ['a cordoned node', { unschedulable: true }, 'Ready,SchedulingDisabled', '<none>'],
    ['a node that stopped reporting', { conditions: [{ type: 'Ready', status: 'Unknown' }] }, 'NotReady', '<none>'],
    ['a node without conditions', { conditions: [] }, 'Unknown', '<none>'],
    ['roles from both label styles', {
      labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'etcd' },
    }, 'Ready', 'control-plane,etcd'],
  ])('%s', (_, extra, status, roles) => {
    expect(cells('', 'Node', node(extra)).slice(1, 3)).toEqual([status, roles]);
  });
});

describe('namespaces, leases, config', () => {
  it('prints namespace phase', () => {
    expect(cells('', 'Namespace', { metadata: { name: 'default', creationTimestamp: ago(30) }, status: { phase: 'Active' } })).toEqual(['default', 'Active', '30s']);
  });

  it('prints the lease holder', () => {
    const lease = { metadata: { name: 'node-1', creationTimestamp: ago(3600) }, spec: { holderIdentity: 'node-1' } };
    expect(cells('coordination.k8s.io', 'Lease', lease)).toEqual(['node-1', 'node-1', '60m']);
  });

  it('counts configmap data and binaryData together', () => {
    const cm = { metadata: { name: 'cfg', creationTimestamp: ago(10) }, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } };
    expect(cells('', 'ConfigMap', cm)).toEqual(['cfg', 3, '10s']);
    expect(cells('', 'ConfigMap', { metadata: { name: 'empty' } })[1]).toBe(0);
  });

  it('prints secret type and key count', () => {
    const secret = { metadata: { name: 'tls', creationTimestamp: ago(10) }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } };
    expect(cells('', 'Secret', secret)).toEqual(['tls', 'kubernetes.io/tls', 2, '10s']);
  });

  it('counts service account secrets', () => {
    expect(cells('', 'ServiceAccount', { metadata: { name: 'default', creationTimestamp: ago(10) } })).toEqual(['default', 0, '10s']);
  });
});

describe('persistent volumes and claims', () => {
  it('prints a bound volume', () => {
    expect(columnNames('', 'PersistentVolume')).toEqual([
      'Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode¹',
    ]);
    const pv = {
      metadata: { name: 'pv-1', creationTimestamp: ago(60) },
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'local',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    };
    expect(cells('', 'PersistentVolume', pv)).toEqual(['pv-1', '5Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'local', '<unset>', '', '60s', 'Filesystem']);
  });

  it('prints a pending claim without capacity, a deleted one as Terminating', () => {
    const pvc = { metadata: { name: 'data', creationTimestamp: ago(60) }, spec: { resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } };
    expect(cells('', 'PersistentVolumeClaim', pvc)).toEqual(['data', 'Pending', '', '', '', '', '<unset>', '60s', '<unset>']);
    const bound = {
      metadata: { name: 'data', deletionTimestamp: ago(1), annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } },
      spec: { volumeName: 'pv-1', storageClassName: 'local' },
      status: { phase: 'Bound', capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOncePod'] },
    };
    expect(cells('', 'PersistentVolumeClaim', bound).slice(1, 6)).toEqual(['Terminating', 'pv-1', '5Gi', 'RWOP', 'old']);
  });
});

describe('events', () => {
  const expectedColumns = ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject¹', 'Source¹', 'Message', 'First Seen¹', 'Count¹', 'Name¹'];

  it('has the same columns for core and events.k8s.io events', () => {
    expect(columnNames('', 'Event')).toEqual(expectedColumns);
    expect(columnNames('events.k8s.io', 'Event')).toEqual(expectedColumns);
    expect(tableConvertorFor('', 'Event').columns.find((c) => c.name === 'Name')?.format).toBe('name');
  });

  it('prints a core event', () => {
    const ev = {
      metadata: { name: 'web-1.17c', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      message: '  Container image "nginx" already present on machine\n',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ago(600),
      lastTimestamp: ago(30),
      count: 4,
      type: 'Normal',
    };
    expect(cells('', 'Event', ev)).toEqual([
      '30s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{web}', 'kubelet, node-1',
      'Container image "nginx" already present on machine', '10m', 4, 'web-1.17c',
    ]);
  });

  it('prints a new-style event from eventTime with count 1', () => {
    const ev = {
      metadata: { name: 'e2' },
      involvedObject: { kind: 'Node', name: 'node-1' },
      reason: 'Starting',
      message: 'Starting kubelet.',
      eventTime: '2024-05-01T11:59:00.123456Z',
      reportingComponent: 'kubelet',
      type: 'Normal',
    };
    expect(cells('', 'Event', ev)).toEqual(['59s', 'Normal', 'Starting', 'node/node-1', '', 'kubelet', 'Starting kubelet.', '59s', 1, 'e2']);
  });

  it('prints an events.k8s.io event with a series', () => {
    const ev = {
      metadata: { name: 'e3' },
      regarding: { kind: 'Deployment', name: 'web' },
      reason: 'ScalingReplicaSet',
      note: 'Scaled up replica set web-7d4 to 3',
      eventTime: ago(3600),
      series: { count: 5, lastObservedTime: ago(120) },
      reportingController: 'deployment-controller',
      type: 'Normal',
    };
    expect(cells('events.k8s.io', 'Event', ev)).toEqual([
      '2m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up replica set web-7d4 to 3', '60m', 5, 'e3',
    ]);
  });
});

describe('horizontal pod autoscalers', () => {
  const hpa = (metrics: object[] | undefined, currentMetrics?: object[], minReplicas: number | null = 2) => ({
    metadata: { name: 'some-hpa' },
    spec: { scaleTargetRef: { kind: 'ReplicationController', name: 'some-rc' }, minReplicas: minReplicas ?? undefined, maxReplicas: 10, metrics },
    status: { currentReplicas: 4, desiredReplicas: 5, currentMetrics },
  });
  const cpuUtilization = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };

  it('prints <none> without metrics and <unset> without minReplicas', () => {
    expect(cells('autoscaling', 'HorizontalPodAutoscaler', hpa(undefined, undefined, null))).toEqual([
      'some-hpa', 'ReplicationController/some-rc', '<none>', '<unset>', 10, 4, '<unknown>',
    ]);
  });

  it.each<[string, object, object | undefined, string]>([
    ['external average, no current', { type: 'External', external: { metric: { name: 'm' }, target: { type: 'AverageValue', averageValue: '100m' } } }, undefined, '<unknown>/100m (avg)'],
    ['external average', { type: 'External', external: { metric: { name: 'm' }, target: { type: 'AverageValue', averageValue: '100m' } } },
      { type: 'External', external: { metric: { name: 'm' }, current: { averageValue: '50m' } } }, '50m/100m (avg)'],
    ['external value', { type: 'External', external: { metric: { name: 'm' }, target: { type: 'Value', value: '100m' } } },
      { type: 'External', external: { metric: { name: 'm' }, current: { value: '50m' } } }, '50m/100m'],
    ['pods, no current', { type: 'Pods', pods: { metric: { name: 'm' }, target: { type: 'AverageValue', averageValue: '100m' } } }, undefined, '<unknown>/100m'],
    ['object value', { type: 'Object', object: { describedObject: { kind: 'Service', name: 's' }, metric: { name: 'm' }, target: { type: 'Value', value: '100m' } } },
      { type: 'Object', object: { describedObject: { kind: 'Service', name: 's' }, metric: { name: 'm' }, current: { value: '50m' } } }, '50m/100m'],
    ['resource average value, no current', { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } } }, undefined, 'cpu: <unknown>/100m'],
    ['resource average value', { type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } } },
      { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '50m' } } }, 'cpu: 50m/100m'],
    ['resource utilization, no current', cpuUtilization, undefined, 'cpu: <unknown>/80%'],
    ['resource utilization', cpuUtilization, { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50 } } }, 'cpu: 50%/80%'],
    ['container resource utilization', { type: 'ContainerResource', containerResource: { name: 'memory', container: 'web', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'ContainerResource', containerResource: { name: 'memory', container: 'web', current: { averageUtilization: 20 } } }, 'memory: 20%/70%'],
  ])('%s', (_, metric, current, targets) => {
    expect(cells('autoscaling', 'HorizontalPodAutoscaler', hpa([metric], current ? [current] : undefined))[2]).toBe(targets);
  });

  it('prints two metrics, then how many more', () => {
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 60 } } };
    const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
    const row = cells('autoscaling', 'HorizontalPodAutoscaler', hpa([cpuUtilization, memory, pods]));
    expect(row[2]).toBe('cpu: <unknown>/80%, memory: <unknown>/60% + 1 more...');
  });
});
