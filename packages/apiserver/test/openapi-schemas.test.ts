import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allSchemas, RESOURCES, SCHEMA_REF_PREFIX, schemaFor, type OpenApiSchema } from '@mini-kube/api';

const GENERATOR = fileURLToPath(new URL('../../../scripts/gen-schemas.mjs', import.meta.url));

function refsOf(schema: OpenApiSchema): string[] {
  const refs: string[] = [];
  JSON.stringify(schema, (key, value) => (key === '$ref' && refs.push(value), value));
  return refs;
}

describe('generated schemas', () => {
  it('are up to date with the kind table and kubernetes-types', async () => {
    const { generateSchemas } = await import(pathToFileURL(GENERATOR).href);
    expect(await generateSchemas()).toEqual(allSchemas());
  });

  it('describe every kind, list kind and subresource kind of the kind table', () => {
    const kinds = RESOURCES.flatMap((r) => [
      { group: r.group, version: r.version, kind: r.kind },
      { group: r.group, version: r.version, kind: r.listKind },
      ...r.subresources.map((s) => ({ group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind })),
    ]);
    for (const { group, version, kind } of kinds) {
      const schema = schemaFor(group, version, kind);
      expect(schema, `${group}/${version} ${kind}`).toBeDefined();
      expect(schema!.description, kind).toMatch(/\w{3}/);
      expect(schema!['x-kubernetes-group-version-kind']).toEqual([{ group, kind, version }]);
      expect(schema!.properties?.apiVersion?.type).toBe('string');
    }
    expect(schemaFor('', 'v1', 'Status')).toBeDefined();
    expect(schemaFor('', 'v1', 'DeleteOptions')?.properties?.propagationPolicy?.type).toBe('string');
  });

  it('name definitions as the real server does and resolve every reference', () => {
    const all = allSchemas();
    expect(Object.keys(all)).toEqual(expect.arrayContaining(['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']));
    for (const [name, schema] of Object.entries(all)) {
      for (const ref of refsOf(schema)) expect(all[ref.slice(SCHEMA_REF_PREFIX.length)], `${name} → ${ref}`).toBeDefined();
    }
  });

  it('spell special scalar types as the real server does', () => {
    const all = allSchemas();
    expect(all['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string', 'x-kubernetes-int-or-string': true });
    expect(all['io.k8s.apimachinery.pkg.api.resource.Quantity']!.oneOf).toEqual([{ type: 'string' }, { type: 'number' }]);
    expect(all['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toMatchObject({ type: 'string', format: 'date-time' });
    const port = all['io.k8s.api.core.v1.ServicePort']!.properties!;
    expect(port.targetPort!.allOf).toEqual([{ $ref: `${SCHEMA_REF_PREFIX}io.k8s.apimachinery.pkg.util.intstr.IntOrString` }]);
    expect(port.port).toMatchObject({ type: 'integer', format: 'int32' });
    expect(all['io.k8s.api.core.v1.ServicePort']!.required).toEqual(['port']);
  });

  it('carry field descriptions, maps, lists and references', () => {
    const spec = allSchemas()['io.k8s.api.apps.v1.DeploymentSpec']!;
    expect(spec.properties!.replicas).toMatchObject({ type: 'integer', format: 'int32', description: expect.stringContaining('desired pods') });
    expect(spec.properties!.template).toMatchObject({ allOf: [{ $ref: `${SCHEMA_REF_PREFIX}io.k8s.api.core.v1.PodTemplateSpec` }] });
    expect(spec.required).toEqual(['selector', 'template']);
    const meta = allSchemas()['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties!;
    expect(meta.labels).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(meta.generation).toMatchObject({ type: 'integer', format: 'int64' });
    const pod = allSchemas()['io.k8s.api.core.v1.PodSpec']!.properties!;
    expect(pod.containers).toMatchObject({ type: 'array', items: { $ref: `${SCHEMA_REF_PREFIX}io.k8s.api.core.v1.Container` } });
  });
});
