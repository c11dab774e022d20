import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../src/json-equal.js';

describe('jsonEqual', () => {
  it.each([
    ['same scalars', true, 1, 1],
    ['different scalars', false, 'a', 'b'],
    ['null and an object', false, null, {}],
    ['equal nested objects, keys in another order', true, { a: [1, { b: 2 }], c: 'x' }, { c: 'x', a: [1, { b: 2 }] }],
    ['a nested difference', false, { a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }],
    ['arrays of other lengths', false, [1, 2], [1, 2, 3]],
    ['an array and an object', false, [], {}],
    ['a missing key equals undefined', true, { a: 1, b: undefined }, { a: 1 }],
    ['undefined equals a missing key', true, { a: 1 }, { a: 1, b: undefined }],
    ['a key only on the right', false, { a: 1 }, { a: 1, b: null }],
    ['a key only on the left', false, { a: 1, b: 0 }, { a: 1 }],
  ])('%s → %s', (_what, expected, a, b) => {
    expect(jsonEqual(a, b)).toBe(expected);
  });
});
