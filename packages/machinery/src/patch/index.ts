// Applies a PATCH body by its content type. Server-side apply (application/apply-patch+yaml)
// lives elsewhere; the apiserver routes it before calling here.
import { StatusError, badRequest } from '../errors.js';
import { jsonPatchApply } from './json.js';
import { jsonMergePatch } from './merge.js';
import { strategicMergePatch } from './strategic.js';

export { listTypeAt, type ListType } from './list-types.js';
export { strategicMergePatch } from './strategic.js';
export { jsonMergePatch } from './merge.js';
export { jsonPatchApply, MAX_JSON_PATCH_OPERATIONS } from './json.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** The patch media types the real server lists in its 415, in its order. */
export const PATCH_CONTENT_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];

/** The media type without parameters, lower-cased: `application/merge-patch+json; charset=utf-8` → `application/merge-patch+json`. */
export function patchMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/**
 * Applies `patchBody` (parsed JSON, or its text/bytes) to `original`, an object of the given
 * group and kind. Neither input is mutated. Throws StatusError: 415 for a type it does not
 * handle, 400 for a malformed patch, 422 when a JSON patch operation fails.
 */
export function applyPatch<T extends object>(
  contentType: string | undefined,
  original: T,
  patchBody: unknown,
  group: string,
  kind: string,
): T {
  const type = patchMediaType(contentType);
  switch (type) {
    case STRATEGIC_MERGE_PATCH:
      return strategicMergePatch(original, parseBody(patchBody), group, kind);
    case MERGE_PATCH:
      return jsonMergePatch(original, parseBody(patchBody));
    case JSON_PATCH:
      return jsonPatchApply(original, parseBody(patchBody));
    default:
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_CONTENT_TYPES.join(', ')}`,
      );
  }
}
