// kubectl explain's plaintext rendering of OpenAPI v3 schemas: the header, the field's (and its
// type's) description wrapped at 80 columns, and the fields with their types. Pure.

export type Schema = Record<string, any>;
export type Schemas = Record<string, Schema>;

const WIDTH = 80;

/** Greedy word wrap of each paragraph to `width` columns including the indent. */
export function wrap(text: string, indent: number, width = WIDTH): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      if (line && line.length + 1 + word.length > width - indent) {
        out.push(pad + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(pad + line);
  }
  return out;
}

/** The referenced schema name of a property (`$ref` or a single `allOf` `$ref`). */
export function refOf(s: Schema | undefined): string | undefined {
  const ref: string | undefined = s?.$ref ?? s?.allOf?.[0]?.$ref;
  return ref?.slice(ref.lastIndexOf('/') + 1);
}

export function resolve(schemas: Schemas, s: Schema | undefined): Schema | undefined {
  const ref = refOf(s);
  return ref ? schemas[ref] : s;
}

/** `<integer>`, `<[]Container>`, `<map[string]string>`, `<ObjectMeta>`, `<Object>`. */
export function typeName(s: Schema | undefined): string {
  const ref = refOf(s);
  if (ref) return ref.slice(ref.lastIndexOf('.') + 1);
  if (!s) return 'Object';
  if (s.type === 'array') return `[]${typeName(s.items)}`;
  if (s.type === 'object' && s.additionalProperties) return `map[string]${typeName(s.additionalProperties)}`;
  if (s.type === 'object' || !s.type) return 'Object';
  return s.type;
}

export interface Explained {
  group: string;
  kind: string;
  version: string;
  /** The last field of the path and its schema, when a path was given. */
  field?: { name: string; schema: Schema };
  /** The schema whose fields are listed (the kind's, or the field type's). */
  target: Schema | undefined;
}

/** Walks `spec.template.spec` from the kind's schema, stepping into array items and refs. */
export function walk(schemas: Schemas, root: Schema, path: string[]): { field?: { name: string; schema: Schema }; target: Schema | undefined } | string {
  let current: Schema | undefined = root;
  let field: { name: string; schema: Schema } | undefined;
  for (const name of path) {
    let holder = resolve(schemas, current);
    while (holder?.type === 'array') holder = resolve(schemas, holder.items);
    const prop = holder?.properties?.[name];
    if (!prop) return name;
    field = { name, schema: prop };
    current = prop;
  }
  let target = resolve(schemas, current);
  while (target?.type === 'array') target = resolve(schemas, target.items);
  return { field, target };
}

export function render(schemas: Schemas, e: Explained): string {
  const lines: string[] = [];
  if (e.group) lines.push(`GROUP:      ${e.group}`);
  lines.push(`KIND:       ${e.kind}`, `VERSION:    ${e.version}`, '');
  const descriptions: string[] = [];
  if (e.field) {
    lines.push(`FIELD: ${e.field.name} <${typeName(e.field.schema)}>`, '', '');
    if (e.field.schema.description) descriptions.push(e.field.schema.description);
    const own = e.target !== e.field.schema ? e.target?.description : undefined;
    if (own) descriptions.push(own);
  } else if (e.target?.description) descriptions.push(e.target.description);
  lines.push('DESCRIPTION:');
  for (const d of descriptions) lines.push(...wrap(d, 4));
  if (descriptions.length === 0) lines.push('    <empty>');
  lines.push('    ');
  const props = e.target?.properties as Record<string, Schema> | undefined;
  if (props && Object.keys(props).length) {
    lines.push('FIELDS:');
    const required = new Set<string>(e.target?.required ?? []);
    for (const name of Object.keys(props).sort()) {
      const p = props[name]!;
      lines.push(`  ${name}\t<${typeName(p)}>${required.has(name) ? ' -required-' : ''}`);
      if (p.description) lines.push(...wrap(p.description, 4));
      if (p.enum?.length) lines.push(...wrap(`enum: ${p.enum.join(', ')}`, 4));
      lines.push('');
    }
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
