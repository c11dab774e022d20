// updateManagedFields skips what a write leaves alone (equal subtrees, the reset field, managers it
// does not touch, a writer setting again only fields it owns): each step of these write sequences
// must give exactly the entries of the plain algorithm (managed-fields-reference.ts), byte for byte.
import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { updateManagedFields } from '../src/apply/index.js';
import { managerId } from '../src/apply/managers.js';
import { referenceManagedFields } from './managed-fields-reference.js';

interface Write {
  what: string;
  manager: string;
  subresource?: string;
  change: (obj: any) => void;
}

const T = (minute: number): string => `2025-01-01T00:${String(minute).padStart(2, '0')}:00Z`;
const cond = (type: string, status: string, minute: number, reason?: string) => ({
  type,
  status,
  lastProbeTime: null,
  lastTransitionTime: T(minute),
  ...(reason ? { reason, message: `containers with unready status: [web]` } : {}),
});

function pod(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'default',
      uid: 'u-1',
      creationTimestamp: T(0),
      labels: { app: 'web', 'pod-template-hash': '7d4b' },
      annotations: { note: 'x' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b', uid: 'rs-1', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
          env: [{ name: 'A', value: '1' }, { name: 'IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }],
          resources: { requests: { cpu: '100m' } },
        },
      ],
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

const POD_WRITES: Write[] = [
  {
    what: 'binding: spec.nodeName and the PodScheduled condition',
    manager: 'kube-scheduler',
    subresource: 'binding',
    change: (p) => {
      p.spec.nodeName = 'node-1';
      p.status.conditions = [cond('PodScheduled', 'True', 1)];
    },
  },
  {
    what: 'kubelet, Pending: new conditions, hostIP, a waiting container',
    manager: 'kubelet',
    subresource: 'status',
    change: (p) => {
      p.status.conditions = [cond('Initialized', 'True', 2), cond('Ready', 'False', 2, 'ContainersNotReady'), p.status.conditions[0]];
      p.status.hostIP = '127.10.0.1';
      p.status.startTime = T(2);
      p.status.containerStatuses = [{ name: 'web', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }];
    },
  },
  {
    what: 'kubelet, Running: waiting replaced by running, podIP added',
    manager: 'kubelet',
    subresource: 'status',
    change: (p) => {
      p.status.phase = 'Running';
      p.status.conditions[1] = cond('Ready', 'True', 3);
      p.status.podIP = '10.244.0.5';
      p.status.podIPs = [{ ip: '10.244.0.5' }];
      p.status.containerStatuses[0] = { name: 'web', ready: true, restartCount: 0, state: { running: { startedAt: T(3) } } };
    },
  },
  {
    what: 'kubelet again, only fields it owns (the fast path)',
    manager: 'kubelet',
    subresource: 'status',
    change: (p) => {
      p.status.conditions[1].lastTransitionTime = T(4);
      p.status.containerStatuses[0].restartCount = 1;
    },
  },
  {
    what: 'a status write changing a field another manager owns',
    manager: 'kube-controller-manager',
    subresource: 'status',
    change: (p) => {
      p.status.conditions[2] = cond('PodScheduled', 'True', 5);
      p.status.phase = 'Running';
    },
  },
  {
    what: 'spec ignored on /status (the reset field), no other change',
    manager: 'kubelet',
    subresource: 'status',
    change: (p) => {
      p.spec.containers[0].image = 'nginx:1.28';
    },
  },
  {
    what: 'main resource: a label added, an annotation removed, status ignored',
    manager: 'kubectl-label',
    change: (p) => {
      p.metadata.labels.tier = 'front';
      delete p.metadata.annotations;
      p.status.phase = 'Failed';
    },
  },
  {
    what: 'main resource: an image and an env item changed, an ownerReference removed',
    manager: 'kubectl-edit',
    change: (p) => {
      p.spec.containers[0].image = 'nginx:1.29';
      p.spec.containers[0].env[0].value = '2';
      p.metadata.ownerReferences = [];
    },
  },
  {
    what: 'the same manager again, only its own field',
    manager: 'kubectl-edit',
    change: (p) => {
      p.spec.containers[0].image = 'nginx:1.30';
    },
  },
  {
    what: 'nothing changed at all',
    manager: 'kubelet',
    subresource: 'status',
    change: () => undefined,
  },
];

function deployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-1', generation: 1, labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
    },
  };
}

const DEPLOYMENT_WRITES: Write[] = [
  {
    what: 'first status',
    manager: 'kube-controller-manager',
    subresource: 'status',
    change: (d) => {
      d.status = { observedGeneration: 1, replicas: 3, updatedReplicas: 3, conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated' }] };
    },
  },
  {
    what: 'counts moved (owned: the fast path)',
    manager: 'kube-controller-manager',
    subresource: 'status',
    change: (d) => {
      d.status.readyReplicas = undefined;
      d.status.replicas = 2;
      d.status.conditions[0].reason = 'ReplicaSetUpdated';
    },
  },
  {
    what: 'a condition added, a count added',
    manager: 'kube-controller-manager',
    subresource: 'status',
    change: (d) => {
      d.status.availableReplicas = 3;
      d.status.conditions.push({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' });
    },
  },
  {
    what: 'scale by another manager',
    manager: 'kubectl-scale',
    change: (d) => {
      d.spec.replicas = 5;
    },
  },
  {
    what: 'a container added to the template, an atomic selector map',
    manager: 'kubectl-edit',
    change: (d) => {
      d.spec.template.spec.containers.push({ name: 'sidecar', image: 'busybox' });
      d.spec.template.spec.nodeSelector = { disk: 'ssd' };
    },
  },
  {
    what: 'a condition removed',
    manager: 'kube-controller-manager',
    subresource: 'status',
    change: (d) => {
      d.status.conditions.pop();
    },
  },
];

function lease(): KObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-1', namespace: 'kube-node-lease', uid: 'l-1' },
    spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:00.000000Z' },
  };
}

const renew = (n: number): Write => ({
  what: `renewal ${n}`,
  manager: 'kubelet',
  change: (l) => {
    l.spec.renewTime = `2025-01-01T00:00:${String(10 * n).padStart(2, '0')}.000000Z`;
  },
});

const LEASE_WRITES: Write[] = [
  renew(1),
  renew(2),
  { what: 'taken over by another holder', manager: 'other', change: (l) => ((l.spec.holderIdentity = 'other'), (l.spec.leaseTransitions = 1)) },
  renew(3),
];

// Eleven managers each setting a label of their own: the oldest fold into ancient-changes.
const MANY_MANAGERS: Write[] = Array.from({ length: 11 }, (_, i) => ({
  what: `manager ${i}`,
  manager: `m${i}`,
  change: (o: any) => {
    o.metadata.labels[`l${i}`] = 'x';
  },
}));

const KINDS = { pod: ['', 'Pod', 'v1'], deployment: ['apps', 'Deployment', 'apps/v1'], lease: ['coordination.k8s.io', 'Lease', 'coordination.k8s.io/v1'] } as const;

const SEQUENCES: { name: string; kind: keyof typeof KINDS; start: () => KObject; creator: string; writes: Write[] }[] = [
  { name: 'a pod scheduled, started and edited', kind: 'pod', start: pod, creator: 'kube-controller-manager', writes: POD_WRITES },
  { name: 'a deployment rolled out and scaled', kind: 'deployment', start: deployment, creator: 'kubectl-create', writes: DEPLOYMENT_WRITES },
  { name: 'a node lease renewed', kind: 'lease', start: lease, creator: 'kubelet', writes: LEASE_WRITES },
  { name: 'more than ten updaters', kind: 'pod', start: pod, creator: 'creator', writes: MANY_MANAGERS },
];

/** Creates `start` (unless it has managedFields) and runs the writes, checking each against the reference. */
function run(kind: keyof typeof KINDS, start: KObject, creator: string, writes: Write[]): KObject {
  const [group, k, apiVersion] = KINDS[kind];
  const base = { group, kind: k, apiVersion, operation: 'Update' } as const;
  const created = () => updateManagedFields({ ...base, old: undefined, updated: start, manager: creator, time: T(0) });
  let current: KObject = start.metadata.managedFields ? start : { ...start, metadata: { ...start.metadata, managedFields: created() } };
  writes.forEach((write, i) => {
    const updated = structuredClone(current);
    write.change(updated);
    const options = { ...base, old: current, updated, manager: write.manager, time: T(10 + i), ...(write.subresource ? { subresource: write.subresource } : {}) };
    const fast = updateManagedFields(options);
    expect(JSON.stringify(fast), write.what).toBe(JSON.stringify(referenceManagedFields(options)));
    current = { ...updated, metadata: { ...updated.metadata, managedFields: fast } };
  });
  return current;
}

describe('managerId', () => {
  it.each([
    { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', subresource: 'status' },
    { manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1' },
    { manager: '', operation: 'Update', apiVersion: '' },
    { manager: 'a "quoted" \\ name', operation: 'Update', apiVersion: 'v1', subresource: '' },
  ] as const)('is the JSON of the entry fields that identify a manager: %j', (m) => {
    const expected = JSON.stringify({
      manager: m.manager || undefined,
      operation: m.operation,
      apiVersion: m.operation === 'Apply' ? undefined : m.apiVersion || undefined,
      subresource: ('subresource' in m && m.subresource) || undefined,
    });
    expect(managerId(m)).toBe(expected);
  });
});

describe('updateManagedFields fast paths', () => {
  it.each(SEQUENCES)('match the plain algorithm at every write: $name', ({ kind, start, creator, writes }) => {
    const last = run(kind, start(), creator, writes);
    expect(last.metadata.managedFields?.length).toBeGreaterThan(1);
  });

  it('leave untouched entries as they were stored (the same FieldsV1 objects, not re-encoded)', () => {
    const started = run('pod', pod(), 'kube-controller-manager', POD_WRITES.slice(0, 3));
    const updated = structuredClone(started);
    (updated.status as { podIP?: string }).podIP = '10.244.0.6';
    const entries = updateManagedFields({ group: '', kind: 'Pod', apiVersion: 'v1', operation: 'Update', old: started, updated, manager: 'kubelet', subresource: 'status', time: T(30) });
    const creator = (list: typeof entries) => list.find((e) => e.manager === 'kube-controller-manager')!;
    expect(creator(entries).fieldsV1).toBe(creator(started.metadata.managedFields!).fieldsV1);
    expect(entries.find((e) => e.manager === 'kubelet')!.time).toBe(T(30));
  });

  it('re-encode stored entries that are not in canonical form, as the plain algorithm does', () => {
    const created = run('lease', lease(), 'kubelet', []);
    // Keys out of order and a lone "." on a leaf: decoding and encoding again normalizes them.
    const messy = { 'f:spec': { 'f:renewTime': { '.': {} }, 'f:holderIdentity': {}, 'f:leaseDurationSeconds': {} } };
    const stored: KObject = { ...created, metadata: { ...created.metadata, managedFields: [{ ...created.metadata.managedFields![0]!, fieldsV1: messy }] } };
    const after = run('lease', stored, 'kubelet', [renew(4)]);
    expect(after.metadata.managedFields![0]!.fieldsV1).toEqual({ 'f:spec': { 'f:holderIdentity': {}, 'f:leaseDurationSeconds': {}, 'f:renewTime': {} } });
    expect(Object.keys((after.metadata.managedFields![0]!.fieldsV1 as any)['f:spec'])).toEqual(['f:holderIdentity', 'f:leaseDurationSeconds', 'f:renewTime']);
  });
});
