// JSON merge patch (RFC 7386, application/merge-patch+json): maps merge, null deletes, lists
// are replaced whole.
import mergePatch from 'json-merge-patch';
import { badRequest } from '../errors.js';

/** Applies a merge patch to `original` without mutating either input. */
export function jsonMergePatch<T extends object>(original: T, patch: unknown): T {
  // A patch that is not an object would replace the whole object; the real server refuses it.
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw badRequest('Invalid JSON Patch');
  return mergePatch.apply(structuredClone(original), structuredClone(patch)) as T;
}
