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
 * The metadata a write through `/status` cannot change beyond identity (which no update changes),
 * by `group/Kind`: upstream's status strategies (PrepareForUpdate, GetResetFields). Every status
 * strategy resets spec; a kind not listed keeps the rest of the new metadata. (A pod's
 * deletionTimestamp, which upstream lists too, is identity here.)
 */
const STATUS_RESET_METADATA: Readonly<Record<string, readonly string[]>> = {
  '/Pod': ['ownerReferences'],
  'apps/Deployment': ['labels'],
};
const NO_FIELDS: readonly string[] = [];

/** The metadata fields a `/status` write of the kind keeps from the stored object. */
export function statusResetMetadata(group: string, kind: string): readonly string[] {
  return STATUS_RESET_METADATA[`${group}/${kind}`] ?? NO_FIELDS;
}

/**
 * The fields a write through `subresource` cannot change and so never owns (the strategies'
 * reset fields): status through the main resource; spec, and the kind's metadata above, through
 * `/status`.
 */
export function resetFields(subresource: string | undefined, group = '', kind = ''): FieldSet {
  const field = resetField(subresource);
  const paths = field ? [[`f:${field}`]] : [];
  if (subresource === 'status') for (const name of statusResetMetadata(group, kind)) paths.push(['f:metadata', `f:${name}`]);
  return fieldSetOf(...paths);
}

/**
 * The top-level field of `resetFields`, if any: what the managedFields fast paths leave out. The
 * metadata of `resetFields` needs no such care, as the registry restores it before they run.
 */
export function resetField(subresource: string | undefined): string | undefined {
  if (subresource === undefined) return 'status';
  if (subresource === 'status') return 'spec';
  return undefined;
}
