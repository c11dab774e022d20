import { describe, expect, it } from 'vitest';
import {
  decodeFieldsV1,
  encodeFieldsV1,
  fieldSetOf,
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
