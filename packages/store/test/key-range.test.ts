import { describe, expect, it } from 'vitest';
import { keyRange, prefixUpperBound } from '../src/key-range.js';

describe('prefixUpperBound', () => {
  it.each([
    ['/registry/pods/', '/registry/pods0'],
    ['a', 'b'],
    ['x\ufffe', 'x\uffff'],
    ['', undefined],
    ['x\uffff', undefined],
    ['x\ud7ff', undefined],
    ['x\ud83d\ude00', undefined],
  ])('%j -> %j', (prefix, upper) => {
    expect(prefixUpperBound(prefix)).toBe(upper);
  });
});

describe('keyRange', () => {
  it('starts at the prefix, or just after a continue point inside it', () => {
    expect(keyRange('/p/')).toEqual({ lower: '/p/', exclusive: false, upper: '/p0' });
    expect(keyRange('/p/', '/p/b')).toEqual({ lower: '/p/b', exclusive: true, upper: '/p0' });
    expect(keyRange('/p/', '/a')).toEqual({ lower: '/p/', exclusive: false, upper: '/p0' });
  });
});
