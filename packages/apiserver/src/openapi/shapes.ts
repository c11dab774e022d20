// Compiles the generated OpenAPI schemas into "shapes": a small tree that mirrors the Go types the
// real apiserver decodes into (struct, map, slice, scalar), with the Go type names its decoding
// errors quote. Compiled once per definition and shared, so validating a write is a plain walk.
import { allSchemas, SCHEMA_REF_PREFIX, type OpenApiSchema } from '@mini-kube/api';

export interface StructShape {
  kind: 'struct';
  /** `Deployment`: the Go struct name decoding errors quote. */
  name: string;
  /** `v1.Deployment`: the Go type decoding errors quote. */
  goType: string;
  fields: Map<string, Shape>;
}

export type Shape =
  | StructShape
  | { kind: 'map'; goType: string; values: Shape }
  | { kind: 'array'; goType: string; items: Shape }
  | { kind: 'string' | 'boolean'; goType: string }
  | { kind: 'integer'; goType: 'int32' | 'int64' }
  | { kind: 'intOrString'; goType: 'intstr.IntOrString' }
  | { kind: 'quantity'; goType: 'resource.Quantity' }
  /** Free-form content (RawExtension, FieldsV1): anything goes. */
  | { kind: 'any'; goType: string };

const META = 'io.k8s.apimachinery.pkg.';
const SPECIAL: Record<string, Shape> = {
  [`${META}util.intstr.IntOrString`]: { kind: 'intOrString', goType: 'intstr.IntOrString' },
  [`${META}api.resource.Quantity`]: { kind: 'quantity', goType: 'resource.Quantity' },
  // metav1.Time decodes through a Go string, so a non-string is reported against `string`.
  [`${META}apis.meta.v1.Time`]: { kind: 'string', goType: 'string' },
  [`${META}apis.meta.v1.MicroTime`]: { kind: 'string', goType: 'string' },
};

const compiled = new Map<string, Shape>();

/** The shape of a named definition (`io.k8s.api.apps.v1.Deployment`); undefined if none is generated. */
export function shapeOf(definition: string): Shape | undefined {
  const cached = compiled.get(definition);
  if (cached) return cached;
  const schema = allSchemas()[definition];
  if (!schema) return undefined;
  const special = SPECIAL[definition];
  if (special) return remember(definition, special);
  const segments = definition.split('.');
  const name = segments[segments.length - 1]!;
  const goType = `${segments[segments.length - 2]}.${name}`;
  if (schema.type === 'object' && schema.properties) {
    // Registered before its fields compile, so self-referencing definitions terminate.
    const struct: StructShape = { kind: 'struct', name, goType, fields: new Map() };
    compiled.set(definition, struct);
    for (const [field, prop] of Object.entries(schema.properties)) struct.fields.set(field, compile(prop));
    return struct;
  }
  return remember(definition, compile(schema));
}

function remember(definition: string, shape: Shape): Shape {
  compiled.set(definition, shape);
  return shape;
}

function compile(schema: OpenApiSchema): Shape {
  const ref = schema.$ref ?? schema.allOf?.[0]?.$ref;
  if (ref) {
    const shape = shapeOf(ref.slice(SCHEMA_REF_PREFIX.length));
    if (!shape) throw new Error(`schema reference ${ref} has no definition`);
    return shape;
  }
  switch (schema.type) {
    case 'string':
      return { kind: 'string', goType: 'string' };
    case 'boolean':
      return { kind: 'boolean', goType: 'bool' };
    case 'integer':
      return { kind: 'integer', goType: schema.format === 'int64' ? 'int64' : 'int32' };
    case 'array': {
      const items = compile(schema.items ?? {});
      return { kind: 'array', goType: `[]${items.goType}`, items };
    }
    case 'object': {
      if (!schema.additionalProperties) return { kind: 'any', goType: 'map[string]interface {}' };
      const values = compile(schema.additionalProperties);
      return { kind: 'map', goType: `map[string]${values.goType}`, values };
    }
    default:
      return { kind: 'any', goType: 'interface {}' };
  }
}
