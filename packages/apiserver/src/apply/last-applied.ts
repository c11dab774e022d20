// Interplay with client-side `kubectl apply`, for the manager `kubectl` only (as the real
// server's lastAppliedManager and lastAppliedUpdater): moving from client-side to server-side
// apply raises no conflict on fields that still hold their last-applied values, and a
// last-applied annotation is kept in step with what was applied server-side.
import type { KObject } from '@mini-kube/api';
import { canonicalJson, type FieldSet } from './fieldset.js';
import { withoutManagedFields } from './objects.js';
import { isRecord, type Schema } from './schema.js';
import { compare, toFieldSet } from './typed.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const CLIENT_SIDE_UPGRADE_MANAGER = 'kubectl';

/**
 * The fields of the live object's last-applied configuration whose values are still the live
 * ones: conflicts on these are forgiven. Undefined when there is no usable annotation.
 */
export function fieldsStillAsLastApplied(live: KObject, groupVersion: string, schema: Schema): FieldSet | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED];
  if (!raw) return undefined;
  let lastApplied: unknown;
  try {
    lastApplied = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(lastApplied) || lastApplied.apiVersion !== groupVersion) return undefined;
  const diff = compare(lastApplied, withoutManagedFields(live), schema);
  return toFieldSet(lastApplied, schema).difference(diff.modified).difference(diff.added).difference(diff.removed);
}

/** Rewrites `obj`'s last-applied annotation, if it has one, to the configuration just applied. */
export function syncLastApplied(obj: KObject, applied: KObject): void {
  const annotations = obj.metadata?.annotations;
  if (!annotations?.[LAST_APPLIED]) return;
  const config = structuredClone(applied);
  if (config.metadata?.annotations) delete config.metadata.annotations[LAST_APPLIED];
  annotations[LAST_APPLIED] = `${goJson(canonicalJson(config))}\n`;
}

// Go's encoder escapes these characters; they can only occur inside JSON strings.
function goJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
