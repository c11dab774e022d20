import { describe, expect, it } from 'vitest';
import { selectorFromSet } from '@mini-kube/machinery';
import type { KObject } from '@mini-kube/api';
import { Cache, FakeClock, objectKey, splitKey } from '../src/index.js';

describe('keys', () => {
  it.each([
    [{ metadata: { namespace: 'ns', name: 'a' } }, 'ns/a', { namespace: 'ns', name: 'a' }],
    [{ metadata: { name: 'node-1' } }, 'node-1', { name: 'node-1' }],
  ])('%j ↔ %s', (obj, key, parts) => {
    expect(objectKey(obj)).toBe(key);
    expect(splitKey(key)).toEqual(parts);
  });
});

describe('FakeClock', () => {
  it('fires due timers in time order, including ones armed by a firing timer, and cancels', async () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@30'), 30);
    clock.setTimeout(() => {
      fired.push('a@10');
      clock.setTimeout(() => fired.push('c@20'), 10);
    }, 10);
    clock.setTimeout(() => fired.push('never'), 50).cancel();
    await clock.advance(40);
    expect(fired).toEqual(['a@10', 'c@20', 'b@30']);
    expect(clock.now()).toBe(1040);
  });

  it('sleep resolves when time passes or early on abort', async () => {
    const clock = new FakeClock();
    let woke = false;
    const sleeping = clock.sleep(100).then(() => (woke = true));
    await clock.advance(99);
    expect(woke).toBe(false);
    await clock.advance(1);
    await sleeping;
    expect(woke).toBe(true);
    const abort = new AbortController();
    const aborted = clock.sleep(1000, abort.signal);
    abort.abort();
    await aborted;
    expect(clock.pendingTimers).toBe(0);
  });
});

const pod = (ns: string, name: string, labels: Record<string, string> = {}, node = ''): KObject => ({
  metadata: { namespace: ns, name, labels },
  spec: { nodeName: node },
});

describe('Cache', () => {
  it('lists by namespace and selector, and keeps custom indexes current on update and remove', () => {
    const cache = new Cache<KObject>();
    cache.addIndex('node', (o) => [(o.spec as { nodeName: string }).nodeName]);
    cache.upsert(pod('a', 'p1', { app: 'web' }, 'n1'));
    cache.upsert(pod('a', 'p2', { app: 'db' }, 'n1'));
    cache.upsert(pod('b', 'p1', { app: 'web' }, 'n2'));
    expect(cache.list('a').map(objectKey).sort()).toEqual(['a/p1', 'a/p2']);
    expect(cache.list(undefined, selectorFromSet({ app: 'web' })).map(objectKey).sort()).toEqual(['a/p1', 'b/p1']);
    expect(cache.list('c')).toEqual([]);
    expect(cache.get('b', 'p1')?.metadata.namespace).toBe('b');
    expect(cache.byIndex('node', 'n1').map(objectKey).sort()).toEqual(['a/p1', 'a/p2']);
    const updated = pod('a', 'p1', { app: 'web', v: '2' }, 'n1');
    cache.upsert(updated);
    expect(cache.byIndex('node', 'n1').find((o) => objectKey(o) === 'a/p1')).toBe(updated); // the current object, not the one indexed first
    cache.upsert(pod('a', 'p2', {}, 'n2'));
    expect(cache.byIndex('node', 'n1').map(objectKey)).toEqual(['a/p1']);
    expect(cache.byIndex('node', 'n2').map(objectKey).sort()).toEqual(['a/p2', 'b/p1']);
    cache.remove('b/p1');
    expect(cache.byIndex('node', 'n2').map(objectKey)).toEqual(['a/p2']);
    expect(cache.list('b')).toEqual([]);
    cache.addIndex('app', (o) => Object.values(o.metadata.labels ?? {}));
    expect(cache.byIndex('app', 'web').map(objectKey)).toEqual(['a/p1']);
    // An update that drops one index value, keeps another and adds a third.
    const relabelled = pod('a', 'p1', { app: 'api', v: '2' }, 'n1');
    cache.upsert(relabelled);
    expect(cache.byIndex('app', 'web')).toEqual([]);
    expect(cache.byIndex('app', 'api')).toEqual([relabelled]);
    expect(cache.byIndex('app', '2')).toEqual([relabelled]);
    expect(() => cache.byIndex('missing', 'x')).toThrow(/does not exist/);
  });

  it('lists one namespace among 20,000 objects without looking at the others', () => {
    const cache = new Cache<KObject>();
    for (let i = 0; i < 20_000; i++) cache.upsert(pod(`ns-${i % 100}`, `p-${i}`, { i: String(Math.floor(i / 100) % 2) }));
    const half = selectorFromSet({ i: '0' });
    let looked = 0;
    const counting = { ...half, empty: () => false, matches: (l: Record<string, string> | undefined) => (looked++, half.matches(l)) };
    expect(cache.list('ns-7', counting)).toHaveLength(100);
    expect(looked).toBe(200);
  });
});
