import { describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { applyPatch, updateManagedFields } from '../src/apply/index.js';
import { T0, T1, T2, applyDeployment, deployment, entryOf, nginxSpec, updateDeployment } from './apply-fixtures.js';

const apply = (live: KObject | undefined, applied: KObject, manager = 'kubectl', now = T0, force = false): KObject =>
  applyPatch({ live, applied, manager, force, now, ...applyDeployment });

/** `obj` after an ordinary update (PUT or patch) by `manager` that changed it to `updated`. */
function update(old: KObject, updated: KObject, manager: string, time = T1): KObject {
  const managedFields = updateManagedFields({ old, updated, manager, time, ...updateDeployment });
  return { ...updated, metadata: { ...updated.metadata, managedFields } };
}

function conflictOf(run: () => unknown): StatusError {
  try {
    run();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a conflict');
}

const spec = (obj: KObject) => obj.spec as Record<string, any>;

describe('applyPatch: create and re-apply', () => {
  it('creates the object and records what the applier set, in FieldsV1', () => {
    const created = apply(undefined, deployment(nginxSpec({ replicas: 2 }), { labels: { app: 'web' } }));
    expect(spec(created).replicas).toBe(2);
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('ignores status in the configuration and keeps the live status', () => {
    const created = apply(undefined, { ...deployment(nginxSpec()), status: { replicas: 9 } });
    expect(created.status).toBeUndefined();
    const live = { ...created, status: { replicas: 1 } };
    const again = apply(live, { ...deployment(nginxSpec({ replicas: 3 })), status: { replicas: 9 } }, 'kubectl', T1);
    expect(again.status).toEqual({ replicas: 1 });
    expect(JSON.stringify(entryOf(again, 'kubectl').fieldsV1)).not.toContain('f:status');
  });

  it('re-applying the same configuration changes nothing, not even the time', () => {
    const created = apply(undefined, deployment(nginxSpec({ replicas: 2 })));
    const again = apply(created, deployment(nginxSpec({ replicas: 2 })), 'kubectl', T1);
    expect(again).toEqual(created);
  });

  it('drops a field the applier no longer sets, and moves the time', () => {
    const created = apply(undefined, deployment(nginxSpec({ replicas: 2 }), { labels: { app: 'web' } }));
    const dropped = apply(created, deployment(nginxSpec()), 'kubectl', T1);
    expect(spec(dropped).replicas).toBeUndefined();
    expect(dropped.metadata.labels).toBeUndefined(); // an emptied map goes too
    const entry = entryOf(dropped, 'kubectl');
    expect(entry.time).toBe(T1);
    expect(entry.fieldsV1).not.toHaveProperty('f:metadata');
    expect(entry.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
  });

  it('keeps a dropped field that another manager also owns', () => {
    const created = apply(undefined, deployment(nginxSpec({ replicas: 2 })));
    const shared = apply(created, deployment({ replicas: 2 }), 'ci', T1);
    const dropped = apply(shared, deployment(nginxSpec()), 'kubectl', T2);
    expect(spec(dropped).replicas).toBe(2);
    expect(entryOf(dropped, 'ci').fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  it('leaves its inputs untouched', () => {
    const live = apply(undefined, deployment(nginxSpec({ replicas: 2 }), { labels: { app: 'web' } }));
    const applied = deployment(nginxSpec());
    const [liveCopy, appliedCopy] = [structuredClone(live), structuredClone(applied)];
    apply(live, applied, 'kubectl', T1);
    expect([live, applied]).toEqual([liveCopy, appliedCopy]);
  });

  it('rejects a configuration with managedFields or of another version', () => {
    const withFields = deployment(nginxSpec(), { managedFields: [] });
    expect(conflictOf(() => apply(undefined, withFields))).toMatchObject({ code: 400, message: 'metadata.managedFields must be nil' });
    const otherVersion = { ...deployment(nginxSpec()), apiVersion: 'apps/v1beta1' };
    expect(conflictOf(() => apply(undefined, otherVersion))).toMatchObject({
      code: 400,
      message: 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
    });
  });
});

describe('applyPatch: several managers', () => {
  const created = () => apply(undefined, deployment(nginxSpec({ replicas: 3 })), 'kubectl-client-side-apply');
  const byUpdater = () => {
    const live = apply(undefined, deployment(nginxSpec()), 'seed');
    return update(live, deployment(nginxSpec({ replicas: 3 })), 'kubectl-client-side-apply');
  };

  it('refuses to change a field another manager owns, naming it as the real server does', () => {
    const err = conflictOf(() => apply(byUpdater(), deployment({ replicas: 5 }), 'ci', T2));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
    expect(err.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
    ]);
  });

  it('lists several conflicts under their manager', () => {
    const err = conflictOf(() => apply(created(), deployment(nginxSpec({ replicas: 5, image: 'nginx:1.28' })), 'ci', T1));
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply":\n' +
        '- .spec.replicas\n' +
        '- .spec.template.spec.containers[name="nginx"].image',
    );
    expect(err.details?.causes?.map((c) => c.field)).toEqual([
      '.spec.replicas',
      '.spec.template.spec.containers[name="nginx"].image',
    ]);
  });

  it('shares a field when the applied value is the same', () => {
    const shared = apply(byUpdater(), deployment({ replicas: 3 }), 'ci', T2);
    expect(entryOf(shared, 'ci').fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(JSON.stringify(entryOf(shared, 'kubectl-client-side-apply').fieldsV1)).toContain('f:replicas');
  });

  it('with force takes the field over', () => {
    const forced = apply(byUpdater(), deployment({ replicas: 5 }), 'ci', T2, true);
    expect(spec(forced).replicas).toBe(5);
    expect(entryOf(forced, 'ci').fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    // It owned nothing else, so its entry goes.
    expect(forced.metadata.managedFields?.map((e) => e.manager)).toEqual(['seed', 'ci']); // Apply entries, oldest first
  });

  it('an Update after an Apply moves ownership, and the applier then conflicts', () => {
    const applied = apply(undefined, deployment(nginxSpec({ replicas: 2 })));
    const scaled = update(applied, { ...applied, spec: { ...spec(applied), replicas: 4 } }, 'kubectl-edit');
    expect(entryOf(scaled, 'kubectl-edit', 'Update').fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(JSON.stringify(entryOf(scaled, 'kubectl', 'Apply').fieldsV1)).not.toContain('f:replicas');
    const err = conflictOf(() => apply(scaled, deployment(nginxSpec({ replicas: 2 })), 'kubectl', T2));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
  });
});

describe('applyPatch: lists', () => {
  it('merges a list of containers by name and removes only the applier’s own item', () => {
    const base = apply(undefined, deployment(nginxSpec()));
    const sideSpec = { template: { spec: { containers: [{ name: 'side', image: 'busybox' }] } } };
    const withSide = apply(base, deployment(sideSpec), 'sidecar-injector', T1);
    const names = (o: KObject) => spec(o).template.spec.containers.map((c: { name: string }) => c.name);
    expect(names(withSide)).toEqual(['nginx', 'side']);
    expect(spec(withSide).template.spec.containers[0].ports).toEqual([{ containerPort: 80 }]);
    expect(entryOf(withSide, 'sidecar-injector').fieldsV1).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"side"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } },
    });
    const withoutSide = apply(withSide, deployment({}), 'sidecar-injector', T2);
    expect(names(withoutSide)).toEqual(['nginx']);
    expect(() => entryOf(withoutSide, 'sidecar-injector')).toThrow(); // no fields left, no entry
  });

  it('merges a set (finalizers) as a union of values', () => {
    const a = apply(undefined, deployment(nginxSpec(), { finalizers: ['example.com/a'] }), 'a');
    const ab = apply(a, deployment({}, { finalizers: ['example.com/b'] }), 'b', T1);
    expect(ab.metadata.finalizers).toEqual(['example.com/a', 'example.com/b']);
    expect(entryOf(ab, 'b').fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"example.com/b"': {} } } });
    const onlyB = apply(ab, deployment(nginxSpec()), 'a', T2);
    expect(onlyB.metadata.finalizers).toEqual(['example.com/b']);
  });
});

describe('applyPatch: moving from client-side apply (manager kubectl)', () => {
  const lastApplied = (replicas: number) =>
    `${JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { annotations: {}, name: 'web', namespace: 'default' }, spec: { replicas } })}\n`;
  const clientSideApplied = () => {
    const seed = apply(undefined, deployment(nginxSpec()), 'seed');
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied(3) };
    const updated = { ...seed, metadata: { ...seed.metadata, annotations }, spec: { ...spec(seed), replicas: 3 } };
    return update(seed, updated, 'kubectl-client-side-apply');
  };

  it('forgives conflicts on fields that still hold their last-applied values, and syncs the annotation', () => {
    const live = clientSideApplied();
    const applied = apply(live, deployment({ replicas: 5 }), 'kubectl', T2);
    expect(spec(applied).replicas).toBe(5);
    const annotation = applied.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
    expect(JSON.parse(annotation!)).toEqual(deployment({ replicas: 5 }));
    expect(annotation!.endsWith('\n')).toBe(true);
  });

  it('adds no last-applied annotation where there was none', () => {
    const created = apply(undefined, deployment(nginxSpec()));
    expect(created.metadata.annotations).toBeUndefined();
  });

  it('does not forgive other managers', () => {
    expect(conflictOf(() => apply(clientSideApplied(), deployment({ replicas: 5 }), 'ci', T2)).code).toBe(409);
  });
});
