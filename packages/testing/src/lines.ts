// Lines of a stream, consumed in order by iteration or by waiting for a matching one.
import { StringDecoder } from 'node:string_decoder';

export type LineMatch = string | RegExp | ((line: string) => boolean);

export class LineReader implements AsyncIterable<string> {
  /** Every complete line received so far. */
  readonly lines: string[] = [];
  private cursor = 0;
  private partial = '';
  private ended = false;
  private readonly decoder = new StringDecoder('utf8');
  private wake: () => void = () => undefined;
  private changed = this.nextChange();

  push(chunk: Buffer | string): void {
    const parts = (this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))).split('\n');
    this.partial = parts.pop()!;
    this.lines.push(...parts);
    this.notify();
  }

  end(): void {
    const rest = this.partial + this.decoder.end();
    if (rest) this.lines.push(rest);
    this.partial = '';
    this.ended = true;
    this.notify();
  }

  /** The next unread line; undefined when the stream ended (or the timeout passed). */
  async next(timeoutMs = Infinity): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.cursor >= this.lines.length) {
      if (this.ended) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = Number.isFinite(left) ? new Promise<void>((r) => (timer = setTimeout(r, left))) : new Promise<void>(() => undefined);
      await Promise.race([this.changed, timeout]);
      clearTimeout(timer);
    }
    return this.lines[this.cursor++];
  }

  /** Reads lines until one matches and returns it; throws when the stream ends or time runs out. */
  async waitForLine(match: LineMatch, timeoutMs = 10_000): Promise<string> {
    const test = typeof match === 'function' ? match : (l: string) => (typeof match === 'string' ? l.includes(match) : match.test(l));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.next(deadline - Date.now());
      if (line === undefined) {
        const why = this.ended ? 'the output ended' : `${timeoutMs}ms passed`;
        throw new Error(`no line matching ${String(match)} before ${why}; lines so far:\n${this.lines.join('\n')}`);
      }
      if (test(line)) return line;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (let line = await this.next(); line !== undefined; line = await this.next()) yield line;
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    this.wake();
    this.changed = this.nextChange();
  }
}
