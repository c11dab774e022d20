// `scale`: a merge patch of the scale subresource, or GET+PUT with --current-replicas.
import type { Ctx } from '../context.js';
import { CliError, ReportedErrors, reportError } from '../errors.js';
import { resourcePath } from '../discovery.js';
import { kindPrefix } from '../discovery.js';
import { listObjects, namespaceFor, resolveTargets } from '../targets.js';

export async function run(ctx: Ctx, args: string[], opts: { replicas?: string; currentReplicas?: string; selector?: string; all?: boolean }): Promise<number> {
  if (opts.replicas === undefined) throw new CliError('required flag(s) "replicas" not set');
  const replicas = Number(opts.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const current = Number(opts.currentReplicas ?? -1);
  let failed = false;
  for (const t of await resolveTargets(ctx, args)) {
    const ns = namespaceFor(ctx, t.resource);
    const names = t.names.length ? t.names : (await listObjects(ctx, t.resource, { labelSelector: opts.selector })).items.map((o) => o.metadata.name);
    for (const name of names) {
      try {
        const path = resourcePath(t.resource, ns, name, 'scale');
        await ctx.http.json('GET', resourcePath(t.resource, ns, name), { resource: t.resource.resource, name });
        if (current >= 0) {
          const scale = await ctx.http.json('GET', path, { resource: t.resource.resource, name });
          if (scale.spec?.replicas !== current) throw new CliError(`Expected replicas to be ${current}, was ${scale.spec?.replicas ?? 0}`);
          await ctx.http.json('PUT', path, { body: { ...scale, spec: { ...scale.spec, replicas } }, contentType: null, resource: t.resource.resource, name });
        } else {
          await ctx.http.json('PATCH', path, { body: { spec: { replicas } }, contentType: 'application/merge-patch+json', resource: t.resource.resource, name });
        }
        ctx.out(`${kindPrefix(t.resource)}/${name} scaled\n`);
      } catch (err) {
        failed = true;
        reportError(err);
      }
    }
  }
  if (failed) throw new ReportedErrors();
  return 0;
}
