// Pure parts of describe and rollout: the describe tab layout, selectors, QoS, rollout status
// messages, history diffs and the fail-fast pod check.
import { describe, expect, it } from 'vitest';
import { formatLabelSelector, selectorString } from '../src/describe/format.js';
import { podQOS } from '../src/describe/pod.js';
import { templatesEqual } from '../src/describe/template.js';
import { PrefixWriter } from '../src/describe/writer.js';
import { diffTemplates, rollbackPatch } from '../src/rollout/history.js';
import { deploymentStatus, podFailure } from '../src/rollout/status.js';

describe('PrefixWriter', () => {
  it('aligns a block with padding 2 and aligns again after a flush', () => {
    const w = new PrefixWriter();
    w.write(0, 'Name:\tsolo\n');
    w.write(0, 'Service Account:\tdefault\n');
    w.write(1, 'IP:\t1.2.3.4\n');
    w.flush();
    w.write(0, 'Events:\n  Type\tReason\n');
    w.write(1, 'Normal\tStarted\n');
    expect(w.toString()).toBe('Name:             solo\nService Account:  default\n  IP:             1.2.3.4\nEvents:\n  Type    Reason\n  Normal  Started\n');
  });
});

describe('selectors', () => {
  it.each([
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, 'env in (dev,prod)'],
    [{ matchExpressions: [{ key: 'x', operator: 'Exists' }], matchLabels: { a: '1' } }, 'a=1,x'],
    [undefined, '<none>'],
  ])('%j → %s', (sel, text) => {
    expect(formatLabelSelector(sel as any)).toBe(text);
    expect(selectorString(sel as any)).toBe(text === '<none>' ? '' : text);
  });
});

describe('podQOS', () => {
  const pod = (resources: any) => ({ spec: { containers: [{ name: 'c', resources }] } });
  it.each([
    [{}, 'BestEffort'],
    [{ requests: { cpu: '100m' } }, 'Burstable'],
    [{ limits: { cpu: '1', memory: '1Gi' } }, 'Guaranteed'],
    [{ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, 'Burstable'],
  ])('%j → %s', (resources, qos) => expect(podQOS(pod(resources))).toBe(qos));
});

describe('deploymentStatus', () => {
  const d = (spec: any, status: any, generation = 1) => ({ metadata: { name: 'web', generation, annotations: { 'deployment.kubernetes.io/revision': '2' } }, spec, status: { observedGeneration: 1, ...status } });
  it.each([
    [d({ replicas: 2 }, {}, 2), 'Waiting for deployment spec update to be observed...\n', false],
    [d({ replicas: 2 }, { updatedReplicas: 1 }), 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n', false],
    [d({ replicas: 2 }, { updatedReplicas: 2, replicas: 3 }), 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n', false],
    [d({ replicas: 2 }, { updatedReplicas: 2, replicas: 2, availableReplicas: 1 }), 'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...\n', false],
    [d({ replicas: 2 }, { updatedReplicas: 2, replicas: 2, availableReplicas: 2 }), 'deployment "web" successfully rolled out\n', true],
  ])('%#', (obj, message, done) => expect(deploymentStatus(obj)).toEqual({ message, done }));

  it('fails on an exceeded progress deadline and on a revision mismatch', () => {
    expect(() => deploymentStatus(d({ replicas: 1 }, { conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }))).toThrow('deployment "web" exceeded its progress deadline');
    expect(() => deploymentStatus(d({ replicas: 1 }, {}), 3)).toThrow('desired revision (3) is different from the running revision (2)');
  });
});

describe('podFailure', () => {
  const pod = (waiting: any) => ({ metadata: { name: 'p' }, status: { containerStatuses: [{ name: 'c', state: { waiting } }] } });
  it.each([
    [pod({ reason: 'ContainerCreating' }), undefined],
    [pod({ reason: 'CrashLoopBackOff', message: 'back-off 10s' }), 'pod "p" container "c" is in CrashLoopBackOff: back-off 10s'],
    [pod({ reason: 'ImagePullBackOff' }), 'pod "p" container "c" is in ImagePullBackOff'],
  ])('%#', (p, text) => expect(podFailure([p])).toBe(text));
});

describe('history', () => {
  const tpl = (image: string, extra: any = {}) => ({ metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'web', image, ...extra }] } });
  it('diffs templates by named list items', () => {
    expect(diffTemplates(tpl('nginx:1'), tpl('nginx:2', { args: ['-v'] }))).toEqual([
      { path: 'metadata.labels.pod-template-hash', from: '"abc"', to: '"abc"' },
      { path: 'spec.containers[web].args[0]', from: undefined, to: '"-v"' },
      { path: 'spec.containers[web].image', from: '"nginx:1"', to: '"nginx:2"' },
    ].filter((c) => c.from !== c.to));
  });
  it('compares templates ignoring the hash label', () => {
    expect(templatesEqual(tpl('a'), { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'a' }] } })).toBe(true);
    expect(templatesEqual(tpl('a'), tpl('b'))).toBe(false);
  });
  it('builds the rollback patch from the ReplicaSet, keeping the deployment-owned annotations', () => {
    const deploy = { metadata: { annotations: { 'deployment.kubernetes.io/revision': '3', other: 'dropped' } } };
    const rs = { metadata: { annotations: { 'deployment.kubernetes.io/revision': '1', 'kubernetes.io/change-cause': 'v1' } }, spec: { template: tpl('nginx:1') } };
    expect(rollbackPatch(deploy, rs)).toEqual([
      { op: 'replace', path: '/spec/template', value: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'v1' } },
    ]);
  });
});
