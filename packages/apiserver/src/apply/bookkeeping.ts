// Fields that no manager owns, whatever writes them.
import { FieldSet, fieldSetOf } from './fieldset.js';

// Identity and server-maintained metadata (the real server's stripMetaManager). Exact paths:
// `metadata` itself is stripped, the labels below it are not.
const STRIPPED = fieldSetOf(
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (name) => ['f:metadata', `f:${name}`],
  ),
);

export function stripBookkeeping(fields: FieldSet): FieldSet {
  return fields.difference(STRIPPED);
}

/**
 * The fields a write through `subresource` cannot change and so never owns (the strategies'
 * reset fields): status through the main resource, spec through `/status`.
 */
export function resetFields(subresource: string | undefined): FieldSet {
  if (subresource === undefined) return fieldSetOf(['f:status']);
  if (subresource === 'status') return fieldSetOf(['f:spec']);
  return new FieldSet();
}
