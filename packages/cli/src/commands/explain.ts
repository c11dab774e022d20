// `explain TYPE[.field.path]`: the schema of a kind (or one of its fields) from /openapi/v3.
import type { Ctx } from '../context.js';
import { groupVersion } from '../discovery.js';
import { CliError, PlainError } from '../errors.js';
import { render, walk, type Schema, type Schemas } from '../explain/render.js';

export async function run(ctx: Ctx, args: string[], opts: { apiVersion?: string }): Promise<number> {
  const [spec] = args;
  if (!spec) throw new CliError('You must specify the type of resource to explain. Use "mini-kubectl api-resources" for a complete list of supported resources.');
  const [type, ...path] = spec.split('.');
  let r = await ctx.discovery.resolve(type!).catch((err: Error) => {
    throw new PlainError(err.message);
  });
  if (opts.apiVersion) {
    const wanted = (await ctx.discovery.resources()).find((x) => x.resource === r.resource && groupVersion(x) === opts.apiVersion);
    if (!wanted) throw new CliError(`couldn't find resource for "${opts.apiVersion}, Resource=${r.resource}"`);
    r = wanted;
  }
  const index = await ctx.http.json('GET', '/openapi/v3');
  const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
  const url: string | undefined = index.paths?.[key]?.serverRelativeURL;
  if (!url) throw new CliError(`couldn't find resource for "${groupVersion(r)}, Kind=${r.kind}"`);
  const doc = await ctx.http.json('GET', url);
  const schemas: Schemas = doc.components?.schemas ?? {};
  const root = Object.values(schemas).find((s: Schema) => (s['x-kubernetes-group-version-kind'] ?? []).some((g: any) => g.group === r.group && g.version === r.version && g.kind === r.kind));
  if (!root) throw new CliError(`couldn't find resource for "${groupVersion(r)}, Kind=${r.kind}"`);
  const walked = walk(schemas, root, path);
  if (typeof walked === 'string') {
    ctx.out(`${r.group ? `GROUP:      ${r.group}\n` : ''}KIND:       ${r.kind}\nVERSION:    ${r.version}\n\n`); // kubectl prints the header first
    throw new CliError(`field "${walked}" does not exist`);
  }
  ctx.out(render(schemas, { group: r.group, kind: r.kind, version: r.version, ...walked, target: walked.target ?? root }));
  return 0;
}
