// `replace -f`: PUT each object with the live resourceVersion; --force deletes and re-creates.
import type { Ctx } from '../context.js';
import { ReportedErrors, reportError, withSource } from '../errors.js';
import { dryRunOf, fieldValidation, locate } from '../apply/locate.js';
import { readManifests } from '../manifests.js';
import { goJson } from '../printers/json.js';
import { objectPrinter } from '../printers/output.js';
import { waitForDeletion } from '../watch.js';
import { CliError } from '../errors.js';

export async function run(ctx: Ctx, _args: string[], opts: { filename?: string[]; recursive?: boolean; output?: string; dryRun?: string; force?: boolean; validate?: string }): Promise<number> {
  if (!opts.filename?.length) throw new CliError('must specify --filename to replace');
  const dry = dryRunOf(opts.dryRun);
  let failed = false;
  for (const m of await readManifests(opts.filename, !!opts.recursive)) {
    try {
      const t = await locate(ctx, m);
      const query = { fieldManager: 'kubectl-replace', fieldValidation: fieldValidation(opts.validate), dryRun: dry.query };
      let result: any;
      if (opts.force) {
        await ctx.http.json('DELETE', t.item, { body: { propagationPolicy: 'Background' }, resource: t.resource.resource, name: t.name }).catch(() => undefined);
        ctx.out(`${t.display} deleted\n`);
        await waitForDeletion(ctx, t.resource, t.namespace, t.name);
        result = await ctx.http.json('POST', t.collection, { query, body: goJson(t.object), resource: t.resource.resource });
      } else {
        const live = await ctx.http.json('GET', t.item, { resource: t.resource.resource, name: t.name });
        const body = { ...t.object, metadata: { ...t.object.metadata, resourceVersion: t.object.metadata.resourceVersion ?? live.metadata.resourceVersion } };
        result = dry.client ? body : await ctx.http.json('PUT', t.item, { query, body: goJson(body), resource: t.resource.resource, name: t.name }).catch((e) => {
          throw withSource(e, 'replacing', m.source);
        });
      }
      ctx.out(opts.output ? objectPrinter(opts.output)([result], true) : `${t.display} replaced${dry.suffix}\n`);
    } catch (err) {
      failed = true;
      reportError(err);
    }
  }
  if (failed) throw new ReportedErrors();
  return 0;
}
