// The generic parts of the write path that every kind shares, as the real server's
// rest.BeforeCreate / BeforeUpdate: identity and bookkeeping metadata, the spec/status split,
// generation, and the initial status some kinds get on create.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KObject, ResourceInfo } from '@mini-kube/api';
import { badRequest, fieldErrors, generateName, type FieldError } from '@mini-kube/machinery';
import { podQosClass } from './qos.js';

// Every write stamps a time or two, and many writes share their second: its text is kept.
let lastSecond = NaN;
let lastText = '';
export function rfc3339(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastSecond) {
    lastText = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}

export const hasStatusSubresource = (r: ResourceInfo): boolean => r.subresources.some((s) => s.name === 'status');

/** Everything but metadata and status: what a change of bumps `metadata.generation`. */
function desiredState(obj: KObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

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
 * Merges an update into the stored object: the main resource never changes status, the status
 * subresource changes only status, a server-internal subresource (binding) may change both;
 * identity metadata always comes from the stored object.
 */
export function mergeForUpdate(r: ResourceInfo, old: KObject, incoming: KObject, subresource: string | undefined): KObject {
  if (subresource === 'status') {
    const merged = structuredClone(old);
    if (incoming.status === undefined) delete merged.status;
    else merged.status = incoming.status;
    return merged;
  }
  const merged: KObject = { ...incoming, metadata: { ...incoming.metadata } };
  const meta = merged.metadata;
  const oldMeta = old.metadata;
  meta.name = oldMeta.name;
  if (oldMeta.namespace !== undefined) meta.namespace = oldMeta.namespace;
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'generateName'] as const) {
    if (oldMeta[field] === undefined) delete meta[field];
    else (meta as Record<string, unknown>)[field] = oldMeta[field];
  }
  if (subresource === undefined && hasStatusSubresource(r)) {
    if (old.status === undefined) delete merged.status;
    else merged.status = old.status;
  }
  return merged;
}

/** Bumps generation when the desired state changed. */
export function updateGeneration(next: KObject, old: KObject): void {
  if (old.metadata.generation === undefined) return; // a kind without generation (GENERATION_KINDS)
  const previous = old.metadata.generation ?? 1;
  next.metadata.generation = isDeepStrictEqual(desiredState(next), desiredState(old)) ? previous : previous + 1;
}

/** True when the update would change nothing but bookkeeping. */
export function isNoopUpdate(next: KObject, old: KObject): boolean {
  const strip = (o: KObject): KObject => {
    const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  return isDeepStrictEqual(strip(next), strip(old));
}

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
