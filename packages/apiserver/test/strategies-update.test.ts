import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { create, show, update } from './strategies-helpers.js';

const clone = <T>(x: T): T => structuredClone(x);
const meta = { name: 'x', namespace: 'default', uid: 'u-1' };
const template = (image = 'nginx:1', labels: Record<string, string> = { app: 'web' }) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image }] },
});
const deploy: KObject = { metadata: meta, spec: { selector: { matchLabels: { app: 'web' } }, template: template() } };
const pod: KObject = {
  metadata: meta,
  spec: { containers: [{ name: 'c', image: 'nginx:1', ports: [{ containerPort: 80 }] }], activeDeadlineSeconds: 60 },
};
const job: KObject = {
  metadata: meta,
  spec: { template: { spec: { containers: [{ name: 'c', image: 'x:1' }], restartPolicy: 'Never' } } },
};

const POD_FORBIDDEN = 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** [what, kind, group, old, mutate(new), expected "field: message" prefix or [] for allowed] */
type Case = [string, string, string, KObject, (o: any) => void, string | null];

const cases: Case[] = [
  ['deployment image', 'Deployment', 'apps', deploy, (d) => (d.spec.template.spec.containers[0].image = 'nginx:2'), null],
  ['deployment selector', 'Deployment', 'apps', deploy, (d) => {
    d.spec.selector = { matchLabels: { app: 'web', v: '2' } };
    d.spec.template.metadata.labels.v = '2';
  }, 'spec.selector: Invalid value: {"matchLabels":{"app":"web","v":"2"}}: field is immutable'],
  ['replicaset selector', 'ReplicaSet', 'apps', deploy, (d) => {
    d.spec.selector = { matchLabels: { app: 'web', v: '2' } };
    d.spec.template.metadata.labels.v = '2';
  }, 'spec.selector: Invalid value'],
  ['daemonset selector', 'DaemonSet', 'apps', deploy, (d) => {
    d.spec.selector = { matchLabels: { app: 'api' } };
    d.spec.template.metadata.labels = { app: 'api' };
  }, 'spec.selector: Invalid value: {"matchLabels":{"app":"api"}}: field is immutable'],
  ['statefulset replicas', 'StatefulSet', 'apps', deploy, (d) => (d.spec.replicas = 5), null],
  ['statefulset serviceName', 'StatefulSet', 'apps', deploy, (d) => (d.spec.serviceName = 'other'),
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"],
  ['name change', 'Deployment', 'apps', deploy, (d) => (d.metadata.name = 'y'), 'metadata.name: Invalid value: "y": field is immutable'],
  ['pod image', 'Pod', '', pod, (p) => (p.spec.containers[0].image = 'nginx:2'), null],
  ['pod labels', 'Pod', '', pod, (p) => (p.metadata.labels = { a: 'b' }), null],
  ['pod toleration added', 'Pod', '', pod, (p) => (p.spec.tolerations ??= []).push({ key: 'k', operator: 'Exists' }), null],
  ['pod port', 'Pod', '', pod, (p) => (p.spec.containers[0].ports[0].containerPort = 81), POD_FORBIDDEN],
  ['pod toleration removed', 'Pod', '', { ...pod, spec: { ...(pod.spec as object), tolerations: [{ key: 'k', operator: 'Exists' }] } }, (p) => p.spec.tolerations.shift(), 'spec.tolerations: Forbidden: existing toleration can not be modified'],
  ['pod deadline raised', 'Pod', '', pod, (p) => (p.spec.activeDeadlineSeconds = 120), 'spec.activeDeadlineSeconds: Invalid value: 120: must be less than or equal to previous value'],
  ['pod deadline lowered', 'Pod', '', pod, (p) => (p.spec.activeDeadlineSeconds = 30), null],
  ['job parallelism', 'Job', 'batch', job, (j) => (j.spec.parallelism = 3), null],
  ['job template', 'Job', 'batch', job, (j) => (j.spec.template.spec.containers[0].image = 'x:2'), 'spec.template: Invalid value'],
  ['job selector', 'Job', 'batch', job, (j) => (j.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } }), 'spec.selector: Invalid value: {"matchLabels":{"batch.kubernetes.io/controller-uid":"other"}}: field is immutable'],
  ['job completions', 'Job', 'batch', job, (j) => (j.spec.completions = 4), 'spec.completions: Invalid value: 4: field is immutable'],
  ['service clusterIP kept', 'Service', '', { metadata: meta, spec: { clusterIP: '127.96.0.9', ports: [{ port: 80 }] } }, (s) => delete s.spec.clusterIP, null],
  ['service clusterIP changed', 'Service', '', { metadata: meta, spec: { clusterIP: '127.96.0.9', ports: [{ port: 80 }] } }, (s) => (s.spec.clusterIP = 'None'), 'spec.clusterIPs[0]: Invalid value: ["None"]: may not change once set'],
  ['immutable configmap', 'ConfigMap', '', { metadata: meta, immutable: true, data: { a: '1' } }, (c) => (c.data.a = '2'), 'data: Forbidden: field is immutable when `immutable` is set'],
  ['mutable configmap', 'ConfigMap', '', { metadata: meta, data: { a: '1' } }, (c) => (c.data.a = '2'), null],
  ['secret type', 'Secret', '', { metadata: meta, type: 'Opaque' }, (s) => (s.type = 'example.com/token'), 'type: Invalid value: "example.com/token": field is immutable'],
  ['pvc resize', 'PersistentVolumeClaim', '', { metadata: meta, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }, (c) => (c.spec.resources.requests.storage = '2Gi'), null],
  ['pvc access modes', 'PersistentVolumeClaim', '', { metadata: meta, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }, (c) => (c.spec.accessModes = ['ReadWriteMany']), 'spec: Forbidden: spec is immutable after creation except resources.requests for bound claims'],
];

describe('strategy update validation', () => {
  it.each(cases)('%s', (_what, kind, group, old, mutate, expected) => {
    // A client edits the stored object, which carries the server's defaults.
    const stored = create(kind, group, old).obj;
    const next = clone(stored);
    mutate(next);
    const errs = show(update(kind, group, stored, next));
    if (expected === null) expect(errs).toEqual([]);
    else expect(errs).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('names the changed pod fields after the forbidden message', () => {
    const next = clone(pod);
    (next.spec as any).containers[0].ports[0].containerPort = 81;
    const [err] = update('Pod', '', pod, next);
    expect(err?.message).toContain('\n  spec.containers[0].ports[0].containerPort');
  });
});

