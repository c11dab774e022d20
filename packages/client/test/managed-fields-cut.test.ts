import { describe, expect, it } from 'vitest';
import { IN_OBJECT, managedFieldsCut } from '../src/managed-fields-cut.js';

const MF = [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {} } } } } }];

/** The line with the cut applied, parsed: what a watch with omitManagedFields decodes. */
function afterCut(line: string): { cut: boolean; value: unknown } {
  const bytes = Buffer.from(line);
  const cut = managedFieldsCut(bytes, 0, bytes.length);
  const text = cut ? bytes.toString('utf8', 0, cut[0]) + bytes.toString('utf8', cut[1]) : line;
  return { cut: cut !== undefined, value: JSON.parse(text) };
}

const withoutManagedFields = (event: { object: { metadata: Record<string, unknown> } }) => {
  const { managedFields: _dropped, ...metadata } = event.object.metadata;
  return { ...event, object: { ...event.object, metadata } };
};

describe('managedFieldsCut', () => {
  it.each([
    { name: 'between other members', event: { type: 'MODIFIED', object: { kind: 'Pod', metadata: { name: 'p', managedFields: MF, labels: { a: 'b' } }, spec: {} } } },
    { name: 'last member of metadata', event: { type: 'ADDED', object: { kind: 'Pod', metadata: { name: 'p', uid: 'u', managedFields: MF }, status: { phase: 'Running' } } } },
    { name: 'only member of metadata', event: { type: 'ADDED', object: { metadata: { managedFields: MF } } } },
    { name: 'first member of metadata', event: { type: 'DELETED', object: { metadata: { managedFields: MF, name: 'x' } } } },
    { name: 'object before type', event: { object: { metadata: { name: 'p', managedFields: MF } }, type: 'ADDED' } },
    {
      name: 'tricky values before it: quotes, escapes, brackets in strings, numbers, null, unicode',
      event: {
        type: 'MODIFIED',
        object: {
          apiVersion: 'v1',
          metadata: {
            name: 'p',
            generation: 3,
            deletionGracePeriodSeconds: null,
            annotations: { note: 'say "}]{[" \\ "managedFields":[1] ünïcødé 🎉', 'x\\"y': '\\' },
            labels: { managedFields: 'not this one' },
            ownerReferences: [{ kind: 'ReplicaSet', controller: true, blockOwnerDeletion: false }],
            managedFields: MF,
            resourceVersion: '42',
          },
        },
      },
    },
  ])('cuts managedFields out: $name', ({ event }) => {
    const { cut, value } = afterCut(JSON.stringify(event));
    expect(cut).toBe(true);
    expect(value).toEqual(withoutManagedFields(event as never));
  });

  it.each([
    { name: 'no managedFields', line: JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'p' }, spec: { managedFields: MF } } }) },
    { name: 'a managedFields key elsewhere only', line: JSON.stringify({ type: 'ADDED', object: { spec: { metadata: { managedFields: MF } }, metadata: { name: 'p' } } }) },
    { name: 'a Status (ERROR event)', line: JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old' } }) },
    { name: 'whitespace (not the server\'s compact JSON)', line: '{"type": "ADDED", "object": {"metadata": {"managedFields": []}}}' },
    { name: 'a truncated line', line: '{"type":"ADDED","object":{"metadata":{"name":"p","managedFields":[{"manager":"x"' },
    { name: 'not JSON', line: 'hello' },
    { name: 'empty', line: '' },
  ])('leaves the line whole: $name', ({ line }) => {
    const bytes = Buffer.from(line);
    expect(managedFieldsCut(bytes, 0, bytes.length)).toBeUndefined();
  });

  it('works within a larger buffer, on the given range only', () => {
    const line = JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'p', managedFields: MF } } });
    const bytes = Buffer.from(`xx\n${line}\nyy`);
    const cut = managedFieldsCut(bytes, 3, 3 + line.length)!;
    const text = bytes.toString('utf8', 3, cut[0]) + bytes.toString('utf8', cut[1], 3 + line.length);
    expect(JSON.parse(text)).toEqual({ type: 'ADDED', object: { metadata: { name: 'p' } } });
  });

  it.each([
    { name: 'an object', json: { kind: 'Pod', metadata: { name: 'p', managedFields: MF, uid: 'u' }, spec: {} }, want: { kind: 'Pod', metadata: { name: 'p', uid: 'u' }, spec: {} } },
    { name: 'a list (its items keep theirs)', json: { kind: 'PodList', metadata: { resourceVersion: '3' }, items: [{ metadata: { managedFields: MF } }] }, want: undefined },
  ])('cuts at the top level of $name', ({ json, want }) => {
    const bytes = Buffer.from(JSON.stringify(json));
    const cut = managedFieldsCut(bytes, 0, bytes.length, IN_OBJECT);
    if (want === undefined) return expect(cut).toBeUndefined();
    expect(JSON.parse(bytes.toString('utf8', 0, cut![0]) + bytes.toString('utf8', cut![1]))).toEqual(want);
  });
});
