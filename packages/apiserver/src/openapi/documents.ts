// OpenAPI v3 as kubectl reads it: GET /openapi/v3 lists one document per served group-version, and
// each document carries the schemas `kubectl explain` prints plus, per kind, a `patch` operation with
// a `fieldValidation` parameter, which tells kubectl the server validates fields itself (so
// `apply`/`create` send ?fieldValidation=Strict instead of failing client-side validation).
import { createHash } from 'node:crypto';
import {
  allSchemas,
  groupVersion,
  RESOURCES,
  SCHEMA_REF_PREFIX,
  schemaNameFor,
  servedGroupVersions,
  type ResourceInfo,
} from '@mini-kube/api';

const SERVER_VERSION = 'v1.32.4';
// Every document also describes the generic bodies of delete and error responses.
const COMMON_KINDS: [string, string, string][] = [
  ['', 'v1', 'DeleteOptions'],
  ['', 'v1', 'Status'],
];

/** "api/v1" or "apis/apps/v1": a document's key in the index and its URL under /openapi/v3/. */
export function documentPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

interface Built {
  json: string;
  hash: string;
}

let documents: Map<string, Built> | undefined;
let indexJson: string | undefined;

function built(): Map<string, Built> {
  if (!documents) {
    documents = new Map();
    for (const { group, version } of servedGroupVersions()) {
      const json = JSON.stringify(buildDocument(group, version));
      // The real server also uses a content hash, so clients may cache a document until it changes.
      documents.set(documentPath(group, version), { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() });
    }
  }
  return documents;
}

/** The body of GET /openapi/v3, serialized once. */
export function openapiV3IndexJson(): string {
  if (indexJson === undefined) {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [path, doc] of built()) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
    indexJson = JSON.stringify({ paths });
  }
  return indexJson;
}

export function openapiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  return JSON.parse(openapiV3IndexJson());
}

/** The body of GET /openapi/v3/<path> (`apis/apps/v1`, leading slash optional), serialized once. */
export function openapiV3DocumentJson(path: string): string | undefined {
  return built().get(path.replace(/^\/+/, ''))?.json;
}

export function openapiV3Document(path: string): object | undefined {
  const json = openapiV3DocumentJson(path);
  return json === undefined ? undefined : JSON.parse(json);
}

function buildDocument(group: string, version: string): object {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  const roots = new Set<string>();
  const addRoot = (g: string, v: string, kind: string) => {
    const name = schemaNameFor(g, v, kind);
    if (name) roots.add(name);
  };
  const paths: Record<string, object> = {};
  for (const r of resources) {
    addRoot(r.group, r.version, r.kind);
    addRoot(r.group, r.version, r.listKind);
    paths[objectPath(r)] = { patch: patchOperation(r, { group: r.group, version: r.version, kind: r.kind }) };
    for (const sub of r.subresources) {
      const target = { group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind };
      addRoot(target.group, target.version, target.kind);
      if (sub.verbs.includes('patch')) paths[`${objectPath(r)}/${sub.name}`] = { patch: patchOperation(r, target) };
    }
  }
  for (const [g, v, kind] of COMMON_KINDS) addRoot(g, v, kind);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION },
    paths,
    components: { schemas: reachableSchemas(roots) },
  };
}

function objectPath(r: ResourceInfo): string {
  const scope = r.namespaced ? '/namespaces/{namespace}' : '';
  return `/${documentPath(r.group, r.version)}${scope}/${r.plural}/{name}`;
}

const queryParam = (name: string, description: string) => ({ name, in: 'query', description, schema: { type: 'string', uniqueItems: true } });

// No requestBody on purpose: listing strategic-merge-patch there makes kubectl compute apply patches
// from these schemas instead of its compiled-in types (kubectl-wire.md §4).
function patchOperation(r: ResourceInfo, target: { group: string; version: string; kind: string }): object {
  const response = schemaNameFor(target.group, target.version, target.kind);
  const parameters: object[] = [
    { name: 'name', in: 'path', required: true, description: `name of the ${target.kind}`, schema: { type: 'string', uniqueItems: true } },
    queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
    queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
    queryParam(
      'fieldValidation',
      'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default) and Strict.',
    ),
  ];
  if (r.namespaced) {
    parameters.splice(1, 0, { name: 'namespace', in: 'path', required: true, description: 'object name and auth scope, such as for teams and projects', schema: { type: 'string', uniqueItems: true } });
  }
  return {
    description: `partially update the specified ${target.kind}`,
    operationId: `patch${groupVersion(r).replace(/[^a-zA-Z0-9]/g, '')}${r.kind}`,
    parameters,
    responses: {
      '200': {
        description: 'OK',
        ...(response ? { content: { 'application/json': { schema: { $ref: SCHEMA_REF_PREFIX + response } } } } : {}),
      },
    },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': target,
  };
}

/** The named schemas and every schema they reference, transitively, in name order. */
function reachableSchemas(roots: Iterable<string>): Record<string, unknown> {
  const all = allSchemas();
  const found = new Set<string>();
  const visit = (name: string): void => {
    if (found.has(name) || !all[name]) return;
    found.add(name);
    JSON.stringify(all[name], (key, value) => {
      if (key === '$ref' && typeof value === 'string') visit(value.slice(SCHEMA_REF_PREFIX.length));
      return value;
    });
  };
  for (const root of roots) visit(root);
  return Object.fromEntries([...found].sort().map((name) => [name, all[name]]));
}
