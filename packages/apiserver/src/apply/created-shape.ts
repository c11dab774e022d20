// The FieldsV1 of a plain create depends on the object's shape only: its field names, which values
// are maps, lists or leaves, and the path elements of granular list items (list keys). Objects of
// one template (a ReplicaSet's pods, a benchmark's) share a shape, so their FieldsV1 is built once
// (createdFieldsV1 sorts and allocates a node per field) and then shared, frozen. An object is
// matched against a few remembered objects of its kind by a walk that allocates nothing.
import type { ListType } from '@mini-kube/machinery';
import { resetField } from './bookkeeping.js';
import { createdFieldsV1 } from './created.js';
import { canonicalJson, compareFieldKeys, type FieldsV1 } from './fieldset.js';
import { isRecord, itemPathElement, keyFieldValue, type Schema } from './schema.js';

interface Known {
  /** A private copy of an object created before (nothing else can change it). */
  exemplar: Record<string, unknown>;
  fields: FieldsV1;
}

// Per kind and subresource, the shapes created most recently, newest first.
const SHAPES_PER_KIND = 4;
const MAX_KINDS = 256;
const known = new Map<string, Known[]>();

/**
 * `createdFieldsV1(obj, schema, subresource)`, shared with an earlier object of the same shape and
 * kind (`schemaKey`, which names `schema`) when there is one. The result is frozen: callers share it.
 *
 * Owner references are keyed by uid, so the objects a controller creates (a ReplicaSet's pods) all
 * differ in shape there: their fields are the shared fields of the rest of the object, merged with
 * those of their owner references, built for each.
 */
export function cachedCreatedFieldsV1(obj: Record<string, unknown>, schema: Schema, schemaKey: string, subresource: string | undefined): FieldsV1 {
  const metadata = obj.metadata;
  if (!isRecord(metadata) || !Array.isArray(metadata.ownerReferences) || metadata.ownerReferences.length === 0) {
    return cachedByShape(obj, schema, schemaKey, subresource);
  }
  const { ownerReferences, ...rest } = metadata;
  const shared = cachedByShape({ ...obj, metadata: rest }, schema, schemaKey, subresource);
  return mergeFieldsV1(shared, deepFreeze(createdFieldsV1({ metadata: { ownerReferences } }, schema, subresource)));
}

function cachedByShape(obj: Record<string, unknown>, schema: Schema, schemaKey: string, subresource: string | undefined): FieldsV1 {
  const key = `${schemaKey}/${subresource ?? ''}`;
  let shapes = known.get(key);
  if (shapes === undefined) {
    if (known.size >= MAX_KINDS) known.clear();
    shapes = [];
    known.set(key, shapes);
  }
  const reset = resetField(subresource);
  for (let i = 0; i < shapes.length; i++) {
    const hit = shapes[i]!;
    if (!sameShape(obj, hit.exemplar, schema, reset)) continue;
    if (i > 0) shapes.unshift(...shapes.splice(i, 1));
    return hit.fields;
  }
  const fields = deepFreeze(createdFieldsV1(obj, schema, subresource));
  shapes.unshift({ exemplar: structuredClone(obj), fields });
  if (shapes.length > SHAPES_PER_KIND) shapes.pop();
  return fields;
}

/**
 * Whether createdFieldsV1 gives `a` and `b` the same fields. It follows createdFieldsV1's walk (same
 * skipped values, same schema questions) and asks at least as much: the same defined field names,
 * the same kind of value (leaf, map, list) at each, granular lists with the same item keys in the
 * same order.
 */
export function sameShape(a: Record<string, unknown>, b: Record<string, unknown>, schema: Schema, reset: string | undefined): boolean {
  const names: string[] = [];
  const sameValue = (x: unknown, y: unknown): boolean => {
    if (Array.isArray(x)) {
      if (!Array.isArray(y)) return false;
      const listType = x.length > 0 || y.length > 0 ? schema.listType(names) : undefined;
      if (!listType || listType.type === 'atomic') return true; // a leaf, whatever it holds
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) {
        if (!sameItemKey(x[i], y[i], listType) || !sameValue(x[i], y[i])) return false;
      }
      return true;
    }
    if (isRecord(x) && !schema.isAtomicMap(names)) return isRecord(y) && sameFields(x, y);
    return !Array.isArray(y) && !(isRecord(y) && !schema.isAtomicMap(names)); // both leaves
  };
  const sameFields = (x: Record<string, unknown>, y: Record<string, unknown>): boolean => {
    let count = 0;
    for (const field in x) {
      const v = x[field];
      if (v === undefined) continue;
      count++;
      const w = y[field];
      if (w === undefined) return false;
      names.push(field);
      const same = sameValue(v, w);
      names.pop();
      if (!same) return false;
    }
    for (const field in y) if (y[field] !== undefined) count--;
    return count === 0;
  };
  const inZero = (name: string, v: unknown): boolean => isRecord(v) && (name === 'metadata' || name === 'spec' || name === 'status');

  let count = 0;
  for (const top in a) {
    const v = a[top];
    if (v === undefined || top === reset) continue;
    count++;
    const w = b[top];
    if (w === undefined || inZero(top, v) !== inZero(top, w)) return false;
    names.push(top);
    const same = inZero(top, v) ? sameFields(v as Record<string, unknown>, w as Record<string, unknown>) : sameValue(v, w);
    names.pop();
    if (!same) return false;
  }
  for (const top in b) if (b[top] !== undefined && top !== reset) count--;
  return count === 0;
}

/** Whether two items of a granular list have the same path element (itemPathElement), mostly without building it. */
function sameItemKey(x: unknown, y: unknown, listType: ListType): boolean {
  if (listType.type !== 'map' || !isRecord(x) || !isRecord(y)) {
    if (x === y && (x === null || typeof x !== 'object')) return true;
    return itemPathElement(x, listType) === itemPathElement(y, listType);
  }
  for (const key of listType.keys) {
    const v = keyFieldValue(x, key);
    const w = keyFieldValue(y, key);
    if (v === w) continue;
    if (v === null || w === null || typeof v !== 'object' || typeof w !== 'object' || canonicalJson(v) !== canonicalJson(w)) return false;
  }
  return true;
}

/** The union of two FieldsV1 that share no leaf, in FieldsV1's order (a member's `.` first); frozen, sharing their nodes. */
function mergeFieldsV1(a: FieldsV1, b: FieldsV1): FieldsV1 {
  const out: FieldsV1 = {};
  if (Object.hasOwn(a, '.') || Object.hasOwn(b, '.')) out['.'] = EMPTY;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== '.').sort(compareFieldKeys);
  for (const k of keys) {
    const x = a[k];
    const y = b[k];
    out[k] = x && y ? mergeFieldsV1(x, y) : (x ?? y)!;
  }
  return Object.freeze(out);
}
const EMPTY: FieldsV1 = Object.freeze({});

function deepFreeze(fields: FieldsV1): FieldsV1 {
  for (const child of Object.values(fields)) deepFreeze(child as FieldsV1);
  return Object.freeze(fields);
}
