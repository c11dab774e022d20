// Discovery, version, health and OpenAPI over real HTTP (kubectl-wire §2–§4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './server-harness.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

describe('version and health', () => {
  it('reports a v1.32 server', async () => {
    const { status, body } = await s.req('GET', '/version?timeout=5s');
    expect(status).toBe(200);
    expect(body).toMatchObject({ major: '1', minor: '32' });
    expect(body.gitVersion).toMatch(/^v1\.32\.\d+$/);
  });

  it.each(['/livez', '/readyz', '/healthz'])('%s answers ok', async (path) => {
    const { status, text } = await s.req('GET', path);
    expect([status, text]).toEqual([200, 'ok']);
  });

  it('answers an unknown path with a NotFound Status', async () => {
    const { status, body } = await s.req('GET', '/nope');
    expect(status).toBe(404);
    expect(body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });
});

describe('aggregated discovery', () => {
  it('serves /api with its exact media type', async () => {
    const { status, headers, body } = await s.req('GET', '/api', { accept: AGGREGATED });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/);
    expect(body.kind).toBe('APIGroupDiscoveryList');
    const core = body.items[0];
    expect(core.metadata.name).toBe('');
    const pods = core.versions[0].resources.find((r: any) => r.resource === 'pods');
    expect(pods).toMatchObject({ scope: 'Namespaced', singularResource: 'pod', shortNames: ['po'], categories: ['all'] });
    expect(pods.subresources).toContainEqual({ subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] });
  });

  it('serves /apis with every group', async () => {
    const { headers, body } = await s.req('GET', '/apis', { accept: AGGREGATED });
    expect(headers.get('content-type')).toContain('as=APIGroupDiscoveryList');
    const groups = body.items.map((g: any) => g.metadata.name);
    expect(groups).toEqual(expect.arrayContaining(['apps', 'batch', 'events.k8s.io', 'coordination.k8s.io', 'networking.k8s.io', 'autoscaling']));
    const apps = body.items.find((g: any) => g.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
    expect(deploy.subresources.map((sr: any) => sr.subresource).sort()).toEqual(['scale', 'status']);
    const scale = deploy.subresources.find((sr: any) => sr.subresource === 'scale');
    expect(scale.responseKind).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });
});

describe('legacy discovery', () => {
  it('serves /api as APIVersions', async () => {
    const { status, headers, body } = await s.req('GET', '/api');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect(body.serverAddressByClientCIDRs[0].serverAddress).toBe(s.url.slice('http://'.length));
  });

  it('serves /apis as an APIGroupList with preferred versions', async () => {
    const { body } = await s.req('GET', '/apis');
    expect(body.kind).toBe('APIGroupList');
    expect(body.groups.find((g: any) => g.name === 'apps')).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
  });

  it('lists subresources of /api/v1 as entries, pods/eviction with its group and version', async () => {
    const { body } = await s.req('GET', '/api/v1');
    expect(body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    const names = body.resources.map((r: any) => r.name);
    expect(names).toEqual(expect.arrayContaining(['pods', 'pods/status', 'pods/log', 'pods/binding', 'namespaces', 'nodes', 'services']));
    expect(body.resources.find((r: any) => r.name === 'pods/eviction')).toMatchObject({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    expect(body.resources.find((r: any) => r.name === 'nodes')).toMatchObject({ namespaced: false, kind: 'Node' });
  });

  it('serves /apis/<group>/<version> and /apis/<group>', async () => {
    const list = await s.req('GET', '/apis/apps/v1');
    expect(list.body.groupVersion).toBe('apps/v1');
    expect(list.body.resources.map((r: any) => r.name)).toEqual(expect.arrayContaining(['deployments', 'deployments/scale', 'replicasets', 'statefulsets', 'daemonsets']));
    const group = await s.req('GET', '/apis/batch');
    expect(group.body).toMatchObject({ kind: 'APIGroup', name: 'batch' });
  });

  it('answers unknown groups and versions with 404', async () => {
    expect((await s.req('GET', '/apis/nope.example.com/v1')).status).toBe(404);
    expect((await s.req('GET', '/apis/nope.example.com')).status).toBe(404);
    expect((await s.req('GET', '/api/v2')).status).toBe(404);
  });

  it('refuses writes to discovery paths with 405', async () => {
    const { status, body } = await s.req('POST', '/api/v1', { body: {} });
    expect(status).toBe(405);
    expect(body.reason).toBe('MethodNotAllowed');
  });
});

describe('OpenAPI v3', () => {
  it('indexes a document per group-version that kubectl validation can use', async () => {
    const index = await s.req('GET', '/openapi/v3');
    expect(index.status).toBe(200);
    const path = 'apis/apps/v1';
    const entry = index.body.paths[path];
    expect(entry.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1/);
    const doc = await s.req('GET', entry.serverRelativeURL);
    expect(doc.status).toBe(200);
    const patchOps = Object.values(doc.body.paths as Record<string, any>).map((p) => p.patch).filter(Boolean);
    const deployPatch = patchOps.find((op) => op['x-kubernetes-group-version-kind']?.kind === 'Deployment');
    expect(deployPatch.parameters.map((p: any) => p.name ?? p.$ref)).toEqual(expect.arrayContaining([expect.stringContaining('fieldValidation')]));
    expect(index.body.paths['api/v1']).toBeDefined();
  });

  it('answers an unknown document with 404', async () => {
    expect((await s.req('GET', '/openapi/v3/apis/nope/v1')).status).toBe(404);
  });
});
