// JSON patch (RFC 6902, application/json-patch+json) via fast-json-patch, failing the way the real
// server does: a body that is not a list of operations is a 400, an operation that cannot apply
// (a failed `test`, a missing path for `replace` or `remove`) is a 422.
import jsonPatch, { type Operation } from 'fast-json-patch';
import { StatusError, badRequest } from '../errors.js';

/** The real server refuses longer patches (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

function goTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Applies a JSON patch to `original` without mutating either input. */
export function jsonPatchApply<T extends object>(original: T, patch: unknown): T {
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${goTypeName(patch)} into Go value of type jsonpatch.Patch`);
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`,
    );
  }
  try {
    const ops = structuredClone(patch) as Operation[];
    return jsonPatch.applyPatch(structuredClone(original), ops, true, true).newDocument;
  } catch (err) {
    // The real server keeps the library's reason out of the Status: this is its exact wording.
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const error = new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
    error.cause = detail; // for logs only
    throw error;
  }
}
