import { describe, expect, it } from 'vitest';
import {
  decodeFieldsV1,
  encodeFieldsV1,
  fieldSetOf,
  isCanonicalFieldsV1,
  pathToString,
} from '../src/apply/fieldset.js';

const item = 'k:{"name":"nginx"}';

describe('FieldsV1', () => {
  it('round-trips, marking a member with children as "."', () => {
    const raw = {
      'f:metadata': { 'f:finalizers': { 'v:"a"': {} } },
      'f:spec': { 'f:containers': { [item]: { '.': {}, 'f:image': {} } }, 'f:replicas': {} },
    };
    const set = decodeFieldsV1(raw);
    expect(set.has(['f:spec', 'f:containers', item])).toBe(true);
    expect(set.has(['f:spec', 'f:containers'])).toBe(false);
    expect(encodeFieldsV1(set)).toEqual(raw);
  });

  it('orders children fields first, then keys, then values', () => {
    const set = fieldSetOf(['v:"z"'], ['k:{"a":1}'], ['f:b'], ['f:a']);
    expect(Object.keys(encodeFieldsV1(set))).toEqual(['f:a', 'f:b', 'k:{"a":1}', 'v:"z"']);
  });
});

describe('set operations', () => {
  const a = fieldSetOf(['f:spec', 'f:replicas'], ['f:spec', 'f:paused'], ['f:status', 'f:replicas']);
  const b = fieldSetOf(['f:spec', 'f:replicas'], ['f:status']);

  it.each([
    // Members of a node come before its children's paths, as structured-merge-diff iterates.
    ['union', a.union(b), [['f:status'], ['f:spec', 'f:paused'], ['f:spec', 'f:replicas'], ['f:status', 'f:replicas']]],
    ['difference', a.difference(b), [['f:spec', 'f:paused'], ['f:status', 'f:replicas']]],
    ['intersection', a.intersection(b), [['f:spec', 'f:replicas']]],
    ['recursiveDifference', a.recursiveDifference(b), [['f:spec', 'f:paused']]],
  ])('%s', (_name, result, paths) => {
    expect(result.paths()).toEqual(paths);
  });
});

describe('set operations share what they do not change', () => {
  const a = fieldSetOf(['f:spec', 'f:replicas'], ['f:spec', 'f:paused']);
  const empty = fieldSetOf();

  it('returns an operand that the other leaves as it is', () => {
    expect(a.union(empty)).toBe(a);
    expect(empty.union(a)).toBe(a);
    expect(a.difference(empty)).toBe(a);
    expect(a.recursiveDifference(empty)).toBe(a);
  });

  it('leaves both operands unchanged', () => {
    const b = fieldSetOf(['f:spec', 'f:replicas'], ['f:status', 'f:phase']);
    const before = [a.paths(), b.paths()];
    const union = a.union(b);
    const difference = union.difference(b);
    expect(union.paths()).toEqual([['f:spec', 'f:paused'], ['f:spec', 'f:replicas'], ['f:status', 'f:phase']]);
    expect(difference.paths()).toEqual([['f:spec', 'f:paused']]);
    expect([a.paths(), b.paths()]).toEqual(before);
    // An emptied node is left out, so emptiness stays a check of the node alone.
    expect(b.difference(b).isEmpty()).toBe(true);
    expect(encodeFieldsV1(b.difference(fieldSetOf(['f:status', 'f:phase'])))).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });
});

describe('isCanonicalFieldsV1', () => {
  it('knows what encodeFieldsV1 made, and checks anything else', () => {
    expect(isCanonicalFieldsV1(encodeFieldsV1(fieldSetOf(['f:a', 'f:b'])))).toBe(true);
    expect(isCanonicalFieldsV1({ 'f:b': {}, 'f:a': {} })).toBe(false); // out of order
    expect(isCanonicalFieldsV1({ 'f:a': { 'f:b': {} }, 'f:c': {} })).toBe(true);
    expect(isCanonicalFieldsV1(encodeFieldsV1(fieldSetOf()))).toBe(false); // empty
  });
});

describe('pathToString', () => {
  it.each([
    [['f:spec', 'f:replicas'], '.spec.replicas'],
    [['f:spec', 'f:containers', item, 'f:image'], '.spec.containers[name="nginx"].image'],
    [['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}'], '.ports[containerPort=80,protocol="TCP"]'],
    [['f:metadata', 'f:finalizers', 'v:"a"'], '.metadata.finalizers[="a"]'],
  ])('%j → %s', (path, text) => {
    expect(pathToString(path)).toBe(text);
  });
});
