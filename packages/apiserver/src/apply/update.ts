// managedFields after an ordinary create, update or patch (operation Update): the writer takes
// the fields whose values it set or changed, and every other manager loses them.
import type { KObject } from '@mini-kube/api';
import { resetField, stripBookkeeping } from './bookkeeping.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerId,
  ownsAllOf,
  restamped,
  yieldChangedFields,
  type ManagedFieldsEntry,
  type Manager,
  type Managers,
} from './managers.js';
import type { FieldSet } from './fieldset.js';
import { viewWithoutManagedFields } from './objects.js';
import { schemaFor, type Schema } from './schema.js';
import { compare } from './typed.js';
import { cachedCreatedFieldsV1 } from './created-shape.js';

export interface UpdateManagedFieldsOptions {
  /** The stored object, or undefined on create. */
  old: KObject | undefined;
  /** The object about to be stored. */
  updated: KObject;
  manager: string;
  operation: 'Update';
  subresource?: string;
  /** group/version of the request, e.g. `apps/v1`. */
  apiVersion: string;
  /** RFC 3339, seconds precision. */
  time: string;
  group: string;
  kind: string;
}

// The write is first accounted to a manager of its own, so that it takes exactly the fields it
// changed; it is then folded into the writer's existing entry (as managedFieldsUpdater does).
const CURRENT_OPERATION = 'current-operation';

/**
 * The `metadata.managedFields` for `updated`. Entries left with no field are dropped; the
 * caller stores the result, omitting the field when the list is empty.
 */
export function updateManagedFields(o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] {
  const schema = schemaFor(o.group, o.kind);
  if (!o.old && !o.updated.metadata?.managedFields?.length) return createdEntries(o, schema);
  const managers = decodeManagedFields(startingEntries(o));
  const before = o.old ? viewWithoutManagedFields(o.old) : zeroObject(o.updated);
  // The field the write cannot change is left out of the comparison (structured-merge-diff filters it after).
  const change = compare(before, viewWithoutManagedFields(o.updated), schema, resetField(o.subresource));
  const changed = change.modified.union(change.added);
  const taken = stripBookkeeping(changed.difference(change.removed));
  const selfId = managerId({ manager: o.manager, operation: 'Update', apiVersion: o.apiVersion, subresource: o.subresource });
  const own = managers.get(selfId);
  if (own && !taken.isEmpty() && change.removed.isEmpty() && taken.equals(changed) && ownsAllOf(own, changed)) {
    // The common write of a control loop: it set again fields it owns (a status, a lease's renewTime).
    // Its entry keeps exactly those fields, at this write's time; the others lose what it changed.
    managers.delete(selfId);
    const { managers: after } = yieldChangedFields(managers, CURRENT_OPERATION, change, true);
    after.set(selfId, restamped(own, o.time));
    return encodeManagedFields(capUpdateManagers(after));
  }
  const { managers: after } = yieldChangedFields(managers, CURRENT_OPERATION, change, true);
  addWriterFields(after, o, taken);
  return encodeManagedFields(capUpdateManagers(after));
}

/** Folds the fields the write `taken` into the writer's entry (made when it has none). */
export function addWriterFields(managers: Managers, o: UpdateManagedFieldsOptions, taken: FieldSet): void {
  if (taken.isEmpty()) return;
  const self: Manager = { manager: o.manager, operation: 'Update', apiVersion: o.apiVersion, time: o.time, fields: taken };
  if (o.subresource) self.subresource = o.subresource;
  const id = managerId(self);
  const previous = managers.get(id);
  if (previous) self.fields = taken.union(previous.fields);
  managers.set(id, self);
}

/** A plain create: the creator owns every field it set (the common case, without a diff). */
function createdEntries(o: UpdateManagedFieldsOptions, schema: Schema): ManagedFieldsEntry[] {
  const fieldsV1 = cachedCreatedFieldsV1(viewWithoutManagedFields(o.updated), schema, `${o.group}/${o.kind}`, o.subresource);
  if (Object.keys(fieldsV1).length === 0) return [];
  // The one entry, spelled as encodeManagedFields spells entries.
  const entry: ManagedFieldsEntry = { manager: o.manager, operation: 'Update', apiVersion: o.apiVersion };
  if (o.time) entry.time = o.time;
  entry.fieldsType = 'FieldsV1';
  entry.fieldsV1 = fieldsV1;
  if (o.subresource) entry.subresource = o.subresource;
  return [entry];
}

/**
 * A write through the main resource may set managedFields itself (to edit or reset them); the
 * real server then starts from those. Otherwise, and always for subresources, from the old ones.
 */
function startingEntries(o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] | undefined {
  const sent = o.updated.metadata?.managedFields;
  if (!o.subresource && sent && sent.length > 0) return sent;
  return o.old?.metadata?.managedFields;
}

/**
 * What a create is compared against: the zero value of the Go type, in which metadata, spec and
 * status are present (and empty), so creating them does not make the creator own the maps
 * themselves. Nested structs are not modelled.
 */
function zeroObject(updated: KObject): KObject {
  const zero: KObject = { metadata: {} };
  for (const name of ['spec', 'status']) {
    if (updated[name] !== null && typeof updated[name] === 'object') zero[name] = {};
  }
  return zero;
}
