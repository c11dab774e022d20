// `metadata.managedFields` decoded into one field set per manager, and back. Managers are keyed
// as the real server keys them: by name, operation, subresource and, for updaters only, the
// API version (an applier keeps one entry whatever version it applies with).
import type { ObjectMeta } from '@mini-kube/api';
import { decodeFieldsV1, encodeFieldsV1, type FieldSet, type Path } from './fieldset.js';
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

export function managerId(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  // The same field order and omissions as the JSON of a Go ManagedFieldsEntry.
  return JSON.stringify({
    manager: m.manager || undefined,
    operation: m.operation,
    apiVersion: m.operation === 'Apply' ? undefined : m.apiVersion || undefined,
    subresource: m.subresource || undefined,
  });
}

export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  const managers: Managers = new Map();
  for (const entry of entries ?? []) {
    const manager: Manager = {
      manager: entry.manager ?? '',
      operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: entry.apiVersion ?? '',
      fields: decodeFieldsV1(entry.fieldsV1),
    };
    if (entry.subresource) manager.subresource = entry.subresource;
    if (entry.time) manager.time = entry.time;
    managers.set(managerId(manager), manager);
  }
  return managers;
}

/** Entries in the real server's order: Apply before Update, then oldest first, then by name. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const seconds = (m: Manager): number => (m.time ? Math.floor(Date.parse(m.time) / 1000) : 0);
  const sorted = [...managers.values()]
    .filter((m) => !m.fields.isEmpty())
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
    entry.fieldsV1 = encodeFieldsV1(m.fields);
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
    const lost = m.fields.intersection(changed);
    for (const path of lost.paths()) conflicts.push({ managerId: id, path });
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
