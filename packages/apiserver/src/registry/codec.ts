// Objects are stored as JSON without their resourceVersion: like Kubernetes on etcd, the
// resourceVersion of an object is the store revision that last wrote it, filled in on read.
import { groupVersion, type KObject, type ResourceInfo } from '@mini-kube/api';
import type { KeyValue } from '@mini-kube/store';
import { convertEventFromCore, convertEventToCore } from './events.js';

// Stored objects start with apiVersion, kind and metadata, in that order, so that lists can be
// answered from the stored text without parsing it (`encodedWithResourceVersion`).
export function encodeObject(r: ResourceInfo, obj: KObject): string {
  const { apiVersion, kind, metadata: { resourceVersion: _rv, ...metadata }, ...rest } = toStorageForm(r, withTypeMeta(r, obj));
  return JSON.stringify({ apiVersion, kind, metadata, ...rest });
}

const STORED_PREFIX = /^\{"apiVersion":"[^"\\]*","kind":"[^"\\]*","metadata":\{/;

/** The object's JSON with its resourceVersion filled in, from the stored text without a parse when it can. */
export function encodedWithResourceVersion(r: ResourceInfo, kv: KeyValue): string {
  const head = STORED_PREFIX.exec(kv.value);
  if (!head || r.group === 'events.k8s.io') return JSON.stringify(decodeObject(r, kv));
  const at = head[0].length;
  const rv = `"resourceVersion":"${kv.modRevision}"`;
  return kv.value.slice(0, at) + rv + (kv.value[at] === '}' ? '' : ',') + kv.value.slice(at);
}

export function decodeObject(r: ResourceInfo, kv: KeyValue): KObject {
  const obj = JSON.parse(kv.value) as KObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return r.group === 'events.k8s.io' ? convertEventFromCore(obj) : obj;
}

/** The stored form of an object written through `r` (events.k8s.io events are stored as core events). */
function toStorageForm(r: ResourceInfo, obj: KObject): KObject {
  return r.group === 'events.k8s.io' ? convertEventToCore(obj) : obj;
}

/** Stamps apiVersion and kind, which single GETs and watch events carry. */
export function withTypeMeta(r: ResourceInfo, obj: KObject): KObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  return { apiVersion: groupVersion(r), kind: r.kind, ...rest } as KObject;
}
