// The little schema knowledge that field ownership needs: how each list merges (from
// @mini-kube/machinery) and which maps are atomic, i.e. owned and replaced as one value.
import { listTypeAt, type ListType } from '@mini-kube/machinery';
import { itemKeyOf, valueKeyOf } from './fieldset.js';

export interface Schema {
  listType(path: readonly string[]): ListType;
  isAtomicMap(path: readonly string[]): boolean;
}

// Struct and map types tagged `+structType=atomic` / `+mapType=atomic` in k8s.io/api, by the
// field names that hold them (LabelSelector, Service and Pod selectors, env var sources).
const ATOMIC_MAP_FIELDS = new Set([
  'selector',
  'labelSelector',
  'namespaceSelector',
  'nodeSelector',
  'configMapKeyRef',
  'secretKeyRef',
  'fieldRef',
  'resourceFieldRef',
]);

export function schemaFor(group: string, kind: string): Schema {
  return {
    listType: (path) => listTypeAt(group, kind, [...path]),
    isAtomicMap: (path) => path.length > 0 && ATOMIC_MAP_FIELDS.has(path[path.length - 1]!),
  };
}

// Key fields the OpenAPI schema defaults, so an item that omits them still has a full key
// (`ports` are keyed by containerPort and protocol, and protocol defaults to TCP).
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The value of key field `name` of a list item, with the schema default when it is omitted. */
export function keyFieldValue(item: Record<string, unknown>, name: string): unknown {
  return item[name] ?? KEY_DEFAULTS[name];
}

/** The path element naming `item` in a granular (map or set) list. */
export function itemPathElement(item: unknown, listType: ListType): string {
  if (listType.type !== 'map' || item === null || typeof item !== 'object' || Array.isArray(item)) {
    return valueKeyOf(item);
  }
  const record = item as Record<string, unknown>;
  // The common case, one key with a string value (a name, a type), is spelled without building the map.
  if (listType.keys.length === 1) {
    const name = listType.keys[0]!;
    const value = keyFieldValue(record, name);
    if (typeof value === 'string') return `k:{${JSON.stringify(name)}:${JSON.stringify(value)}}`;
  }
  const keys: Record<string, unknown> = {};
  for (const name of listType.keys) {
    const value = keyFieldValue(record, name);
    if (value !== undefined) keys[name] = value;
  }
  return itemKeyOf(keys);
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
