// Objects are stored as JSON without their resourceVersion: like Kubernetes on etcd, the
// resourceVersion of an object is the store revision that last wrote it, filled in on read.
import { groupVersion, type KObject, type ResourceInfo } from '@mini-kube/api';
import type { KeyValue } from '@mini-kube/store';
import { convertEventFromCore, convertEventToCore } from './events.js';

export function encodeObject(obj: KObject): string {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

export function decodeObject(r: ResourceInfo, kv: KeyValue): KObject {
  const obj = JSON.parse(kv.value) as KObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return r.group === 'events.k8s.io' ? convertEventFromCore(obj) : obj;
}

/** The stored form of an object written through `r` (events.k8s.io events are stored as core events). */
export function toStorageForm(r: ResourceInfo, obj: KObject): KObject {
  return r.group === 'events.k8s.io' ? convertEventToCore(obj) : obj;
}

/** Stamps apiVersion and kind, which single GETs and watch events carry. */
export function withTypeMeta(r: ResourceInfo, obj: KObject): KObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  return { apiVersion: groupVersion(r), kind: r.kind, ...rest } as KObject;
}
