import { describe, expect, it } from 'vitest';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import { isOurs, matchRoute, routingTable } from '../src/ingress/routes.js';

const svc = (name: string, port: number | string = 80) => ({ service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } });
const ingress = (name: string, spec: Ingress['spec'], annotations?: Record<string, string>): Ingress => ({ metadata: { name, namespace: 'ns', ...(annotations ? { annotations } : {}) }, spec });
const defaultClass: IngressClass = { metadata: { name: 'mini-kube', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } };

const main = ingress('main', {
  defaultBackend: svc('fallback'),
  rules: [
    { host: 'a.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('a') }] } },
    { host: '*.wild.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('wild') }] } },
    { host: 'x.wild.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('x') }] } },
    {
      http: {
        paths: [
          { path: '/b', pathType: 'Prefix', backend: svc('b', 'http') },
          { path: '/b/c', pathType: 'ImplementationSpecific', backend: svc('bc') },
          { path: '/exact', pathType: 'Exact', backend: svc('exact') },
          { path: '/exact', pathType: 'Prefix', backend: svc('exact-prefix') },
        ],
      },
    },
  ],
});

describe('ingress routing', () => {
  const table = routingTable([main], [defaultClass]);
  it.each([
    ['a.local', '/anything', 'a'],
    ['A.LOCAL:8080', '/', 'a'],
    ['y.wild.local', '/', 'wild'],
    ['x.wild.local', '/', 'x'],
    ['deep.y.wild.local', '/b', 'b'], // a wildcard covers one label only; falls to the hostless rule
    ['other', '/b', 'b'],
    ['other', '/b/', 'b'],
    ['other', '/b/d?q=1', 'b'],
    ['other', '/bc', 'fallback'], // element-wise prefix
    ['other', '/b/c/d', 'bc'], // longest prefix
    ['other', '/exact', 'exact'], // Exact beats Prefix on the same path
    ['other', '/exact/more', 'exact-prefix'],
    ['other', '/', 'fallback'],
  ])('%s%s → %s', (host, path, want) => {
    expect(matchRoute(table, host, path)?.name).toBe(want);
  });

  it('keeps the port by number or name and answers nothing without a default backend', () => {
    expect(matchRoute(table, 'other', '/b')).toEqual({ namespace: 'ns', name: 'b', port: 'http' });
    const bare = routingTable([ingress('bare', { rules: [{ host: 'a.local', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('a', 8080) }] } }] })], [defaultClass]);
    expect(matchRoute(bare, 'a.local', '/')).toEqual({ namespace: 'ns', name: 'a', port: 8080 });
    expect(matchRoute(bare, 'b.local', '/')).toBeUndefined();
  });

  it.each([
    ['no class, default class exists', {}, [defaultClass], true],
    ['no class, no default class', {}, [], false],
    ['our class', { ingressClassName: 'mini-kube' }, [], true],
    ['another class', { ingressClassName: 'nginx' }, [defaultClass], false],
    ['legacy annotation of another class', { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, [defaultClass], false],
  ] as const)('class: %s', (_, o, classes, want) => {
    const ing = ingress('i', 'ingressClassName' in o ? { ingressClassName: o.ingressClassName } : {}, 'annotations' in o ? { ...o.annotations } : undefined);
    expect(isOurs(ing, [...classes])).toBe(want);
  });
});
