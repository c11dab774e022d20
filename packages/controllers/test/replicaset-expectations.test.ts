import { describe, expect, it } from 'vitest';
import { FakeClock } from '@mini-kube/runtime';
import { EXPECTATIONS_TTL_MS, Expectations } from '../src/replicaset/expectations.js';

describe('Expectations', () => {
  it('is satisfied for an unknown controller and once every creation was seen', () => {
    const e = new Expectations(new FakeClock());
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('counts a deletion once per pod, and only pods it waits for', () => {
    const e = new Expectations(new FakeClock());
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a'); // terminating
    e.deletionObserved('ns/rs', 'ns/a'); // then gone: not counted twice
    e.deletionObserved('ns/rs', 'ns/zzz');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.deletionObserved('ns/rs', 'ns/b');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('expires expectations that are never met', async () => {
    const clock = new FakeClock();
    const e = new Expectations(clock);
    e.expectCreations('ns/rs', 1);
    await clock.advance(EXPECTATIONS_TTL_MS);
    expect(e.satisfied('ns/rs')).toBe(false);
    await clock.advance(1);
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('forgets a deleted controller', () => {
    const e = new Expectations(new FakeClock());
    e.expectCreations('ns/rs', 3);
    e.delete('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });
});
