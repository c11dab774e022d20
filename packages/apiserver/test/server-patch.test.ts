// Patches (merge, JSON, strategic), server-side apply, dryRun and fieldValidation over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, deployment, startServer, type Answer, type TestServer } from './server-harness.js';

let s: TestServer;
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const CM = '/api/v1/namespaces/default/configmaps';
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

const patch = (path: string, contentType: string, body: unknown, query = ''): Promise<Answer> =>
  s.req('PATCH', `${path}${query}`, { body, contentType });

describe('patch', () => {
  it('merge patch: null deletes a key, lists are replaced', async () => {
    await s.req('POST', CM, { body: configMap('m', { a: '1', b: '2' }, { x: '1', y: '2' }) });
    const res = await patch(`${CM}/m`, MERGE, { metadata: { labels: { y: null, z: '3' } }, data: { a: null } });
    expect(res.status).toBe(200);
    expect(res.body.metadata.labels).toEqual({ x: '1', z: '3' });
    expect(res.body.data).toEqual({ b: '2' });
  });

  it('JSON patch: add, replace, remove, and a failing test op is refused', async () => {
    await s.req('POST', CM, { body: configMap('j', { a: '1' }) });
    const ok = await patch(`${CM}/j`, JSON_PATCH, [
      { op: 'add', path: '/data/b', value: '2' },
      { op: 'replace', path: '/data/a', value: '9' },
      { op: 'test', path: '/data/b', value: '2' },
    ]);
    expect(ok.body.data).toEqual({ a: '9', b: '2' });
    const removed = await patch(`${CM}/j`, JSON_PATCH, [{ op: 'remove', path: '/data/a' }]);
    expect(removed.body.data).toEqual({ b: '2' });
    const failed = await patch(`${CM}/j`, JSON_PATCH, [{ op: 'test', path: '/data/b', value: 'nope' }, { op: 'remove', path: '/data/b' }]);
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(failed.status).toBeLessThan(500);
    expect((await s.req('GET', `${CM}/j`)).body.data).toEqual({ b: '2' });
  });

  it('strategic merge: merge keys, $patch delete, $retainKeys', async () => {
    const d = deployment('sm');
    (d.spec as any).template.spec.containers = [
      { name: 'main', image: 'nginx', env: [{ name: 'A', value: '1' }] },
      { name: 'old', image: 'busybox' },
    ];
    await s.req('POST', DEPLOY, { body: d });
    const res = await patch(`${DEPLOY}/sm`, STRATEGIC, {
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: {
          spec: {
            containers: [
              { name: 'main', env: [{ name: 'B', value: '2' }] },
              { name: 'side', image: 'busybox:1.36' },
              { $patch: 'delete', name: 'old' },
            ],
          },
        },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.spec.strategy).toEqual({ type: 'Recreate' });
    const containers = res.body.spec.template.spec.containers;
    expect(containers.map((c: any) => c.name)).toEqual(['main', 'side']);
    expect(containers[0].image).toBe('nginx');
    expect(containers[0].env).toHaveLength(2);
    expect(containers[0].env).toEqual(expect.arrayContaining([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]));
    expect(res.body.metadata.generation).toBe(2);
  });

  it('treats a resourceVersion inside a patch as a precondition', async () => {
    const { body: created } = await s.req('POST', CM, { body: configMap('pre', { a: '1' }) });
    await patch(`${CM}/pre`, MERGE, { data: { a: '2' } });
    const stale = await patch(`${CM}/pre`, MERGE, { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { a: '3' } });
    expect([stale.status, stale.body.reason]).toEqual([409, 'Conflict']);
    const current = (await s.req('GET', `${CM}/pre`)).body.metadata.resourceVersion;
    const fresh = await patch(`${CM}/pre`, MERGE, { metadata: { resourceVersion: current }, data: { a: '3' } });
    expect([fresh.status, fresh.body.data.a]).toEqual([200, '3']);
  });

  it('returns 200 and the unchanged object for a no-op patch', async () => {
    const { body: created } = await s.req('POST', CM, { body: configMap('same', { a: '1' }) });
    const res = await patch(`${CM}/same`, MERGE, { data: { a: '1' } });
    expect(res.status).toBe(200);
    expect(res.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('ignores status in a patch of the main resource, and patches it through /status', async () => {
    await s.req('POST', DEPLOY, { body: deployment('ps') });
    const main = await patch(`${DEPLOY}/ps`, MERGE, { status: { replicas: 4 } });
    expect(main.body.status).toBeUndefined();
    const status = await patch(`${DEPLOY}/ps/status`, MERGE, { status: { replicas: 4 }, spec: { replicas: 9 } });
    expect(status.body.status).toEqual({ replicas: 4 });
    expect(status.body.spec.replicas).toBe(1);
  });

  it('answers 404 for a missing object and 415 for an unknown patch type', async () => {
    expect((await patch(`${CM}/absent`, MERGE, { data: {} })).status).toBe(404);
    const wrong = await patch(`${CM}/same`, 'application/x-patch', { data: {} });
    expect(wrong.status).toBe(415);
  });
});

describe('server-side apply', () => {
  const applied = (data: Record<string, string>): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data });

  it('creates (201), updates (200), conflicts (409) and forces', async () => {
    const created = await patch(`${CM}/ssa`, APPLY, applied({ a: '1' }), '?fieldManager=alice');
    expect(created.status).toBe(201);
    expect(created.body.metadata.managedFields[0]).toMatchObject({ manager: 'alice', operation: 'Apply' });
    const updated = await patch(`${CM}/ssa`, APPLY, applied({ a: '1', b: '2' }), '?fieldManager=alice');
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ a: '1', b: '2' });
    const conflict = await patch(`${CM}/ssa`, APPLY, applied({ a: 'bob' }), '?fieldManager=bob');
    expect(conflict.status).toBe(409);
    expect(conflict.body.reason).toBe('Conflict');
    expect(conflict.body.details.causes[0]).toMatchObject({ reason: 'FieldManagerConflict', field: '.data.a' });
    const forced = await patch(`${CM}/ssa`, APPLY, applied({ a: 'bob' }), '?fieldManager=bob&force=true');
    expect(forced.status).toBe(200);
    expect(forced.body.data.a).toBe('bob');
  });

  it('accepts a YAML apply body and requires a fieldManager', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-yaml\ndata:\n  k: v\n';
    const res = await patch(`${CM}/ssa-yaml`, APPLY, yaml, '?fieldManager=yaml');
    expect([res.status, res.body.data]).toEqual([201, { k: 'v' }]);
    const missing = await patch(`${CM}/ssa-yaml`, APPLY, yaml);
    expect(missing.status).toBe(400);
  });
});

describe('dryRun=All', () => {
  it('answers as if written but writes nothing', async () => {
    const before = await s.req('GET', CM);
    const created = await s.req('POST', `${CM}?dryRun=All`, { body: configMap('dry', { a: '1' }) });
    expect(created.status).toBe(201);
    expect(created.body.metadata.uid).toBeTruthy();
    expect((await s.req('GET', `${CM}/dry`)).status).toBe(404);

    await s.req('POST', CM, { body: configMap('dry', { a: '1' }) });
    const patched = await patch(`${CM}/dry`, MERGE, { data: { a: '2' } }, '?dryRun=All');
    expect(patched.body.data.a).toBe('2');
    const deleted = await s.req('DELETE', `${CM}/dry?dryRun=All`);
    expect(deleted.status).toBe(200);
    const after = await s.req('GET', `${CM}/dry`);
    expect([after.status, after.body.data.a]).toEqual([200, '1']);
    expect(Number(before.body.metadata.resourceVersion)).toBeLessThan(Number(after.body.metadata.resourceVersion));
  });

  it('refuses other dryRun values', async () => {
    expect((await s.req('POST', `${CM}?dryRun=Some`, { body: configMap('x') })).status).toBe(400);
  });
});

describe('fieldValidation', () => {
  const withUnknown = (name: string): Record<string, unknown> => ({ ...configMap(name), bogus: 1, metadata: { name, colour: 'red' } });

  it('Strict refuses unknown fields, naming them', async () => {
    const res = await s.req('POST', `${CM}?fieldValidation=Strict`, { body: withUnknown('strict') });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('unknown field "bogus"');
    expect(res.body.message).toContain('unknown field "metadata.colour"');
    expect((await s.req('GET', `${CM}/strict`)).status).toBe(404);
  });

  it('Warn (the default) stores the object and warns in one Warning header per unknown field', async () => {
    for (const [name, query] of [['warn', '?fieldValidation=Warn'], ['default', '']]) {
      const res = await s.req('POST', `${CM}${query}`, { body: withUnknown(name!) });
      expect(res.status).toBe(201);
      // fetch joins repeated headers with ", ".
      expect(res.headers.get('warning')?.split(', ').sort()).toEqual(['299 - "unknown field \\"bogus\\""', '299 - "unknown field \\"metadata.colour\\""']);
    }
  });

  // Known bug (openapi/validate.ts, not this file's owner): the real server's decoder drops unknown
  // fields; here they are stored. Flip to `it` once pruning lands.
  it('drops unknown fields it did not refuse', async () => {
    const res = await s.req('POST', CM, { body: withUnknown('pruned') });
    expect(res.body.bogus).toBeUndefined();
    expect(res.body.metadata.colour).toBeUndefined();
  });

  it('Ignore stores the object silently', async () => {
    const res = await s.req('POST', `${CM}?fieldValidation=Ignore`, { body: withUnknown('ignore') });
    expect(res.status).toBe(201);
    expect(res.headers.get('warning')).toBeNull();
  });

  it('applies to patches too', async () => {
    await s.req('POST', CM, { body: configMap('fvp') });
    const res = await patch(`${CM}/fvp`, MERGE, { bogus: true }, '?fieldValidation=Strict');
    expect(res.status).toBe(400);
  });
});
