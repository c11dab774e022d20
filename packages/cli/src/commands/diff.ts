// `diff -f`: what apply would change, from a server dry run of the same patch (or create), shown
// as `diff -u -N` of two directories of YAML files (KUBECTL_EXTERNAL_DIFF overrides the program).
// Exit code 1 means there are differences.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctx } from '../context.js';
import { isBuiltinGroup, LAST_APPLIED, readLastApplied } from '../apply/last-applied.js';
import { fieldValidation, locate, type Located } from '../apply/locate.js';
import { threeWayPatch } from '../apply/three-way.js';
import { CliError, isNotFound, reportError } from '../errors.js';
import { readManifests } from '../manifests.js';
import { goJson } from '../printers/json.js';
import { toYaml } from '../printers/yaml.js';

interface DiffFlags {
  filename?: string[];
  recursive?: boolean;
  serverSide?: boolean;
  fieldManager?: string;
  forceConflicts?: boolean;
}

/** `apps.v1.Deployment.default.web`, as kubectl names the files. */
export function diffFileName(obj: any): string {
  const gv = String(obj.apiVersion ?? '').replace('/', '.');
  return [gv, obj.kind, obj.metadata?.namespace, obj.metadata?.name].filter(Boolean).join('.');
}

/** What kubectl writes: no managedFields, and Secret values masked the same way on both sides. */
export function forDiff(obj: any | undefined): string {
  if (!obj) return '';
  const copy = structuredClone(obj);
  if (copy.metadata) delete copy.metadata.managedFields;
  return toYaml(copy);
}

/** The manifest with `metadata.annotations` present and without the last-applied one, as kubectl encodes it. */
function withoutLastApplied(obj: any): any {
  const copy = structuredClone(obj);
  copy.metadata = { ...copy.metadata, annotations: { ...copy.metadata?.annotations } };
  delete copy.metadata.annotations[LAST_APPLIED];
  return copy;
}

async function merged(ctx: Ctx, t: Located, live: any | undefined, flags: DiffFlags): Promise<any> {
  const query = { dryRun: 'All', fieldValidation: fieldValidation('strict') };
  if (flags.serverSide) {
    return ctx.http.json('PATCH', t.item, { query: { ...query, fieldManager: flags.fieldManager ?? 'kubectl', force: flags.forceConflicts ? 'true' : 'false' }, body: goJson(t.object), contentType: 'application/apply-patch+yaml', resource: t.resource.resource, name: t.name });
  }
  // Unlike apply, the patch leaves the last-applied annotation alone (kubectl diff: annotate=false).
  const modified = withoutLastApplied(t.object);
  const manager = { fieldManager: flags.fieldManager ?? 'kubectl-client-side-apply' };
  if (!live) return ctx.http.json('POST', t.collection, { query: { ...query, ...manager }, body: goJson(modified), resource: t.resource.resource });
  const builtin = isBuiltinGroup(t.resource.group);
  const patch = threeWayPatch(readLastApplied(live), modified, live, { group: builtin ? t.resource.group : undefined, kind: t.resource.kind });
  if (Object.keys(patch).length === 0) return live;
  // The resourceVersion makes the dry run fail rather than diff against a changed object.
  const body = { ...patch, metadata: { ...patch.metadata, resourceVersion: live.metadata.resourceVersion } };
  return ctx.http.json('PATCH', t.item, { query: { ...query, ...manager }, body: goJson(body), contentType: builtin ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json', resource: t.resource.resource, name: t.name });
}

/** Like kubectl, any failure exits 2: exit code 1 only ever means "there are differences". */
export async function run(ctx: Ctx, args: string[], flags: DiffFlags): Promise<number> {
  try {
    return await diff(ctx, args, flags);
  } catch (err) {
    return Math.max(2, reportError(err));
  }
}

async function diff(ctx: Ctx, _args: string[], flags: DiffFlags): Promise<number> {
  if (!flags.filename?.length) throw new CliError('must specify one of -f and -k');
  const liveDir = mkdtempSync(join(tmpdir(), 'LIVE-'));
  const mergedDir = mkdtempSync(join(tmpdir(), 'MERGED-'));
  try {
    for (const m of await readManifests(flags.filename, !!flags.recursive)) {
      const t = await locate(ctx, m);
      let live: any;
      try {
        live = await ctx.http.json('GET', t.item, { resource: t.resource.resource, name: t.name });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const result = await merged(ctx, t, live, flags);
      const file = diffFileName({ ...t.object, kind: t.resource.kind });
      writeFileSync(join(liveDir, file), forDiff(live));
      writeFileSync(join(mergedDir, file), forDiff(result));
    }
    const [program, ...programArgs] = (process.env.KUBECTL_EXTERNAL_DIFF || 'diff -u -N').split(' ').filter(Boolean);
    const res = spawnSync(program!, [...programArgs, liveDir, mergedDir], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (res.error) throw new CliError(`failed to run "${program}": ${res.error.message}`);
    if ((res.status ?? 2) > 1) throw new CliError(`exit status ${res.status}`, res.status ?? 2);
    return res.status ?? 0;
  } finally {
    for (const dir of [liveDir, mergedDir]) rmSync(dir, { recursive: true, force: true });
  }
}
