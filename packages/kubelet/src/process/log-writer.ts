// A container's log file in the CRI format the kubelet reads: one entry per line,
// `<RFC3339Nano> <stdout|stderr> <F|P> <content>`, F for a full line (its newline dropped), P for a
// part of one (a very long line, or the last bytes before exit without a newline). Writes are
// synchronous: ordered, cheap (page cache), and done by the time the exit is reported. When the
// file passes `maxBytes` it is rotated to `<file>.1` (one rotated file is kept, like
// containerLogMaxSize with two files).
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

export type LogStream = 'stdout' | 'stderr';

/** `2024-05-01T10:00:00.123000000Z`: RFC 3339 with nine fraction digits, as CRI writes it. */
export const criTimestamp = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000000Z');

/** One entry; `content` holds no newline. */
export const criLine = (ms: number, stream: LogStream, full: boolean, content: Buffer | string): Buffer =>
  Buffer.concat([Buffer.from(`${criTimestamp(ms)} ${stream} ${full ? 'F' : 'P'} `), Buffer.from(content), Buffer.from('\n')]);

const MAX_LINE = 16 * 1024;

export class LogWriter {
  private fd: number;
  private size = 0;
  private readonly partial: Record<LogStream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(
    readonly file: string,
    private readonly maxBytes = 10 * 1024 * 1024,
    private readonly now: () => number = Date.now,
  ) {
    this.fd = openSync(file, 'a');
  }

  /** Calls `fn` after each write, and once more on close. Returns an unsubscribe. */
  onWrite(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  write(stream: LogStream, chunk: Buffer): void {
    if (this.closed) return;
    let data = this.partial[stream].length ? Buffer.concat([this.partial[stream], chunk]) : chunk;
    const ts = this.now();
    const out: Buffer[] = [];
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10)) {
      out.push(criLine(ts, stream, true, data.subarray(0, nl)));
      data = data.subarray(nl + 1);
    }
    while (data.length > MAX_LINE) {
      out.push(criLine(ts, stream, false, data.subarray(0, MAX_LINE)));
      data = data.subarray(MAX_LINE);
    }
    this.partial[stream] = Buffer.from(data);
    if (out.length) this.append(Buffer.concat(out));
  }

  /** Writes what is left of unfinished lines and closes the file. */
  close(): void {
    if (this.closed) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream].length) this.append(criLine(this.now(), stream, false, this.partial[stream]));
    }
    this.closed = true;
    closeSync(this.fd);
    this.notify();
    this.listeners.clear();
  }

  private append(buf: Buffer): void {
    if (this.size > 0 && this.size + buf.length > this.maxBytes) {
      closeSync(this.fd);
      renameSync(this.file, `${this.file}.1`);
      this.fd = openSync(this.file, 'w');
      this.size = 0;
    }
    writeSync(this.fd, buf);
    this.size += buf.length;
    this.notify();
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}
