import { describe, expect, it } from 'vitest';
import { formatTime } from '../src/time.js';

describe('formatTime', () => {
  it('writes metav1.Time: UTC, whole seconds, the second the instant falls in', () => {
    const at = Date.UTC(2026, 10, 23, 6, 10, 5);
    expect(formatTime(at)).toBe('2026-11-23T06:10:05Z');
    expect(formatTime(at + 999)).toBe('2026-11-23T06:10:05Z');
    expect(formatTime(at + 1000)).toBe('2026-11-23T06:10:06Z');
    expect(formatTime(at - 1)).toBe('2026-11-23T06:10:04Z');
    expect(formatTime(0)).toBe('1970-01-01T00:00:00Z');
  });
});
