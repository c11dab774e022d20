#!/usr/bin/env node
// Generates packages/api/src/generated/schemas.json: OpenAPI v3 component schemas, named as the real
// apiserver names them, for every kind the kind table serves (plus a few request/response kinds).
// Source of truth: the doc-commented .d.ts files of the `kubernetes-types` package (k8s.io/api 1.30),
// read with the TypeScript compiler API. Usage: node scripts/gen-schemas.mjs [--out <file>]
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'packages/api/package.json'));
const TYPES_DIR = dirname(require.resolve('kubernetes-types/package.json'));
const DEFAULT_OUT = join(ROOT, 'packages/api/src/generated/schemas.json');
const REF = '#/components/schemas/';

// Kinds served as subresource bodies or generic request/response bodies, beyond the kind table.
const EXTRA_ROOTS = [
  ['autoscaling', 'v1', 'Scale'],
  ['policy', 'v1', 'Eviction'],
  ['', 'v1', 'Binding'],
  ['meta', 'v1', 'DeleteOptions'],
  ['meta', 'v1', 'Status'],
];

// kubernetes-types has one `number` type; these JSON names are int64 in k8s.io/api (the rest are int32).
const INT64_FIELDS = new Set([
  'generation', 'observedGeneration', 'deletionGracePeriodSeconds', 'gracePeriodSeconds',
  'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'startingDeadlineSeconds', 'runAsUser',
  'runAsGroup', 'fsGroup', 'supplementalGroups', 'sizeBytes', 'revision', 'expirationSeconds',
  'tolerationSeconds', 'resourceVersion',
]);

// Scalar types that kubernetes-types models as string aliases or inline unions, as the server spells them.
const SPECIAL = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
};
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const INT_OR_STRING_DOC =
  'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';

/** kubernetes-types file (without .d.ts) → the Go package prefix of its definitions. */
function packagePrefix(file) {
  if (file === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (file === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (file === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (file === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (file.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.${file.replace('/', '.')}`;
  return `io.k8s.api.${file.replace('/', '.')}`;
}

/** API group → kubernetes-types file: "" → core/v1, "networking.k8s.io" → networking/v1, "meta" → meta/v1. */
const fileOf = (group, version) => `${group === '' ? 'core' : group.split('.')[0]}/${version}`;

function listTypeFiles(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTypeFiles(join(dir, e.name), base) : e.name.endsWith('.d.ts') ? [relative(base, join(dir, e.name))] : [],
  );
}

/** Every declaration by definition name, and how each file's imported names resolve. */
function loadDeclarations() {
  const decls = new Map(); // definition name → { node, file }
  const scopes = new Map(); // file → Map(local name → definition name)
  for (const path of listTypeFiles(TYPES_DIR)) {
    const file = path.replace(/\.d\.ts$/, '');
    const source = ts.createSourceFile(path, readFileSync(join(TYPES_DIR, path), 'utf8'), ts.ScriptTarget.Latest, true);
    const scope = new Map();
    for (const stmt of source.statements) {
      if (ts.isImportDeclaration(stmt)) {
        const from = join(dirname(file), stmt.moduleSpecifier.text);
        for (const el of stmt.importClause?.namedBindings?.elements ?? []) scope.set(el.name.text, `${packagePrefix(from)}.${el.name.text}`);
      } else if (ts.isInterfaceDeclaration(stmt) || ts.isTypeAliasDeclaration(stmt)) {
        const name = `${packagePrefix(file)}.${stmt.name.text}`;
        scope.set(stmt.name.text, name);
        decls.set(name, { node: stmt, file });
      }
    }
    scopes.set(file, scope);
  }
  return { decls, scopes };
}

function docOf(node) {
  const text = ts.getJSDocCommentsAndTags(node).map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join('\n');
  return text.trim();
}

function literalOf(typeNode) {
  return typeNode && ts.isLiteralTypeNode(typeNode) && ts.isStringLiteral(typeNode.literal) ? typeNode.literal.text : undefined;
}

class Generator {
  constructor({ decls, scopes }) {
    this.decls = decls;
    this.scopes = scopes;
    this.schemas = {};
    this.pending = [];
  }

  /** Queues a definition for emission and returns its reference. */
  ref(name) {
    if (!(name in this.schemas) && !this.pending.includes(name)) this.pending.push(name);
    return { $ref: REF + name };
  }

  /** The schema of a property's or item's type, written in `file`; `field` picks the integer format. */
  typeSchema(node, file, field) {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: 'string' };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: 'boolean' };
      case ts.SyntaxKind.NumberKeyword:
        return { type: 'integer', format: INT64_FIELDS.has(field) ? 'int64' : 'int32' };
      case ts.SyntaxKind.LiteralType:
        return { type: 'string' };
      case ts.SyntaxKind.ArrayType:
        return { type: 'array', items: this.typeSchema(node.elementType, file, field) };
      case ts.SyntaxKind.UnionType:
        return this.unionSchema(node, file);
      case ts.SyntaxKind.TypeLiteral:
        return this.mapSchema(node, file, field);
      case ts.SyntaxKind.TypeReference: {
        const name = node.typeName.getText();
        if (name === 'Array') return { type: 'array', items: this.typeSchema(node.typeArguments[0], file, field) };
        const resolved = this.scopes.get(file).get(name);
        if (!resolved) throw new Error(`${file}: cannot resolve type ${name}`);
        return this.ref(resolved);
      }
      default:
        throw new Error(`${file}: unsupported type node ${ts.SyntaxKind[node.kind]} (${node.getText()})`);
    }
  }

  unionSchema(node, file) {
    const kinds = node.types.map((t) => t.kind).sort();
    if (kinds.join() === [ts.SyntaxKind.NumberKeyword, ts.SyntaxKind.StringKeyword].sort().join()) {
      if (!(INT_OR_STRING in this.schemas)) this.schemas[INT_OR_STRING] = { description: INT_OR_STRING_DOC, ...SPECIAL[INT_OR_STRING] };
      return { $ref: REF + INT_OR_STRING };
    }
    if (node.types.every((t) => literalOf(t) !== undefined)) return { type: 'string' };
    throw new Error(`${file}: unsupported union ${node.getText()}`);
  }

  mapSchema(node, file, field) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (!index || node.members.length !== 1) throw new Error(`${file}: unsupported type literal ${node.getText()}`);
    return { type: 'object', additionalProperties: this.typeSchema(index.type, file, field) };
  }

  propertySchema(member, file) {
    const field = member.name.getText().replace(/^"|"$/g, '');
    const schema = this.typeSchema(member.type, file, field);
    const description = docOf(member);
    if (!description) return schema;
    // A $ref cannot carry siblings in OpenAPI 3.0, so the server wraps it in allOf to keep the description.
    return schema.$ref ? { allOf: [schema], description } : { description, ...schema };
  }

  definition(name) {
    const entry = this.decls.get(name);
    if (!entry) throw new Error(`unknown definition ${name}`);
    const { node, file } = entry;
    const description = docOf(node);
    if (SPECIAL[name]) return { description, ...SPECIAL[name] };
    if (ts.isTypeAliasDeclaration(node)) return { description, ...this.typeSchema(node.type, file, '') };
    const properties = {};
    const required = [];
    let gv;
    let kind;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member)) throw new Error(`${name}: unsupported member ${member.getText()}`);
      const field = member.name.getText().replace(/^"|"$/g, '');
      properties[field] = this.propertySchema(member, file);
      if (!member.questionToken) required.push(field);
      if (field === 'apiVersion') gv = literalOf(member.type);
      if (field === 'kind') kind = literalOf(member.type);
    }
    const schema = { description, type: 'object' };
    if (node.members.length) schema.properties = properties;
    if (required.length) schema.required = required;
    if (gv && kind) {
      const slash = gv.indexOf('/');
      const gvk = slash < 0 ? { group: '', kind, version: gv } : { group: gv.slice(0, slash), kind, version: gv.slice(slash + 1) };
      schema['x-kubernetes-group-version-kind'] = [gvk];
    }
    return schema;
  }

  run(roots) {
    for (const root of roots) this.ref(root);
    while (this.pending.length) {
      const name = this.pending.shift();
      this.schemas[name] = this.definition(name);
    }
    // meta/v1 kinds carry no apiVersion literal; the server lists them under the core group.
    for (const kind of ['Status', 'DeleteOptions']) {
      this.schemas[`io.k8s.apimachinery.pkg.apis.meta.v1.${kind}`]['x-kubernetes-group-version-kind'] = [{ group: '', kind, version: 'v1' }];
    }
    return Object.fromEntries(Object.keys(this.schemas).sort().map((k) => [k, this.schemas[k]]));
  }
}

/** The kind table, evaluated from packages/api/src/resources.ts so this script never drifts from it. */
async function loadResources() {
  const source = readFileSync(join(ROOT, 'packages/api/src/resources.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
  return mod.RESOURCES;
}

export async function generateSchemas() {
  const resources = await loadResources();
  const roots = [];
  const add = (group, version, kind) => roots.push(`${packagePrefix(fileOf(group, version))}.${kind}`);
  for (const r of resources) {
    add(r.group, r.version, r.kind);
    add(r.group, r.version, r.listKind);
    for (const s of r.subresources) add(s.group ?? r.group, s.version ?? r.version, s.kind);
  }
  for (const [group, version, kind] of EXTRA_ROOTS) add(group, version, kind);
  return new Generator(loadDeclarations()).run([...new Set(roots)]);
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const outFlag = process.argv.indexOf('--out');
  const out = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : DEFAULT_OUT;
  const schemas = await generateSchemas();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(schemas) + '\n');
  console.log(`wrote ${Object.keys(schemas).length} schemas to ${relative(process.cwd(), out)}`);
}
