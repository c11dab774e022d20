import { describe, expect, it } from 'vitest';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { computeHash, equalIgnoreHash } from '../src/deployment/hash.js';

const base: PodTemplateSpec = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }] }], restartPolicy: 'Always' },
};

describe('equalIgnoreHash', () => {
  it.each<[string, PodTemplateSpec, boolean]>([
    ['the same template', structuredClone(base), true],
    ['keys in another order', { spec: { restartPolicy: 'Always', containers: base.spec!.containers }, metadata: { labels: { app: 'web' } } }, true],
    ['the hash label added', { ...base, metadata: { labels: { app: 'web', 'pod-template-hash': '7c5ddbdf54' } } }, true],
    // kubectl rollout undo sends creationTimestamp: null; Go's semantic equality ignores it.
    ['a null creationTimestamp and empty annotations', { ...base, metadata: { labels: { app: 'web' }, creationTimestamp: null as never, annotations: {} } }, true],
    ['another image', { ...base, spec: { containers: [{ ...base.spec!.containers[0]!, image: 'nginx:1.27' }] } }, false],
    ['another label', { ...base, metadata: { labels: { app: 'web', tier: 'front' } } }, false],
    ['a restart annotation', { ...base, metadata: { ...base.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': 'x' } } }, false],
    ['empty lists and maps where there were none', { ...base, spec: { ...base.spec!, volumes: [], nodeSelector: {}, securityContext: { seLinuxOptions: {} } } }, true],
    ['an empty label value', { ...base, metadata: { labels: { app: 'web', tier: '' } } }, false],
    ['a label named like an inherited property', { ...base, metadata: { labels: { app: 'web', constructor: 'x' } } }, false],
    ['a null member named like an inherited property', { ...base, metadata: { labels: { app: 'web' }, annotations: { constructor: null as never } } }, true],
    ['a list with one more item', { ...base, spec: { ...base.spec!, containers: [...base.spec!.containers, { name: 'side', image: 'busybox' }] } }, false],
    ['a number for a string', { ...base, spec: { ...base.spec!, containers: [{ ...base.spec!.containers[0]!, ports: [{ containerPort: '80' as never, protocol: 'TCP' }] }] } }, false],
  ])('%s → %s', (_name, other, equal) => {
    expect(equalIgnoreHash(base, other)).toBe(equal);
    expect(equalIgnoreHash(other, base)).toBe(equal);
  });
});

describe('computeHash', () => {
  it('is stable, short and drawn from the safe alphabet', () => {
    const h = computeHash(base);
    expect(h).toBe(computeHash(structuredClone(base)));
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });

  it('ignores the hash label but not the template or the collision count', () => {
    const labelled = { ...base, metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } };
    expect(computeHash(labelled)).toBe(computeHash(base));
    const other = { ...base, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
    expect(computeHash(other)).not.toBe(computeHash(base));
    expect(computeHash(base, 1)).not.toBe(computeHash(base));
    expect(computeHash(base, 1)).not.toBe(computeHash(base, 2));
  });
});
