// The generic parts of the write path that every kind shares, as the real server's
// rest.BeforeCreate / BeforeUpdate: identity and bookkeeping metadata, the spec/status split,
// generation, and the initial status some kinds get on create.
import { randomUUID } from 'node:crypto';
import type { KObject, ResourceInfo } from '@mini-kube/api';
import { badRequest, fieldErrors, generateName, type FieldError, formatTime } from '@mini-kube/machinery';
import { statusResetMetadata } from '../apply/bookkeeping.js';
import type { Strategy } from '../strategies/index.js';
import { podQosClass } from './qos.js';

export const rfc3339 = (d: Date): string => formatTime(d.getTime());

export const hasStatusSubresource = (r: ResourceInfo): boolean => r.subresources.some((s) => s.name === 'status');

/** Everything but metadata and status: what a change of bumps `metadata.generation`. */
const NOT_DESIRED_STATE: ReadonlySet<string> = new Set(['metadata', 'status', 'apiVersion', 'kind']);
/** What an update may change without it being a change (isNoopUpdate). */
const BOOKKEEPING_METADATA: ReadonlySet<string> = new Set(['resourceVersion', 'managedFields']);

/**
 * The kinds whose strategies start `metadata.generation` at 1 and bump it on spec changes. Pods (before
 * 1.33), Services, Nodes, Namespaces, volumes and Leases have a spec but no generation, as in Kubernetes.
 */
const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'Ingress', 'IngressClass']);

export function checkTypeMeta(r: ResourceInfo, obj: KObject, expectedApiVersion: string): void {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the body of the request was in an unknown format');
  if (obj.kind !== undefined && obj.kind !== r.kind) {
    throw badRequest(`the kind of the provided object (${String(obj.kind)}) does not match the kind of the request (${r.kind})`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expectedApiVersion) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
  }
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
}

/** Fills the metadata a new object gets from the server, and resets what clients may not set. */
export function prepareForCreate(r: ResourceInfo, obj: KObject, now: Date): FieldError[] {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  if (!meta.name) return [fieldErrors.required('metadata.name', 'name or generateName is required')];
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(now);
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (GENERATION_KINDS.has(r.kind)) meta.generation = 1;
  else delete meta.generation;
  if (hasStatusSubresource(r) && r.kind !== 'Node') {
    // Status is the controllers' to write, through /status; a create only starts it off.
    delete obj.status;
    const initial = initialStatus(r, obj);
    if (initial) obj.status = initial;
  }
  return [];
}

function initialStatus(r: ResourceInfo, obj: KObject): Record<string, unknown> | undefined {
  if (r.group !== '') return undefined;
  switch (r.kind) {
    case 'Pod':
      return { phase: 'Pending', qosClass: podQosClass(obj) };
    case 'PersistentVolume':
    case 'PersistentVolumeClaim':
      return { phase: 'Pending' };
    case 'Namespace':
      return { phase: 'Active' };
    case 'Service':
      return { loadBalancer: {} }; // a real server always shows it
    default:
      return undefined;
  }
}

/**
 * Merges an update into the stored object: the main resource never changes status; the status
 * subresource changes status and metadata, less what the kind's status strategy resets (see
 * `withStatusOf`); a server-internal subresource (binding) may change everything. Identity
 * metadata always comes from the stored object.
 */
export function mergeForUpdate(r: ResourceInfo, old: KObject, incoming: KObject, subresource: string | undefined): KObject {
  if (subresource === 'status') return withStatusOf(r, old, incoming);
  const merged: KObject = { ...incoming, metadata: { ...incoming.metadata } };
  keepIdentity(merged.metadata, old.metadata);
  if (subresource === undefined && hasStatusSubresource(r)) {
    if (old.status === undefined) delete merged.status;
    else merged.status = old.status;
  }
  return merged;
}

/** What no update changes (rest.BeforeUpdate and ValidateObjectMetaUpdate): set in `meta` from `oldMeta`. */
function keepIdentity(meta: KObject['metadata'], oldMeta: KObject['metadata']): void {
  meta.name = oldMeta.name;
  if (oldMeta.namespace !== undefined) meta.namespace = oldMeta.namespace;
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  for (const field of IDENTITY_IF_SET) keepField(meta, oldMeta, field);
}
const IDENTITY_IF_SET = ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'generateName'] as const;

function keepField(meta: KObject['metadata'], oldMeta: KObject['metadata'], field: string, copy = false): void {
  const value = (oldMeta as Record<string, unknown>)[field];
  if (value === undefined) delete (meta as Record<string, unknown>)[field];
  else (meta as Record<string, unknown>)[field] = copy ? copyJson(value) : value;
}

/**
 * A /status write (the kinds' status strategies): the stored object, in its field order, with the
 * incoming status and the incoming metadata, but for identity, the metadata the kind resets
 * (statusResetMetadata) and managedFields, which a subresource write computes from the stored
 * ones. It is a copy that later steps may change (defaults), but for managedFields, which they
 * only replace: that list, the largest part of most objects, is shared with `old`.
 */
function withStatusOf(r: ResourceInfo, old: KObject, incoming: KObject): KObject {
  const merged: Record<string, unknown> = {};
  for (const key in old) {
    if (key === 'status') {
      if (incoming.status !== undefined) merged.status = incoming.status;
    } else if (key === 'metadata') {
      merged.metadata = statusMetadata(r, old.metadata, incoming.metadata);
    } else {
      merged[key] = copyJson(old[key]);
    }
  }
  if (!('status' in merged) && incoming.status !== undefined) merged.status = incoming.status;
  return merged as KObject;
}

function statusMetadata(r: ResourceInfo, oldMeta: KObject['metadata'], incoming: KObject['metadata'] | undefined): KObject['metadata'] {
  const meta: KObject['metadata'] = { ...incoming };
  keepIdentity(meta, oldMeta);
  for (const field of statusResetMetadata(r.group, r.kind)) keepField(meta, oldMeta, field, true);
  keepField(meta, oldMeta, 'managedFields');
  return meta;
}

/**
 * A deep copy of a JSON value, in the same field order (undefined fields included, as
 * structuredClone copies them): of a parsed object, the same object as parsing its text again.
 */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const copied = copyJson((value as Record<string, unknown>)[key]);
    // JSON.parse makes "__proto__" an ordinary field; an assignment would set the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
    else out[key] = copied;
  }
  return out as T;
}

/** Bumps generation when the desired state changed. */
export function updateGeneration(next: KObject, old: KObject): void {
  if (old.metadata.generation === undefined) return; // a kind without generation (GENERATION_KINDS)
  const previous = old.metadata.generation ?? 1;
  next.metadata.generation = sameFields(next, old, NOT_DESIRED_STATE) ? previous : previous + 1;
}

/**
 * The validation an update gets: all of it through the main resource; through /status, that of
 * its metadata when that changed (a valid stored object stays valid); none through a
 * server-internal subresource.
 */
export function updateErrors(strategy: Strategy, next: KObject, old: KObject, subresource: string | undefined): FieldError[] {
  if (subresource === undefined) return strategy.validateUpdate(next, old);
  if (subresource === 'status' && !sameFields(next.metadata, old.metadata, BOOKKEEPING_METADATA)) return strategy.validateStatusUpdate(next, old);
  return [];
}

/** True when the update would change nothing but bookkeeping. */
export function isNoopUpdate(next: KObject, old: KObject): boolean {
  // Status first: it is what most updates (control loops' status writes) change.
  return sameJson(next.status, old.status) && sameFields(next.metadata, old.metadata, BOOKKEEPING_METADATA) && sameFields(next, old, METADATA);
}
const METADATA: ReadonlySet<string> = new Set(['metadata']);

/** Whether two objects have the same fields with the same values, the `ignored` ones apart. */
function sameFields(a: object, b: object, ignored: ReadonlySet<string>): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let fields = 0;
  for (const key in x) {
    if (ignored.has(key)) continue;
    if (!Object.hasOwn(y, key) || !sameJson(x[key], y[key])) return false;
    fields++;
  }
  for (const key in y) if (!ignored.has(key)) fields--;
  return fields === 0;
}

/**
 * util.isDeepStrictEqual for JSON values, without its generality (prototypes, symbols, Maps):
 * numbers as Object.is compares them, and a field set to undefined differs from an absent one.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  return !Array.isArray(b) && sameFields(a, b, NONE);
}
const NONE: ReadonlySet<string> = new Set();

/** Empty metadata maps and lists are dropped, as Go's `omitempty` drops them from stored objects. */
export function dropEmptyMetadata(obj: KObject): void {
  const meta = obj.metadata as Record<string, unknown>;
  for (const field of ['labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields']) {
    const value = meta[field];
    if (value === null || (Array.isArray(value) && value.length === 0) || (isPlainObject(value) && Object.keys(value).length === 0)) {
      delete meta[field];
    }
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
