// Work-queue keys: `namespace/name` for namespaced objects, `name` for cluster-scoped ones.
import type { KObject } from '@mini-kube/api';
import type { ObjectKey } from './types.js';

export function objectKey(obj: Pick<KObject, 'metadata'>): ObjectKey {
  const { namespace, name = '' } = obj.metadata;
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: ObjectKey): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
