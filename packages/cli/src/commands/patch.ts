// `patch`: a strategic (default), merge or JSON patch of one object or of -f objects.
import { readFileSync } from 'node:fs';
import type { Ctx } from '../context.js';
import { kindPrefix, resourcePath } from '../discovery.js';
import { CliError } from '../errors.js';
import { dryRunOf } from '../apply/locate.js';
import { objectPrinter } from '../printers/output.js';
import { namespaceFor, resolveTargets } from '../targets.js';
import { parse } from 'yaml';

const TYPES: Record<string, string> = { strategic: 'application/strategic-merge-patch+json', merge: 'application/merge-patch+json', json: 'application/json-patch+json' };

export async function run(ctx: Ctx, args: string[], opts: { patch?: string; patchFile?: string; type?: string; subresource?: string; output?: string; dryRun?: string; fieldManager?: string }): Promise<number> {
  const text = opts.patchFile ? readFileSync(opts.patchFile, 'utf8') : opts.patch;
  if (!text) throw new CliError('must specify --patch or --patch-file containing the contents of the patch');
  const contentType = TYPES[opts.type ?? 'strategic'];
  if (!contentType) throw new CliError(`--type must be one of [json merge strategic], not "${opts.type}"`);
  const body = JSON.stringify(parse(text));
  const dry = dryRunOf(opts.dryRun);
  for (const t of await resolveTargets(ctx, args)) {
    for (const name of t.names) {
      const path = resourcePath(t.resource, namespaceFor(ctx, t.resource), name, opts.subresource);
      const before = await ctx.http.json('GET', path, { resource: t.resource.resource, name });
      const after = await ctx.http.json('PATCH', path, { query: { fieldManager: opts.fieldManager ?? 'kubectl-patch', dryRun: dry.query }, body, contentType, resource: t.resource.resource, name });
      const same = JSON.stringify(before) === JSON.stringify(after);
      ctx.out(opts.output ? objectPrinter(opts.output)([after], true) : `${kindPrefix(t.resource)}/${name} ${same ? 'patched (no change)' : 'patched'}${dry.suffix}\n`);
    }
  }
  return 0;
}
