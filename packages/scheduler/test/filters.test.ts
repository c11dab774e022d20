import { describe, expect, it } from 'vitest';
import {
  nodeAffinityFilter,
  nodeNameFilter,
  nodePortsFilter,
  nodeResourcesFit,
  nodeUnschedulableFilter,
  runFilters,
  taintTolerationFilter,
} from '../src/filters/index.js';
import { podRequests } from '../src/resources.js';
import { makePod, nodeInfo, podInfo } from './fixtures.js';

const reasons = (s: ReturnType<typeof runFilters>): string[] | null => (s ? [...s.reasons] : null);

describe('podRequests', () => {
  it.each([
    { name: 'sums containers', pod: makePod('p', { cpu: '250m', memory: '64Mi' }), cpu: 250, memory: 64 * 2 ** 20 },
    {
      name: 'takes the largest init container as a floor',
      pod: makePod('p', { cpu: '100m', initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] }),
      cpu: 2000,
      memory: 0,
    },
    {
      name: 'adds sidecars (restartable init containers) to the running sum',
      pod: makePod('p', { cpu: '100m', initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '300m' } } }] }),
      cpu: 400,
      memory: 0,
    },
  ])('$name', ({ pod, cpu, memory }) => {
    const r = podRequests(pod);
    expect(r.milliCPU).toBe(cpu);
    expect(r.memory).toBe(memory);
  });

  it('adds the pod overhead, and defaults for scoring', () => {
    const pod = makePod('p', { cpu: '1' });
    pod.spec!.overhead = { cpu: '250m' };
    expect(podRequests(pod).milliCPU).toBe(1250);
    expect(podRequests(pod, true).memory).toBe(200 * 2 ** 20);
  });
});

describe('NodeResourcesFit', () => {
  const busy = [podInfo('a', { cpu: '3', memory: '1Gi' })];
  it.each([
    { name: 'fits', pod: podInfo('p', { cpu: '1' }), node: nodeInfo('n', { cpu: '4' }, busy), want: null },
    { name: 'counts pods already there', pod: podInfo('p', { cpu: '1500m' }), node: nodeInfo('n', { cpu: '4' }, busy), want: ['Insufficient cpu'] },
    {
      name: 'reports every missing resource',
      pod: podInfo('p', { cpu: '2', memory: '8Gi' }),
      node: nodeInfo('n', { cpu: '4', memory: '8Gi' }, busy),
      want: ['Insufficient cpu', 'Insufficient memory'],
    },
    { name: 'too many pods', pod: podInfo('p'), node: nodeInfo('n', { pods: '1' }, busy), want: ['Too many pods'] },
    { name: 'extended resource missing on the node', pod: podInfo('p', { extra: { 'example.com/gpu': '1' } }), node: nodeInfo('n'), want: ['Insufficient example.com/gpu'] },
    {
      name: 'extended resource available',
      pod: podInfo('p', { extra: { 'example.com/gpu': '1' } }),
      node: nodeInfo('n', { extra: { 'example.com/gpu': '2' } }),
      want: null,
    },
    { name: 'ephemeral storage', pod: podInfo('p', { extra: { 'ephemeral-storage': '2Gi' } }), node: nodeInfo('n', { extra: { 'ephemeral-storage': '1Gi' } }), want: ['Insufficient ephemeral-storage'] },
    { name: 'a pod requesting nothing fits a full node', pod: podInfo('p'), node: nodeInfo('n', { cpu: '3' }, busy), want: null },
  ])('$name', ({ pod, node, want }) => {
    expect(reasons(nodeResourcesFit(pod, node))).toEqual(want);
  });

  it('frees resources when a pod is removed', () => {
    const node = nodeInfo('n', { cpu: '4' }, busy);
    const pod = podInfo('p', { cpu: '2' });
    expect(nodeResourcesFit(pod, node)).not.toBeNull();
    node.removePod('default/a');
    expect(nodeResourcesFit(pod, node)).toBeNull();
  });
});

describe('NodeName', () => {
  it.each([
    { nodeName: undefined, want: null },
    { nodeName: 'n', want: null },
    { nodeName: 'other', want: ["node(s) didn't match the requested node name"] },
  ])('spec.nodeName $nodeName', ({ nodeName, want }) => {
    expect(reasons(nodeNameFilter(podInfo('p', { nodeName }), nodeInfo('n')))).toEqual(want);
  });
});

describe('NodeAffinity', () => {
  const term = (op: string, values?: string[], key = 'disk') => ({
    requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key, operator: op, values }] }] },
  });
  const node = nodeInfo('n', { labels: { disk: 'ssd', cores: '8' } });
  const MISMATCH = ["node(s) didn't match Pod's node affinity/selector"];
  it.each([
    { name: 'no constraints', spec: {}, want: null },
    { name: 'nodeSelector match', spec: { nodeSelector: { disk: 'ssd' } }, want: null },
    { name: 'nodeSelector mismatch', spec: { nodeSelector: { disk: 'hdd' } }, want: MISMATCH },
    { name: 'In', spec: { affinity: { nodeAffinity: term('In', ['hdd', 'ssd']) } }, want: null },
    { name: 'In mismatch', spec: { affinity: { nodeAffinity: term('In', ['hdd']) } }, want: MISMATCH },
    { name: 'NotIn', spec: { affinity: { nodeAffinity: term('NotIn', ['hdd']) } }, want: null },
    { name: 'NotIn on a missing label', spec: { affinity: { nodeAffinity: term('NotIn', ['x'], 'zone') } }, want: null },
    { name: 'Exists', spec: { affinity: { nodeAffinity: term('Exists') } }, want: null },
    { name: 'DoesNotExist', spec: { affinity: { nodeAffinity: term('DoesNotExist') } }, want: MISMATCH },
    { name: 'Gt', spec: { affinity: { nodeAffinity: term('Gt', ['4'], 'cores') } }, want: null },
    { name: 'Lt', spec: { affinity: { nodeAffinity: term('Lt', ['4'], 'cores') } }, want: MISMATCH },
    { name: 'Gt on a non-integer label', spec: { affinity: { nodeAffinity: term('Gt', ['4'], 'disk') } }, want: MISMATCH },
    {
      name: 'matchFields metadata.name',
      spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] } } } },
      want: null,
    },
    {
      name: 'terms are ORed',
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] }, { matchExpressions: [{ key: 'cores', operator: 'Exists' }] }],
            },
          },
        },
      },
      want: null,
    },
    { name: 'nodeSelector AND affinity', spec: { nodeSelector: { disk: 'ssd' }, affinity: { nodeAffinity: term('Lt', ['2'], 'cores') } }, want: MISMATCH },
  ])('$name', ({ spec, want }) => {
    expect(reasons(nodeAffinityFilter(podInfo('p', spec), node))).toEqual(want);
  });
});

describe('TaintToleration', () => {
  const taint = (key: string, effect: string, value?: string) => ({ key, effect, value });
  it.each([
    { name: 'no taints', taints: [], tolerations: [], want: null },
    { name: 'NoSchedule untolerated', taints: [taint('dedicated', 'NoSchedule', 'gpu')], tolerations: [], want: ['node(s) had untolerated taint {dedicated: gpu}'] },
    { name: 'NoExecute untolerated', taints: [taint('node.kubernetes.io/not-ready', 'NoExecute')], tolerations: [], want: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'] },
    { name: 'PreferNoSchedule is only a preference', taints: [taint('x', 'PreferNoSchedule')], tolerations: [], want: null },
    { name: 'Equal toleration', taints: [taint('dedicated', 'NoSchedule', 'gpu')], tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }], want: null },
    { name: 'Equal with another value', taints: [taint('dedicated', 'NoSchedule', 'gpu')], tolerations: [{ key: 'dedicated', value: 'cpu' }], want: ['node(s) had untolerated taint {dedicated: gpu}'] },
    { name: 'Exists with no key tolerates all', taints: [taint('a', 'NoExecute'), taint('b', 'NoSchedule')], tolerations: [{ operator: 'Exists' }], want: null },
    { name: 'effect must match', taints: [taint('a', 'NoExecute')], tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }], want: ['node(s) had untolerated taint {a: }'] },
  ])('$name', ({ taints, tolerations, want }) => {
    expect(reasons(taintTolerationFilter(podInfo('p', { tolerations }), nodeInfo('n', { taints })))).toEqual(want);
  });
});

describe('NodeUnschedulable', () => {
  it.each([
    { unschedulable: false, tolerations: [], want: null },
    { unschedulable: true, tolerations: [], want: ['node(s) were unschedulable'] },
    { unschedulable: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }], want: null },
  ])('cordoned=$unschedulable tolerations=$tolerations.length', ({ unschedulable, tolerations, want }) => {
    expect(reasons(nodeUnschedulableFilter(podInfo('p', { tolerations }), nodeInfo('n', { unschedulable })))).toEqual(want);
  });
});

describe('NodePorts', () => {
  const BUSY = ["node(s) didn't have free ports for the requested pod ports"];
  it.each([
    { name: 'no host ports', used: undefined, want: { hostPort: undefined }, result: null },
    { name: 'free port', used: { hostPort: 8080 }, want: { hostPort: 8081 }, result: null },
    { name: 'same port, all IPs', used: { hostPort: 8080 }, want: { hostPort: 8080 }, result: BUSY },
    { name: 'different IPs', used: { hostPort: 8080, hostIP: '127.0.0.1' }, want: { hostPort: 8080, hostIP: '127.0.0.2' }, result: null },
    { name: 'specific IP against 0.0.0.0', used: { hostPort: 8080 }, want: { hostPort: 8080, hostIP: '127.0.0.2' }, result: BUSY },
    { name: '0.0.0.0 against a specific IP', used: { hostPort: 8080, hostIP: '127.0.0.1' }, want: { hostPort: 8080 }, result: BUSY },
  ])('$name', ({ used, want, result }) => {
    const node = nodeInfo('n', {}, used ? [podInfo('a', used)] : []);
    expect(reasons(nodePortsFilter(podInfo('p', want), node))).toEqual(result);
  });
});

describe('runFilters', () => {
  it('stops at the first failing filter, in kube-scheduler order', () => {
    const node = nodeInfo('n', { unschedulable: true, cpu: '1' });
    expect(reasons(runFilters(podInfo('p', { cpu: '2' }), node))).toEqual(['node(s) were unschedulable']);
  });
});
