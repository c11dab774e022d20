// Reads a container's CRI log files back as `kubectl logs` shows them (the kubelet's
// ReadLogs, reduced): content only or with timestamps, the last N lines, lines since a time, at
// most N bytes, and in follow mode new lines as they are written until the container exits.
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

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

/**
 * Copies the output form of the entry `data[start, end)` (no newline) into `out` at `at`; returns
 * where the output ends, or -1 when the entry is skipped (not a CRI entry, or before `sinceTime`).
 * The output is never longer than the entry plus its newline: the stream and tag are dropped.
 */
function copyEntry(data: Buffer, start: number, end: number, opts: LogReadOptions, out: Buffer, at: number): number {
  const s1 = data.indexOf(32, start);
  const s2 = s1 < 0 ? -1 : data.indexOf(32, s1 + 1);
  const s3 = s2 < 0 ? -1 : data.indexOf(32, s2 + 1);
  if (s3 < 0 || s3 >= end) return -1; // not a CRI entry
  if (opts.sinceTime !== undefined && Date.parse(data.toString('latin1', start, s1)) < opts.sinceTime) return -1;
  let w = at;
  if (opts.timestamps) w += data.copy(out, w, start, s1 + 1);
  w += data.copy(out, w, s3 + 1, end);
  if (data[s2 + 1] === 70) out[w++] = 10; // 'F': a full line gets its newline back
  return w;
}

/** One entry turned into output bytes, or undefined when `sinceTime` filters it out. */
export function formatEntry(line: Buffer, opts: LogReadOptions): Buffer | undefined {
  const out = Buffer.allocUnsafe(line.length + 1);
  const end = copyEntry(line, 0, line.length, opts, out, 0);
  return end < 0 ? undefined : out.subarray(0, end);
}

/** The output form of the complete entries of `data` up to its newline at `last`, in one buffer. */
function formatEntries(data: Buffer, last: number, opts: LogReadOptions): Buffer {
  const out = Buffer.allocUnsafe(last + 1);
  let w = 0;
  for (let start = 0; start <= last; ) {
    const nl = data.indexOf(10, start);
    const end = copyEntry(data, start, nl, opts, out, w);
    if (end >= 0) w = end;
    start = nl + 1;
  }
  return out.subarray(0, w);
}

const CHUNK = 64 * 1024;
/** Reads of whole logs go in bigger steps: fewer, larger writes to the response. */
const READ_CHUNK = 1024 * 1024;

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
    // Sized to what is there now: a follower woken by each small write does not allocate 1 MiB each time.
    const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(CHUNK, fstatSync(fd).size - offset)));
    let carry = Buffer.alloc(0);
    let pos = offset;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const last = data.lastIndexOf(10);
      if (last < 0) {
        carry = Buffer.from(data);
        continue;
      }
      const out = formatEntries(data, last, opts);
      carry = Buffer.from(data.subarray(last + 1));
      reached?.(pos - carry.length);
      if (out.length) yield out;
    }
  } finally {
    closeSync(fd);
  }
}
