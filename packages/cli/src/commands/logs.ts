// `logs`: GET pods/<name>/log for one pod, a workload's pod (deploy/x), or every pod matching -l,
// streams merged line by line and prefixed `[pod/<name>/<container>]` with --prefix.
import type { IncomingMessage } from 'node:http';
import type { Ctx } from '../context.js';
import { selectorString } from '../describe/format.js';
import { resourcePath } from '../discovery.js';
import { CliError, isNotFound } from '../errors.js';
import { resolveTargets } from '../targets.js';
import { parseDuration } from '../watch.js';

interface LogFlags {
  follow?: boolean;
  container?: string;
  allContainers?: boolean;
  prefix?: boolean;
  tail?: string;
  since?: string;
  sinceTime?: string;
  timestamps?: boolean;
  previous?: boolean;
  limitBytes?: string;
  selector?: string;
  maxLogRequests?: string;
}

interface Source {
  pod: string;
  container: string;
}

export async function run(ctx: Ctx, args: string[], opts: LogFlags): Promise<number> {
  const pods = await selectPods(ctx, args, opts);
  const sources: Source[] = [];
  for (const pod of pods) {
    const containers: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
    if (opts.allContainers) for (const c of [...(pod.spec?.initContainers ?? []).map((c: any) => c.name), ...containers]) sources.push({ pod: pod.metadata.name, container: c });
    else sources.push({ pod: pod.metadata.name, container: opts.container ?? defaultContainer(ctx, pod, containers, !opts.selector) });
  }
  const max = Number(opts.maxLogRequests ?? 5);
  if (opts.follow && sources.length > max) throw new CliError(`you are attempting to follow ${sources.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
  const prefix = opts.prefix || false;
  const query = logQuery(opts);
  if (opts.follow) await Promise.all(sources.map((s) => copy(ctx, s, query, prefix)));
  else for (const s of sources) await copy(ctx, s, query, prefix);
  return 0;
}

function logQuery(opts: LogFlags): Record<string, string | undefined> {
  const tail = opts.tail ?? (opts.selector ? '10' : undefined);
  return {
    follow: opts.follow ? 'true' : undefined,
    tailLines: tail !== undefined && tail !== '-1' ? tail : undefined,
    sinceSeconds: opts.since ? String(Math.ceil(parseDuration(opts.since) / 1000)) : undefined,
    sinceTime: opts.sinceTime,
    timestamps: opts.timestamps ? 'true' : undefined,
    previous: opts.previous ? 'true' : undefined,
    limitBytes: opts.limitBytes,
  };
}

function defaultContainer(ctx: Ctx, pod: any, containers: string[], announce: boolean): string {
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && containers.includes(annotated)) return annotated;
  if (containers.length > 1 && announce) ctx.err(`Defaulted container "${containers[0]}" out of: ${containers.join(', ')}\n`);
  return containers[0] ?? '';
}

async function listPods(ctx: Ctx, labelSelector: string): Promise<any[]> {
  const list = await ctx.http.json('GET', `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods`, { query: { labelSelector } });
  return list.items ?? [];
}

/** podutils.ByLogging, simplified: scheduled first, then Running, then ready, then older. */
function byLogging(a: any, b: any): number {
  const rank = (p: any) => [p.spec?.nodeName ? 0 : 1, { Running: 0, Unknown: 1, Pending: 2 }[p.status?.phase as string] ?? 3, (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? 0 : 1];
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp);
}

async function selectPods(ctx: Ctx, args: string[], opts: LogFlags): Promise<any[]> {
  if (opts.selector) {
    if (args.length) throw new CliError('only a selector (-l) or a POD name is allowed');
    const pods = await listPods(ctx, opts.selector);
    if (!pods.length) ctx.err(`No resources found in ${ctx.namespace} namespace.\n`);
    return pods;
  }
  if (args.length === 0) throw new CliError('expected POD or TYPE/NAME is a required argument for the logs command');
  const [first] = args;
  if (!first!.includes('/')) {
    if (args[1] && !opts.container) opts.container = args[1];
    try {
      return [await ctx.http.json('GET', `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods/${encodeURIComponent(first!)}`, { resource: 'pods', name: first })];
    } catch (err) {
      // kubectl words a missing pod its own way here.
      if (isNotFound(err)) throw new CliError(`error from server (NotFound): pods "${first}" not found in namespace "${ctx.namespace}"`);
      throw err;
    }
  }
  const [target] = await resolveTargets(ctx, [first!]);
  const r = target!.resource;
  const name = target!.names[0]!;
  const obj = await ctx.http.json('GET', resourcePath(r, r.namespaced ? ctx.namespace : undefined, name), { resource: r.group ? `${r.resource}.${r.group}` : r.resource, name });
  if (r.kind === 'Pod') return [obj];
  const selector = obj.spec?.selector?.matchLabels || obj.spec?.selector?.matchExpressions ? selectorString(obj.spec.selector) : Object.entries(obj.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = (await listPods(ctx, selector)).sort(byLogging);
  if (!pods.length) throw new CliError(`timed out waiting for the condition`);
  if (pods.length > 1) ctx.err(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n`);
  return [pods[0]];
}

async function copy(ctx: Ctx, s: Source, query: Record<string, string | undefined>, prefix: boolean): Promise<void> {
  const path = `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/pods/${encodeURIComponent(s.pod)}/log`;
  const res: IncomingMessage = await ctx.http.stream('GET', path, { query: { container: s.container, ...query }, accept: '*/*', resource: 'pods', name: s.pod });
  const tag = prefix ? `[pod/${s.pod}/${s.container}] ` : '';
  let buf = '';
  for await (const chunk of res) {
    buf += (chunk as Buffer).toString('utf8');
    const nl = buf.lastIndexOf('\n');
    if (nl < 0) continue;
    // Whole lines only, so concurrent streams interleave by line.
    const lines = buf.slice(0, nl + 1);
    buf = buf.slice(nl + 1);
    ctx.out(tag ? lines.replace(/^(?=.)/gm, tag) : lines);
  }
  if (buf) ctx.out(tag + buf);
}
