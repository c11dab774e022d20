// Small helpers over API objects shared by apply and update.
import type { KObject } from '@mini-kube/api';

/** A copy of `obj` whose metadata has no managedFields (ownership is tracked beside the object). */
export function withoutManagedFields(obj: KObject): KObject {
  const copy = structuredClone(obj);
  if (copy.metadata && typeof copy.metadata === 'object') delete copy.metadata.managedFields;
  else copy.metadata = {};
  return copy;
}

/** The same view without copying: for read-only comparisons (the result shares `obj`'s values). */
export function viewWithoutManagedFields(obj: KObject): KObject {
  if (!obj.metadata || typeof obj.metadata !== 'object') return { ...obj, metadata: {} };
  const { managedFields: _managedFields, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
