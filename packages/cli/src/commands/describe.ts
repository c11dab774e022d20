// `describe`: kubectl's describers for the common kinds (a generic one for the rest), with Events.
// A name that matches nothing exactly describes every object whose name starts with it, as kubectl does.
import type { Ctx } from '../context.js';
import { describeObject } from '../describe/index.js';
import { ReportedErrors, isNotFound, reportError } from '../errors.js';
import { targetsFromManifests } from '../manifests.js';
import { getObject, listObjects, resolveTargets, type Target } from '../targets.js';

interface DescribeFlags {
  selector?: string;
  allNamespaces?: boolean;
  filename?: string[];
  recursive?: boolean;
  showEvents?: string | boolean;
}

export async function run(ctx: Ctx, args: string[], opts: DescribeFlags): Promise<number> {
  const showEvents = opts.showEvents !== 'false' && opts.showEvents !== false;
  const targets = opts.filename?.length ? await targetsFromManifests(ctx, opts.filename, !!opts.recursive) : await resolveTargets(ctx, args);
  const outputs: string[] = [];
  let failed = false;
  for (const t of targets) {
    const objects: any[] = [];
    if (t.names.length === 0) {
      objects.push(...(await listObjects(ctx, t.resource, { allNamespaces: opts.allNamespaces, labelSelector: opts.selector })).items);
    }
    for (const name of t.names) {
      try {
        objects.push(await getObject(ctx, t.resource, name));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const prefixed = (await listObjects(ctx, t.resource, {})).items.filter((o) => o.metadata.name.startsWith(name));
        if (!prefixed.length) {
          failed = true;
          reportError(err);
        }
        objects.push(...prefixed);
      }
    }
    for (const obj of objects) outputs.push(await describeObject(ctx, t.resource, obj, { showEvents }));
    if (t.names.length === 0 && objects.length === 0 && targets.length === 1) {
      ctx.err(opts.allNamespaces || !t.resource.namespaced ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
    }
  }
  ctx.out(outputs.join('\n\n'));
  if (failed) throw new ReportedErrors();
  return 0;
}

