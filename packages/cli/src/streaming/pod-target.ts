// The pod a streaming verb (exec) works on: `NAME` or `pod/NAME`, or the first pod of a workload
// (`deploy/web`, `svc/web`...) chosen as kubectl's AttachablePodForObject does: running and ready
// pods first, then the oldest.
import type { Ctx } from '../context.js';
import { selectorString } from '../describe/format.js';
import { resourcePath } from '../discovery.js';
import { CliError, isNotFound } from '../errors.js';
import { resolveTargets } from '../targets.js';

const podPath = (ctx: Ctx, name: string): string => `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods/${encodeURIComponent(name)}`;

/** Most attachable first: scheduled, Running, ready, then older. */
export function byAttachable(a: any, b: any): number {
  const rank = (p: any): number[] => [p.spec?.nodeName ? 0 : 1, { Running: 0, Unknown: 1, Pending: 2 }[p.status?.phase as string] ?? 3, (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? 0 : 1];
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? '');
}

/** The selector string of a workload or Service: `spec.selector` as a LabelSelector or a plain map. */
function podSelector(obj: any): string {
  const sel = obj.spec?.selector;
  if (sel?.matchLabels || sel?.matchExpressions) return selectorString(sel);
  return Object.entries(sel ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Like kubectl, a missing object in a missing namespace is reported as the missing namespace. */
export async function resolvePod(ctx: Ctx, arg: string): Promise<any> {
  try {
    return await findPod(ctx, arg);
  } catch (err) {
    if (isNotFound(err)) await ctx.http.json('GET', `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}`, { resource: 'namespaces', name: ctx.namespace });
    throw err;
  }
}

async function findPod(ctx: Ctx, arg: string): Promise<any> {
  if (!arg.includes('/')) return ctx.http.json('GET', podPath(ctx, arg), { resource: 'pods', name: arg });
  const [target] = await resolveTargets(ctx, [arg]);
  const r = target!.resource;
  const name = target!.names[0]!;
  if (r.kind === 'Pod') return ctx.http.json('GET', podPath(ctx, name), { resource: 'pods', name });
  const obj = await ctx.http.json('GET', resourcePath(r, r.namespaced ? ctx.namespace : undefined, name), { resource: r.group ? `${r.resource}.${r.group}` : r.resource, name });
  const selector = podSelector(obj);
  if (!selector) throw new CliError(`cannot attach to ${r.kind.toLowerCase()}/${name}: it selects no pods`);
  const list = await ctx.http.json('GET', `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods`, { query: { labelSelector: selector } });
  const pods = [...(list.items ?? [])].sort(byAttachable);
  if (pods.length === 0) throw new CliError('timed out waiting for the condition');
  return pods[0];
}
