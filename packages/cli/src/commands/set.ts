// `set image|env|resources`: edit the pod template of workloads, then send kubectl's two-way
// strategic merge patch (fieldManager kubectl-set); unchanged objects are skipped silently.
import type { Ctx } from '../context.js';
import { isBuiltinGroup } from '../apply/last-applied.js';
import { dryRunOf } from '../apply/locate.js';
import { threeWayPatch } from '../apply/three-way.js';
import { kindPrefix, resourcePath } from '../discovery.js';
import { CliError } from '../errors.js';
import { objectPrinter } from '../printers/output.js';
import { listObjects, resolveTargets } from '../targets.js';
import { parseEnvArgs, parseResourceList, podSpecOf, setEnv, setImages, setResources } from '../set/pod-spec.js';

interface SetFlags {
  containers?: string;
  limits?: string;
  requests?: string;
  selector?: string;
  all?: boolean;
  output?: string;
  dryRun?: string;
}

type Edit = (spec: any) => void;

export async function run(ctx: Ctx, args: string[], flags: SetFlags): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'image': {
      const resources = rest.filter((a) => !a.includes('='));
      const images = Object.fromEntries(rest.filter((a) => a.includes('=')).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
      if (Object.keys(images).length === 0) throw new CliError('at least one image update is required');
      return apply(ctx, resources, flags, 'image updated', (spec) => setImages(spec, images));
    }
    case 'env': {
      const { set, remove, rest: resources } = parseEnvArgs(rest);
      if (!set.length && !remove.length) throw new CliError('at least one environment variable must be provided');
      return apply(ctx, resources, flags, 'env updated', (spec) => setEnv(spec, flags.containers ?? '*', set, remove));
    }
    case 'resources': {
      const limits = parseResourceList(flags.limits);
      const requests = parseResourceList(flags.requests);
      if (!Object.keys(limits).length && !Object.keys(requests).length) throw new CliError('you must specify an update to requests or limits (in the form of --requests/--limits)');
      return apply(ctx, rest, flags, 'resource requirements updated', (spec) => setResources(spec, flags.containers ?? '*', limits, requests));
    }
  }
  throw new CliError(sub ? `unknown command "${sub}" for "mini-kubectl set"` : 'set needs one of: image, env, resources');
}

async function apply(ctx: Ctx, args: string[], flags: SetFlags, message: string, edit: Edit): Promise<number> {
  const dry = dryRunOf(flags.dryRun);
  for (const t of await resolveTargets(ctx, args)) {
    const r = t.resource;
    const objects = t.names.length
      ? await Promise.all(t.names.map((name) => ctx.http.json('GET', resourcePath(r, r.namespaced ? ctx.namespace : undefined, name), { resource: r.resource, name })))
      : (flags.selector || flags.all) ? (await listObjects(ctx, r, { labelSelector: flags.selector })).items : [];
    for (const obj of objects) {
      obj.kind ??= r.kind;
      const modified = structuredClone(obj);
      const spec = podSpecOf(modified);
      if (!spec) throw new CliError(`${r.resource}/${obj.metadata.name} has no pod template`);
      edit(spec);
      const patch = threeWayPatch(obj, modified, obj, { group: isBuiltinGroup(r.group) ? r.group : undefined, kind: r.kind });
      if (Object.keys(patch).length === 0) continue;
      const contentType = isBuiltinGroup(r.group) ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json';
      const result = dry.client ? modified : await ctx.http.json('PATCH', resourcePath(r, obj.metadata.namespace, obj.metadata.name), { query: { fieldManager: 'kubectl-set', dryRun: dry.query }, body: patch, contentType, resource: r.resource, name: obj.metadata.name });
      ctx.out(flags.output ? objectPrinter(flags.output)([result], true) : `${kindPrefix(r)}/${obj.metadata.name} ${message}${dry.suffix}\n`);
    }
  }
  return 0;
}
