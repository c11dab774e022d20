// `api-resources` and `api-versions`, from discovery (always refreshed, as kubectl does).
import type { Ctx } from '../context.js';
import { groupVersion, type ApiResource } from '../discovery.js';
import { tabulate } from '../printers/tabwriter.js';

interface Options {
  verb: string;
  output?: string;
  namespaced?: string;
  apiGroup?: string;
  headers?: boolean;
  verbs?: string;
  sortBy?: string;
}

export async function run(ctx: Ctx, _args: string[], opts: Options): Promise<number> {
  const all = await ctx.discovery.resources(true);
  if (opts.verb === 'api-versions') {
    const versions = [...new Set(all.map(groupVersion))].sort();
    ctx.out(versions.map((v) => `${v}\n`).join(''));
    return 0;
  }
  const wanted = (opts.verbs ?? '').split(',').filter(Boolean);
  const list = all
    .filter((r) => opts.namespaced === undefined || String(r.namespaced) === opts.namespaced)
    .filter((r) => opts.apiGroup === undefined || r.group === opts.apiGroup)
    .filter((r) => wanted.every((v) => r.verbs.includes(v)))
    .sort((a, b) => compareBy(a, b, opts.sortBy));
  if (opts.output === 'name') {
    ctx.out(list.map((r) => `${r.group ? `${r.resource}.${r.group}` : r.resource}\n`).join(''));
    return 0;
  }
  const wide = opts.output === 'wide';
  const lines = opts.headers === false ? [] : [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])].join('\t')];
  for (const r of list) {
    const cells = [r.resource, r.shortNames.join(','), groupVersion(r), String(r.namespaced), r.kind];
    if (wide) cells.push(`[${r.verbs.join(' ')}]`, r.categories.join(','));
    lines.push(cells.join('\t'));
  }
  ctx.out(tabulate(lines));
  return 0;
}

function compareBy(a: ApiResource, b: ApiResource, sortBy?: string): number {
  const [x, y] = sortBy === 'name' ? [a.resource, b.resource] : sortBy === 'kind' ? [a.kind, b.kind] : [a.group, b.group];
  if (x !== y) return x < y ? -1 : 1;
  return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
}
