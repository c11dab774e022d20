// Go's text/tabwriter as kubectl configures it for tables (minwidth 6, padding 3, pad ' ', and
// kubectl's RememberWidths flag: column widths only grow across flushes, so watch rows stay
// aligned) or, with other options, as describe does (minwidth 0, padding 2, no memory).
// Cells end with '\t'; the last cell of a line is not aligned.

export interface TabWriterOptions {
  minWidth?: number;
  padding?: number;
  rememberWidths?: boolean;
}

const width = (s: string): number => [...s].length;

export class TabWriter {
  private lines: string[][] = [];
  private widths: number[] = [];
  private remembered: number[] = [];
  private readonly minWidth: number;
  private readonly padding: number;
  private readonly remember: boolean;

  constructor(opts: TabWriterOptions = {}) {
    this.minWidth = opts.minWidth ?? 6;
    this.padding = opts.padding ?? 3;
    this.remember = opts.rememberWidths ?? true;
  }

  /** Buffers text; every '\n' ends a line. */
  write(text: string): void {
    const parts = text.split('\n');
    parts.pop(); // text always ends with '\n' in our callers
    for (const line of parts) this.lines.push(line.split('\t'));
  }

  /** Formats and returns everything buffered since the last flush. */
  flush(): string {
    const out: string[] = [];
    this.format(out, 0, this.lines.length);
    this.lines = [];
    this.widths = [];
    return out.join('');
  }

  /** Forget remembered widths (kubectl does this between tables of different types). */
  resetWidths(): void {
    this.remembered = [];
  }

  private format(out: string[], line0: number, line1: number): void {
    const column = this.widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= this.lines[i]!.length - 1) continue;
      this.writeLines(out, line0, i);
      line0 = i;
      let w = this.minWidth;
      for (; i < line1; i++) {
        const line = this.lines[i]!;
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column]!) + this.padding);
      }
      if (this.remember) {
        if (this.remembered.length > column) w = this.remembered[column] = Math.max(this.remembered[column]!, w);
        else this.remembered.push(w);
      }
      this.widths.push(w);
      this.format(out, line0, i);
      this.widths.pop();
      line0 = i;
      i--; // the loop's i++ must revisit the line that ended the block
    }
    this.writeLines(out, line0, line1);
  }

  private writeLines(out: string[], line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i]!;
      let text = '';
      line.forEach((cell, j) => {
        text += cell;
        if (j < this.widths.length && j < line.length - 1) text += ' '.repeat(Math.max(0, this.widths[j]! - width(cell)));
      });
      out.push(`${text}\n`);
    }
  }
}

/** One-shot formatting of tab-separated lines. */
export function tabulate(lines: string[], opts?: TabWriterOptions): string {
  const w = new TabWriter(opts);
  for (const l of lines) w.write(`${l}\n`);
  return w.flush();
}
