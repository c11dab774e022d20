// `get` as server-side Tables laid out like kubectl's printer (and `-w` on them). Kept free of
// YAML, JSONPath and commander: fast.ts runs it without loading the rest of the CLI.
import type { Ctx } from '../context.js';
import { kindPrefix, resourcePath, type ApiResource } from '../discovery.js';
import { isNotFound, ReportedErrors, reportError } from '../errors.js';
import { jsonLines, TABLE_ACCEPT } from '../http.js';
import { headerLine, rowLine, type Table, type TableOptions } from '../printers/table.js';
import { TabWriter } from '../printers/tabwriter.js';
import { namespaceFor, type Target } from '../targets.js';

export interface TableGetOptions {
  output?: string; // 'wide' or none
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  watch?: boolean;
  watchOnly?: boolean;
  outputWatchEvents?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  headers?: boolean; // commander's --no-headers
  sortBy?: string;
  ignoreNotFound?: boolean;
  /** --sort-by, supplied by get.ts (it needs JSONPath). */
  sortRows?: (table: Table) => void;
}

export function noResources(ctx: Ctx, opts: { allNamespaces?: boolean }, targets: Target[]): void {
  const namespaced = targets.some((t) => t.resource.namespaced);
  ctx.err(opts.allNamespaces || !namespaced ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
}

async function fetchTable(ctx: Ctx, r: ApiResource, opts: TableGetOptions, name?: string): Promise<Table> {
  const ns = namespaceFor(ctx, r, opts.allNamespaces && !name);
  const query = name ? {} : { labelSelector: opts.selector, fieldSelector: opts.fieldSelector, limit: opts.sortBy ? undefined : 500, includeObject: opts.sortBy ? 'Object' : undefined };
  const table: Table = await ctx.http.json('GET', resourcePath(r, ns, name), { accept: TABLE_ACCEPT, query, resource: r.resource, name });
  let cont = table.metadata?.continue;
  while (cont) {
    const page: Table = await ctx.http.json('GET', resourcePath(r, ns), { accept: TABLE_ACCEPT, query: { ...query, continue: cont } });
    table.rows.push(...page.rows);
    cont = page.metadata?.continue;
  }
  return table;
}

export async function printTables(ctx: Ctx, targets: Target[], opts: TableGetOptions, withKind: boolean): Promise<number> {
  const writer = new TabWriter();
  let printedAny = false;
  let failed = false;
  for (const t of targets) {
    const tableOpts: TableOptions = {
      wide: opts.output === 'wide',
      withNamespace: !!opts.allNamespaces && t.resource.namespaced,
      showLabels: opts.showLabels,
      labelColumns: (opts.labelColumns ?? []).flatMap((l) => l.split(',')).filter(Boolean),
      kindPrefix: withKind ? kindPrefix(t.resource) : undefined,
      eventColumn: opts.outputWatchEvents && (opts.watch || opts.watchOnly),
    };
    let table: Table | undefined;
    if (t.names.length === 0) table = await fetchTable(ctx, t.resource, opts);
    else {
      for (const name of t.names) {
        try {
          const one = await fetchTable(ctx, t.resource, opts, name);
          if (table) table.rows.push(...one.rows);
          else table = one;
        } catch (err) {
          if (opts.ignoreNotFound && isNotFound(err)) continue;
          failed = true;
          reportError(err);
        }
      }
    }
    if (!table) continue;
    opts.sortRows?.(table);
    if (opts.watch || opts.watchOnly) return watchTable(ctx, t.resource, opts, table, tableOpts, writer);
    if (table.rows.length === 0) continue;
    if (printedAny) ctx.out('\n');
    writer.resetWidths();
    if (opts.headers !== false) writer.write(`${headerLine(table.columnDefinitions, tableOpts)}\n`);
    for (const row of table.rows) writer.write(`${rowLine(table.columnDefinitions, row, tableOpts)}\n`);
    ctx.out(writer.flush());
    printedAny = true;
  }
  if (!printedAny && !failed) noResources(ctx, opts, targets);
  if (failed) throw new ReportedErrors();
  return 0;
}

async function watchTable(ctx: Ctx, r: ApiResource, opts: TableGetOptions, table: Table, tableOpts: TableOptions, writer: TabWriter): Promise<number> {
  let columns = table.columnDefinitions;
  let headerDone = false;
  const header = () => {
    if (!headerDone && opts.headers !== false) writer.write(`${headerLine(columns, tableOpts)}\n`);
    headerDone = true;
  };
  if (!opts.watchOnly) {
    if (table.rows.length) {
      header();
      for (const row of table.rows) writer.write(`${rowLine(columns, row, tableOpts, 'ADDED')}\n`);
      ctx.out(writer.flush());
    } else noResources(ctx, opts, [{ resource: r, names: [] }]);
  }
  const ns = namespaceFor(ctx, r, opts.allNamespaces);
  const res = await ctx.http.stream('GET', resourcePath(r, ns), { accept: TABLE_ACCEPT, query: { labelSelector: opts.selector, fieldSelector: opts.fieldSelector, resourceVersion: table.metadata?.resourceVersion, watch: 'true' } });
  for await (const event of jsonLines(res)) {
    const obj = event.object as Table;
    if (event.type === 'ERROR') {
      ctx.out(`${JSON.stringify(event.object)}\n`);
      break;
    }
    if (obj.columnDefinitions?.length) columns = obj.columnDefinitions;
    header();
    for (const row of obj.rows ?? []) writer.write(`${rowLine(columns, row, tableOpts, event.type)}\n`);
    ctx.out(writer.flush());
  }
  return 0;
}
