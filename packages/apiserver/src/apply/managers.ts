// `metadata.managedFields` decoded into one field set per manager, and back. Managers are keyed
// as the real server keys them: by name, operation, subresource and, for updaters only, the
// API version (an applier keeps one entry whatever version it applies with).
import type { ObjectMeta } from '@mini-kube/api';
import { decodeFieldsV1, encodeFieldsV1, isCanonicalFieldsV1, rawContains, rawIntersects, type FieldSet, type FieldsV1, type Path } from './fieldset.js';
import type { Comparison } from './typed.js';

export type ManagedFieldsEntry = NonNullable<ObjectMeta['managedFields']>[number];
export type Operation = 'Apply' | 'Update';

export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  time?: string;
  fields: FieldSet;
}

/** Managers by identifier (see `managerId`). */
export type Managers = Map<string, Manager>;

// Identifiers already spelled, by manager, API version, operation and subresource (nested maps look
// the parts up without building a key). Manager names come from clients: past a bound, they are forgotten.
const knownIds = new Map<string, Map<string, Map<string, Map<string, string>>>>();
const MAX_KNOWN_MANAGERS = 256;

export function managerId(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let byVersion = knownIds.get(m.manager);
  if (!byVersion) {
    if (knownIds.size >= MAX_KNOWN_MANAGERS) knownIds.clear();
    knownIds.set(m.manager, (byVersion = new Map()));
  }
  let byOperation = byVersion.get(m.apiVersion);
  if (!byOperation) byVersion.set(m.apiVersion, (byOperation = new Map()));
  let bySubresource = byOperation.get(m.operation);
  if (!bySubresource) byOperation.set(m.operation, (bySubresource = new Map()));
  const subresource = m.subresource ?? '';
  let id = bySubresource.get(subresource);
  if (id === undefined) bySubresource.set(subresource, (id = spelledId(m)));
  return id;
}

function spelledId(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  // The JSON of a Go ManagedFieldsEntry with just these fields: the same order and omissions.
  let id = m.manager ? `"manager":${JSON.stringify(m.manager)},` : '';
  id += `"operation":${JSON.stringify(m.operation)}`;
  if (m.operation !== 'Apply' && m.apiVersion) id += `,"apiVersion":${JSON.stringify(m.apiVersion)}`;
  if (m.subresource) id += `,"subresource":${JSON.stringify(m.subresource)}`;
  return `{${id}}`;
}

// The FieldsV1 that a manager's fields were decoded from, when encoding them gives it back as it is.
// A write leaves most managers' fields alone: those are neither decoded (`decodedWhenRead`) nor
// encoded again. Keyed by the Manager object: one made from another (`{ ...m, fields }`) is not in it.
const canonicalRaw = new WeakMap<Manager, FieldsV1>();

export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  const managers: Managers = new Map();
  for (const entry of entries ?? []) {
    const raw = entry.fieldsV1;
    const operation: Operation = entry.operation === 'Apply' ? 'Apply' : 'Update';
    const manager: Manager = isCanonicalFieldsV1(raw)
      ? decodedWhenRead(entry.manager ?? '', operation, entry.apiVersion ?? '', raw)
      : { manager: entry.manager ?? '', operation, apiVersion: entry.apiVersion ?? '', fields: decodeFieldsV1(raw) };
    if (entry.subresource) manager.subresource = entry.subresource;
    if (entry.time) manager.time = entry.time;
    managers.set(managerId(manager), manager);
  }
  return managers;
}

/** A manager whose `fields` are decoded from canonical `raw` when first read (spreading it reads them). */
function decodedWhenRead(manager: string, operation: Operation, apiVersion: string, raw: FieldsV1): Manager {
  let fields: FieldSet | undefined;
  const m: Manager = {
    manager,
    operation,
    apiVersion,
    get fields() {
      return (fields ??= decodeFieldsV1(raw));
    },
  };
  canonicalRaw.set(m, raw);
  return m;
}

/** Whether `m` owns any path of `set`. */
function ownsAnyOf(m: Manager, set: FieldSet): boolean {
  const raw = canonicalRaw.get(m);
  return raw ? rawIntersects(raw, set) : !m.fields.intersection(set).isEmpty();
}

/** Whether `m` owns every path of `set`. */
export function ownsAllOf(m: Manager, set: FieldSet): boolean {
  const raw = canonicalRaw.get(m);
  return raw ? rawContains(raw, set) : set.difference(m.fields).isEmpty();
}

/** `m` as written again at `time`, owning the same fields (kept undecoded when they are). */
export function restamped(m: Manager, time: string): Manager {
  const raw = canonicalRaw.get(m);
  const out = raw ? decodedWhenRead(m.manager, m.operation, m.apiVersion, raw) : { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, fields: m.fields };
  if (m.subresource) out.subresource = m.subresource;
  if (time) out.time = time;
  return out;
}

/** Whether `m` owns no field (a canonical FieldsV1 is never empty). */
const ownsNothing = (m: Manager): boolean => !canonicalRaw.has(m) && m.fields.isEmpty();

/** Entries in the real server's order: Apply before Update, then oldest first, then by name. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const seconds = (m: Manager): number => (m.time ? Math.floor(Date.parse(m.time) / 1000) : 0);
  const sorted = [...managers.values()]
    .filter((m) => !ownsNothing(m))
    .sort(
      (a, b) =>
        compareStrings(a.operation, b.operation) ||
        seconds(a) - seconds(b) ||
        compareStrings(a.manager, b.manager) ||
        compareStrings(a.apiVersion, b.apiVersion) ||
        compareStrings(a.subresource ?? '', b.subresource ?? ''),
    );
  return sorted.map((m) => {
    const entry: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) entry.time = m.time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = canonicalRaw.get(m) ?? encodeFieldsV1(m.fields);
    if (m.subresource) entry.subresource = m.subresource;
    return entry;
  });
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface Conflict {
  managerId: string;
  path: Path;
}

/**
 * The managers other than `selfId` after a change described by `change`: each loses the fields
 * that were removed and those whose value was set anew (which are conflicts when it owned them);
 * managers left with no field are dropped. Returns the conflicts without applying them when
 * `force` is false and there are some.
 */
export function yieldChangedFields(
  managers: Managers,
  selfId: string,
  change: Comparison,
  force: boolean,
): { managers: Managers; conflicts: Conflict[] } {
  const changed = change.modified.union(change.added);
  const conflicts: Conflict[] = [];
  const out: Managers = new Map();
  for (const [id, m] of managers) {
    if (id === selfId) {
      out.set(id, m);
      continue;
    }
    // A manager that owns none of the changed fields keeps what it has, as it is.
    if (!ownsAnyOf(m, changed) && !ownsAnyOf(m, change.removed)) {
      if (!ownsNothing(m)) out.set(id, m);
      continue;
    }
    // Forced, the conflicts are dropped: they are not worked out.
    if (!force) for (const path of m.fields.intersection(changed).paths()) conflicts.push({ managerId: id, path });
    const fields = m.fields.difference(changed).difference(change.removed);
    if (!fields.isEmpty()) out.set(id, { ...m, fields });
  }
  if (conflicts.length > 0 && !force) return { managers, conflicts };
  return { managers: out, conflicts: [] };
}

const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Keeps at most ten Update entries: the oldest are folded, per API version, into one
 * `ancient-changes` entry that takes the time of the newest update folded into it.
 */
export function capUpdateManagers(managers: Managers): Managers {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return managers;
  const seconds = (m: Manager): number => (m.time ? Date.parse(m.time) : 0);
  updaters.sort(([idA, a], [idB, b]) => seconds(a) - seconds(b) || compareStrings(idA, idB));
  const out = new Map(managers);
  const firstByVersion = new Map<string, string>();
  let count = updaters.length;
  for (const [id, m] of updaters) {
    if (count <= MAX_UPDATE_MANAGERS) break;
    const first = firstByVersion.get(m.apiVersion);
    if (first === undefined) {
      firstByVersion.set(m.apiVersion, id);
      continue;
    }
    const bucketId = managerId({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion });
    // The first update of this version seeds the bucket when there is none yet.
    let bucket = out.get(bucketId);
    if (!bucket) {
      bucket = out.get(first)!;
      out.delete(first);
    }
    out.delete(id);
    const merged: Manager = { manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: m.apiVersion, fields: m.fields.union(bucket.fields) };
    if (m.time) merged.time = m.time;
    out.set(bucketId, merged);
    count--;
  }
  return out;
}
