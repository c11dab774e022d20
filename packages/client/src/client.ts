// The API client: resource-level REST calls built from a ResourceInfo, plus raw requests and watches.
import type { KList, KObject, ResourceInfo } from '@mini-kube/api';
import { StatusError, qualifiedResource } from '@mini-kube/machinery';
import type { ClientConfig } from './config.js';
import type { RequestContext } from './errors.js';
import {
  PATCH_CONTENT_TYPES,
  type DeleteCollectionOptions,
  type DeleteOptions,
  type DiscardResult,
  type ListOptions,
  type LogOptions,
  type NamespaceOption,
  type PatchOptions,
  type WatchOptions,
  type WriteOptions,
} from './options.js';
import { resourcePath, type QueryValue } from './paths.js';
import { RawResponse, Transport } from './transport.js';
import { WatchStream } from './watch.js';

export interface RawRequestOptions {
  body?: unknown;
  contentType?: string;
  accept?: string;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
}

export class ApiClient {
  /** Namespace of single-object calls that name none (from the kubeconfig context, else `default`). */
  readonly namespace: string;
  private readonly transport: Transport;

  constructor(readonly config: ClientConfig) {
    this.namespace = config.namespace ?? 'default';
    this.transport = new Transport(config);
  }

  /** Any path, e.g. `/version` or `/readyz`; throws StatusError on a non-2xx answer. */
  request(method: string, path: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
    return this.transport.send(method, path, opts);
  }

  get<T extends KObject = KObject>(res: ResourceInfo, name: string, opts: NamespaceOption = {}): Promise<T> {
    return this.call('GET', res, { name, namespace: this.ns(res, opts.namespace) });
  }

  /** Lists one namespace, or all namespaces when `namespace` is not given. */
  list<T extends KObject = KObject>(res: ResourceInfo, opts: ListOptions = {}): Promise<KList<T>> {
    const { namespace, ...query } = opts;
    return this.call('GET', res, { namespace, query: { ...query } });
  }

  create(res: ResourceInfo, obj: KObject, opts: WriteOptions & DiscardResult): Promise<void>;
  create<T extends KObject = KObject>(res: ResourceInfo, obj: KObject, opts?: WriteOptions): Promise<T>;
  create(res: ResourceInfo, obj: KObject, opts: WriteOptions & Partial<DiscardResult> = {}): Promise<unknown> {
    return this.call('POST', res, { namespace: this.ns(res, opts.namespace, obj), body: obj, query: writeQuery(opts), discard: opts.discardResult });
  }

  async update<T extends KObject = KObject>(res: ResourceInfo, obj: KObject, opts: WriteOptions = {}): Promise<T> {
    return this.updateSubresource(res, nameOf(obj), '', obj, { ...opts, namespace: this.ns(res, opts.namespace, obj) });
  }

  updateStatus(res: ResourceInfo, obj: KObject, opts: WriteOptions & DiscardResult): Promise<void>;
  updateStatus<T extends KObject = KObject>(res: ResourceInfo, obj: KObject, opts?: WriteOptions): Promise<T>;
  updateStatus(res: ResourceInfo, obj: KObject, opts: WriteOptions & Partial<DiscardResult> = {}): Promise<unknown> {
    const namespace = this.ns(res, opts.namespace, obj);
    return this.call('PUT', res, { name: nameOf(obj), subresource: 'status', namespace, body: statusWrite(obj), query: writeQuery(opts), discard: opts.discardResult });
  }

  /** A merge patch unless `type` says otherwise; server-side apply (`type: 'apply'`) needs a fieldManager. */
  patch(res: ResourceInfo, name: string, patch: unknown, opts: PatchOptions & DiscardResult): Promise<void>;
  patch<T extends KObject = KObject>(res: ResourceInfo, name: string, patch: unknown, opts?: PatchOptions): Promise<T>;
  patch(res: ResourceInfo, name: string, patch: unknown, opts: PatchOptions & Partial<DiscardResult> = {}): Promise<unknown> {
    const type = opts.type ?? 'merge';
    const query = { ...writeQuery(opts), force: type === 'apply' ? opts.force : undefined };
    return this.call('PATCH', res, {
      name,
      subresource: opts.subresource,
      namespace: this.ns(res, opts.namespace),
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      query,
      discard: opts.discardResult,
    });
  }

  /** Returns what the server returns: the object (still terminating, or as it was) or a Status. */
  delete<T = KObject>(res: ResourceInfo, name: string, opts: DeleteOptions = {}): Promise<T> {
    return this.call('DELETE', res, { name, namespace: this.ns(res, opts.namespace), body: deleteBody(opts) });
  }

  /** Deletes every object matching the selectors in one namespace (or all, when none is given). */
  deleteCollection<T = KList>(res: ResourceInfo, opts: DeleteCollectionOptions = {}): Promise<T> {
    const { labelSelector, fieldSelector } = opts;
    return this.call('DELETE', res, { namespace: opts.namespace, body: deleteBody(opts), query: { labelSelector, fieldSelector } });
  }

  getSubresource<T = KObject>(res: ResourceInfo, name: string, subresource: string, opts: NamespaceOption = {}): Promise<T> {
    return this.call('GET', res, { name, subresource, namespace: this.ns(res, opts.namespace) });
  }

  /** POST to a subresource: `binding`, `eviction`. */
  createSubresource(res: ResourceInfo, name: string, subresource: string, body: unknown, opts: WriteOptions & DiscardResult): Promise<void>;
  createSubresource<T = KObject>(res: ResourceInfo, name: string, subresource: string, body: unknown, opts?: WriteOptions): Promise<T>;
  createSubresource(res: ResourceInfo, name: string, subresource: string, body: unknown, opts: WriteOptions & Partial<DiscardResult> = {}): Promise<unknown> {
    const namespace = this.ns(res, opts.namespace);
    return this.call('POST', res, { name, subresource, namespace, body, query: writeQuery(opts), discard: opts.discardResult });
  }

  /** PUT to a subresource (`status`, `scale`), or to the object itself when `subresource` is ''. */
  updateSubresource<T = KObject>(res: ResourceInfo, name: string, subresource: string, body: unknown, opts: WriteOptions = {}): Promise<T> {
    const namespace = this.ns(res, opts.namespace);
    return this.call('PUT', res, { name, subresource, namespace, body, query: writeQuery(opts) });
  }

  /** The log of a pod's container, as text. `res` is the pods resource. */
  async getLog(res: ResourceInfo, name: string, opts: LogOptions = {}): Promise<string> {
    const { namespace, ...query } = opts;
    const path = resourcePath(res, { namespace: this.ns(res, namespace), name, subresource: 'log' });
    const raw = await this.transport.send('GET', path, { query: { ...query }, accept: '*/*', context: this.context('GET', res, name) });
    return raw.text;
  }

  /** Starts a watch at once; iterate it for events, `close()` it (or abort `signal`) to stop. */
  watch<T extends KObject = KObject>(res: ResourceInfo, opts: WatchOptions = {}): WatchStream<T> {
    const { namespace, signal, omitManagedFields: omitAsked, ...query } = opts;
    const omitManagedFields = omitAsked ?? this.config.omitManagedFields;
    const path = resourcePath(res, { namespace });
    const context = this.context('GET', res);
    return new WatchStream<T>(
      (sig) => this.transport.stream('GET', path, { query: { ...query, watch: true }, signal: sig, bodyTimeoutMs: 0, context, omitManagedFields }),
      signal,
      omitManagedFields,
    );
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** Whether `close` was called: requests fail from then on. */
  get closed(): boolean {
    return this.transport.closed;
  }

  private async call<T>(
    verb: string,
    res: ResourceInfo,
    req: { namespace?: string; name?: string; subresource?: string; body?: unknown; contentType?: string; query?: Record<string, QueryValue>; discard?: boolean },
  ): Promise<T> {
    const path = resourcePath(res, req);
    const context = this.context(verb, res, req.name);
    const send = { body: req.body, contentType: req.contentType, query: req.query, context, json: true, omitManagedFields: this.config.omitManagedFields };
    if (req.discard) {
      await this.transport.sendDiscarding(verb, path, send);
      return undefined as T;
    }
    const raw = await this.transport.send(verb, path, send);
    try {
      return raw.json<T>();
    } catch {
      throw new StatusError(500, 'InternalError', `unable to decode the response of ${verb} ${path}: ${raw.text.slice(0, 200)}`);
    }
  }

  private ns(res: ResourceInfo, explicit: string | undefined, obj?: KObject): string | undefined {
    if (!res.namespaced) return undefined;
    return explicit ?? obj?.metadata?.namespace ?? this.namespace;
  }

  private context(verb: string, res: ResourceInfo, name?: string): RequestContext {
    return { verb, resource: qualifiedResource(res.group, res.plural), name };
  }
}

/**
 * What a /status write takes of an object: its metadata and status. Every status strategy, the real
 * server's and ours, keeps the rest (spec above all) from the stored object, so it is not sent.
 */
function statusWrite({ apiVersion, kind, metadata, status }: KObject): KObject {
  return { apiVersion, kind, metadata, status }; // undefined members are not sent
}

function nameOf(obj: KObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new StatusError(400, 'BadRequest', `${obj.kind ?? 'object'} has no metadata.name`);
  return name;
}

function writeQuery(opts: WriteOptions): Record<string, QueryValue> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, fieldValidation: opts.fieldValidation };
}

function deleteBody(opts: DeleteOptions): Record<string, unknown> {
  return {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
    ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}),
    ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}),
    ...(opts.preconditions ? { preconditions: opts.preconditions } : {}),
    ...(opts.dryRun ? { dryRun: ['All'] } : {}),
  };
}
