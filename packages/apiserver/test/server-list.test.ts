// Lists over HTTP: paging with limit/continue, label and field selectors, and Table responses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_ACCEPT, configMap, pod, startServer, type TestServer } from './server-harness.js';

let s: TestServer;
const PODS = '/api/v1/namespaces/sel/pods';
const CM = '/api/v1/namespaces/paging/configmaps';

beforeAll(async () => {
  s = await startServer();
  for (const ns of ['sel', 'paging']) await s.req('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  // 10 configmaps, every other one labelled even=true
  for (let i = 0; i < 10; i++) await s.req('POST', CM, { body: configMap(`cm-${i}`, {}, { n: String(i), even: String(i % 2 === 0) }) });
  const pods: [string, Record<string, string>, string?][] = [
    ['web-1', { app: 'web', tier: 'front', env: 'prod' }, 'node-a'],
    ['web-2', { app: 'web', tier: 'front', env: 'dev' }, 'node-b'],
    ['db-1', { app: 'db', tier: 'back' }, 'node-a'],
    ['lone', {}],
  ];
  for (const [name, labels, nodeName] of pods) {
    const res = await s.req('POST', PODS, { body: pod(name, { labels, nodeName }) });
    expect(res.status).toBe(201);
  }
  // db-1 has finished
  const db = await s.req('GET', `${PODS}/db-1`);
  await s.req('PUT', `${PODS}/db-1/status`, { body: { ...db.body, status: { ...db.body.status, phase: 'Succeeded' } } });
});
afterAll(() => s.close());

const names = (list: any): string[] => list.items.map((i: any) => i.metadata.name).sort();

async function pages(path: string, limit: number): Promise<{ pages: string[][]; rvs: string[] }> {
  const out: string[][] = [];
  const rvs: string[] = [];
  let token: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body } = await s.req('GET', `${path}${sep}limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    expect(status).toBe(200);
    out.push(body.items.map((i: any) => i.metadata.name));
    rvs.push(body.metadata.resourceVersion);
    token = body.metadata.continue;
  } while (token);
  return { pages: out, rvs };
}

describe('paging', () => {
  it('splits a list into pages joined by continue tokens', async () => {
    const { pages: got } = await pages(CM, 4);
    expect(got.map((p) => p.length)).toEqual([4, 4, 2]);
    expect(got.flat().sort()).toEqual(Array.from({ length: 10 }, (_, i) => `cm-${i}`).sort());
  });

  it('fills each page with matches when a label selector skips objects', async () => {
    const { pages: got } = await pages(`${CM}?labelSelector=even%3Dtrue`, 2);
    expect(got.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(got.flat().sort()).toEqual(['cm-0', 'cm-2', 'cm-4', 'cm-6', 'cm-8']);
  });

  it('reports the first page\'s resourceVersion on every page, so a watch from it misses nothing', async () => {
    const first = await s.req('GET', `${CM}?limit=5`);
    const changed = first.body.items[0];
    await s.req('PUT', `${CM}/${changed.metadata.name}`, { body: { ...changed, data: { touched: 'yes' } } });
    const second = await s.req('GET', `${CM}?limit=5&continue=${encodeURIComponent(first.body.metadata.continue)}`);
    expect(second.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const w = await s.watch(`${CM}?watch=true&resourceVersion=${second.body.metadata.resourceVersion}`);
    expect(await w.next()).toMatchObject({ type: 'MODIFIED', object: { metadata: { name: changed.metadata.name }, data: { touched: 'yes' } } });
    w.close();
  });

  it('gives no continue token when everything fits', async () => {
    const { body } = await s.req('GET', `${CM}?limit=10`);
    expect(body.items).toHaveLength(10);
    expect(body.metadata.continue).toBeUndefined();
  });

  it('refuses a malformed continue token with 400', async () => {
    const { status, body } = await s.req('GET', `${CM}?limit=2&continue=garbage`);
    expect(status).toBe(400);
    expect(body.reason).toBe('BadRequest');
  });
});

describe('label selectors', () => {
  it.each([
    ['app=web', ['web-1', 'web-2']],
    ['app==web', ['web-1', 'web-2']],
    ['app!=web', ['db-1', 'lone']],
    ['app in (web,db)', ['db-1', 'web-1', 'web-2']],
    ['app notin (web)', ['db-1', 'lone']],
    ['env', ['web-1', 'web-2']],
    ['!env', ['db-1', 'lone']],
    ['tier=front,env=prod', ['web-1']],
    ['app,!env', ['db-1']],
    ['', ['db-1', 'lone', 'web-1', 'web-2']],
  ])('%j', async (selector, expected) => {
    const { status, body } = await s.req('GET', `${PODS}?labelSelector=${encodeURIComponent(selector)}`);
    expect(status).toBe(200);
    expect(names(body)).toEqual(expected);
  });

  it('refuses a malformed selector with 400', async () => {
    const { status } = await s.req('GET', `${PODS}?labelSelector=${encodeURIComponent('app in web')}`);
    expect(status).toBe(400);
  });
});

describe('field selectors', () => {
  it.each([
    ['metadata.name=web-1', ['web-1']],
    ['metadata.name!=web-1', ['db-1', 'lone', 'web-2']],
    ['metadata.namespace=sel', ['db-1', 'lone', 'web-1', 'web-2']],
    ['spec.nodeName=node-a', ['db-1', 'web-1']],
    ['spec.nodeName=', ['lone']],
    ['spec.nodeName=node-a,status.phase!=Succeeded,status.phase!=Failed', ['web-1']],
  ])('%j', async (selector, expected) => {
    const { status, body } = await s.req('GET', `${PODS}?fieldSelector=${encodeURIComponent(selector)}`);
    expect(status).toBe(200);
    expect(names(body)).toEqual(expected);
  });

  it('selects events by involvedObject fields', async () => {
    const event = (name: string, objName: string, kind: string): Record<string, unknown> => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name },
      involvedObject: { kind, name: objName, namespace: 'sel', uid: `uid-${objName}` },
      reason: 'Test',
      message: 'm',
      type: 'Normal',
    });
    await s.req('POST', '/api/v1/namespaces/sel/events', { body: event('e1', 'web-1', 'Pod') });
    await s.req('POST', '/api/v1/namespaces/sel/events', { body: event('e2', 'web', 'Deployment') });
    const sel = encodeURIComponent('involvedObject.name=web-1,involvedObject.namespace=sel,involvedObject.kind=Pod,involvedObject.uid=uid-web-1');
    const { body } = await s.req('GET', `/api/v1/namespaces/sel/events?fieldSelector=${sel}`);
    expect(names(body)).toEqual(['e1']);
  });

  it('refuses an unsupported field with 400', async () => {
    const { status, body } = await s.req('GET', `${PODS}?fieldSelector=${encodeURIComponent('spec.containers=x')}`);
    expect(status).toBe(400);
    expect(body.message).toContain('field label not supported: spec.containers');
  });

  it('combines with label selectors', async () => {
    const q = `labelSelector=${encodeURIComponent('app=web')}&fieldSelector=${encodeURIComponent('spec.nodeName=node-b')}`;
    expect(names((await s.req('GET', `${PODS}?${q}`)).body)).toEqual(['web-2']);
  });
});

describe('tables', () => {
  it('answers a list with columns and PartialObjectMetadata rows', async () => {
    const { status, body } = await s.req('GET', `${PODS}?labelSelector=app%3Dweb`, { accept: TABLE_ACCEPT });
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(body.columnDefinitions[0]).toMatchObject({ type: 'string', format: 'name', priority: 0 });
    expect(body.rows).toHaveLength(2);
    const row = body.rows.find((r: any) => r.cells[0] === 'web-1');
    expect(row.cells.slice(1, 4)).toEqual(['0/1', 'Pending', '0']);
    expect(row.cells[6]).toBe('node-a');
    expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'web-1', namespace: 'sel', labels: { app: 'web', tier: 'front', env: 'prod' } } });
    expect(row.object.spec).toBeUndefined();
  });

  it('includes the full object with includeObject=Object and none with None', async () => {
    const full = await s.req('GET', `${PODS}/web-1?includeObject=Object`, { accept: TABLE_ACCEPT });
    expect(full.body.rows).toHaveLength(1);
    expect(full.body.rows[0].object).toMatchObject({ kind: 'Pod', spec: { nodeName: 'node-a' } });
    const none = await s.req('GET', `${PODS}?includeObject=None`, { accept: TABLE_ACCEPT });
    expect(none.body.rows.every((r: any) => r.object === undefined)).toBe(true);
  });

  it('pages tables too', async () => {
    const first = await s.req('GET', `${CM}?limit=3`, { accept: TABLE_ACCEPT });
    expect(first.body.rows).toHaveLength(3);
    expect(first.body.metadata.continue).toBeTruthy();
    expect(first.body.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Data', 'Age']);
  });

  it('answers an empty list with no rows', async () => {
    const { body } = await s.req('GET', '/api/v1/namespaces/sel/secrets', { accept: TABLE_ACCEPT });
    expect(body.rows).toEqual([]);
    expect(body.columnDefinitions.length).toBeGreaterThan(0);
  });
});
