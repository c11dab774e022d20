// SortedKeys must hold exactly the keys of a plain sorted array under any mix of inserts and
// removals, across chunk splits and chunks emptied, and list them from any point.
import { describe, expect, it } from 'vitest';
import { SortedKeys } from '../src/sorted-keys.js';
import { compareKeys } from '../src/value-cache.js';

/** A deterministic pseudo-random sequence (so a failure can be replayed). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function expectSame(keys: SortedKeys, reference: string[], from: string): void {
  expect([...keys.from(from)]).toEqual(reference.filter((k) => compareKeys(k, from) >= 0));
}

describe('SortedKeys', () => {
  it('is empty at first', () => {
    const keys = new SortedKeys(compareKeys);
    expect([...keys.from('')]).toEqual([]);
  });

  it.each([
    ['ascending inserts', (i: number) => `/k/${String(i).padStart(6, '0')}`],
    ['descending inserts', (i: number) => `/k/${String(99_999 - i).padStart(6, '0')}`],
    ['scattered inserts', (i: number) => `/k/${(i * 7919) % 5003}/${i}`],
  ])('matches a sorted array: %s, then removals', (_name, keyOf) => {
    const keys = new SortedKeys(compareKeys);
    const reference: string[] = [];
    for (let i = 0; i < 5000; i++) {
      keys.insert(keyOf(i));
      reference.push(keyOf(i));
    }
    reference.sort(compareKeys);
    expect([...keys.from('')]).toHaveLength(5000);
    for (const from of ['', '/k/', reference[0]!, reference[1234]!, `${reference[1234]!}\0`, reference[4999]!, '/l']) expectSame(keys, reference, from);
    const next = random(7);
    while (reference.length > 0) {
      const [removed] = reference.splice(Math.floor(next() * reference.length), 1);
      keys.remove(removed!);
      if (reference.length % 997 === 0) expectSame(keys, reference, reference[Math.floor(reference.length / 2)] ?? '');
    }
    expect([...keys.from('')]).toEqual([]);
  });

  it('matches a sorted array under mixed inserts and removals', () => {
    const keys = new SortedKeys(compareKeys);
    const present = new Set<string>();
    const next = random(42);
    for (let step = 0; step < 20_000; step++) {
      const key = `/r/${Math.floor(next() * 3000)}`;
      if (present.has(key)) {
        keys.remove(key);
        present.delete(key);
      } else {
        keys.insert(key);
        present.add(key);
      }
    }
    expectSame(keys, [...present].sort(compareKeys), '');
    expectSame(keys, [...present].sort(compareKeys), '/r/2');
  });
});
