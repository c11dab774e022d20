// Reads a container's CRI log files back as `kubectl logs` shows them (the kubelet's
// ReadLogs, reduced): content only or with timestamps, the last N lines, lines since a time, at
// most N bytes, and in follow mode new lines as they are written until the container exits.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

export interface LogReadOptions {
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  /** ms since the epoch: lines stamped earlier are skipped. */
  sinceTime?: number;
  limitBytes?: number;
}

/** What follow mode waits on: the writer's notifications, and whether it has closed. */
export interface LogFollow {
  onWrite(fn: () => void): () => void;
  readonly isClosed: boolean;
}

/** One entry turned into output bytes, or undefined when `sinceTime` filters it out. */
export function formatEntry(line: Buffer, opts: LogReadOptions): Buffer | undefined {
  const s1 = line.indexOf(32);
  const s2 = line.indexOf(32, s1 + 1);
  const s3 = line.indexOf(32, s2 + 1);
  if (s1 < 0 || s2 < 0 || s3 < 0) return undefined; // not a CRI entry
  const ts = line.subarray(0, s1).toString();
  if (opts.sinceTime !== undefined && Date.parse(ts) < opts.sinceTime) return undefined;
  const full = line[s2 + 1] === 70; // 'F'
  const content = line.subarray(s3 + 1);
  const parts = opts.timestamps ? [Buffer.from(ts + ' '), content] : [content];
  if (full) parts.push(Buffer.from('\n'));
  return Buffer.concat(parts);
}

const CHUNK = 64 * 1024;

/** The offset in `file` where its last `lines` entries start, or how many entries are still wanted before it. */
export function tailOffset(file: string, lines: number): { offset: number; missing: number } {
  const size = statSync(file).size;
  if (lines <= 0) return { offset: size, missing: 0 };
  const fd = openSync(file, 'r');
  try {
    let found = 0;
    let pos = size;
    const buf = Buffer.alloc(CHUNK);
    // The file ends with a newline; the (lines + 1)-th newline from the end precedes the first wanted entry.
    while (pos > 0) {
      const start = Math.max(0, pos - CHUNK);
      const n = readSync(fd, buf, 0, pos - start, start);
      for (let i = n - 1; i >= 0; i--) {
        if (buf[i] !== 10) continue;
        if (++found === lines + 1) return { offset: start + i + 1, missing: 0 };
      }
      pos = start;
    }
    return { offset: 0, missing: lines - Math.max(0, found) };
  } finally {
    closeSync(fd);
  }
}

/** The files to read, oldest first, each with the offset to start at. */
function startPoints(files: readonly string[], tailLines: number | undefined): { file: string; offset: number }[] {
  const present = files.filter((f) => existsSync(f));
  if (tailLines === undefined) return present.map((file) => ({ file, offset: 0 }));
  const out: { file: string; offset: number }[] = [];
  let wanted = tailLines;
  for (const file of [...present].reverse()) {
    const { offset, missing } = tailOffset(file, wanted);
    out.unshift({ file, offset });
    wanted = missing;
    if (wanted <= 0) break;
  }
  return out;
}

/**
 * The log as output chunks. `files` are oldest first (a rotated file, then the current one); the
 * last one is followed when `follow` is given and not closed.
 */
export async function* readLog(files: readonly string[], opts: LogReadOptions, follow?: LogFollow, signal?: AbortSignal): AsyncGenerator<Buffer> {
  let budget = opts.limitBytes ?? Infinity;
  const current = files.at(-1);
  const following = opts.follow && follow && current !== undefined;
  let offset = 0; // where following the current file starts
  for (const point of startPoints(files, opts.tailLines)) {
    if (following && point.file === current) {
      offset = point.offset;
      break;
    }
    for (const chunk of readEntries(point.file, point.offset, opts)) {
      if (budget <= 0) return;
      const out = chunk.subarray(0, budget);
      budget -= out.length;
      yield out;
    }
  }
  if (!following) return;
  // Read the current file to its end, wait for a write, repeat until the writer has closed.
  for (;;) {
    const closed = follow.isClosed; // sampled before reading, so a last write is not missed
    const wake = nextWrite(follow, signal);
    if (existsSync(current) && statSync(current).size < offset) offset = 0; // rotated meanwhile
    for (const chunk of readEntries(current, offset, opts, (end) => (offset = end))) {
      if (budget <= 0) return wake.cancel();
      const out = chunk.subarray(0, budget);
      budget -= out.length;
      yield out;
    }
    if (closed || signal?.aborted) return wake.cancel();
    await wake.promise;
  }
}

function nextWrite(follow: LogFollow, signal?: AbortSignal): { promise: Promise<void>; cancel(): void } {
  let cancel = (): void => {};
  const promise = new Promise<void>((resolve) => {
    const done = (): void => {
      off();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const off = follow.onWrite(done);
    signal?.addEventListener('abort', done, { once: true });
    cancel = done;
  });
  return { promise, cancel };
}

/** Complete entries of `file` from `offset` in output form, batched per read; reports the offset reached. */
function* readEntries(file: string, offset: number, opts: LogReadOptions, reached?: (offset: number) => void): Generator<Buffer> {
  if (!existsSync(file)) return;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0);
    let pos = offset;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      pos += n;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const last = data.lastIndexOf(10);
      if (last < 0) {
        carry = Buffer.from(data);
        continue;
      }
      const out: Buffer[] = [];
      let start = 0;
      for (let nl = data.indexOf(10); nl >= 0 && nl <= last; nl = data.indexOf(10, start)) {
        const entry = formatEntry(data.subarray(start, nl), opts);
        if (entry) out.push(entry);
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(last + 1));
      reached?.(pos - carry.length);
      if (out.length) yield Buffer.concat(out);
    }
  } finally {
    closeSync(fd);
  }
}
