import { describe, expect, it } from 'vitest';
import { canonicalQuantity, compareQuantities, formatQuantity, milliValue, parseQuantity, quantityFromNumber, QuantityError, scaledValue } from '../src/index.js';

describe('quantities', () => {
  it.each([
    // [input, number, canonical form]
    ['100m', 0.1, '100m'],
    ['1', 1, '1'],
    ['1000m', 1, '1'],
    ['0.5', 0.5, '500m'],
    ['1.5', 1.5, '1500m'],
    ['.5', 0.5, '500m'],
    ['2e3', 2000, '2e3'],
    ['1.5e3', 1500, '1500'],
    ['1E3', 1000, '1e3'],
    ['1k', 1000, '1k'],
    ['1500k', 1.5e6, '1500k'],
    ['1G', 1e9, '1G'],
    ['128974848', 128974848, '128974848'],
    ['1Ki', 1024, '1Ki'],
    ['1Gi', 2 ** 30, '1Gi'],
    ['0.5Gi', 2 ** 29, '512Mi'],
    ['1536Mi', 1536 * 2 ** 20, '1536Mi'],
    ['1024Mi', 2 ** 30, '1Gi'],
    ['0.5Ki', 512, '512'],
    ['1.5Ki', 1536, '1536'],
    ['-1Mi', -(2 ** 20), '-1Mi'],
    ['+2', 2, '2'],
    ['0', 0, '0'],
    ['0Mi', 0, '0'],
    ['1n', 1e-9, '1n'],
    ['0.1n', 1e-9, '1n'],
    ['1.0000000001', 1.000000001, '1000000001n'],
  ])('%s → %d, %s', (input, n, canonical) => {
    expect(parseQuantity(input)).toBeCloseTo(n, 12);
    expect(canonicalQuantity(input)).toBe(canonical);
  });

  it.each([
    ['', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['abc', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['1K', "unable to parse quantity's suffix"],
    ['1mi', "unable to parse quantity's suffix"],
    ['1 Gi', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
  ])('rejects %j', (input, message) => {
    expect(() => parseQuantity(input)).toThrow(QuantityError);
    expect(() => parseQuantity(input)).toThrow(message);
  });

  it('computes milli and scaled values rounding up, and compares exactly', () => {
    expect(milliValue('100m')).toBe(100);
    expect(milliValue('1.5')).toBe(1500);
    expect(milliValue('0.1m')).toBe(1);
    expect(scaledValue('1.2Ki', 0)).toBe(1229n);
    expect(compareQuantities('1Gi', '1073741824')).toBe(0);
    expect(compareQuantities('999m', '1')).toBe(-1);
    expect(compareQuantities('1.1', '1')).toBe(1);
  });

  it('builds quantities from numbers', () => {
    expect(formatQuantity(quantityFromNumber(0.25))).toBe('250m');
    expect(formatQuantity(quantityFromNumber(2 ** 30, 'BinarySI'))).toBe('1Gi');
    expect(formatQuantity(quantityFromNumber(3000))).toBe('3k');
    expect(formatQuantity(quantityFromNumber(1e21))).toBe('1e21');
  });
});
