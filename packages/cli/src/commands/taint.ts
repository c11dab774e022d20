// `taint nodes NAME k=v:Effect k2- ...`: a strategic merge patch of spec.taints per node.
import type { Ctx } from '../context.js';
import { resourcePath } from '../discovery.js';
import { CliError } from '../errors.js';
import { applyTaints, parseTaints } from '../nodes/taints.js';
import { listObjects } from '../targets.js';

export async function run(ctx: Ctx, args: string[], opts: { overwrite?: boolean; selector?: string; all?: boolean }): Promise<number> {
  const [type, ...rest] = args;
  if (!type) throw new CliError('at least one taint update is required');
  const r = await ctx.discovery.resolve(type.split('/')[0]!);
  if (r.kind !== 'Node') throw new CliError(`invalid resource type ${type}, only node types are supported`);
  const names = type.includes('/') ? [type.split('/')[1]!] : [];
  const specs: string[] = [];
  for (const a of rest) (a.includes(':') || a.endsWith('-') ? specs : names).push(a);
  if (specs.length === 0) throw new CliError('at least one taint update is required');
  const changes = parseTaints(specs);
  const nodes = names.length
    ? await Promise.all(names.map((name) => ctx.http.json('GET', resourcePath(r, undefined, name), { resource: 'nodes', name })))
    : (opts.selector || opts.all) ? (await listObjects(ctx, r, { labelSelector: opts.selector })).items : [];
  if (nodes.length === 0) throw new CliError('resource(s) were provided, but no name was specified');
  for (const node of nodes) {
    const name = node.metadata.name;
    const { taints } = applyTaints(name, node.spec?.taints ?? [], changes, !!opts.overwrite);
    await ctx.http.json('PATCH', resourcePath(r, undefined, name), { query: { fieldManager: 'kubectl-taint' }, body: { spec: { taints } }, contentType: 'application/merge-patch+json', resource: 'nodes', name });
    ctx.out(`node/${name} ${!changes.remove.length ? 'tainted' : !changes.add.length ? 'untainted' : 'modified'}\n`);
  }
  return 0;
}
