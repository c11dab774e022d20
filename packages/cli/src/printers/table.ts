// Lays out a server-side Table (meta.k8s.io/v1) as kubectl's table printer does: upper-cased
// headers, priority-1 columns only with -o wide, NAMESPACE first with -A, kind-prefixed names for
// multi-type gets, -L label columns and --show-labels at the end.

export interface ColumnDefinition {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> }; [k: string]: unknown };
}

export interface Table {
  kind?: string;
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
  metadata?: { resourceVersion?: string; continue?: string };
}

export interface TableOptions {
  wide?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  /** `deployment.apps`: prefix of the name column when several types are printed. */
  kindPrefix?: string;
  /** Extra first column (watch --output-watch-events). */
  eventColumn?: boolean;
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

const labelHeader = (key: string): string => key.slice(key.lastIndexOf('/') + 1).toUpperCase();

function visible(cols: ColumnDefinition[], wide: boolean | undefined): number[] {
  return cols.flatMap((c, i) => (wide || !c.priority ? [i] : []));
}

export function headerLine(columns: ColumnDefinition[], opts: TableOptions): string {
  const names = visible(columns, opts.wide).map((i) => columns[i]!.name.toUpperCase());
  if (opts.withNamespace) names.unshift('NAMESPACE');
  if (opts.eventColumn) names.unshift('EVENT');
  for (const l of opts.labelColumns ?? []) names.push(labelHeader(l));
  if (opts.showLabels) names.push('LABELS');
  return names.join('\t');
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function rowLine(columns: ColumnDefinition[], row: TableRow, opts: TableOptions, event?: string): string {
  const nameIndex = columns.findIndex((c) => c.format === 'name');
  const meta = row.object?.metadata ?? {};
  const cells = visible(columns, opts.wide).map((i) => {
    const text = cellText(row.cells[i]);
    return i === nameIndex && opts.kindPrefix ? `${opts.kindPrefix}/${text}` : text;
  });
  if (opts.withNamespace) cells.unshift(meta.namespace ?? '');
  if (opts.eventColumn) cells.unshift(event ?? '');
  for (const l of opts.labelColumns ?? []) cells.push(meta.labels?.[l] ?? '');
  if (opts.showLabels) cells.push(formatLabels(meta.labels));
  return cells.join('\t');
}
