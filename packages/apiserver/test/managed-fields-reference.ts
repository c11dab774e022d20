// The plain managedFields algorithm the fast paths of src/apply must agree with, byte for byte:
// every entry decoded, the whole objects compared leaf by leaf (nothing skipped), every manager
// diffed and every entry encoded again, then the reset field filtered out (structured-merge-diff's
// order). Built on FieldSet's set operations only.
import type { KObject } from '@mini-kube/api';
import type { ListType } from '@mini-kube/machinery';
import { resetFields, stripBookkeeping } from '../src/apply/bookkeeping.js';
import { FieldSet, canonicalJson, decodeFieldsV1, encodeFieldsV1, fieldKey } from '../src/apply/fieldset.js';
import { capUpdateManagers, managerId, type ManagedFieldsEntry, type Manager, type Managers } from '../src/apply/managers.js';
import { keyFieldValue, schemaFor, type Schema } from '../src/apply/schema.js';
import { addWriterFields, type UpdateManagedFieldsOptions } from '../src/apply/update.js';

interface Change {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function referenceManagedFields(o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] {
  const schema = schemaFor(o.group, o.kind);
  const sent = o.updated.metadata?.managedFields;
  const starting = !o.subresource && sent && sent.length > 0 ? sent : o.old?.metadata?.managedFields;
  const managers = decode(starting);
  const before = o.old ? withoutManagedFields(o.old) : zeroObject(o.updated);
  const full = compare(before, withoutManagedFields(o.updated), schema);
  const ignored = resetFields(o.subresource, o.group, o.kind);
  const change: Change = {
    added: full.added.recursiveDifference(ignored),
    modified: full.modified.recursiveDifference(ignored),
    removed: full.removed.recursiveDifference(ignored),
  };
  const changed = change.modified.union(change.added);
  const after: Managers = new Map();
  for (const [id, m] of managers) {
    const fields = m.fields.difference(changed).difference(change.removed);
    if (!fields.isEmpty()) after.set(id, { ...m, fields });
  }
  addWriterFields(after, o, stripBookkeeping(changed.difference(change.removed)));
  return encode(capUpdateManagers(after));
}

/** What a create is compared against: metadata, spec and status present and empty. */
function zeroObject(updated: KObject): KObject {
  const zero: KObject = { metadata: {} };
  for (const name of ['spec', 'status']) if (updated[name] !== null && typeof updated[name] === 'object') zero[name] = {};
  return zero;
}

function withoutManagedFields(obj: KObject): KObject {
  const { managedFields: _mf, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

function decode(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  const managers: Managers = new Map();
  for (const entry of entries ?? []) {
    const m: Manager = {
      manager: entry.manager ?? '',
      operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: entry.apiVersion ?? '',
      fields: decodeFieldsV1(entry.fieldsV1),
    };
    if (entry.subresource) m.subresource = entry.subresource;
    if (entry.time) m.time = entry.time;
    managers.set(managerId(m), m);
  }
  return managers;
}

function encode(managers: Managers): ManagedFieldsEntry[] {
  const seconds = (m: Manager): number => (m.time ? Math.floor(Date.parse(m.time) / 1000) : 0);
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...managers.values()]
    .filter((m) => !m.fields.isEmpty())
    .sort(
      (a, b) =>
        order(a.operation, b.operation) ||
        seconds(a) - seconds(b) ||
        order(a.manager, b.manager) ||
        order(a.apiVersion, b.apiVersion) ||
        order(a.subresource ?? '', b.subresource ?? ''),
    )
    .map((m) => {
      const entry: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
      if (m.time) entry.time = m.time;
      entry.fieldsType = 'FieldsV1';
      entry.fieldsV1 = encodeFieldsV1(m.fields);
      if (m.subresource) entry.subresource = m.subresource;
      return entry;
    });
}

function compare(before: Record<string, unknown>, after: Record<string, unknown>, schema: Schema): Change {
  const out: Change = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareFields(before, after, [], [], out, schema);
  return out;
}

function compareFields(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined, names: string[], path: string[], out: Change, schema: Schema): void {
  for (const name of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    compareValue(before?.[name], after?.[name], [...names, name], [...path, fieldKey(name)], out, schema);
  }
}

function compareValue(before: unknown, after: unknown, names: string[], path: string[], out: Change, schema: Schema): void {
  if (before === undefined && after === undefined) return;
  const shape = granularShape(before, after, names, schema);
  if (!shape) {
    if (before === undefined) out.added.insert(path);
    else if (after === undefined) out.removed.insert(path);
    else if (canonicalJson(before) !== canonicalJson(after)) out.modified.insert(path);
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
  for (const key of new Set([...beforeItems.keys(), ...afterItems.keys()])) {
    compareValue(beforeItems.get(key), afterItems.get(key), names, [...path, key], out, schema);
  }
}

function granularShape(before: unknown, after: unknown, names: string[], schema: Schema): 'map' | 'list' | undefined {
  const size = (v: unknown): number => (Array.isArray(v) || isRecord(v) ? Object.keys(v).length : v === undefined ? 0 : 1);
  if (size(before) === 0 && size(after) === 0) return undefined;
  const isList = (v: unknown): boolean => v === undefined || Array.isArray(v);
  const isMap = (v: unknown): boolean => v === undefined || isRecord(v);
  if (isList(before) && isList(after)) return schema.listType(names).type === 'atomic' ? undefined : 'list';
  if (isMap(before) && isMap(after)) return schema.isAtomicMap(names) ? undefined : 'map';
  return undefined;
}

function indexItems(items: unknown[] | undefined, listType: ListType): Map<string, unknown> {
  const byKey = new Map<string, unknown>();
  for (const item of items ?? []) {
    const key = itemKey(item, listType);
    if (!byKey.has(key)) byKey.set(key, item);
  }
  return byKey;
}

function itemKey(item: unknown, listType: ListType): string {
  if (listType.type !== 'map' || !isRecord(item)) return `v:${canonicalJson(item)}`;
  const keys: Record<string, unknown> = {};
  for (const name of listType.keys) {
    const value = keyFieldValue(item, name);
    if (value !== undefined) keys[name] = value;
  }
  return `k:${canonicalJson(keys)}`;
}
