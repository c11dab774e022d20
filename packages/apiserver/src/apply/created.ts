// The fields a plain create owns, encoded straight to FieldsV1: what the diff from the zero object
// gives once bookkeeping and the reset fields are taken out (see update.ts), built in one walk of
// the object without field sets to build, copy and encode (the create path's hot spot).
import { STRIPPED_METADATA_FIELDS, STRIPPED_TOP_FIELDS, resetField } from './bookkeeping.js';
import { compareFieldKeys, fieldKey, type FieldsV1 } from './fieldset.js';
import { isRecord, itemPathElement, type Schema } from './schema.js';

type Entry = [key: string, fields: FieldsV1];

// The `f:` keys of field names seen before. The same string each time makes adding it to a FieldsV1
// object cheap (V8 looks a new key string up in its string table first); bounded, since map keys
// (labels, data) are the user's.
const FIELD_KEYS = new Map<string, string>();
const MAX_FIELD_KEYS = 10_000;

function cachedFieldKey(name: string): string {
  let key = FIELD_KEYS.get(name);
  if (key === undefined) {
    if (FIELD_KEYS.size >= MAX_FIELD_KEYS) FIELD_KEYS.clear();
    key = fieldKey(name);
    FIELD_KEYS.set(name, key);
  }
  return key;
}

/**
 * Every map, list item and leaf of `obj` (a created object without managedFields), except the
 * top-level maps the zero object of a kind already has (metadata, spec, status), which are only
 * descended into; without the bookkeeping paths and the fields `subresource` resets.
 */
export function createdFieldsV1(obj: Record<string, unknown>, schema: Schema, subresource: string | undefined): FieldsV1 {
  const reset = resetField(subresource);
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(obj)) {
    if (value === undefined || name === reset) continue;
    const inZero = isRecord(value) && (name === 'metadata' || name === 'spec' || name === 'status');
    let fields: FieldsV1 | undefined;
    if (inZero) {
      const children: Entry[] = [];
      for (const [field, v] of Object.entries(value)) {
        if (v === undefined) continue;
        const owned = valueFields(v, [name, field], schema);
        const kept = name === 'metadata' && STRIPPED_METADATA_FIELDS.has(field) ? withoutMember(owned) : owned;
        if (kept) children.push([cachedFieldKey(field), kept]);
      }
      fields = assemble(false, children);
    } else {
      const owned = valueFields(value, [name], schema);
      fields = STRIPPED_TOP_FIELDS.has(name) ? withoutMember(owned) : owned;
    }
    if (fields) entries.push([cachedFieldKey(name), fields]);
  }
  return assemble(false, entries) ?? {};
}

/** A value that is set: the value itself, and the fields below it when it is granular. */
function valueFields(value: unknown, names: string[], schema: Schema): FieldsV1 {
  const children: Entry[] = [];
  if (Array.isArray(value)) {
    const listType = value.length > 0 ? schema.listType(names) : undefined;
    if (listType && listType.type !== 'atomic') {
      const seen = new Set<string>();
      for (const item of value) {
        const key = itemPathElement(item, listType);
        if (seen.has(key)) continue; // a repeated key counts once, as in structured-merge-diff
        seen.add(key);
        children.push([key, valueFields(item, names, schema)]);
      }
    }
  } else if (isRecord(value) && !schema.isAtomicMap(names)) {
    for (const [field, v] of Object.entries(value)) {
      if (v !== undefined) children.push([cachedFieldKey(field), valueFields(v, [...names, field], schema)]);
    }
  }
  return assemble(true, children)!;
}

/** A node in FieldsV1: `.` marks a member that has children; undefined for an empty node. */
function assemble(member: boolean, children: Entry[]): FieldsV1 | undefined {
  if (children.length === 0) return member ? {} : undefined;
  children.sort((a, b) => compareFieldKeys(a[0], b[0]));
  const out: FieldsV1 = member ? { '.': {} } : {};
  for (const [key, fields] of children) out[key] = fields;
  return out;
}

/** The node without its own membership (an exact path taken out); undefined when nothing is left. */
function withoutMember(fields: FieldsV1): FieldsV1 | undefined {
  const { '.': _member, ...children } = fields;
  return Object.keys(children).length > 0 ? children : undefined;
}
