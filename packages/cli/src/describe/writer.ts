// kubectl's describe PrefixWriter over Go's tabwriter (minwidth 0, padding 2): text is written at
// an indent level of two spaces each; `flush` closes a block of aligned columns (kubectl flushes
// before the Events table, so it aligns on its own).
import { tabulate } from '../printers/tabwriter.js';

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;

export class PrefixWriter {
  private pending = '';
  private done = '';

  write(level: number, text: string): void {
    this.pending += '  '.repeat(level) + text;
  }

  /** Go's fmt.Sprintln of one string: the text and a newline, no indent. */
  line(text: string): void {
    this.pending += `${text}\n`;
  }

  flush(): void {
    if (!this.pending) return;
    const lines = this.pending.split('\n');
    const tail = lines.pop() ?? ''; // text after the last newline stays pending
    this.done += tabulate(lines, { minWidth: 0, padding: 2, rememberWidths: false });
    this.pending = tail;
  }

  /** Everything written, tabs left as they are (how `rollout history --revision` prints a template). */
  raw(): string {
    return this.done + this.pending;
  }

  toString(): string {
    this.flush();
    return this.done + this.pending;
  }
}
