import { describe, expect, it } from 'vitest';
import { RESOURCES, servedGroupVersions } from '@mini-kube/api';
import { documentPath, openapiV3Document, openapiV3DocumentJson, openapiV3Index, openapiV3IndexJson } from '../src/openapi/index.js';

interface Doc {
  openapi: string;
  paths: Record<string, { patch?: Record<string, any> }>;
  components: { schemas: Record<string, any> };
}

const doc = (path: string) => openapiV3Document(path) as Doc;

describe('openapi v3 index', () => {
  it('lists one document per served group-version, addressed by a content hash', () => {
    const { paths } = openapiV3Index();
    expect(Object.keys(paths).sort()).toEqual(servedGroupVersions().map((gv) => documentPath(gv.group, gv.version)).sort());
    expect(paths['api/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
    expect(paths['apis/apps/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=/);
    const hash = (path: string) => paths[path]!.serverRelativeURL.split('hash=')[1];
    expect(hash('api/v1')).not.toBe(hash('apis/batch/v1'));
  });

  it('is serialized once and stays stable', () => {
    expect(openapiV3IndexJson()).toBe(openapiV3IndexJson());
    expect(openapiV3DocumentJson('/apis/apps/v1')).toBe(openapiV3DocumentJson('apis/apps/v1'));
    expect(openapiV3DocumentJson('apis/nothing/v1')).toBeUndefined();
  });
});

describe('openapi v3 group-version documents', () => {
  it('offer a patch operation with fieldValidation for every kind, and no strategic-merge request body', () => {
    for (const r of RESOURCES) {
      const d = doc(documentPath(r.group, r.version));
      const scope = r.namespaced ? '/namespaces/{namespace}' : '';
      const patch = d.paths[`/${documentPath(r.group, r.version)}${scope}/${r.plural}/{name}`]?.patch;
      expect(patch, r.plural).toBeDefined();
      expect(patch!['x-kubernetes-action']).toBe('patch');
      expect(patch!['x-kubernetes-group-version-kind']).toEqual({ group: r.group, version: r.version, kind: r.kind });
      expect(patch!.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
      expect(patch!.requestBody).toBeUndefined();
    }
  });

  it('patch the scale subresource as autoscaling/v1 Scale', () => {
    const scale = doc('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!.patch!;
    expect(scale['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  it('carry every schema their kinds reach, and only those', () => {
    const apps = doc('apis/apps/v1').components.schemas;
    expect(Object.keys(apps)).toEqual(
      expect.arrayContaining(['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.core.v1.Container', 'io.k8s.api.autoscaling.v1.Scale', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status']),
    );
    expect(apps['io.k8s.api.batch.v1.Job']).toBeUndefined();
    for (const path of Object.keys(openapiV3Index().paths)) {
      const { schemas } = doc(path).components;
      JSON.stringify(schemas, (key, value) => {
        if (key === '$ref') expect(schemas[value.replace('#/components/schemas/', '')], `${path}: ${value}`).toBeDefined();
        return value;
      });
    }
    const core = doc('api/v1').components.schemas;
    expect(core['io.k8s.api.core.v1.Binding']).toBeDefined();
    expect(core['io.k8s.api.policy.v1.Eviction']).toBeDefined();
    expect(core['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
  });
});
