import { describe, expect, it } from 'vitest';
import { applyPatch, patchMediaType, StatusError } from '../src/index.js';

const pod = () => ({
  metadata: { name: 'p', labels: { app: 'web', tier: 'fe' }, annotations: { a: '1' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }], tolerations: [{ key: 'x' }] },
});

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError');
}

describe('applyPatch', () => {
  it('dispatches merge patch: null deletes, lists are replaced', () => {
    const out = applyPatch('application/merge-patch+json', pod(), { metadata: { labels: { tier: null, x: 'y' } }, spec: { containers: [{ name: 'd' }] } }, '', 'Pod');
    expect(out.metadata.labels).toEqual({ app: 'web', x: 'y' });
    expect(out.spec.containers).toEqual([{ name: 'd' }]);
  });

  it('dispatches strategic merge patch with parameters in the content type, from raw bytes', () => {
    const body = Buffer.from(JSON.stringify({ spec: { containers: [{ name: 'd', image: 'busybox' }] } }));
    const out = applyPatch('application/strategic-merge-patch+json; charset=utf-8', pod(), body, '', 'Pod');
    expect(out.spec.containers.map((c) => c.name)).toEqual(['d', 'c']);
  });

  it('dispatches JSON patch, including the annotations replace of rollout undo', () => {
    const ops = [
      { op: 'test', path: '/metadata/name', value: 'p' },
      { op: 'replace', path: '/metadata/annotations', value: { b: '2' } },
      { op: 'add', path: '/spec/containers/-', value: { name: 'e' } },
      { op: 'remove', path: '/spec/tolerations' },
    ];
    const original = pod();
    const out = applyPatch('application/json-patch+json', original, JSON.stringify(ops), '', 'Pod');
    expect(out.metadata.annotations).toEqual({ b: '2' });
    expect(out.spec.containers.map((c) => c.name)).toEqual(['c', 'e']);
    expect('tolerations' in out.spec).toBe(false);
    expect(original.metadata.annotations).toEqual({ a: '1' });
  });

  it.each([
    ['a failed test', [{ op: 'test', path: '/metadata/name', value: 'q' }], 422],
    ['replace of a missing path', [{ op: 'replace', path: '/spec/nope', value: 1 }], 422],
    ['remove of a missing path', [{ op: 'remove', path: '/metadata/labels/none' }], 422],
    ['an unknown op', [{ op: 'explode', path: '/a' }], 422],
    ['a body that is not a list', { op: 'add' }, 400],
  ])('JSON patch: %s → %i', (_d, ops, code) => {
    const err = statusOf(() => applyPatch('application/json-patch+json', pod(), ops, '', 'Pod'));
    expect(err.code).toBe(code);
    if (code === 422) expect(err.message).toBe('the server rejected our request due to an error in our request');
  });

  it('rejects a merge patch that is not an object, and unparsable bodies', () => {
    expect(statusOf(() => applyPatch('application/merge-patch+json', pod(), [1], '', 'Pod')).message).toBe('Invalid JSON Patch');
    expect(statusOf(() => applyPatch('application/merge-patch+json', pod(), '{nope', '', 'Pod')).code).toBe(400);
  });

  it.each(['application/json', 'application/apply-patch+yaml', undefined])('answers 415 for %s', (type) => {
    const err = statusOf(() => applyPatch(type, pod(), {}, '', 'Pod'));
    expect(err.code).toBe(415);
    expect(err.reason).toBe('UnsupportedMediaType');
    expect(err.message).toContain('accepted media types include: application/json-patch+json, application/merge-patch+json');
  });

  it('normalizes media types', () => {
    expect(patchMediaType('Application/Merge-Patch+JSON ; charset=utf-8')).toBe('application/merge-patch+json');
    expect(patchMediaType(undefined)).toBe('');
  });
});
