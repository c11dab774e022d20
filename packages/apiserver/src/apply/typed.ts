// The two structured-merge-diff views of an object that ownership is computed from: the set of
// fields a value sets (ToFieldSet) and the fields two values differ in (Compare).
import { FieldSet, fieldKey } from './fieldset.js';
import type { ListType } from '@mini-kube/machinery';
import { isRecord, itemPathElement, type Schema } from './schema.js';

/** The fields `obj` sets: leaves, atomic values, and every item of granular lists. */
export function toFieldSet(obj: Record<string, unknown>, schema: Schema): FieldSet {
  const set = new FieldSet();
  visitFields(obj, [], set, schema);
  return set.withoutEmptyNodes(); // empty maps and lists leave empty nodes behind
}

function visitFields(obj: Record<string, unknown>, names: string[], node: FieldSet, schema: Schema): void {
  for (const [name, value] of Object.entries(obj)) {
    if (value !== undefined) visitValue(value, [...names, name], node.child(fieldKey(name)), schema);
  }
}

function visitValue(value: unknown, names: string[], node: FieldSet, schema: Schema): void {
  if (Array.isArray(value)) {
    const listType = schema.listType(names);
    if (listType.type === 'atomic') {
      node.member = true;
      return;
    }
    for (const item of value) {
      const itemNode = node.child(itemPathElement(item, listType));
      itemNode.member = true;
      if (isRecord(item)) visitFields(item, names, itemNode, schema);
    }
    return;
  }
  if (isRecord(value) && !schema.isAtomicMap(names)) {
    // An empty map sets nothing (its fields are struct fields in almost every built-in type).
    visitFields(value, names, node, schema);
    return;
  }
  node.member = true; // a scalar, null or an atomic map
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * What changed from `before` to `after`. A map, list or list item present on one side only is
 * added or removed together with everything below it; leaves that differ are modified.
 * `skipped` names a top-level field left out, as if filtered away with `withoutFields` (a reset
 * field: status on a main-resource write, spec on a /status write).
 */
export function compare(before: Record<string, unknown>, after: Record<string, unknown>, schema: Schema, skipped?: string): Comparison {
  const out: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareFields(before, after, [], [], out, schema, skipped);
  return out;
}

function compareFields(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  names: string[],
  path: string[],
  out: Comparison,
  schema: Schema,
  skipped?: string,
): void {
  const visit = (name: string): void => {
    if (name === skipped) return;
    const b = before?.[name];
    const a = after?.[name];
    // Equal values differ nowhere below: most of an update is unchanged, and is not walked.
    if (b === a || (b !== undefined && a !== undefined && deepEqual(b, a))) return;
    compareValue(b, a, [...names, name], [...path, fieldKey(name)], out, schema);
  };
  if (before) for (const name in before) visit(name);
  if (after) for (const name in after) if (!before || !Object.hasOwn(before, name)) visit(name);
}

function compareValue(
  before: unknown,
  after: unknown,
  names: string[],
  path: string[],
  out: Comparison,
  schema: Schema,
): void {
  if (before === undefined && after === undefined) return;
  const shape = granularShape(before, after, names, schema);
  if (!shape) {
    if (before === undefined) out.added.insert(path);
    else if (after === undefined) out.removed.insert(path);
    else if (!deepEqual(before, after)) out.modified.insert(path);
    return;
  }
  if (before === undefined) out.added.insert(path);
  else if (after === undefined) out.removed.insert(path);
  if (shape === 'map') {
    compareFields(before as Record<string, unknown>, after as Record<string, unknown>, names, path, out, schema);
    return;
  }
  const listType = schema.listType(names);
  const beforeItems = indexItems(before as unknown[] | undefined, listType);
  const afterItems = indexItems(after as unknown[] | undefined, listType);
  const visit = (key: string): void => {
    const b = beforeItems.get(key);
    const a = afterItems.get(key);
    if (b === a || (b !== undefined && a !== undefined && deepEqual(b, a))) return;
    compareValue(b, a, names, [...path, key], out, schema);
  };
  for (const key of beforeItems.keys()) visit(key);
  for (const key of afterItems.keys()) if (!beforeItems.has(key)) visit(key);
}

/** Whether two values are compared element-wise (`map`, `list`) or as one leaf (undefined). */
function granularShape(before: unknown, after: unknown, names: string[], schema: Schema): 'map' | 'list' | undefined {
  const isList = (v: unknown): boolean => v === undefined || Array.isArray(v);
  const isMap = (v: unknown): boolean => v === undefined || isRecord(v);
  // Empty on both sides is a leaf, which keeps `{}` and absent apart.
  if (isEmpty(before) && isEmpty(after)) return undefined;
  if (isList(before) && isList(after)) return schema.listType(names).type === 'atomic' ? undefined : 'list';
  if (isMap(before) && isMap(after)) return schema.isAtomicMap(names) ? undefined : 'map';
  return undefined;
}

/** Absent, or a map or list with no entries (without listing its keys). */
function isEmpty(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (!isRecord(v)) return false;
  for (const _key in v) return false;
  return true;
}

function indexItems(items: unknown[] | undefined, listType: ListType): Map<string, unknown> {
  const byKey = new Map<string, unknown>();
  for (const item of items ?? []) {
    const key = itemPathElement(item, listType);
    if (!byKey.has(key)) byKey.set(key, item); // a repeated key counts once, as in structured-merge-diff
  }
  return byKey;
}

/** Equality of JSON values, where a field set to undefined counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    if (!deepEqual(x[k], y[k])) return false;
    defined++;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}

/** The comparison without the fields under `ignored` (structured-merge-diff's FilterFields). */
export function withoutFields(change: Comparison, ignored: FieldSet): Comparison {
  return {
    added: change.added.recursiveDifference(ignored),
    modified: change.modified.recursiveDifference(ignored),
    removed: change.removed.recursiveDifference(ignored),
  };
}
