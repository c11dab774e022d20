// The `kubectl.kubernetes.io/last-applied-configuration` annotation: the applied manifest as
// Go's encoder writes it (sorted keys, HTML escapes, trailing newline), without itself.
import { goJson } from '../printers/json.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manifest as recorded: annotations present (possibly `{}`), the old record removed. */
export function lastAppliedOf(obj: any): string {
  const copy = structuredClone(obj);
  copy.metadata ??= {};
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  copy.metadata.annotations = annotations;
  return `${goJson(copy)}\n`;
}

/** The object with the annotation set to its own record (kubectl's "modified" configuration). */
export function withLastApplied(obj: any): any {
  const record = lastAppliedOf(obj);
  const copy = structuredClone(obj);
  copy.metadata = { ...copy.metadata, annotations: { ...(copy.metadata?.annotations ?? {}), [LAST_APPLIED]: record } };
  return copy;
}

export function readLastApplied(live: any): any | undefined {
  const text = live?.metadata?.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Built-in groups get a strategic merge patch; others (CRDs) a JSON merge patch, as kubectl does. */
export function isBuiltinGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}
