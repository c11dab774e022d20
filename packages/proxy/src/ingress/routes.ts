// Pure: the routing table of the Ingress listener, from the Ingresses of our class, and the lookup
// of a request's backend in it. Matching follows Kubernetes: hosts exact, or a wildcard
// `*.example.com` covering exactly one more label; paths Exact or Prefix (element-wise:
// `/foo` matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar`; ImplementationSpecific = Prefix).
// An exact host beats a wildcard, which beats a rule without host; the longest path wins, and
// Exact beats Prefix on equal paths. Nothing matching: the default backend, else none (404).
import type { Ingress, IngressBackend, IngressClass } from 'kubernetes-types/networking/v1';

export const INGRESS_CLASS = 'mini-kube';
export const CONTROLLER_NAME = 'mini-kube.io/ingress';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** A Service port an Ingress routes to. */
export interface ServiceRef {
  namespace: string;
  name: string;
  /** Service port number or name. */
  port: number | string;
}

export interface Route {
  /** `''` for any host. */
  host: string;
  path: string;
  exact: boolean;
  backend: ServiceRef;
}

export interface RoutingTable {
  routes: Route[];
  defaultBackend?: ServiceRef;
}

/** Whether an Ingress belongs to our class (explicitly, by the legacy annotation, or by default). */
export function isOurs(ing: Ingress, classes: IngressClass[]): boolean {
  const named = ing.spec?.ingressClassName ?? ing.metadata?.annotations?.[LEGACY_CLASS_ANNOTATION];
  if (named !== undefined) return named === INGRESS_CLASS;
  const ours = classes.find((c) => c.metadata?.name === INGRESS_CLASS);
  return ours?.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
}

function serviceRef(namespace: string, b: IngressBackend | undefined): ServiceRef | undefined {
  const svc = b?.service;
  const port = svc?.port?.number ?? svc?.port?.name;
  if (!svc?.name || port === undefined) return undefined; // resource backends are not supported
  return { namespace, name: svc.name, port };
}

const ingressKey = (i: Ingress): string => `${i.metadata?.namespace}/${i.metadata?.name}`;

/** The table of our Ingresses; the oldest-named Ingress wins ties and gives the default backend. */
export function routingTable(ingresses: Ingress[], classes: IngressClass[]): RoutingTable {
  const ours = ingresses.filter((i) => isOurs(i, classes)).sort((a, b) => ingressKey(a).localeCompare(ingressKey(b)));
  const routes: Route[] = [];
  let defaultBackend: ServiceRef | undefined;
  for (const ing of ours) {
    const ns = ing.metadata?.namespace ?? 'default';
    defaultBackend ??= serviceRef(ns, ing.spec?.defaultBackend);
    for (const rule of ing.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const backend = serviceRef(ns, p.backend);
        if (!backend) continue;
        routes.push({ host: (rule.host ?? '').toLowerCase(), path: p.path || '/', exact: p.pathType === 'Exact', backend });
      }
    }
  }
  return defaultBackend ? { routes, defaultBackend } : { routes };
}

/** 2 for an exact host, 1 for a matching wildcard, 0 for a rule without host, -1 for no match. */
function hostScore(ruleHost: string, host: string): number {
  if (ruleHost === '') return 0;
  if (ruleHost === host) return 2;
  if (ruleHost.startsWith('*.')) {
    const dot = host.indexOf('.');
    if (dot > 0 && host.slice(dot + 1) === ruleHost.slice(2)) return 1;
  }
  return -1;
}

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

function pathMatches(route: Route, path: string): boolean {
  if (route.exact) return route.path === path;
  const prefix = segments(route.path);
  const request = segments(path);
  return prefix.length <= request.length && prefix.every((s, i) => s === request[i]);
}

/** The backend of a request (`host` may carry a port, `path` a query), or undefined for a 404. */
export function matchRoute(table: RoutingTable, host: string, path: string): ServiceRef | undefined {
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  const pathname = path.split('?')[0] || '/';
  let best: { route: Route; score: [number, number, number] } | undefined;
  for (const route of table.routes) {
    const h = hostScore(route.host, hostname);
    if (h < 0 || !pathMatches(route, pathname)) continue;
    const score: [number, number, number] = [h, route.path.length, route.exact ? 1 : 0];
    if (!best || greater(score, best.score)) best = { route, score };
  }
  return best?.route.backend ?? table.defaultBackend;
}

function greater(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
}
