// Server-side apply (`PATCH` with `application/apply-patch+yaml`): merge the applied
// configuration into the live object, drop what this manager stopped applying, and record
// ownership, refusing to change fields other managers own unless forced.
import type { KObject } from '@mini-kube/api';
import { badRequest } from '@mini-kube/machinery';
import { resetFields, stripBookkeeping } from './bookkeeping.js';
import { conflictError } from './conflicts.js';
import { FieldSet } from './fieldset.js';
import { CLIENT_SIDE_UPGRADE_MANAGER, fieldsStillAsLastApplied, syncLastApplied } from './last-applied.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  managerId,
  yieldChangedFields,
  type Conflict,
  type Manager,
  type Managers,
} from './managers.js';
import { mergeObjects, removeFields } from './merge.js';
import { withoutManagedFields } from './objects.js';
import { schemaFor, type Schema } from './schema.js';
import { compare, deepEqual, toFieldSet, withoutFields } from './typed.js';

export interface ApplyOptions {
  /** The stored object, or undefined when the apply creates it. */
  live: KObject | undefined;
  /** The configuration sent by the client, already parsed from YAML or JSON. */
  applied: KObject;
  manager: string;
  force: boolean;
  group: string;
  version: string;
  kind: string;
  /** RFC 3339, seconds precision. */
  now: string;
}

/**
 * The object after applying `applied` as `manager`, with its managedFields. Throws StatusError:
 * 400 for a malformed configuration, 409 Conflict (causes FieldManagerConflict) when it would
 * change fields other managers own and `force` is false. Status in the configuration is ignored.
 */
export function applyPatch(o: ApplyOptions): KObject {
  const groupVersion = o.group ? `${o.group}/${o.version}` : o.version;
  checkConfiguration(o.applied, groupVersion);
  const schema = schemaFor(o.group, o.kind);
  let result = applyOnce(o, groupVersion, schema, o.force);
  if (!('object' in result) && o.manager === CLIENT_SIDE_UPGRADE_MANAGER && o.live) {
    const forgiven = fieldsStillAsLastApplied(o.live, groupVersion, schema);
    const remaining = forgiven ? result.conflicts.filter((c) => !forgiven.has(c.path)) : result.conflicts;
    result = remaining.length === 0 ? applyOnce(o, groupVersion, schema, true) : { conflicts: remaining };
  }
  if (!('object' in result)) throw conflictError(result.conflicts);
  if (o.manager === CLIENT_SIDE_UPGRADE_MANAGER) syncLastApplied(result.object, o.applied);
  return result.object;
}

function checkConfiguration(applied: KObject, groupVersion: string): void {
  if (applied.apiVersion !== groupVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ''}, expected: ${groupVersion}`,
    );
  }
  if (applied.metadata?.managedFields != null) throw badRequest('metadata.managedFields must be nil');
}

type Outcome = { object: KObject } | { conflicts: Conflict[] };

function applyOnce(o: ApplyOptions, groupVersion: string, schema: Schema, force: boolean): Outcome {
  const managers = decodeManagedFields(o.live?.metadata?.managedFields);
  const before: KObject = o.live ? withoutManagedFields(o.live) : { apiVersion: groupVersion, kind: o.kind, metadata: {} };
  const config = structuredClone(o.applied);
  delete config.status; // status changes only through /status
  const merged = mergeObjects(before, config, schema) as KObject;

  const selfId = managerId({ manager: o.manager, operation: 'Apply', apiVersion: groupVersion });
  const previous = managers.get(selfId);
  const self: Manager = {
    manager: o.manager,
    operation: 'Apply',
    apiVersion: groupVersion,
    fields: stripBookkeeping(toFieldSet(config, schema)),
  };
  if (previous?.time) self.time = previous.time;
  const withSelf: Managers = new Map(managers).set(selfId, self);
  // Fields applied last time and not now go, unless some manager (this one included) claims them.
  if (previous) removeFields(merged, previous.fields, unionOf(withSelf));

  const change = withoutFields(compare(before, merged, schema), resetFields(undefined));
  const { managers: after, conflicts } = yieldChangedFields(withSelf, selfId, change, force);
  if (conflicts.length > 0) return { conflicts };
  // The time moves only when the object changed (structured-merge-diff reports a no-op as such).
  if (!deepEqual(before, merged)) after.set(selfId, { ...self, time: o.now });

  const entries = encodeManagedFields(capUpdateManagers(after));
  if (entries.length > 0) merged.metadata.managedFields = entries;
  else delete merged.metadata.managedFields;
  return { object: merged };
}

function unionOf(managers: Managers): FieldSet {
  let all = new FieldSet();
  for (const m of managers.values()) all = all.union(m.fields);
  return all;
}
