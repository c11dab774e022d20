// The fields a write cannot change, per subresource and kind: what upstream's strategies list in
// GetResetFields, and what such a write therefore never owns.
import { describe, expect, it } from 'vitest';
import { resetFields, statusResetMetadata } from '../src/apply/bookkeeping.js';
import { encodeFieldsV1 } from '../src/apply/fieldset.js';

describe('resetFields', () => {
  const cases: [string, string | undefined, string, string, object][] = [
    ['the main resource resets status', undefined, 'apps', 'Deployment', { 'f:status': {} }],
    ['a Deployment status write: spec and labels', 'status', 'apps', 'Deployment', { 'f:metadata': { 'f:labels': {} }, 'f:spec': {} }],
    ['a Pod status write: spec and ownerReferences', 'status', '', 'Pod', { 'f:metadata': { 'f:ownerReferences': {} }, 'f:spec': {} }],
    ['a ReplicaSet status write: spec only', 'status', 'apps', 'ReplicaSet', { 'f:spec': {} }],
    ['a StatefulSet status write: spec only', 'status', 'apps', 'StatefulSet', { 'f:spec': {} }],
    ['a Job status write: spec only', 'status', 'batch', 'Job', { 'f:spec': {} }],
    ['a binding: nothing', 'binding', '', 'Pod', {}],
  ];
  it.each(cases)('%s', (_what, subresource, group, kind, fieldsV1) => {
    expect(encodeFieldsV1(resetFields(subresource, group, kind))).toEqual(fieldsV1);
  });

  it('knows a kind by its group: a Deployment elsewhere is not apps/Deployment', () => {
    expect(statusResetMetadata('apps', 'Deployment')).toEqual(['labels']);
    expect(statusResetMetadata('example.com', 'Deployment')).toEqual([]);
  });
});
