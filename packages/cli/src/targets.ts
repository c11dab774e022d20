// Turns verb arguments into resources and names as kubectl's resource builder does:
// `pods`, `pods,svc`, `pod a b`, `pod/a deploy/b`, `all`.
import { CliError } from './errors.js';
import type { Ctx } from './context.js';
import { resourcePath, type ApiResource } from './discovery.js';

export interface Target {
  resource: ApiResource;
  names: string[]; // empty: every object (list)
}

/** Whether more than one type was named (then names print as `kind.group/name`). */
export function multipleTypes(args: string[]): boolean {
  if (args.length === 1 && args[0] === 'all') return true;
  const types = new Set<string>();
  if (args[0]?.includes('/')) for (const a of args) types.add(a.split('/')[0]!);
  else for (const t of (args[0] ?? '').split(',')) if (t) types.add(t);
  return types.size > 1 || (types.size === 1 && [...types][0] === 'all');
}

export async function resolveTargets(ctx: Ctx, args: string[]): Promise<Target[]> {
  if (args.length === 0) throw new CliError('You must provide one or more resources by argument or filename.');
  if (args[0]!.includes('/')) {
    const targets: Target[] = [];
    for (const arg of args) {
      const [type, name] = arg.split('/', 2) as [string, string];
      if (!name) throw new CliError(`arguments in resource/name form must have a single resource and name`);
      const resource = await ctx.discovery.resolve(type);
      const last = targets[targets.length - 1];
      if (last && last.resource === resource) last.names.push(name);
      else targets.push({ resource, names: [name] });
    }
    return targets;
  }
  const [types, ...names] = args as [string, ...string[]];
  if (names.some((n) => n.includes('/'))) throw new CliError('there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. \'mini-kubectl get resource/<resource_name>\' instead of \'mini-kubectl get resource resource/<resource_name>\')');
  const resources: ApiResource[] = [];
  for (const type of types.split(',').filter(Boolean)) {
    if (type === 'all') resources.push(...(await everyNamespacedKind(ctx)));
    else resources.push(await ctx.discovery.resolve(type));
  }
  return resources.map((resource) => ({ resource, names: [...names] }));
}

/** `get all`: every listable namespaced kind the server serves, except events (beyond kubectl's `all` category). */
async function everyNamespacedKind(ctx: Ctx): Promise<ApiResource[]> {
  const list = await ctx.discovery.resources();
  return list.filter((r) => r.namespaced && r.verbs.includes('list') && r.resource !== 'events');
}

/** The namespace part of a request path: none for cluster-scoped kinds or -A lists. */
export function namespaceFor(ctx: Ctx, r: ApiResource, allNamespaces?: boolean): string | undefined {
  if (!r.namespaced || allNamespaces) return undefined;
  return ctx.namespace;
}

export function pathFor(ctx: Ctx, r: ApiResource, name?: string, allNamespaces?: boolean, sub?: string): string {
  return resourcePath(r, namespaceFor(ctx, r, allNamespaces), name, sub);
}

/** Lists objects (plain JSON), following `continue`; items get their kind and apiVersion. */
export async function listObjects(ctx: Ctx, r: ApiResource, q: { allNamespaces?: boolean; labelSelector?: string; fieldSelector?: string; namespace?: string }): Promise<{ items: any[]; resourceVersion: string }> {
  const items: any[] = [];
  let cont: string | undefined;
  let resourceVersion = '';
  const path = q.namespace !== undefined && r.namespaced ? resourcePath(r, q.namespace) : pathFor(ctx, r, undefined, q.allNamespaces);
  do {
    const list = await ctx.http.json('GET', path, { query: { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit: 500, continue: cont }, resource: r.resource });
    for (const item of list.items ?? []) items.push({ apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, ...item });
    cont = list.metadata?.continue || undefined;
    resourceVersion = list.metadata?.resourceVersion ?? '';
  } while (cont);
  return { items, resourceVersion };
}

export async function getObject(ctx: Ctx, r: ApiResource, name: string, namespace?: string): Promise<any> {
  const path = resourcePath(r, r.namespaced ? (namespace ?? ctx.namespace) : undefined, name);
  return ctx.http.json('GET', path, { resource: r.resource, name });
}
