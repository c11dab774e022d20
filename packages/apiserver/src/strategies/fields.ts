// Small building blocks shared by the per-kind validators: field paths and the checks that recur
// in k8s.io/kubernetes/pkg/apis/*/validation (non-negative, ranges, enums, immutability).
import { isDeepStrictEqual } from 'node:util';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';

/** `child('spec', 'template')` → `spec.template`; an empty parent gives the child alone. */
export function child(path: string, ...names: string[]): string {
  // Validators build a path for every field they visit: no intermediate arrays.
  let out = path;
  for (const name of names) if (name !== '') out = out === '' ? name : `${out}.${name}`;
  return out;
}
export const at = (path: string, index: number | string): string => `${path}[${index}]`;

/** JSON input may carry `null` for an absent field; treat both alike. */
export const isSet = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

export const equal = (a: unknown, b: unknown): boolean => isDeepStrictEqual(normalize(a), normalize(b));

/** Drops null/undefined members so `{a: null}` and `{}` compare equal, as they decode alike. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (isSet(v)) out[k] = normalize(v);
    return out;
  }
  return value;
}

export function nonNegative(value: number | null | undefined, path: string): FieldError[] {
  return isSet(value) && value < 0 ? [fieldErrors.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

export function inRange(value: number | null | undefined, lo: number, hi: number, path: string): FieldError[] {
  return isSet(value) && (value < lo || value > hi)
    ? [fieldErrors.invalid(path, value, `must be between ${lo} and ${hi}, inclusive`)]
    : [];
}

/** An enum field: Required when empty (if `required`), NotSupported when outside `allowed`. */
export function oneOf(value: string | null | undefined, allowed: string[], path: string, required = false): FieldError[] {
  if (!isSet(value) || value === '') return required ? [fieldErrors.required(path)] : [];
  return allowed.includes(value) ? [] : [fieldErrors.notSupported(path, value, allowed)];
}

export function immutable(value: unknown, old: unknown, path: string): FieldError[] {
  return equal(value, old) ? [] : [fieldErrors.invalid(path, value ?? null, 'field is immutable')];
}

/** Sets `obj[key]` to `value` when absent; returns the (possibly new) value. */
export function fill<T extends object, K extends keyof T>(obj: T, key: K, value: NonNullable<T[K]>): NonNullable<T[K]> {
  if (!isSet(obj[key])) obj[key] = value;
  return obj[key] as NonNullable<T[K]>;
}
