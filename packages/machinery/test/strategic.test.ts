import { describe, expect, it } from 'vitest';
import { StatusError, strategicMergePatch } from '../src/index.js';

type Obj = Record<string, unknown>;

const deployment = (): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', tier: 'fe' }, finalizers: ['a', 'b'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '0' }, { name: 'B', value: 'b' }] },
          { name: 'old', image: 'busybox' },
        ],
        tolerations: [{ key: 'k1', operator: 'Exists' }],
      },
    },
  },
  status: { replicas: 2 },
});

const containers = (o: Obj): Obj[] => ((o.spec as Obj).template as { spec: { containers: Obj[] } }).spec.containers;
const podSpec = (o: Obj): Obj => ((o.spec as Obj).template as { spec: Obj }).spec;

describe('strategicMergePatch', () => {
  it('applies what kubectl edit sends (null, $retainKeys, $setElementOrder, $patch: delete)', () => {
    const patch = {
      metadata: { labels: null },
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'side' }],
            containers: [
              { env: [{ name: 'A', value: '1' }], name: 'nginx', ports: null },
              { image: 'busybox:1.36', name: 'side' },
              { $patch: 'delete', name: 'old' },
            ],
          },
        },
      },
      status: { replicas: 4 },
    };
    const out = strategicMergePatch(deployment(), patch, 'apps', 'Deployment');
    expect((out.metadata as Obj).labels).toBeUndefined();
    expect((out.spec as Obj).strategy).toEqual({ type: 'Recreate' });
    expect(containers(out)).toEqual([
      { name: 'nginx', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: 'b' }] },
      { image: 'busybox:1.36', name: 'side' },
    ]);
    expect((out.status as Obj).replicas).toBe(4);
  });

  it('does not mutate its inputs', () => {
    const original = deployment();
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'x' }] } } } };
    const before = JSON.stringify([original, patch]);
    strategicMergePatch(original, patch, 'apps', 'Deployment');
    expect(JSON.stringify([original, patch])).toBe(before);
  });

  it.each([
    // [description, patch, expected container names]
    ['a new item goes before server-only items', { containers: [{ name: 'new', image: 'x' }] }, ['new', 'nginx', 'old']],
    ['$setElementOrder places new items', { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'old' }, { name: 'new' }], containers: [{ name: 'new', image: 'x' }] }, ['nginx', 'old', 'new']],
    ['$setElementOrder alone reorders', { '$setElementOrder/containers': [{ name: 'old' }, { name: 'nginx' }] }, ['old', 'nginx']],
    ['$patch: replace replaces the list', { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] }, ['only']],
    ['$patch: delete removes by key', { containers: [{ name: 'nginx', $patch: 'delete' }] }, ['old']],
  ])('%s', (_d, specPatch, names) => {
    const out = strategicMergePatch(deployment(), { spec: { template: { spec: specPatch } } }, 'apps', 'Deployment');
    expect(containers(out).map((c) => c.name)).toEqual(names);
  });

  it('merges nested lists by their own keys (env by name, ports by containerPort)', () => {
    const patch = {
      spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'B', value: 'B2' }], ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] } } },
    };
    const nginx = containers(strategicMergePatch(deployment(), patch, 'apps', 'Deployment'))[0]!;
    expect(nginx.env).toEqual([{ name: 'A', value: '0' }, { name: 'B', value: 'B2' }]);
    expect(nginx.ports).toEqual([{ containerPort: 80, name: 'http' }, { containerPort: 443 }]);
  });

  it('replaces atomic lists such as tolerations', () => {
    const patch = { spec: { template: { spec: { tolerations: [{ key: 'k2', operator: 'Exists' }] } } } };
    expect(podSpec(strategicMergePatch(deployment(), patch, 'apps', 'Deployment')).tolerations).toEqual([{ key: 'k2', operator: 'Exists' }]);
  });

  it('merges set lists and honours $deleteFromPrimitiveList', () => {
    const add = strategicMergePatch(deployment(), { metadata: { finalizers: ['c', 'a'] } }, 'apps', 'Deployment');
    expect((add.metadata as Obj).finalizers).toEqual(['c', 'a', 'b']);
    const del = strategicMergePatch(deployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'apps', 'Deployment');
    expect((del.metadata as Obj).finalizers).toEqual(['b']);
  });

  it('handles $patch on maps: replace keeps only the patch, delete empties it', () => {
    const replaced = strategicMergePatch(deployment(), { metadata: { labels: { $patch: 'replace', only: 'x' } } }, 'apps', 'Deployment');
    expect((replaced.metadata as Obj).labels).toEqual({ only: 'x' });
    const deleted = strategicMergePatch(deployment(), { spec: { strategy: { $patch: 'delete' } } }, 'apps', 'Deployment');
    expect((deleted.spec as Obj).strategy).toEqual({});
    const merged = strategicMergePatch(deployment(), { metadata: { labels: { $patch: 'merge', x: 'y' } } }, 'apps', 'Deployment');
    expect((merged.metadata as Obj).labels).toEqual({ app: 'web', tier: 'fe', x: 'y' });
  });

  it('cleans directives and nulls out of values that are new', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', resources: { limits: { cpu: '1', memory: null } } }], securityContext: { runAsUser: 1, fsGroup: null } } } } };
    const out = strategicMergePatch(deployment(), patch, 'apps', 'Deployment');
    expect(containers(out)[0]!.resources).toEqual({ limits: { cpu: '1' } });
    expect(podSpec(out).securityContext).toEqual({ runAsUser: 1 });
  });

  it('merges Service ports by port and pod conditions by type', () => {
    const svc = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const out = strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, '', 'Service');
    expect((out.spec as Obj).ports).toEqual([{ port: 80, targetPort: 9090 }, { port: 443 }]);
    const pod = { metadata: { name: 'p' }, status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } };
    const patched = strategicMergePatch(pod, { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, '', 'Pod');
    expect((patched.status as Obj).conditions).toEqual([{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }]);
  });

  it('replaces lists of kinds it has no tags for', () => {
    const cm = { metadata: { name: 'c' }, data: { a: '1' }, extra: [{ name: 'x' }, { name: 'y' }] };
    expect(strategicMergePatch(cm, { extra: [{ name: 'z' }] }, '', 'ConfigMap').extra).toEqual([{ name: 'z' }]);
  });

  it.each([
    ['a merge item without its key', { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 400, 'does not contain declared merge key: name'],
    ['an unknown $patch', { spec: { strategy: { $patch: 'explode' } } }, 400, 'unknown patch type: explode'],
    ['$patch: merge in a list', { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } }, 400, 'merging lists cannot yet be specified in the patch'],
    ['a key outside $retainKeys', { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, 400, 'invalid patch format of retainKeys'],
    ['an order that contradicts the list', { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } } } }, 400, "doesn't match $setElementOrder list"],
    ['a body that is not an object', [1], 400, 'cannot unmarshal array'],
  ])('rejects %s', (_d, patch, code, message) => {
    let err: unknown;
    try {
      strategicMergePatch(deployment(), patch, 'apps', 'Deployment');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(code);
    expect((err as StatusError).message).toContain(message);
  });
});
