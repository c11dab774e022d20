import { describe, expect, it } from 'vitest';
import { findResource } from '@mini-kube/api';
import { queryString, resourcePath } from '../src/paths.js';

const pods = findResource('', 'v1', 'pods')!;
const deployments = findResource('apps', 'v1', 'deployments')!;
const nodes = findResource('', 'v1', 'nodes')!;

describe('resourcePath', () => {
  it('lays out core, grouped, namespaced and cluster-scoped paths', () => {
    expect(resourcePath(pods, { namespace: 'ns1', name: 'p' })).toBe('/api/v1/namespaces/ns1/pods/p');
    expect(resourcePath(pods)).toBe('/api/v1/pods');
    expect(resourcePath(deployments, { namespace: 'd', name: 'web', subresource: 'scale' })).toBe(
      '/apis/apps/v1/namespaces/d/deployments/web/scale',
    );
    expect(resourcePath(nodes, { namespace: 'ignored', name: 'n1', subresource: 'status' })).toBe('/api/v1/nodes/n1/status');
  });

  it('escapes names and refuses an empty one', () => {
    expect(resourcePath(nodes, { name: 'a b/c' })).toBe('/api/v1/nodes/a%20b%2Fc');
    expect(() => resourcePath(nodes, { name: '' })).toThrow(/empty/);
  });
});

describe('queryString', () => {
  it('skips empty values and encodes selectors', () => {
    expect(queryString({ labelSelector: 'app=web,tier', limit: 5, continue: undefined, fieldSelector: '' })).toBe(
      '?labelSelector=app%3Dweb%2Ctier&limit=5',
    );
    expect(queryString({ a: undefined })).toBe('');
  });
});
