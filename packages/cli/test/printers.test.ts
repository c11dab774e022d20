import { describe, expect, it } from 'vitest';
import { tabulate, TabWriter } from '../src/printers/tabwriter.js';
import { executeTemplate, parseTemplate } from '../src/printers/jsonpath.js';
import { goJson } from '../src/printers/json.js';
import { threeWayPatch } from '../src/apply/three-way.js';

describe('tabwriter', () => {
  it('pads columns by 3 with a minimum width of 6 and leaves the last cell alone', () => {
    expect(tabulate(['NAME\tAGE', 'a\t1s', 'longer-name\t10m'])).toBe('NAME          AGE\na             1s\nlonger-name   10m\n');
    expect(tabulate(['A\tB\tC', 'x\ty\tz'])).toBe('A     B     C\nx     y     z\n');
  });
  it('remembers widths across flushes (watch rows stay aligned)', () => {
    const w = new TabWriter();
    w.write('NAME\tSTATUS\nlong-pod-name\tPending\n');
    w.flush();
    w.write('a\tRunning\n');
    expect(w.flush()).toBe(`a${' '.repeat(15)}Running\n`); // width of long-pod-name + 3
  });
});

describe('jsonpath templates', () => {
  const doc = { items: [{ metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { metadata: { name: 'b' }, status: {} }] };
  it.each([
    ['{.items[*].metadata.name}', 'a b'],
    ['{range .items[*]}{.metadata.name}{"\\n"}{end}', 'a\nb\n'],
    ['{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', 'x'],
    ['{.items[?(@.metadata.name=="b")].metadata.name}', 'b'],
    ['{.items[0].status.conditions[?(@.type=="Ready")].status}', 'True'],
    ['{.items[-1].metadata}', '{"name":"b"}'],
    ['{..name}', 'a b'],
    ['n={.items[1].metadata.name}', 'n=b'],
  ])('%s', (template, expected) => {
    expect(executeTemplate(parseTemplate(template), doc)).toBe(expected);
  });
});

describe('goJson', () => {
  it('sorts keys and escapes HTML characters like encoding/json', () => {
    expect(goJson({ b: '<a&b>', a: [1, {}], c: [] })).toBe('{"a":[1,{}],"b":"\\u003ca\\u0026b\\u003e","c":[]}');
    expect(goJson({ a: { b: 1 } }, '    ')).toBe('{\n    "a": {\n        "b": 1\n    }\n}');
  });
});

describe('three-way apply patch', () => {
  const schema = { group: 'apps', kind: 'Deployment' };
  const deploy = (containers: unknown[], extra: Record<string, unknown> = {}) => ({ metadata: { name: 'web' }, spec: { ...extra, template: { spec: { containers } } } });
  it.each([
    ['unchanged', deploy([{ name: 'a', image: 'x' }]), deploy([{ name: 'a', image: 'x' }]), deploy([{ name: 'a', image: 'x', imagePullPolicy: 'Always' }]), {}],
    [
      'image change merges by name with $setElementOrder',
      deploy([{ name: 'a', image: 'x' }]),
      deploy([{ name: 'a', image: 'y' }]),
      deploy([{ name: 'a', image: 'x' }]),
      { spec: { template: { spec: { $setElementOrder: undefined, '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: 'y' }] } } } },
    ],
    [
      'a field dropped from the manifest is deleted, other writers kept',
      deploy([{ name: 'a', image: 'x' }], { replicas: 2, paused: true }),
      deploy([{ name: 'a', image: 'x' }], { replicas: 2 }),
      deploy([{ name: 'a', image: 'x' }], { replicas: 2, paused: true, revisionHistoryLimit: 10 }),
      { spec: { paused: null } },
    ],
    [
      'a container dropped from the manifest gets $patch: delete',
      deploy([{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }]),
      deploy([{ name: 'a', image: 'x' }]),
      deploy([{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }]),
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ $patch: 'delete', name: 'b' }] } } } },
    ],
    [
      'strategy type change retains only the given keys',
      deploy([], { strategy: { type: 'RollingUpdate' } }),
      deploy([], { strategy: { type: 'Recreate' } }),
      deploy([], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } }),
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    ],
  ])('%s', (_name, original, modified, current, expected) => {
    const patch = threeWayPatch(original, modified, current, schema);
    expect(JSON.parse(JSON.stringify(patch))).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});
