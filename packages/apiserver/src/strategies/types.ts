import type { KObject } from '@mini-kube/api';
import type { FieldError } from '@mini-kube/machinery';

/**
 * What is particular to one kind on the write path, as a real API server's `strategy` is:
 * the defaults it fills in, and its validation. The generic registry does the rest
 * (uid, timestamps, generation, resourceVersion, status split).
 */
export interface Strategy {
  /** Fills the defaults the real API server fills in. Mutates `obj`; runs on create and update. */
  defaults(obj: KObject): void;
  /** Validates a new object, after defaults. Includes metadata (name format, namespace). */
  validate(obj: KObject): FieldError[];
  /** Validates an update, after defaults: everything `validate` checks, plus immutable fields. */
  validateUpdate(obj: KObject, old: KObject): FieldError[];
  /**
   * Validates a write through `/status`, after defaults: its metadata, which such a write may change
   * (ObjectMeta checks and immutable fields). Status itself is not checked.
   */
  validateStatusUpdate(obj: KObject, old: KObject): FieldError[];
}
