// Turns the few rules particular to one kind into a full Strategy: every kind gets the ObjectMeta
// checks (name format, namespace, labels, annotations) and name/namespace immutability.
import type { KObject } from '@mini-kube/api';
import type { FieldError } from '@mini-kube/machinery';
import { nameIsDNSSubdomain, type NameFn } from './formats.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './metadata.js';
import type { Strategy } from './types.js';

export interface KindRules<T> {
  /** How `metadata.name` is checked; a DNS-1123 subdomain unless said otherwise. */
  nameFn?: NameFn;
  defaults?(obj: T): void;
  /** Kind-specific checks of a new object (metadata is checked already). */
  validate?(obj: T): FieldError[];
  /** Update-only checks (immutable fields), on top of `validate`. */
  validateUpdate?(obj: T, old: T): FieldError[];
}

/** Erases the kind's type so rule tables of different kinds fit in one map. */
export const kindRules = <T>(rules: KindRules<T>): KindRules<KObject> => rules as unknown as KindRules<KObject>;

export function buildStrategy(namespaced: boolean, rules: KindRules<KObject>): Strategy {
  const metaRules = { namespaced, nameFn: rules.nameFn ?? nameIsDNSSubdomain };
  const validate = (obj: KObject): FieldError[] => [...validateObjectMeta(obj.metadata, metaRules), ...(rules.validate?.(obj) ?? [])];
  return {
    defaults: (obj) => rules.defaults?.(obj),
    validate,
    validateUpdate: (obj, old) => [
      ...validate(obj),
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...(rules.validateUpdate?.(obj, old) ?? []),
    ],
    validateStatusUpdate: (obj, old) => [...validateObjectMeta(obj.metadata, metaRules), ...validateObjectMetaUpdate(obj.metadata, old.metadata)],
  };
}
