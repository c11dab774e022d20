import { describe, expect, it } from 'vitest';
import { isPercent, scaledValueFromIntOrPercent, validatePercent } from '../src/index.js';

describe('scaledValueFromIntOrPercent', () => {
  it.each([
    [3, 10, true, 3],
    [3, 10, false, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['25%', 4, true, 1],
    ['0%', 10, true, 0],
    ['100%', 7, false, 7],
    ['33%', 3, true, 1],
    ['33%', 3, false, 0],
  ] as const)('%j of %i (round up %s) → %i', (value, total, up, want) => {
    expect(scaledValueFromIntOrPercent(value, total, up)).toBe(want);
  });

  it.each([
    ['5', 'invalid value for IntOrString: invalid type: string is not a percentage'],
    ['x%', 'invalid value for IntOrString: invalid value "x%"'],
    [undefined, 'nil value for IntOrString'],
  ])('rejects %j', (value, message) => {
    expect(() => scaledValueFromIntOrPercent(value, 10, true)).toThrow(message);
  });

  it('recognizes and validates percent strings', () => {
    expect(isPercent('10%')).toBe(true);
    expect(isPercent('10')).toBe(false);
    expect(isPercent(10)).toBe(false);
    expect(validatePercent('10%')).toEqual([]);
    expect(validatePercent('1.5%')[0]).toContain("a valid percent string must be a numeric string followed by an ending '%'");
  });
});
