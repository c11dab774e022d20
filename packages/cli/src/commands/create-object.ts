// POSTs an object a generator built (run, expose, autoscale), with --dry-run and -o handled as
// kubectl's generators do, and prints `<kind>/<name> <verb>`.
import type { Ctx } from '../context.js';
import { dryRunOf } from '../apply/locate.js';
import { resourcePath } from '../discovery.js';
import { CliError } from '../errors.js';
import { objectName, objectPrinter } from '../printers/output.js';

export interface CreateFlags {
  dryRun?: string;
  output?: string;
}

export async function createObject(ctx: Ctx, object: any, fieldManager: string, verb: string, flags: CreateFlags): Promise<void> {
  const dry = dryRunOf(flags.dryRun);
  let result = object;
  if (!dry.client) {
    const r = await ctx.discovery.byKind(object.apiVersion, object.kind);
    if (!r) throw new CliError(`no matches for kind "${object.kind}" in version "${object.apiVersion}"`);
    const namespace = r.namespaced ? ctx.namespace : undefined;
    result = await ctx.http.json('POST', resourcePath(r, namespace), { query: { fieldManager, dryRun: dry.query }, body: object, resource: r.resource });
  }
  if (flags.output) ctx.out(objectPrinter(flags.output)([result], true));
  else ctx.out(`${objectName(object)} ${verb}${dry.suffix}\n`);
}

/** `a=1,b=2` → {a: '1', b: '2'}. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid label spec: ${pair}`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}
