// Server-side field validation: what the real apiserver's strict JSON decoder (sigs.k8s.io/json)
// finds in a request body. Unknown fields are reported by path (`spec.template.spec.containers[0].imagee`)
// and obey ?fieldValidation=Strict|Warn|Ignore; type mismatches fail decoding in every mode.
import { pruneFields } from './prune.js';
import { schemaNameFor } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { shapeOf, type Shape } from './shapes.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface FieldCheck {
  /** Paths of fields the schema does not declare, in document order. */
  unknown: string[];
  /** Go decoding errors, worded as the real server words them (the first one is what it reports). */
  typeErrors: string[];
}

// The decoder stops collecting strict errors at 100.
const MAX_UNKNOWN = 100;
const INT32 = 2 ** 31;
const INT64 = 2 ** 63;
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_ERROR = `quantities must match the regular expression '${QUANTITY.source}'`;

/** Walks `obj` along the schema of its kind. Kinds without a schema pass unchecked. */
export function checkFields(obj: unknown, group: string, version: string, kind: string): FieldCheck {
  const result: FieldCheck = { unknown: [], typeErrors: [] };
  const name = schemaNameFor(group, version, kind);
  const shape = name === undefined ? undefined : shapeOf(name);
  if (shape) new Walker(result).walk(obj, shape, '', '', '');
  return result;
}

/** `Deployment in version "v1" cannot be handled as a Deployment: <why>`: a 400 for a body that won't decode. */
export function decodeError(kind: string, version: string, why: string): StatusError {
  return new StatusError(400, 'BadRequest', `${kind} in version "${version}" cannot be handled as a ${kind}: ${why}`);
}

/** The 400 fieldValidation=Strict answers for unknown fields: `... strict decoding error: unknown field "spec.x", ...`. */
export function strictDecodingError(kind: string, version: string, unknown: string[]): StatusError {
  return decodeError(kind, version, `strict decoding error: ${unknownFieldWarnings(unknown).join(', ')}`);
}

/** The Warning header texts fieldValidation=Warn sends, one per unknown field. */
export function unknownFieldWarnings(unknown: string[]): string[] {
  return unknown.map((path) => `unknown field "${path}"`);
}

/**
 * Applies a fieldValidation directive to a create/update body: throws the real server's 400 for type
 * errors (any mode) and unknown fields (Strict); otherwise drops the unknown fields from `obj`, as the
 * real decoder does, and returns the warnings to send (Warn).
 */
export function validateFields(obj: unknown, group: string, version: string, kind: string, mode: FieldValidation): string[] {
  const { unknown, typeErrors } = checkFields(obj, group, version, kind);
  if (typeErrors.length) throw decodeError(kind, version, typeErrors[0]!);
  if (!unknown.length) return [];
  if (mode === 'Strict') throw strictDecodingError(kind, version, unknown);
  pruneFields(obj, unknown);
  return mode === 'Ignore' ? [] : unknownFieldWarnings(unknown);
}

const jsonKind = (v: unknown): string =>
  Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v;

const goPathOf = (parent: string, key: string | undefined): string => (key === undefined ? parent : parent ? `${parent}.${key}` : key);

const isInteger = (value: unknown, goType: 'int32' | 'int64'): boolean =>
  typeof value === 'number' && Number.isInteger(value) && (goType === 'int64' ? value >= -INT64 && value < INT64 : value >= -INT32 && value < INT32);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Walker {
  private readonly seen = new Set<string>();

  constructor(private readonly out: FieldCheck) {}

  /**
   * `path` is the strict-error path (with list indices); `goPath` and `struct` are what Go's
   * UnmarshalTypeError quotes: the field stack without indices and the innermost struct's name.
   */
  walk(value: unknown, shape: Shape, path: string, goPath: string, struct: string): void {
    if (this.scalar(value, shape, goPath, undefined, struct)) return;
    switch (shape.kind) {
      case 'struct': {
        if (!isPlainObject(value)) return this.typeError(jsonKind(value), shape.goType, goPath, struct);
        for (const key in value) {
          const field = shape.fields.get(key);
          if (!field) this.unknownField(path ? `${path}.${key}` : key);
          else if (!this.scalar(value[key], field, goPath, key, shape.name)) {
            this.walk(value[key], field, path ? `${path}.${key}` : key, goPath ? `${goPath}.${key}` : key, shape.name);
          }
        }
        return;
      }
      case 'map':
        if (!isPlainObject(value)) return this.typeError(jsonKind(value), shape.goType, goPath, struct);
        for (const key in value) {
          if (!this.scalar(value[key], shape.values, goPath, undefined, struct)) this.walk(value[key], shape.values, `${path}.${key}`, goPath, struct);
        }
        return;
      case 'array':
        if (!Array.isArray(value)) return this.typeError(jsonKind(value), shape.goType, goPath, struct);
        for (let i = 0; i < value.length; i++) {
          if (!this.scalar(value[i], shape.items, goPath, undefined, struct)) this.walk(value[i], shape.items, `${path}[${i}]`, goPath, struct);
        }
        return;
    }
  }

  /**
   * Checks a null or a value of a scalar shape, which needs no path unless it fails (most fields are
   * scalars: their paths are not built); false for a container shape, which the caller walks into.
   * The Go path is `goParent` with `key` appended, if any.
   */
  private scalar(value: unknown, shape: Shape, goParent: string, key: string | undefined, struct: string): boolean {
    if (value === null) return true; // Go decodes null into any field as its zero value
    switch (shape.kind) {
      case 'struct':
      case 'map':
      case 'array':
        return false;
      case 'string':
      case 'boolean':
        if (jsonKind(value) !== (shape.kind === 'boolean' ? 'bool' : 'string')) this.typeError(jsonKind(value), shape.goType, goPathOf(goParent, key), struct);
        return true;
      case 'integer':
        if (!isInteger(value, shape.goType)) this.integerError(value, shape.goType, goPathOf(goParent, key), struct);
        return true;
      case 'intOrString':
        // IntOrString decodes a non-string through an int32.
        if (typeof value !== 'string' && !isInteger(value, 'int32')) this.integerError(value, 'int32', goPathOf(goParent, key), struct);
        return true;
      case 'quantity':
        if (typeof value === 'number' ? !Number.isFinite(value) : typeof value !== 'string' || !QUANTITY.test(value.trim())) {
          this.out.typeErrors.push(QUANTITY_ERROR);
        }
        return true;
      case 'any':
        return true;
    }
  }

  private integerError(value: unknown, goType: 'int32' | 'int64', goPath: string, struct: string): void {
    if (typeof value !== 'number') return this.typeError(jsonKind(value), goType, goPath, struct);
    this.typeError(`number ${value}`, goType, goPath, struct);
  }

  private typeError(what: string, goType: string, goPath: string, struct: string): void {
    const target = struct ? `Go struct field ${struct}.${goPath}` : 'Go value';
    this.out.typeErrors.push(`json: cannot unmarshal ${what} into ${target} of type ${goType}`);
  }

  private unknownField(path: string): void {
    if (this.out.unknown.length >= MAX_UNKNOWN || this.seen.has(path)) return;
    this.seen.add(path);
    this.out.unknown.push(path);
  }
}
