// `apply -f`: client-side three-way apply with the last-applied annotation, or --server-side.
import { StatusError } from '@mini-kube/machinery';
import type { Ctx } from '../context.js';
import { CliError, isNotFound, ReportedErrors, reportError, withSource } from '../errors.js';
import { dryRunOf, fieldValidation, locate, type Located } from '../apply/locate.js';
import { isBuiltinGroup, LAST_APPLIED, readLastApplied, withLastApplied } from '../apply/last-applied.js';
import { threeWayPatch } from '../apply/three-way.js';
import { prune, type Applied } from '../apply/prune.js';
import { readManifests } from '../manifests.js';
import { goJson } from '../printers/json.js';
import { objectPrinter } from '../printers/output.js';

interface ApplyOptions {
  filename?: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string;
  fieldManager?: string;
  serverSide?: boolean;
  forceConflicts?: boolean;
  validate?: string;
  prune?: boolean;
  selector?: string;
  all?: boolean;
}

const MAX_RETRIES = 5;

export async function run(ctx: Ctx, _args: string[], opts: ApplyOptions): Promise<number> {
  if (!opts.filename?.length) throw new CliError('must specify one of -f and -k');
  if (opts.prune && !opts.selector && !opts.all) throw new CliError('all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector');
  const manifests = await readManifests(opts.filename, !!opts.recursive);
  const applied: Applied = { uids: new Set(), namespaces: new Set() };
  if (manifests.length === 0) throw new CliError('no objects passed to apply');
  const print = opts.output ? objectPrinter(opts.output) : undefined;
  let failed = false;
  let printed = 0;
  for (const m of manifests) {
    try {
      const target = await locate(ctx, m);
      const { result, verb } = opts.serverSide ? await serverSide(ctx, target, opts) : await clientSide(ctx, target, opts);
      const dry = dryRunOf(opts.dryRun).suffix;
      if (result?.metadata?.uid) applied.uids.add(result.metadata.uid);
      if (target.namespace) applied.namespaces.add(target.namespace);
      if (print) {
        if (printed++ && opts.output === 'yaml') ctx.out('---\n');
        ctx.out(print([result], true));
      } else ctx.out(`${target.display} ${verb}${dry}\n`);
    } catch (err) {
      failed = true;
      reportError(err);
    }
  }
  if (opts.prune && !failed) await prune(ctx, applied, opts.selector, opts.dryRun);
  if (failed) throw new ReportedErrors();
  return 0;
}

async function serverSide(ctx: Ctx, t: Located, opts: ApplyOptions): Promise<{ result: any; verb: string }> {
  const dry = dryRunOf(opts.dryRun);
  if (dry.client) return { result: t.object, verb: 'serverside-applied' };
  const query = { fieldManager: opts.fieldManager ?? 'kubectl', fieldValidation: fieldValidation(opts.validate), force: opts.forceConflicts ? 'true' : 'false', dryRun: dry.query };
  try {
    const result = await ctx.http.json('PATCH', t.item, { query, body: goJson(t.object), contentType: 'application/apply-patch+yaml', resource: t.resource.resource, name: t.name });
    return { result, verb: 'serverside-applied' };
  } catch (err) {
    if (err instanceof StatusError && err.code === 409 && err.details?.causes?.some((c) => c.reason === 'FieldManagerConflict')) throw new CliError(conflictMessage(err));
    throw err;
  }
}

function conflictMessage(err: StatusError): string {
  return `${err.message}
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if and only if all
  managers are using the exact same value.

See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;
}

async function clientSide(ctx: Ctx, t: Located, opts: ApplyOptions): Promise<{ result: any; verb: string }> {
  const dry = dryRunOf(opts.dryRun);
  const query = { fieldManager: opts.fieldManager ?? 'kubectl-client-side-apply', fieldValidation: fieldValidation(opts.validate), dryRun: dry.query };
  const modified = withLastApplied(t.object);
  for (let attempt = 1; ; attempt++) {
    let live: any;
    try {
      live = await ctx.http.json('GET', t.item, { resource: t.resource.resource, name: t.name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      if (dry.client) return { result: modified, verb: 'created' };
      try {
        return { result: await ctx.http.json('POST', t.collection, { query, body: goJson(modified), resource: t.resource.resource }), verb: 'created' };
      } catch (e) {
        throw withSource(e, 'creating', t.source);
      }
    }
    const original = readLastApplied(live);
    if (!live.metadata?.annotations?.[LAST_APPLIED] && attempt === 1) {
      ctx.err(`Warning: resource ${t.resource.resource}/${t.name} is missing the ${LAST_APPLIED} annotation which is required by mini-kubectl apply. mini-kubectl apply should only be used on resources created declaratively by either mini-kubectl create --save-config or mini-kubectl apply. The missing annotation will be patched automatically.\n`);
    }
    const builtin = isBuiltinGroup(t.resource.group);
    const patch = threeWayPatch(original, modified, live, { group: builtin ? t.resource.group : undefined, kind: t.resource.kind });
    if (Object.keys(patch).length === 0) return { result: live, verb: 'unchanged' };
    if (dry.client) return { result: live, verb: 'configured' };
    try {
      const contentType = builtin ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json';
      const result = await ctx.http.json('PATCH', t.item, { query, body: goJson(patch), contentType, resource: t.resource.resource, name: t.name });
      return { result, verb: 'configured' };
    } catch (err) {
      if (err instanceof StatusError && err.code === 409 && attempt < MAX_RETRIES) continue;
      throw withSource(err, 'patching', t.source);
    }
  }
}
