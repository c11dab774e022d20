// Timestamps are written at second precision; the text of the last second is reused.
import { describe, expect, it } from 'vitest';
import { rfc3339 } from '../src/registry/prepare.js';

describe('rfc3339', () => {
  it.each([
    ['2025-01-02T03:04:05.000Z', '2025-01-02T03:04:05Z'],
    ['2025-01-02T03:04:05.999Z', '2025-01-02T03:04:05Z'],
    ['2025-01-02T03:04:06.001Z', '2025-01-02T03:04:06Z'],
    ['2025-01-02T03:04:05.500Z', '2025-01-02T03:04:05Z'],
    ['1969-12-31T23:59:59.500Z', '1969-12-31T23:59:59Z'],
    ['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00Z'],
  ])('%s → %s, in any order', (iso, text) => {
    expect(rfc3339(new Date(iso))).toBe(text);
    expect(rfc3339(new Date(iso))).toBe(text);
  });

  it('throws for an invalid date, as toISOString does', () => {
    expect(() => rfc3339(new Date(NaN))).toThrow(RangeError);
  });
});
