// Pure parts of the verbs added for the second CLI milestone: drain planning, taints, explain
// rendering, set edits, generators, the events timeline, the fast get argv parser and the
// merge of three-way patch lists.
import { describe, expect, it } from 'vitest';
import { drainPlan } from '../src/nodes/drain-plan.js';
import { applyTaints, parseTaints } from '../src/nodes/taints.js';
import { render, typeName, walk, wrap } from '../src/explain/render.js';
import { parseEnvArgs, setEnv, setImages, setResources } from '../src/set/pod-spec.js';
import { podFor } from '../src/commands/run.js';
import { serviceFor } from '../src/commands/expose.js';
import { autoscalerFor, toV2 } from '../src/commands/autoscale.js';
import { eventLine, sortTimeline } from '../src/commands/events.js';
import { parseFastGet } from '../src/fast.js';
import { threeWayPatch } from '../src/apply/three-way.js';
import { stripComments } from '../src/commands/edit.js';
import { diffFileName } from '../src/commands/diff.js';
import { shouldPrune } from '../src/apply/prune.js';
import { nodeRow, podRows } from '../src/commands/top.js';

const pod = (name: string, extra: any = {}) => ({ metadata: { name, namespace: 'default', ...extra.metadata }, spec: { ...extra.spec }, status: { phase: 'Running', ...extra.status } });
const owned = (kind: string) => ({ metadata: { ownerReferences: [{ kind, name: 'x', controller: true }] } });

describe('drainPlan', () => {
  it.each([
    ['controlled pods are evicted', [pod('a', owned('ReplicaSet'))], {}, ['a'], [], []],
    ['bare pods need --force', [pod('b')], {}, [], ['cannot delete cannot delete Pods that declare no controller (use --force to override): default/b'], []],
    ['--force evicts bare pods with a warning', [pod('b')], { force: true }, ['b'], [], ['deleting Pods that declare no controller: default/b']],
    ['DaemonSet pods need --ignore-daemonsets', [pod('d', owned('DaemonSet'))], {}, [], ['cannot delete cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/d'], []],
    ['--ignore-daemonsets skips them', [pod('d', owned('DaemonSet'))], { ignoreDaemonsets: true }, [], [], ['ignoring DaemonSet-managed Pods: default/d']],
    ['emptyDir needs --delete-emptydir-data', [pod('e', { ...owned('ReplicaSet'), spec: { volumes: [{ name: 'v', emptyDir: {} }] } })], {}, [], ['cannot delete cannot delete Pods with local storage (use --delete-emptydir-data to override): default/e'], []],
    ['finished bare pods go without --force', [pod('f', { status: { phase: 'Succeeded' } })], {}, ['f'], [], []],
    ['reasons join with ;', [pod('b'), pod('d', owned('DaemonSet'))], {}, [], ['cannot delete cannot delete Pods that declare no controller (use --force to override): default/b; cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/d'], []],
    ['any error evicts nothing', [pod('a', owned('ReplicaSet')), pod('b')], {}, [], ['cannot delete cannot delete Pods that declare no controller (use --force to override): default/b'], []],
  ])('%s', (_t, pods, flags, evicted, errors, warnings) => {
    const plan = drainPlan(pods, flags);
    expect({ evict: plan.evict.map((p) => p.metadata.name), errors: plan.errors, warnings: plan.warnings }).toEqual({ evict: evicted, errors, warnings });
  });
});

describe('taints', () => {
  it('parses additions and removals', () => {
    expect(parseTaints(['k=v:NoSchedule', 'x:NoExecute', 'k-', 'y:PreferNoSchedule-'])).toEqual({
      add: [{ key: 'k', value: 'v', effect: 'NoSchedule' }, { key: 'x', effect: 'NoExecute' }],
      remove: [{ key: 'k' }, { key: 'y', effect: 'PreferNoSchedule' }],
    });
    expect(() => parseTaints(['k=v:Bogus'])).toThrow('unsupported taint effect');
  });
  it('adds, overwrites only with --overwrite, removes by key or key:effect', () => {
    const current = [{ key: 'a', value: '1', effect: 'NoSchedule' }, { key: 'a', effect: 'NoExecute' }];
    expect(() => applyTaints('n', current, parseTaints(['a=2:NoSchedule']), false)).toThrow('node n already has a taint(s) with same effect(s) and --overwrite is false');
    expect(applyTaints('n', current, parseTaints(['a=2:NoSchedule']), true).taints[0]).toEqual({ key: 'a', value: '2', effect: 'NoSchedule' });
    expect(applyTaints('n', current, parseTaints(['a:NoExecute-']), false).taints).toEqual([current[0]]);
    expect(applyTaints('n', current, parseTaints(['a-']), false).taints).toEqual([]);
    expect(() => applyTaints('n', [], parseTaints(['zz-']), false)).toThrow('taint "zz" not found');
  });
});

describe('explain rendering', () => {
  it('wraps at 80 columns including the indent', () => {
    const lines = wrap('The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified.', 4);
    expect(lines[0]).toBe('    The number of old ReplicaSets to retain to allow rollback. This is a pointer');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
  });
  it.each([
    [{ type: 'integer' }, 'integer'],
    [{ type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' } }, '[]Container'],
    [{ type: 'object', additionalProperties: { type: 'string' } }, 'map[string]string'],
    [{ allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] }, 'ObjectMeta'],
    [{ type: 'object' }, 'Object'],
  ])('type name of %j is %s', (schema, name) => expect(typeName(schema)).toBe(name));
  it('renders a field with its type description and fields', () => {
    const schemas = {
      K: { description: 'A kind.', type: 'object', properties: { spec: { allOf: [{ $ref: '#/components/schemas/S' }], description: 'The spec.' } } },
      S: { description: 'Spec type.', type: 'object', required: ['n'], properties: { n: { type: 'integer', description: 'A number.' } } },
    };
    const walked = walk(schemas, schemas.K, ['spec']);
    if (typeof walked === 'string') throw new Error(walked);
    expect(render(schemas, { group: 'g', kind: 'K', version: 'v1', ...walked })).toBe(
      'GROUP:      g\nKIND:       K\nVERSION:    v1\n\nFIELD: spec <S>\n\n\nDESCRIPTION:\n    The spec.\n    Spec type.\n    \nFIELDS:\n  n\t<integer> -required-\n    A number.\n\n\n',
    );
    expect(walk(schemas, schemas.K, ['nope'])).toBe('nope');
  });
});

describe('set edits', () => {
  const spec = () => ({ initContainers: [{ name: 'init', image: 'i' }], containers: [{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }] }, { name: 'b', image: 'y' }] });
  it('sets images by name or *', () => {
    const s = spec();
    setImages(s, { a: 'x:2' });
    expect(s.containers.map((c) => c.image)).toEqual(['x:2', 'y']);
    setImages(s, { '*': 'z' });
    expect([s.initContainers[0]!.image, ...s.containers.map((c) => c.image)]).toEqual(['z', 'z', 'z']);
    expect(() => setImages(s, { nope: 'q' })).toThrow('unable to find container named "nope"');
  });
  it('sets and removes env vars', () => {
    const s = spec();
    const parsed = parseEnvArgs(['deploy/web', 'B=2', 'A-']);
    expect(parsed).toEqual({ set: [{ name: 'B', value: '2' }], remove: ['A'], rest: ['deploy/web'] });
    setEnv(s, 'a', parsed.set, parsed.remove);
    expect(s.containers[0]!.env).toEqual([{ name: 'B', value: '2' }]);
  });
  it('merges resources', () => {
    const s: any = spec();
    setResources(s, 'b', { cpu: '200m' }, { memory: '64Mi' });
    expect(s.containers[1].resources).toEqual({ limits: { cpu: '200m' }, requests: { memory: '64Mi' } });
  });
});

describe('generators', () => {
  it('run builds the pod kubectl run sends', () => {
    expect(podFor('nginx', ['sh', '-c', 'echo'], { image: 'nginx', port: '80', env: ['A=1=2'] })).toEqual({
      apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: null, name: 'nginx', labels: { run: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx', args: ['sh', '-c', 'echo'], ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1=2' }], resources: {} }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
      status: {},
    });
    expect(() => podFor('x', [], {})).toThrow('required flag(s) "image" not set');
  });
  it('expose derives selector, labels and ports from a deployment', () => {
    const deploy = { kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }] } } } };
    expect(serviceFor(deploy, {}).spec).toEqual({ ports: [{ name: 'port-1', port: 80, protocol: 'TCP', targetPort: 80 }, { name: 'port-2', port: 53, protocol: 'UDP', targetPort: 53 }], selector: { app: 'web' } });
    expect(serviceFor(deploy, { port: '8080', targetPort: 'http', type: 'NodePort', name: 'w' })).toMatchObject({ metadata: { name: 'w', labels: { app: 'web' } }, spec: { ports: [{ port: 8080, protocol: 'TCP', targetPort: 'http' }], type: 'NodePort' } });
    expect(() => serviceFor({ ...deploy, spec: { ...deploy.spec, template: { spec: { containers: [{}] } } } }, {})).toThrow("couldn't find port via --port flag or introspection");
  });
  it('autoscale builds a v1 autoscaler and converts it to v2', () => {
    const hpa = autoscalerFor({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, { max: '5', min: '2', cpuPercent: '80' });
    expect(hpa.spec).toEqual({ maxReplicas: 5, minReplicas: 2, targetCPUUtilizationPercentage: 80, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
    expect(toV2(hpa).spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(() => autoscalerFor({ apiVersion: 'v1', kind: 'X', name: 'x' }, {})).toThrow('--max=MAXPODS is required');
  });
});

describe('events timeline', () => {
  it('sorts by series, last timestamp, then event time and prints kind/name', () => {
    const events = [
      { metadata: { name: 'b' }, lastTimestamp: '2026-01-01T00:00:05Z' },
      { metadata: { name: 'a' }, eventTime: '2026-01-01T00:00:01.000000Z' },
      { metadata: { name: 'c' }, series: { lastObservedTime: '2026-01-01T00:00:03.000000Z', count: 2 } },
    ];
    expect(sortTimeline(events).map((e) => e.metadata.name)).toEqual(['a', 'c', 'b']);
    const line = eventLine({ metadata: { namespace: 'ns' }, type: 'Normal', reason: 'R', involvedObject: { kind: 'Pod', name: 'p' }, message: ' hi \n', firstTimestamp: new Date().toISOString() }, true);
    expect(line).toMatch(/^ns\t\d+s\tNormal\tR\tPod\/p\thi\n$/);
  });
});

describe('fast get argv', () => {
  it.each([
    [['get', 'pods'], { flags: {}, opts: {}, args: ['pods'] }],
    [['--kubeconfig', 'k', 'get', 'po', '-n', 'x', '-o', 'wide', '--no-headers', '-L', 'a', '-L=b'], undefined],
    [['--kubeconfig=k', 'get', 'po', 'a', '-n', 'x', '-o', 'wide', '--no-headers', '-L', 'a', '--label-columns=b', '-A', '--show-labels'], { flags: { kubeconfig: 'k', namespace: 'x' }, opts: { output: 'wide', headers: false, labelColumns: ['a', 'b'], allNamespaces: true, showLabels: true }, args: ['po', 'a'] }],
    [['get', 'pods', '-o', 'json'], undefined],
    [['get', 'pods', '-w'], undefined],
    [['describe', 'pods'], undefined],
    [['get'], undefined],
    [['get', 'pods', '-l'], undefined],
  ])('%j', (argv, expected) => expect(parseFastGet(argv)).toEqual(expected));
});

describe('three-way patch of merged lists', () => {
  it('merges a container change and a field deletion into one list item', () => {
    const c = (extra: any) => ({ name: 'nginx', image: 'nginx:1.27', ...extra });
    const original = { spec: { template: { spec: { containers: [c({ ports: [{ containerPort: 80 }] })] } } } };
    const live = { spec: { template: { spec: { containers: [c({ ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent' })] } } } };
    const modified = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.29' }] } } } };
    const patch = threeWayPatch(original, modified, live, { group: 'apps', kind: 'Deployment' });
    expect(patch.spec.template.spec.containers).toEqual([{ name: 'nginx', image: 'nginx:1.29', ports: null }]);
  });
});

describe('small helpers', () => {
  it('edit ignores comment lines and treats a comment-only file as empty', () => {
    expect(stripComments('# a\nkind: X\n  # b\n')).toBe('kind: X\n');
    expect(stripComments('# only\n\n')).toBeUndefined();
  });
  it('diff names files like kubectl', () => {
    expect(diffFileName({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { namespace: 'default', name: 'web' } })).toBe('apps.v1.Deployment.default.web');
    expect(diffFileName({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } })).toBe('v1.Namespace.x');
  });
  it('prunes only applied-by-apply objects missing from this apply', () => {
    const applied = { uids: new Set(['1']), namespaces: new Set(['default']) };
    const obj = (uid: string, annotated: boolean) => ({ metadata: { uid, annotations: annotated ? { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } : {} } });
    expect([obj('1', true), obj('2', true), obj('3', false)].map((o) => shouldPrune(o, applied))).toEqual([false, true, false]);
  });
  it('top formats usage as kubectl does', () => {
    const m = { metadata: { name: 'p', namespace: 'default' }, containers: [{ name: 'a', usage: { cpu: '1234567n', memory: '10240Ki' } }, { name: 'b', usage: { cpu: '1m', memory: '1Mi' } }] };
    expect(podRows([m], { withNamespace: false, containers: false })).toEqual([['p', '3m', '11Mi']]);
    expect(podRows([m], { withNamespace: true, containers: true })).toEqual([['default', 'p', 'a', '2m', '10Mi'], ['default', 'p', 'b', '1m', '1Mi']]);
    expect(nodeRow({ usage: { cpu: '250m', memory: '1Gi' } }, { metadata: { name: 'n' }, status: { allocatable: { cpu: '4', memory: '8Gi' } } })).toEqual(['n', '250m', '6%', '1024Mi', '12%']);
    expect(nodeRow(undefined, { metadata: { name: 'n' } })).toEqual(['n', '<unknown>', '<unknown>', '<unknown>', '<unknown>']);
  });
});
