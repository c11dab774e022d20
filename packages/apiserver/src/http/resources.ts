// HTTP verbs on resources: maps a parsed request onto the registry and shapes the answer
// (object, List or Table, watch stream, Status).
import { Readable } from 'node:stream';
import { OMIT_MANAGED_FIELDS_HEADER, groupVersion, type KObject, type ResourceInfo } from '@mini-kube/api';
import { StatusError, badRequest } from '@mini-kube/machinery';
import { knownJsonOf, knownJsonWithoutManagedFields, withTypeMeta, type EncodedObject } from '../registry/codec.js';
import type { DeleteOptions, FieldValidation, ListResult, Registry, RequestContext, WriteOptions } from '../registry/registry.js';
import { encodedListChunks, encodedListLength } from './encoded-list.js';
import { bindPod, evictPod, podLogs, successStatus, type PodLogSource } from '../subresources/pods.js';
import { kubeletLogSource } from '../subresources/node-proxy.js';
import { patchScale, toScale, updateScale } from '../subresources/scale.js';
import { decodeBody, mediaType } from './body.js';
import { jsonAnswer, type Answer, type Exchange, type Query } from './exchange.js';
import type { ResourceRequest } from './request-info.js';
import { toTable, wantsTable, type IncludeObject } from './table.js';
import { streamWatch } from './watch-stream.js';

export interface ResourceHandlerDeps {
  registry: Registry;
  podLogs?: PodLogSource;
  bookmarkIntervalMs?: number;
}

const first = (query: Query, name: string): string | undefined => {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
};

function intParam(query: Query, name: string): number | undefined {
  const raw = first(query, name);
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw badRequest(`invalid value for ${name}: ${raw}`);
  return n;
}

function writeOptions(query: Query): WriteOptions {
  const dryRun = first(query, 'dryRun');
  if (dryRun !== undefined && dryRun !== 'All') throw badRequest(`dryRun: Unsupported value: "${dryRun}": supported values: "All"`);
  const validation = first(query, 'fieldValidation');
  if (validation !== undefined && !['Strict', 'Warn', 'Ignore'].includes(validation)) {
    throw badRequest(`fieldValidation: Unsupported value: "${validation}": supported values: "Ignore", "Strict", "Warn"`);
  }
  const force = first(query, 'force');
  return {
    dryRun: dryRun === 'All',
    fieldManager: first(query, 'fieldManager'),
    fieldValidation: validation as FieldValidation | undefined,
    force: force === 'true' || force === '1',
  };
}

function includeObject(query: Query): IncludeObject | undefined {
  const v = first(query, 'includeObject');
  if (v === undefined) return undefined;
  if (v !== 'None' && v !== 'Object' && v !== 'Metadata') throw badRequest(`includeObject: Unsupported value: "${v}"`);
  return v;
}

function deleteOptions(query: Query, body: unknown): DeleteOptions {
  const fromBody = (body && typeof body === 'object' ? body : {}) as {
    gracePeriodSeconds?: number;
    propagationPolicy?: string;
    preconditions?: DeleteOptions['preconditions'];
    dryRun?: string[];
  };
  const policy = fromBody.propagationPolicy ?? first(query, 'propagationPolicy');
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"`);
  }
  return {
    gracePeriodSeconds: fromBody.gracePeriodSeconds ?? intParam(query, 'gracePeriodSeconds'),
    propagationPolicy: policy,
    preconditions: fromBody.preconditions,
    dryRun: fromBody.dryRun?.includes('All') || first(query, 'dryRun') === 'All',
  };
}

function bodyObject(ex: Exchange): KObject {
  const raw = ex.body;
  if (!raw || raw.length === 0) throw badRequest('the body of the request was empty');
  const obj = decodeBody(contentTypeOf(ex), raw);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request must be a JSON or YAML object');
  return obj as KObject;
}

function deletedStatus(r: ResourceInfo, obj: KObject): Record<string, unknown> {
  return {
    ...successStatus({ name: obj.metadata.name, ...(r.group ? { group: r.group } : {}), kind: r.plural, uid: obj.metadata.uid }),
    code: 200,
  };
}

/**
 * Sends a List whose items are stored JSON bytes (large lists are answered without parsing the
 * stored objects) as a stream of chunks of known total length: no string to measure and encode.
 */
function encodedListAnswer(r: ResourceInfo, list: ListResult<EncodedObject>, headers: Record<string, string | string[]>): Answer {
  const metadata: Record<string, string> = { resourceVersion: list.resourceVersion };
  if (list.continue) metadata.continue = list.continue;
  const head = JSON.stringify({ kind: r.listKind, apiVersion: groupVersion(r), metadata });
  const before = `${head.slice(0, -1)},"items":[`;
  const after = ']}';
  headers['content-length'] = String(encodedListLength(before, list.items, after));
  // One buffer of the whole answer would cost several times more: a large allocation, and the GC
  // work its external memory triggers.
  const body = Readable.from(encodedListChunks(before, list.items, after), { highWaterMark: 1 });
  return { code: 200, contentType: 'application/json', headers, body };
}

function listBody(r: ResourceInfo, items: KObject[], resourceVersion: string, cont?: string): Record<string, unknown> {
  const metadata: Record<string, string> = { resourceVersion };
  if (cont) metadata.continue = cont;
  return { kind: r.listKind, apiVersion: groupVersion(r), metadata, items: items.map((o) => withTypeMeta(r, o)) };
}

export async function handleResource(deps: ResourceHandlerDeps, ex: Exchange, info: ResourceRequest): Promise<Answer> {
  const { registry } = deps;
  const { resource: r, namespace, name, subresource } = info;
  const query = ex.query;
  const ctx: RequestContext = { userAgent: first(ex.headers, 'user-agent'), warnings: [] };
  const asTable = wantsTable(first(ex.headers, 'accept'));
  const warningHeaders = (): Record<string, string | string[]> => {
    if (ctx.warnings.length === 0) return {};
    return { warning: ctx.warnings.map((warning) => `299 - ${JSON.stringify(warning)}`) };
  };
  const omitManagedFields = first(ex.headers, OMIT_MANAGED_FIELDS_HEADER) === 'true';
  // An object the registry just wrote is answered with its stored text, not serialized again.
  const knownText = (body: object): string | undefined => (omitManagedFields && knownJsonWithoutManagedFields(body)) || knownJsonOf(body);
  const respond = (code: number, body: object): Answer => jsonAnswer(code, knownText(body) ?? JSON.stringify(body), warningHeaders());
  const collection = name === undefined;
  // A namespaced collection may be listed across namespaces, but written only within one.
  if (r.namespaced && namespace === undefined && ex.method !== 'GET') throw methodNotAllowed();

  switch (ex.method) {
    case 'GET': {
      if (collection) {
        const selectors = { labelSelector: first(query, 'labelSelector'), fieldSelector: first(query, 'fieldSelector') };
        const watch = first(query, 'watch');
        if (watch === 'true' || watch === '1') {
          // Refused with a plain 400 before the stream starts, as the real server does.
          const rv = first(query, 'resourceVersion');
          if (rv && !/^\d+$/.test(rv)) throw badRequest(`invalid resource version: ${rv}`);
          const options = {
            ...selectors,
            namespace,
            resourceVersion: first(query, 'resourceVersion'),
            timeoutSeconds: intParam(query, 'timeoutSeconds'),
            allowWatchBookmarks: first(query, 'allowWatchBookmarks') === 'true',
            asTable,
            includeObject: includeObject(query),
            bookmarkIntervalMs: deps.bookmarkIntervalMs,
            omitManagedFields,
          };
          return { code: 200, contentType: 'application/json', body: (sink) => streamWatch(registry, r, sink, options) };
        }
        const listOptions = { ...selectors, limit: intParam(query, 'limit'), continue: first(query, 'continue') };
        if (!asTable) {
          const list = await registry.listEncoded(r, namespace, listOptions);
          return encodedListAnswer(r, list, warningHeaders());
        }
        const list = await registry.list(r, namespace, listOptions);
        return respond(200, toTable(r, list.items, { includeObject: includeObject(query), resourceVersion: list.resourceVersion, continue: list.continue }));
      }
      const obj = await registry.get(r, namespace, name);
      if (subresource === 'scale') return respond(200, toScale(obj));
      if (subresource === 'log') return logsAnswer(deps, obj, query);
      if (asTable) return respond(200, toTable(r, [obj], { includeObject: includeObject(query), resourceVersion: obj.metadata.resourceVersion }));
      return respond(200, withTypeMeta(r, obj));
    }
    case 'POST': {
      if (collection) return respond(201, await registry.create(r, namespace, bodyObject(ex), ctx, writeOptions(query)));
      if (r.kind === 'Pod' && subresource === 'binding') {
        await bindPod(registry, r, namespace!, name, bodyObject(ex), ctx);
        return respond(201, successStatus());
      }
      if (r.kind === 'Pod' && subresource === 'eviction') {
        await evictPod(registry, r, namespace!, name, bodyObject(ex), ctx);
        return respond(201, successStatus());
      }
      throw methodNotAllowed();
    }
    case 'PUT': {
      if (collection) throw methodNotAllowed();
      const options = writeOptions(query);
      if (subresource === 'scale') return respond(200, await updateScale(registry, r, namespace, name, bodyObject(ex), ctx, options));
      if (subresource !== undefined && subresource !== 'status') throw methodNotAllowed();
      return respond(200, await registry.update(r, namespace, name, bodyObject(ex), ctx, options, subresource));
    }
    case 'PATCH': {
      if (collection) throw methodNotAllowed();
      const contentType = mediaType(contentTypeOf(ex));
      const patch = decodeBody(contentTypeOf(ex), ex.body ?? '');
      const options = writeOptions(query);
      if (subresource === 'scale') return respond(200, await patchScale(registry, r, namespace, name, contentType, patch, ctx, options));
      if (subresource !== undefined && subresource !== 'status') throw methodNotAllowed();
      const { object, created } = await registry.patch(r, namespace, name, contentType, patch, ctx, options, subresource);
      return respond(created ? 201 : 200, object);
    }
    case 'DELETE': {
      const body = ex.body?.length ? decodeBody(contentTypeOf(ex), ex.body) : undefined;
      const options = deleteOptions(query, body);
      if (collection) return respond(200, await deleteCollection(registry, r, namespace, query, ctx, options));
      if (subresource !== undefined) throw methodNotAllowed();
      const result = await registry.delete(r, namespace, name, ctx, options);
      return respond(200, result.deleted ? deletedStatus(r, result.object) : result.object);
    }
    default:
      throw methodNotAllowed();
  }
}

async function deleteCollection(
  registry: Registry,
  r: ResourceInfo,
  namespace: string | undefined,
  query: Query,
  ctx: RequestContext,
  options: DeleteOptions,
): Promise<Record<string, unknown>> {
  const list = await registry.list(r, namespace, { labelSelector: first(query, 'labelSelector'), fieldSelector: first(query, 'fieldSelector') });
  const deleted: KObject[] = [];
  for (const item of list.items) {
    try {
      deleted.push((await registry.delete(r, item.metadata.namespace, item.metadata.name!, ctx, options)).object);
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
  }
  return listBody(r, deleted, list.resourceVersion);
}

async function logsAnswer(deps: ResourceHandlerDeps, pod: KObject, query: Query): Promise<Answer> {
  const params = ['follow', 'tailLines', 'timestamps', 'sinceSeconds', 'sinceTime', 'previous', 'limitBytes'];
  const options = Object.fromEntries(params.map((p) => [p, first(query, p)]));
  const logs = await podLogs(pod, first(query, 'container'), deps.podLogs ?? kubeletLogSource(deps.registry), options);
  return { code: 200, contentType: 'text/plain', body: logs };
}

function contentTypeOf(ex: Exchange): string | undefined {
  return first(ex.headers, 'content-type');
}

function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}
