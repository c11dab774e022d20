// Request paths are parsed once and shared; paths that name nothing keep failing.
import { describe, expect, it } from 'vitest';
import { StatusError } from '@mini-kube/machinery';
import { parseRequestPath } from '../src/http/request-info.js';

describe('parseRequestPath', () => {
  it.each([
    ['/api/v1/namespaces/default/pods', { plural: 'pods', namespace: 'default', name: undefined, subresource: undefined }],
    ['/api/v1/namespaces/default/pods/web-1/status', { plural: 'pods', namespace: 'default', name: 'web-1', subresource: 'status' }],
    ['/apis/apps/v1/deployments', { plural: 'deployments', namespace: undefined, name: undefined, subresource: undefined }],
    ['/api/v1/namespaces/kube-system/status', { plural: 'namespaces', namespace: undefined, name: 'kube-system', subresource: 'status' }],
  ])('%s', (path, expected) => {
    const info = parseRequestPath(path);
    if (info.discovery) throw new Error('not a resource path');
    expect({ plural: info.resource.plural, namespace: info.namespace, name: info.name, subresource: info.subresource }).toEqual(expected);
    expect(parseRequestPath(path)).toBe(info);
    expect(Object.isFrozen(info)).toBe(true);
  });

  it('decodes percent-escaped segments, and only those', () => {
    const info = parseRequestPath('/api/v1/namespaces/default/configmaps/a%2Eb%25c');
    if (info.discovery) throw new Error('not a resource path');
    expect({ namespace: info.namespace, name: info.name }).toEqual({ namespace: 'default', name: 'a.b%c' });
    const plain = parseRequestPath('/api/v1/namespaces/default/configmaps/a+b');
    expect(plain.discovery ? undefined : plain.name).toBe('a+b');
  });

  it('answers discovery paths', () => {
    expect(parseRequestPath('/apis/apps/v1')).toEqual({ discovery: { group: 'apps', version: 'v1' } });
  });

  it.each(['/api/v1/nothings', '/api/v1/namespaces/default/nodes/n1', '/api/v1/pods/p/unknown/more', '/metrics'])('%s is not found, every time', (path) => {
    for (let i = 0; i < 2; i++) expect(() => parseRequestPath(path)).toThrow(StatusError);
  });
});
