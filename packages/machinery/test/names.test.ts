import { describe, expect, it } from 'vitest';
import { generateName } from '../src/index.js';

describe('generateName', () => {
  it('appends five characters from the Kubernetes alphabet', () => {
    const names = Array.from({ length: 200 }, () => generateName('web-'));
    for (const n of names) expect(n).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(new Set(names).size).toBeGreaterThan(190);
  });

  it('cuts a long prefix so the name stays within 63 characters', () => {
    const n = generateName('p'.repeat(80));
    expect(n.length).toBe(63);
    expect(n.startsWith('p'.repeat(58))).toBe(true);
  });
});
