// `edit TYPE NAME`: the object as YAML in $KUBE_EDITOR / $EDITOR (vi by default), then a two-way
// strategic merge patch of what changed (fieldManager kubectl-edit); no change, no request.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Ctx } from '../context.js';
import { isBuiltinGroup } from '../apply/last-applied.js';
import { threeWayPatch } from '../apply/three-way.js';
import { kindPrefix, resourcePath, type ApiResource } from '../discovery.js';
import { CliError } from '../errors.js';
import { printJson } from '../printers/json.js';
import { toYaml } from '../printers/yaml.js';
import { resolveTargets } from '../targets.js';

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** The edited text without comment lines; undefined when nothing but comments is left. */
export function stripComments(text: string): string | undefined {
  const kept = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
  return kept.join('\n').trim() ? kept.join('\n') : undefined;
}

function withoutManagedFields(obj: any): any {
  const copy = structuredClone(obj);
  if (copy.metadata) delete copy.metadata.managedFields;
  return copy;
}

function runEditor(file: string): void {
  const editor = process.env.KUBE_EDITOR || process.env.EDITOR || 'vi';
  // Through the shell, as kubectl does when the editor has arguments ("code --wait").
  const res = spawnSync('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
  if (res.error || res.status !== 0) throw new CliError(`there was a problem with the editor "${editor}"`);
}

export async function run(ctx: Ctx, args: string[], opts: { output?: string }): Promise<number> {
  const targets = await resolveTargets(ctx, args);
  const items = targets.flatMap((t) => t.names.map((name) => ({ r: t.resource, name })));
  if (items.length === 0) throw new CliError('You must provide one or more resources by argument or filename.');
  for (const { r, name } of items) await editOne(ctx, r, name, opts.output === 'json');
  return 0;
}

async function editOne(ctx: Ctx, r: ApiResource, name: string, json: boolean): Promise<void> {
  const ns = r.namespaced ? ctx.namespace : undefined;
  const live = withoutManagedFields(await ctx.http.json('GET', resourcePath(r, ns, name), { resource: r.resource, name }));
  const dir = mkdtempSync(join(tmpdir(), 'mini-kubectl-edit-'));
  const file = join(dir, `${name}.${json ? 'json' : 'yaml'}`);
  try {
    writeFileSync(file, HEADER + (json ? printJson(live) : toYaml(live)));
    runEditor(file);
    const text = stripComments(readFileSync(file, 'utf8'));
    if (text === undefined) throw new CliError('Edit cancelled, saved file was empty.');
    const edited = parse(text);
    const schema = { group: isBuiltinGroup(r.group) ? r.group : undefined, kind: r.kind };
    const patch = threeWayPatch(live, edited, live, schema);
    if (Object.keys(patch).length === 0) {
      ctx.err('Edit cancelled, no changes made.\n');
      return;
    }
    const contentType = isBuiltinGroup(r.group) ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json';
    await ctx.http.json('PATCH', resourcePath(r, ns, name), { query: { fieldManager: 'kubectl-edit', fieldValidation: 'Strict' }, body: patch, contentType, resource: r.resource, name });
    ctx.out(`${kindPrefix(r)}/${name} edited\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
