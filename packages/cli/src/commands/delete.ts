// `delete`: by names, type/name, -f, -l or --all; one DELETE per object, then (by default) wait.
import type { Ctx } from '../context.js';
import { CliError, isNotFound, ReportedErrors, reportError } from '../errors.js';
import { dryRunOf, locate } from '../apply/locate.js';
import { resourcePath, type ApiResource } from '../discovery.js';
import { readManifests } from '../manifests.js';
import { listObjects, namespaceFor, resolveTargets } from '../targets.js';
import { waitForDeletion } from '../watch.js';

interface DeleteOptions {
  filename?: string[];
  recursive?: boolean;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  all?: boolean;
  output?: string;
  dryRun?: string;
  cascade?: string;
  gracePeriod?: string;
  force?: boolean;
  now?: boolean;
  wait?: string;
  ignoreNotFound?: boolean;
  timeout?: string;
}

interface Victim {
  resource: ApiResource;
  namespace?: string;
  name: string;
}

export async function run(ctx: Ctx, args: string[], opts: DeleteOptions): Promise<number> {
  const victims: Victim[] = [];
  if (opts.filename?.length) {
    for (const m of await readManifests(opts.filename, !!opts.recursive)) {
      const t = await locate(ctx, m);
      victims.push({ resource: t.resource, namespace: t.namespace, name: t.name });
    }
  } else {
    for (const t of await resolveTargets(ctx, args)) {
      if (t.names.length) {
        for (const name of t.names) victims.push({ resource: t.resource, namespace: namespaceFor(ctx, t.resource), name });
        continue;
      }
      if (!opts.selector && !opts.all && !opts.fieldSelector) throw new CliError('resource(s) were provided, but no name was specified');
      const list = await listObjects(ctx, t.resource, { allNamespaces: opts.allNamespaces, labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
      for (const o of list.items) victims.push({ resource: t.resource, namespace: o.metadata.namespace, name: o.metadata.name });
    }
  }
  const body = deleteOptions(opts);
  const dry = dryRunOf(opts.dryRun);
  let failed = false;
  const deleted: Victim[] = [];
  for (const v of victims) {
    try {
      if (!dry.client) await ctx.http.json('DELETE', resourcePath(v.resource, v.namespace, v.name), { body: { ...body, ...(dry.query ? { dryRun: [dry.query] } : {}) }, resource: v.resource.resource, name: v.name });
      deleted.push(v);
      ctx.out(opts.output === 'name' ? `${v.resource.kind.toLowerCase()}${v.resource.group ? `.${v.resource.group}` : ''}/${v.name}\n` : `${singular(v.resource)} "${v.name}" deleted${dry.suffix}\n`);
    } catch (err) {
      if (isNotFound(err) && opts.ignoreNotFound) continue;
      failed = true;
      reportError(err);
    }
  }
  if (opts.wait !== 'false' && !dry.client && !dry.query && body.propagationPolicy !== 'Orphan') {
    for (const v of deleted) await waitForDeletion(ctx, v.resource, v.namespace, v.name, opts.timeout);
  }
  if (victims.length === 0 && !failed && !opts.ignoreNotFound) ctx.err(opts.allNamespaces ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
  if (failed) throw new ReportedErrors();
  return 0;
}

/** kubectl names deleted objects `pod "x"` and `deployment.apps "web"`. */
function singular(r: ApiResource): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

function deleteOptions(opts: DeleteOptions): { propagationPolicy: string; gracePeriodSeconds?: number } {
  const cascade = (opts.cascade ?? 'background').toLowerCase();
  const policy = cascade === 'true' || cascade === 'background' ? 'Background' : cascade === 'foreground' ? 'Foreground' : cascade === 'orphan' || cascade === 'false' ? 'Orphan' : undefined;
  if (!policy) throw new CliError(`invalid cascade value (${opts.cascade}). Must be "background", "foreground", or "orphan".`);
  let grace = Number(opts.gracePeriod ?? -1);
  if (opts.now) grace = 1;
  if (opts.force && grace < 0) grace = 0;
  if (grace === 0 && !opts.force) grace = 1; // kubectl: --grace-period=0 without --force means 1
  return grace >= 0 ? { gracePeriodSeconds: grace, propagationPolicy: policy } : { propagationPolicy: policy };
}
