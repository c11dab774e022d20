// The generic registry: create, get, list, update, patch, delete and watch for every kind, over the
// store. What differs per kind lives in its strategy (defaults, validation); everything else — the
// write pipeline, optimistic concurrency, graceful deletion, finalizers — is here, once.
import { groupVersion, type KObject, type ResourceInfo, type WatchEvent } from '@mini-kube/api';
import {
  StatusError,
  alreadyExists,
  applyPatch as applyJsonOrStrategicPatch,
  badRequest,
  conflict,
  expired,
  internalError,
  invalid,
  notFound,
} from '@mini-kube/machinery';
import {
  StoreConflictError,
  StoreExpiredError,
  StoreKeyExistsError,
  type KeyValue,
  type ListOptions as StoreListOptions,
  type ListResult as StoreListResult,
  type Store,
  type StoreEvent,
} from '@mini-kube/store';
import { applyPatch as serverSideApply, managerFromUserAgent, updateManagedFields } from '../apply/index.js';
import { validateFields } from '../openapi/validate.js';
import { strategyFor } from '../strategies/index.js';
import { DEFAULT_ADMISSION, admit, type AdmissionOptions } from './admission.js';
import { ServiceAllocator, keepServiceAllocations } from './allocators.js';
import { decodeObject, encodeObject, encodeStored, encodedObjectOf, knownJsonOf, knownManagedFieldsOf, rememberJson, withResourceVersion, withTypeMeta, type EncodedObject, type ManagedFieldsRange } from './codec.js';
import { conversionFor } from './conversions.js';
import { listPrefix, objectKey } from './keys.js';
import { NamespaceStates } from './namespace-states.js';
import { buildFilter, decodeContinue, encodeContinue } from './list-filter.js';
import { WrittenObjects } from './written-objects.js';
import { checkTypeMeta, copyJson, dropEmptyMetadata, isNoopUpdate, mergeForUpdate, prepareForCreate, rfc3339, updateErrors, updateGeneration } from './prepare.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Per-request facts the registry needs from the HTTP layer, and the warnings it hands back. */
export interface RequestContext {
  userAgent?: string;
  warnings: string[];
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult<T = KObject> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type DeleteResult = { deleted: true; object: KObject } | { deleted: false; object: KObject };

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** What a write stored, and where the object's managedFields lie in the stored text. */
interface StoredWrite {
  kv: KeyValue;
  managedFields?: ManagedFieldsRange;
}

const APPLY_PATCH = 'application/apply-patch+yaml';
const MAX_UPDATE_ATTEMPTS = 16;
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const GC_FINALIZERS: Record<string, string | undefined> = { Foreground: 'foregroundDeletion', Orphan: 'orphan', Background: undefined };

export class Registry {
  private readonly allocator: ServiceAllocator;
  private readonly namespaces: NamespaceStates;
  private readonly decodedPuts = new WeakMap<KeyValue, KObject>();
  private readonly decodedDeletes = new WeakMap<KeyValue, KObject>();
  /** Objects being written, by store key (see `write`). */
  private readonly writing = new Map<string, { value: string; object: KObject; managedFields?: ManagedFieldsRange }>();
  /** The objects written last, which updates start from instead of parsing the stored text. */
  private readonly written = new WrittenObjects();
  private allocatorLoaded?: Promise<void>;
  /** Called after a namespace is marked for deletion, to remove its contents. */
  onNamespaceTerminating?: (name: string) => void;

  private readonly now: () => Date;
  private readonly admission: AdmissionOptions;

  constructor(
    readonly store: Store,
    options: { now?: () => Date; admission?: Partial<AdmissionOptions>; serviceCIDR?: string } = {},
  ) {
    this.allocator = new ServiceAllocator(options.serviceCIDR);
    this.now = options.now ?? (() => new Date());
    this.admission = { ...DEFAULT_ADMISSION, ...options.admission };
    this.namespaces = new NamespaceStates(store);
  }

  close(): void {
    this.namespaces.close();
  }

  // ---- reads ----

  async get(r: ResourceInfo, namespace: string | undefined, name: string): Promise<KObject> {
    const kv = await this.store.get(objectKey(r, namespace, name));
    if (!kv) throw notFound(r.group, r.plural, name);
    return decodeObject(r, kv);
  }

  async list(r: ResourceInfo, namespace: string | undefined, options: ListOptions = {}): Promise<ListResult> {
    const filter = buildFilter(r, options.labelSelector, options.fieldSelector);
    return this.scan(r, namespace, options, (kv) => {
      const obj = decodeObject(r, kv);
      return !filter || filter(obj) ? obj : undefined;
    });
  }

  /**
   * The same list as JSON bytes per item: stored objects are passed through as read, neither
   * decoded to strings nor parsed, when no selector needs a parse.
   */
  async listEncoded(r: ResourceInfo, namespace: string | undefined, options: ListOptions = {}): Promise<ListResult<EncodedObject>> {
    const filter = buildFilter(r, options.labelSelector, options.fieldSelector);
    const matches = (kv: KeyValue<Buffer>): boolean => !filter || filter(decodeObject(r, { ...kv, value: kv.value.toString() }));
    const read = (prefix: string, page: StoreListOptions) => this.store.listBytes(prefix, page);
    return this.scan<EncodedObject, Buffer>(r, namespace, options, (kv) => (matches(kv) ? encodedObjectOf(r, kv) : undefined), read);
  }

  /** Walks the keys of a list in order; `convert` gives an item of the answer, or undefined to skip one. */
  private async scan<T, V = string>(
    r: ResourceInfo,
    namespace: string | undefined,
    options: ListOptions,
    convert: (kv: KeyValue<V>) => T | undefined,
    read: (prefix: string, page: StoreListOptions) => Promise<StoreListResult<V>> = (prefix, page) => this.store.list(prefix, page) as Promise<StoreListResult<V>>,
  ): Promise<ListResult<T>> {
    const prefix = listPrefix(r, namespace);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const token = options.continue ? decodeContinue(options.continue) : undefined;
    let startAfter = token?.start;
    const items: T[] = [];
    // Every page reports the first page's revision: a watch started from it then replays whatever
    // changed while the pages were read (the pages themselves are not one snapshot).
    let revision = token?.rv ?? 0;
    let lastKey: string | undefined;
    let more = false;
    // Selectors filter after reading, so a page may take several reads to fill.
    scan: for (;;) {
      const page = await read(prefix, { limit: limit ? limit + 1 : 0, startAfter });
      revision ||= page.revision;
      for (const kv of page.items) {
        startAfter = kv.key;
        const item = convert(kv);
        if (item === undefined) continue;
        if (limit && items.length === limit) {
          more = true; // one more match proves there is a next page
          break scan;
        }
        items.push(item);
        lastKey = kv.key;
      }
      if (!limit || !page.more) break;
    }
    const result: ListResult<T> = { items, resourceVersion: String(revision) };
    if (more && lastKey) result.continue = encodeContinue(revision, lastKey);
    return result;
  }

  // ---- writes ----

  async create(r: ResourceInfo, namespace: string | undefined, body: KObject, ctx: RequestContext, options: WriteOptions = {}): Promise<KObject> {
    checkTypeMeta(r, body, groupVersion(r));
    this.checkSchema(r, body, options.fieldValidation, ctx);
    return this.createPrepared(r, namespace, body, ctx, options, false);
  }

  /** PUT of the main resource or its status. */
  async update(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    body: KObject,
    ctx: RequestContext,
    options: WriteOptions = {},
    subresource?: string,
  ): Promise<KObject> {
    checkTypeMeta(r, body, groupVersion(r));
    this.checkSchema(r, body, options.fieldValidation, ctx);
    if (body.metadata.name && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    this.checkNamespace(r, body, namespace);
    const precondition = body.metadata.resourceVersion || undefined;
    return this.updateWith(r, namespace, name, ctx, options, subresource, () => body, precondition);
  }

  async patch(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    contentType: string,
    patch: unknown,
    ctx: RequestContext,
    options: WriteOptions = {},
    subresource?: string,
  ): Promise<{ object: KObject; created: boolean }> {
    if (contentType === APPLY_PATCH) return this.serverSideApply(r, namespace, name, patch as KObject, ctx, options, subresource);
    const precondition = preconditionOf(patch);
    // The patched object shares the values the patch leaves alone with its input: a copy, so that the
    // write's later steps (defaults) can never reach the stored object it is compared with.
    const object = await this.updateWith(r, namespace, name, ctx, options, subresource, (old, copy) => {
      const patched = applyJsonOrStrategicPatch(contentType, copy(), patch, r.group, r.kind) as KObject;
      checkTypeMeta(r, patched, groupVersion(r));
      if (patched.metadata.name !== old.metadata.name) throw badRequest('metadata.name: Invalid value: the name of a patched object may not change');
      this.checkSchema(r, patched, options.fieldValidation, ctx);
      return patched;
    }, precondition);
    return { object, created: false };
  }

  async delete(r: ResourceInfo, namespace: string | undefined, name: string, ctx: RequestContext, options: DeleteOptions = {}): Promise<DeleteResult> {
    const key = objectKey(r, namespace, name);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(r.group, r.plural, name);
      const old = decodeObject(r, kv);
      checkPreconditions(r, old, options.preconditions);
      const pending = this.pendingDeletion(r, old, options);
      if (pending) {
        if (options.dryRun) return { deleted: false, object: withTypeMeta(r, pending) };
        if (isNoopUpdate(pending, old)) return { deleted: false, object: withTypeMeta(r, old) };
        try {
          const written = await this.store.update(key, encodeObject(r, pending), kv.modRevision);
          pending.metadata.resourceVersion = String(written.modRevision);
          if (r.kind === 'Namespace' && r.group === '') this.onNamespaceTerminating?.(name);
          return { deleted: false, object: withTypeMeta(r, pending) };
        } catch (err) {
          if (err instanceof StoreConflictError) continue;
          throw err;
        }
      }
      if (options.dryRun) return { deleted: true, object: withTypeMeta(r, old) };
      try {
        const { revision } = await this.store.delete(key, kv.modRevision);
        if (r.kind === 'Service' && r.group === '') this.allocator.release(old as never);
        old.metadata.resourceVersion = String(revision);
        return { deleted: true, object: withTypeMeta(r, old) };
      } catch (err) {
        if (err instanceof StoreConflictError) continue;
        throw err;
      }
    }
    throw conflict(r.group, r.plural, name, 'too many concurrent changes; try again');
  }

  /**
   * A server-internal read-modify-write under a subresource (pod binding), as upstream's registries
   * write storage directly: `change` may touch spec and status, and managedFields stay as they are.
   */
  mutate(r: ResourceInfo, namespace: string | undefined, name: string, subresource: string, ctx: RequestContext, change: (old: KObject) => KObject): Promise<KObject> {
    return this.updateWith(r, namespace, name, ctx, {}, subresource, (_old, copy) => change(copy()), undefined, true);
  }

  // ---- watch ----

  /**
   * Streams events after `resourceVersion` (or the current state as ADDED events, then changes, when it
   * is absent or "0"). Returns a function that stops the watch. A watch that fails later (its history
   * compacted while it replayed, or `send` threw) stops and reports why to `onError`.
   */
  async watch(
    r: ResourceInfo,
    namespace: string | undefined,
    options: WatchOptions,
    send: (event: WatchEvent) => void,
    onError: (err: StatusError) => void = () => undefined,
  ): Promise<() => void> {
    const filter = buildFilter(r, options.labelSelector, options.fieldSelector);
    let fromRevision: number;
    if (!options.resourceVersion || options.resourceVersion === '0') {
      const current = await this.list(r, namespace, { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector });
      for (const item of current.items) send({ type: 'ADDED', object: withTypeMeta(r, item) });
      fromRevision = Number(current.resourceVersion);
    } else {
      fromRevision = Number(options.resourceVersion);
      if (!Number.isInteger(fromRevision) || fromRevision < 0) throw badRequest(`invalid resource version: ${options.resourceVersion}`);
    }
    const matches = (obj: KObject): boolean => !filter || filter(obj);
    const onEvent = (event: StoreEvent): void => {
      if (event.type === 'delete') {
        const last = this.watchedObject(r, event.kv, event.revision);
        if (matches(last)) send({ type: 'DELETED', object: last });
        return;
      }
      const current = this.watchedObject(r, event.kv);
      const now = matches(current);
      const before = event.prev ? (filter ? matches(this.watchedObject(r, event.prev)) : true) : false;
      if (now) send({ type: before ? 'MODIFIED' : 'ADDED', object: current });
      else if (before) send({ type: 'DELETED', object: current });
    };
    try {
      const handle = this.store.watch(listPrefix(r, namespace), { fromRevision }, onEvent, (err) => onError(watchError(err, fromRevision)));
      return () => handle.close();
    } catch (err) {
      if (err instanceof StoreExpiredError) throw watchError(err, fromRevision);
      throw err;
    }
  }

  // ---- internals ----

  /**
   * The object of a store event as watchers see it (type meta included; a deletion at its own
   * revision). One store event goes to many watchers: it is decoded once, and the result is shared,
   * so watchers must not change it.
   */
  private watchedObject(r: ResourceInfo, kv: KeyValue, deletedAt?: number): KObject {
    const cache = deletedAt === undefined ? this.decodedPuts : this.decodedDeletes;
    const shareable = !conversionFor(r); // views are converted per watcher
    const hit = shareable ? cache.get(kv) : undefined;
    if (hit) return hit;
    const written = shareable && deletedAt === undefined ? this.writing.get(kv.key) : undefined;
    // The object this registry is writing needs no parse: a copy of its metadata takes the revision.
    const obj = written?.value === kv.value ? { ...written.object, metadata: { ...written.object.metadata } } : decodeObject(r, kv);
    obj.metadata.resourceVersion = String(deletedAt ?? kv.modRevision);
    const typed = withTypeMeta(r, obj);
    if (shareable) {
      cache.set(kv, typed);
      const { json, managedFields } = withResourceVersion(r, kv, written?.value === kv.value ? written.managedFields : undefined, deletedAt);
      rememberJson(typed, json, managedFields);
    }
    return typed;
  }

  /** The object stored at `kv`: the one this registry wrote there while that is still it (no parse), else decoded. */
  private storedObject(r: ResourceInfo, kv: KeyValue): KObject {
    return (conversionFor(r) ? undefined : this.written.get(kv.key, kv.modRevision)) ?? decodeObject(r, kv);
  }

  /**
   * Stores `obj` at `key` through `put` (given its stored text). While the write is pending, watchers of its
   * event take the object from here instead of parsing the text (see watchedObject); once written, it takes
   * its resourceVersion and is what the next update of the key starts from (see storedObject).
   */
  private async write(r: ResourceInfo, key: string, obj: KObject, put: (key: string, value: string) => Promise<KeyValue>): Promise<StoredWrite> {
    const { text: value, managedFields } = encodeStored(r, obj);
    const entry = { value, object: obj, managedFields };
    this.writing.set(key, entry);
    try {
      const kv = await put(key, value);
      obj.metadata.resourceVersion = String(kv.modRevision);
      if (!conversionFor(r)) this.written.set(key, kv.modRevision, obj); // a view's objects are in another form than stored
      return { kv, managedFields };
    } finally {
      if (this.writing.get(key) === entry) this.writing.delete(key);
    }
  }

  /**
   * The answer to a write: the object with type meta, whose JSON is its stored text (no serialization),
   * as watchers of the write got it when there are any.
   */
  private answer(r: ResourceInfo, obj: KObject, { kv, managedFields }: StoredWrite): KObject {
    const typed = withTypeMeta(r, obj);
    if (conversionFor(r)) return typed;
    const watched = this.decodedPuts.get(kv);
    const json = watched && knownJsonOf(watched);
    if (json !== undefined) rememberJson(typed, json, knownManagedFieldsOf(watched!));
    else {
      const encoded = withResourceVersion(r, kv, managedFields);
      rememberJson(typed, encoded.json, encoded.managedFields);
    }
    return typed;
  }

  private async createPrepared(
    r: ResourceInfo,
    namespace: string | undefined,
    obj: KObject,
    ctx: RequestContext,
    options: WriteOptions,
    managedFieldsSet: boolean,
  ): Promise<KObject> {
    this.checkNamespace(r, obj, namespace);
    if (r.namespaced) await this.requireActiveNamespace(namespace!);
    const strategy = strategyFor(r);
    const metaErrors = prepareForCreate(r, obj, this.now());
    if (metaErrors.length) throw invalid(r.group, r.kind, obj.metadata.name ?? '', metaErrors);
    strategy.defaults(obj);
    admit(r, obj, this.admission);
    dropEmptyMetadata(obj);
    const errors = strategy.validate(obj);
    if (errors.length) throw invalid(r.group, r.kind, obj.metadata.name!, errors);
    const isService = r.kind === 'Service' && r.group === '';
    if (isService) {
      await this.loadAllocator();
      const allocationErrors = this.allocator.allocate(obj as never, !!options.dryRun);
      if (allocationErrors.length) throw invalid(r.group, r.kind, obj.metadata.name!, allocationErrors);
    }
    if (!managedFieldsSet) {
      this.recordManagedFields(r, undefined, obj, ctx, options);
    }
    if (options.dryRun) return withTypeMeta(r, obj);
    try {
      const written = await this.write(r, objectKey(r, namespace, obj.metadata.name!), obj, (key, value) => this.store.create(key, value));
      return this.answer(r, obj, written);
    } catch (err) {
      if (isService) this.allocator.release(obj as never);
      if (err instanceof StoreKeyExistsError) throw alreadyExists(r.group, r.plural, obj.metadata.name!);
      throw err;
    }
  }

  /**
   * Read-modify-write with optimistic concurrency; retries only when the client set no precondition.
   * `change` gives the object to write from the stored one, `old`, which it must not modify; `copy()`
   * returns a private copy of it to modify instead.
   */
  private async updateWith(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    ctx: RequestContext,
    options: WriteOptions,
    subresource: string | undefined,
    change: (old: KObject, copy: () => KObject) => KObject,
    precondition?: string,
    managedFieldsSet = false,
  ): Promise<KObject> {
    const key = objectKey(r, namespace, name);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) throw notFound(r.group, r.plural, name);
      const old = this.storedObject(r, kv);
      if (precondition !== undefined && precondition !== old.metadata.resourceVersion) throw staleConflict(r, name);
      // A private copy of `old` is `old` parsed again; copying the parsed object is cheaper (a converted view is converted again).
      const copy = (): KObject => (conversionFor(r) ? decodeObject(r, kv) : copyJson(old));
      const next = mergeForUpdate(r, old, change(old, copy), subresource);
      if (r.kind === 'Service' && r.group === '' && subresource === undefined) keepServiceAllocations(next as never, old as never);
      const strategy = strategyFor(r);
      strategy.defaults(next);
      if (subresource === undefined) admit(r, next, this.admission);
      dropEmptyMetadata(next);
      const errors = updateErrors(strategy, next, old, subresource);
      if (errors.length) throw invalid(r.group, r.kind, name, errors);
      if (subresource !== 'status') updateGeneration(next, old); // a /status write keeps the stored spec
      if (isNoopUpdate(next, old)) return withTypeMeta(r, old);
      if (!managedFieldsSet) {
        this.recordManagedFields(r, old, next, ctx, options, subresource);
      }
      // The last finalizer of an object being deleted is gone: the deletion completes now.
      // (A pod still in its grace period waits for its kubelet instead.)
      const finished = next.metadata.deletionTimestamp && !next.metadata.finalizers?.length && !next.metadata.deletionGracePeriodSeconds;
      if (options.dryRun) return withTypeMeta(r, next);
      try {
        if (finished) {
          const { revision } = await this.store.delete(key, kv.modRevision);
          next.metadata.resourceVersion = String(revision);
          return withTypeMeta(r, next);
        }
        const written = await this.write(r, key, next, (_key, value) => this.store.update(key, value, kv.modRevision));
        return this.answer(r, next, written);
      } catch (err) {
        if (!(err instanceof StoreConflictError)) throw err;
        if (precondition !== undefined) throw staleConflict(r, name);
      }
    }
    throw conflict(r.group, r.plural, name, 'too many concurrent changes; try again');
  }

  private async serverSideApply(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    applied: KObject,
    ctx: RequestContext,
    options: WriteOptions,
    subresource: string | undefined,
  ): Promise<{ object: KObject; created: boolean }> {
    if (!options.fieldManager) throw badRequest('PATCH, application/apply-patch+yaml requests must provide a fieldManager');
    if (applied === null || typeof applied !== 'object' || !applied.apiVersion || !applied.kind) {
      throw badRequest('apiVersion and kind must be set in an apply configuration');
    }
    checkTypeMeta(r, applied, groupVersion(r));
    if (applied.metadata.name && applied.metadata.name !== name) {
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
    this.checkSchema(r, applied, options.fieldValidation, ctx);
    const apply = (live: KObject | undefined): KObject =>
      serverSideApply({
        live,
        applied,
        manager: options.fieldManager!,
        force: !!options.force,
        group: r.group,
        version: r.version,
        kind: r.kind,
        now: rfc3339(this.now()),
      });
    const exists = await this.store.get(objectKey(r, namespace, name));
    if (!exists && subresource === undefined) {
      const created = apply(undefined);
      created.metadata.name = name;
      try {
        return { object: await this.createPrepared(r, namespace, created, ctx, options, true), created: true };
      } catch (err) {
        // Lost a race with a concurrent create: apply to what is there now.
        if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
      }
    }
    const object = await this.updateWith(r, namespace, name, ctx, options, subresource, (old) => apply(old), undefined, true);
    return { object, created: false };
  }

  /** What a delete turns the object into while it waits (graceful pods, finalizers, namespaces), or undefined to delete now. */
  private pendingDeletion(r: ResourceInfo, old: KObject, options: DeleteOptions): KObject | undefined {
    const meta = old.metadata;
    const next = structuredClone(old);
    const now = this.now();
    if (r.kind === 'Namespace' && r.group === '') {
      if (PROTECTED_NAMESPACES.has(meta.name!)) {
        throw new StatusError(403, 'Forbidden', `namespaces "${meta.name}" is forbidden: this namespace may not be deleted`, {
          name: meta.name,
          kind: 'namespaces',
        });
      }
      next.metadata.deletionTimestamp ??= rfc3339(now);
      next.metadata.deletionGracePeriodSeconds ??= 0;
      next.status = { ...(next.status as object), phase: 'Terminating' };
      return next;
    }
    // Foreground and orphan propagation are carried out by the garbage collector, which acts on
    // these finalizers (as genericregistry's deletionFinalizersForGarbageCollection sets them).
    const gcFinalizer = GC_FINALIZERS[options.propagationPolicy ?? 'Background'];
    const others = (meta.finalizers ?? []).filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
    const finalizers = gcFinalizer ? [...others, gcFinalizer] : others;
    if (meta.finalizers?.length || finalizers.length) next.metadata.finalizers = finalizers;
    if (!finalizers.length) delete next.metadata.finalizers;

    if (r.kind === 'Pod' && r.group === '') {
      const spec = old.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
      const grace = options.gracePeriodSeconds ?? spec?.terminationGracePeriodSeconds ?? 30;
      // A pod on a node ends gracefully: its kubelet stops the containers, then deletes it for good.
      const phase = (old.status as { phase?: string } | undefined)?.phase;
      const finished = phase === 'Succeeded' || phase === 'Failed';
      if (spec?.nodeName && grace > 0 && !finished) {
        const current = meta.deletionGracePeriodSeconds;
        if (current !== undefined && current <= grace) return next; // already ending at least as soon
        next.metadata.deletionGracePeriodSeconds = grace;
        next.metadata.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
        return next;
      }
    }
    if (finalizers.length) {
      next.metadata.deletionTimestamp ??= rfc3339(now);
      if (options.gracePeriodSeconds === 0 || next.metadata.deletionGracePeriodSeconds === undefined) next.metadata.deletionGracePeriodSeconds = 0;
      return next;
    }
    return undefined;
  }

  /** Type errors are always refused; unknown fields per fieldValidation (the server's default is Warn). */
  private checkSchema(r: ResourceInfo, obj: KObject, mode: FieldValidation | undefined, ctx: RequestContext): void {
    ctx.warnings.push(...validateFields(obj, r.group, r.version, r.kind, mode ?? 'Warn'));
  }

  private checkNamespace(r: ResourceInfo, obj: KObject, namespace: string | undefined): void {
    if (!r.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = namespace;
  }

  private async requireActiveNamespace(namespace: string): Promise<void> {
    const state = await this.namespaces.get(namespace);
    if (!state) throw notFound('', 'namespaces', namespace);
    if (state === 'terminating') {
      throw new StatusError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`, {
        name: namespace,
        kind: 'namespaces',
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  /** The writer gains the fields it set; an object nobody manages has no managedFields at all. */
  private recordManagedFields(
    r: ResourceInfo,
    old: KObject | undefined,
    updated: KObject,
    ctx: RequestContext,
    options: WriteOptions,
    subresource?: string,
  ): void {
    const entries = updateManagedFields({
      old,
      updated,
      manager: options.fieldManager || managerFromUserAgent(ctx.userAgent),
      operation: 'Update',
      subresource,
      apiVersion: groupVersion(r),
      time: rfc3339(this.now()),
      group: r.group,
      kind: r.kind,
    });
    if (entries.length) updated.metadata.managedFields = entries;
    else delete updated.metadata.managedFields;
  }

  private loadAllocator(): Promise<void> {
    this.allocatorLoaded ??= this.store.list('/registry/core/services/').then((page) => {
      this.allocator.load(page.items.map((kv) => JSON.parse(kv.value)));
    });
    return this.allocatorLoaded;
  }
}

function preconditionOf(patch: unknown): string | undefined {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return undefined;
  const rv = (patch as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

function watchError(err: Error, fromRevision: number): StatusError {
  if (err instanceof StoreExpiredError) return expired(`too old resource version: ${fromRevision} (${err.compacted + 1})`);
  return err instanceof StatusError ? err : internalError(err.message);
}

function staleConflict(r: ResourceInfo, name: string): StatusError {
  return conflict(r.group, r.plural, name, 'the object has been modified; please apply your changes to the latest version and try again');
}

function checkPreconditions(r: ResourceInfo, obj: KObject, preconditions: DeleteOptions['preconditions']): void {
  if (preconditions?.uid && preconditions.uid !== obj.metadata.uid) {
    throw conflict(r.group, r.plural, obj.metadata.name!, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${obj.metadata.uid}`);
  }
  if (preconditions?.resourceVersion && preconditions.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(
      r.group,
      r.plural,
      obj.metadata.name!,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
  }
}
