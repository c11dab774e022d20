// `label` and `annotate`: `key=value` sets, `key-` removes; one merge patch per object.
import type { Ctx } from '../context.js';
import { kindPrefix, resourcePath, type ApiResource } from '../discovery.js';
import { CliError, ReportedErrors, reportError } from '../errors.js';
import { objectPrinter } from '../printers/output.js';
import { listObjects, namespaceFor, resolveTargets } from '../targets.js';

interface LabelOptions {
  verb: 'label' | 'annotate';
  overwrite?: boolean;
  selector?: string;
  all?: boolean;
  output?: string;
  list?: boolean;
  resourceVersion?: string;
}

/** Splits arguments into the resource part and `k=v` / `k-` changes. */
export function parseChanges(args: string[]): { resources: string[]; set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const resources: string[] = [];
  for (const a of args) {
    if (a.includes('=')) {
      const eq = a.indexOf('=');
      set[a.slice(0, eq)] = a.slice(eq + 1);
    } else if (a.endsWith('-') && resources.length > 0) remove.push(a.slice(0, -1));
    else resources.push(a);
  }
  return { resources, set, remove };
}

export async function run(ctx: Ctx, args: string[], opts: LabelOptions): Promise<number> {
  const field = opts.verb === 'label' ? 'labels' : 'annotations';
  const { resources, set, remove } = parseChanges(args);
  if (!opts.list && Object.keys(set).length === 0 && remove.length === 0) throw new CliError(`at least one ${opts.verb === 'label' ? 'label' : 'annotation'} update is required`);
  let failed = false;
  for (const t of await resolveTargets(ctx, resources)) {
    const ns = namespaceFor(ctx, t.resource);
    let objects: any[];
    if (t.names.length) objects = await Promise.all(t.names.map((name) => ctx.http.json('GET', resourcePath(t.resource, ns, name), { resource: t.resource.resource, name }).catch((e) => e)));
    else if (opts.selector || opts.all) objects = (await listObjects(ctx, t.resource, { labelSelector: opts.selector })).items;
    else throw new CliError('resource(s) were provided, but no name was specified');
    for (const obj of objects) {
      try {
        if (obj instanceof Error) throw obj;
        await change(ctx, t.resource, obj, field, set, remove, opts);
      } catch (err) {
        failed = true;
        reportError(err);
      }
    }
  }
  if (failed) throw new ReportedErrors();
  return 0;
}

async function change(ctx: Ctx, r: ApiResource, obj: any, field: 'labels' | 'annotations', set: Record<string, string>, remove: string[], opts: LabelOptions): Promise<void> {
  const current: Record<string, string> = obj.metadata?.[field] ?? {};
  const name = obj.metadata.name;
  if (opts.list) {
    for (const k of Object.keys(current).sort()) ctx.out(`${k}=${current[k]}\n`);
    return;
  }
  if (!opts.overwrite) {
    for (const k of Object.keys(set)) {
      if (k in current && current[k] !== set[k]) throw new CliError(`'${k}' already has a value (${current[k]}), and --overwrite is false`);
    }
  }
  const changes: Record<string, string | null> = { ...set };
  for (const k of remove) changes[k] = null;
  const unchanged = Object.entries(changes).every(([k, v]) => (v === null ? !(k in current) : current[k] === v));
  const body: any = { metadata: { [field]: changes } };
  if (opts.resourceVersion) body.metadata.resourceVersion = opts.resourceVersion;
  const result = await ctx.http.json('PATCH', resourcePath(r, r.namespaced ? obj.metadata.namespace : undefined, name), { query: { fieldManager: `kubectl-${opts.verb}` }, body, contentType: 'application/merge-patch+json', resource: r.resource, name });
  const verb = opts.verb === 'label' ? (unchanged ? 'not labeled' : 'labeled') : 'annotated';
  ctx.out(opts.output ? objectPrinter(opts.output)([result], true) : `${kindPrefix(r)}/${name} ${verb}\n`);
}
