// Fields that no manager owns, whatever writes them.
import { FieldSet, fieldSetOf } from './fieldset.js';

// Identity and server-maintained metadata (the real server's stripMetaManager). Exact paths:
// `metadata` itself is stripped, the labels below it are not.
export const STRIPPED_TOP_FIELDS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata']);
export const STRIPPED_METADATA_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
]);
const STRIPPED = fieldSetOf(
  ...[...STRIPPED_TOP_FIELDS].map((name) => [`f:${name}`]),
  ...[...STRIPPED_METADATA_FIELDS].map((name) => ['f:metadata', `f:${name}`]),
);

export function stripBookkeeping(fields: FieldSet): FieldSet {
  return fields.difference(STRIPPED);
}

/**
 * The fields a write through `subresource` cannot change and so never owns (the strategies'
 * reset fields): status through the main resource, spec through `/status`.
 */
export function resetFields(subresource: string | undefined): FieldSet {
  const field = resetField(subresource);
  return field ? fieldSetOf([`f:${field}`]) : new FieldSet();
}

/** The top-level field of `resetFields`, if any. */
export function resetField(subresource: string | undefined): string | undefined {
  if (subresource === undefined) return 'status';
  if (subresource === 'status') return 'spec';
  return undefined;
}
