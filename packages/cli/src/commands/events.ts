// `events`: core/v1 Events as a timeline sorted by when they last happened (kubectl events),
// `--for kind/name`, `--types`, `-A`, `-w`, and the object -o formats.
import type { Ctx } from '../context.js';
import { groupVersion } from '../discovery.js';
import { CliError } from '../errors.js';
import { jsonLines } from '../http.js';
import { eventInterval } from '../describe/events.js';
import { isObjectFormat, objectPrinter } from '../printers/output.js';
import { TabWriter } from '../printers/tabwriter.js';

interface EventsFlags {
  allNamespaces?: boolean;
  for?: string;
  types?: string;
  watch?: boolean;
  output?: string;
  headers?: boolean;
}

const micro = (ts: string | undefined | null) => (ts ? Date.parse(ts) : 0);

/** kubectl's eventTime: series.lastObservedTime, else lastTimestamp, else eventTime. */
export function eventTime(e: any): number {
  if (e.series?.lastObservedTime) return micro(e.series.lastObservedTime);
  if (e.lastTimestamp) return micro(e.lastTimestamp);
  return micro(e.eventTime);
}

export function sortTimeline(events: any[]): any[] {
  return [...events].sort((a, b) => eventTime(a) - eventTime(b));
}

export function eventLine(e: any, withNamespace: boolean): string {
  const cells = [eventInterval(e), e.type ?? '', e.reason ?? '', `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`, (e.message ?? '').trim()];
  if (withNamespace) cells.unshift(e.metadata?.namespace ?? '');
  return `${cells.join('\t')}\n`;
}

export function headerOf(withNamespace: boolean): string {
  return `${withNamespace ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n`;
}

/** `--types=Warning,Normal`: the allowed types (case-insensitive), or undefined for all. */
function typeFilter(types: string | undefined): ((e: any) => boolean) | undefined {
  if (!types) return undefined;
  const allowed = types.split(',').map((t) => t.trim().toLowerCase());
  for (const t of allowed) if (t !== 'normal' && t !== 'warning') throw new CliError(`valid --types are Normal or Warning`);
  return (e) => allowed.includes(String(e.type).toLowerCase());
}

async function forSelector(ctx: Ctx, target: string | undefined): Promise<string | undefined> {
  if (!target) return undefined;
  const slash = target.indexOf('/');
  const [type, name] = slash > 0 ? [target.slice(0, slash), target.slice(slash + 1)] : ['pod', target];
  const r = await ctx.discovery.resolve(type);
  return `involvedObject.kind=${r.kind},involvedObject.apiVersion=${groupVersion(r)},involvedObject.name=${name}`;
}

export async function run(ctx: Ctx, args: string[], flags: EventsFlags): Promise<number> {
  if (args.length) throw new CliError(`unknown command "${args[0]}" for "mini-kubectl events"`);
  const fieldSelector = await forSelector(ctx, flags.for);
  const keep = typeFilter(flags.types) ?? (() => true);
  const path = flags.allNamespaces ? '/api/v1/events' : `/api/v1/namespaces/${encodeURIComponent(ctx.namespace)}/events`;
  const items: any[] = [];
  let cont: string | undefined;
  let resourceVersion = '';
  do {
    const list = await ctx.http.json('GET', path, { query: { fieldSelector, limit: 500, continue: cont }, resource: 'events' });
    items.push(...(list.items ?? []).map((e: any) => ({ apiVersion: 'v1', kind: 'Event', ...e })));
    cont = list.metadata?.continue || undefined;
    resourceVersion = list.metadata?.resourceVersion ?? '';
  } while (cont);
  const events = sortTimeline(items.filter(keep));
  const print = isObjectFormat(flags.output) ? objectPrinter(flags.output) : undefined;
  const withNs = !!flags.allNamespaces;
  const writer = new TabWriter();
  let header = flags.headers === false;
  const table = (list: any[]) => {
    if (!header) writer.write(headerOf(withNs));
    header = true;
    for (const e of list) writer.write(eventLine(e, withNs));
    ctx.out(writer.flush());
  };
  if (print) {
    if (events.length || /^(json|yaml)$/.test(flags.output!)) ctx.out(print(events, false));
  } else if (events.length) table(events);
  else if (!flags.watch) ctx.err(flags.allNamespaces ? 'No events found.\n' : `No events found in ${ctx.namespace} namespace.\n`);
  if (!flags.watch) return 0;
  const res = await ctx.http.stream('GET', path, { query: { fieldSelector, resourceVersion, watch: 'true' } });
  for await (const ev of jsonLines(res)) {
    if (ev.type === 'DELETED' || ev.type === 'BOOKMARK' || ev.type === 'ERROR' || !keep(ev.object)) continue;
    const e = { apiVersion: 'v1', kind: 'Event', ...ev.object };
    if (print) ctx.out(print([e], true));
    else table([e]);
  }
  return 0;
}
