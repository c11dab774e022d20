// OpenAPI v3 schemas of the served kinds, generated from kubernetes-types by scripts/gen-schemas.mjs
// (run it after changing the kind table). Names follow the real server: io.k8s.api.apps.v1.Deployment.
import generated from './generated/schemas.json' with { type: 'json' };

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The subset of an OpenAPI v3 schema object the generator emits. */
export interface OpenApiSchema {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema;
  $ref?: string;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

const SCHEMAS = generated as unknown as Record<string, OpenApiSchema>;

const byGvk = new Map<string, string>();
for (const [name, schema] of Object.entries(SCHEMAS)) {
  for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) byGvk.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, name);
}

/** The definition name of a top-level kind (`io.k8s.api.apps.v1.Deployment`), if one is generated. */
export function schemaNameFor(group: string, version: string, kind: string): string | undefined {
  return byGvk.get(`${group}/${version}/${kind}`);
}

/** The schema of a top-level kind; `undefined` for kinds without one. Treat as read-only. */
export function schemaFor(group: string, version: string, kind: string): OpenApiSchema | undefined {
  const name = schemaNameFor(group, version, kind);
  return name === undefined ? undefined : SCHEMAS[name];
}

/** Every generated definition by name. Treat as read-only. */
export function allSchemas(): Readonly<Record<string, OpenApiSchema>> {
  return SCHEMAS;
}

/** The definition a `$ref` (`#/components/schemas/<name>`) points to. */
export function resolveSchemaRef(ref: string): OpenApiSchema | undefined {
  return ref.startsWith(SCHEMA_REF_PREFIX) ? SCHEMAS[ref.slice(SCHEMA_REF_PREFIX.length)] : undefined;
}
