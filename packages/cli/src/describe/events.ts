// The Events block of describe: core/v1 events about one object, sorted by lastTimestamp.
import type { Ctx } from '../context.js';
import { since } from './format.js';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './writer.js';

export interface EventRef {
  name: string;
  namespace?: string;
  kind?: string;
  uid?: string;
}

/** The field selector client-go's GetFieldSelector builds: name, namespace, kind, uid. */
export function eventSelector(ref: EventRef): string {
  const terms = [`involvedObject.name=${ref.name}`];
  if (ref.namespace !== undefined) terms.push(`involvedObject.namespace=${ref.namespace}`);
  if (ref.kind) terms.push(`involvedObject.kind=${ref.kind}`);
  if (ref.uid) terms.push(`involvedObject.uid=${ref.uid}`);
  return terms.join(',');
}

export async function searchEvents(ctx: Ctx, ref: EventRef): Promise<any[]> {
  const path = ref.namespace ? `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events` : '/api/v1/events';
  const items: any[] = [];
  let cont: string | undefined;
  try {
    do {
      const list = await ctx.http.json('GET', path, { query: { fieldSelector: eventSelector(ref), limit: 500, continue: cont } });
      items.push(...(list.items ?? []));
      cont = list.metadata?.continue || undefined;
    } while (cont);
  } catch {
    // kubectl ignores failures to read events
  }
  return items;
}

const time = (ts: string | undefined | null) => (ts ? Date.parse(ts) : 0);

/** Stable by lastTimestamp (Go's sort is an insertion sort for the short lists describe shows). */
export function sortEvents(events: any[]): any[] {
  return [...events].sort((a, b) => time(a.lastTimestamp) - time(b.lastTimestamp));
}

export function eventInterval(e: any): string {
  const first = e.eventTime ? since(e.eventTime) : since(e.firstTimestamp);
  if (e.series) return `${since(e.series.lastObservedTime)} (x${e.series.count} over ${first})`;
  if (e.count > 1) return `${since(e.lastTimestamp)} (x${e.count} over ${first})`;
  return first;
}

export function describeEvents(w: PrefixWriter, events: any[] | undefined): void {
  if (!events) return;
  if (events.length === 0) return w.write(LEVEL_0, 'Events:\t<none>\n');
  w.flush();
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sortEvents(events)) {
    const source = e.source?.component || e.reportingComponent || '';
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${eventInterval(e)}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}
