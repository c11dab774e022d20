import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatEntry, readLog, type LogReadOptions } from '../src/process/log-reader.js';
import { LogWriter, criLine } from '../src/process/log-writer.js';
import { parseLogQuery } from '../src/server/log-query.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'logs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2025-01-02T03:04:05.678Z');
const collect = async (gen: AsyncIterable<Buffer>): Promise<string> => {
  const out: Buffer[] = [];
  for await (const c of gen) out.push(c);
  return Buffer.concat(out).toString();
};

describe('LogWriter', () => {
  it('writes CRI entries: full lines, then the unfinished rest as a partial on close', () => {
    let t = T0;
    const w = new LogWriter(join(dir, '0.log'), undefined, () => t);
    w.write('stdout', Buffer.from('hello\nwor'));
    t += 1000;
    w.write('stderr', Buffer.from('oops\n'));
    w.write('stdout', Buffer.from('ld\nno newline'));
    w.close();
    expect(readFileSync(join(dir, '0.log'), 'utf8')).toBe(
      '2025-01-02T03:04:05.678000000Z stdout F hello\n' +
        '2025-01-02T03:04:06.678000000Z stderr F oops\n' +
        '2025-01-02T03:04:06.678000000Z stdout F world\n' +
        '2025-01-02T03:04:06.678000000Z stdout P no newline\n',
    );
  });

  it('rotates to .1 past maxBytes', () => {
    const w = new LogWriter(join(dir, '0.log'), 100, () => T0);
    for (let i = 0; i < 5; i++) w.write('stdout', Buffer.from(`line ${i}\n`)); // 48 bytes each
    w.close();
    expect(readFileSync(join(dir, '0.log.1'), 'utf8')).toContain('line 2');
    expect(readFileSync(join(dir, '0.log'), 'utf8')).toMatch(/line 4\n$/);
  });
});

describe('readLog', () => {
  const write = (lines: string[], file = join(dir, '0.log')): string => {
    const w = new LogWriter(file, undefined, () => T0);
    lines.forEach((l, i) => w.write(i % 2 ? 'stderr' : 'stdout', Buffer.from(l)));
    w.close();
    return file;
  };

  it.each<[string, LogReadOptions, string]>([
    ['everything', {}, 'a\nb\nc\nd\n'],
    ['the last two lines', { tailLines: 2 }, 'c\nd\n'],
    ['no lines', { tailLines: 0 }, ''],
    ['more lines than there are', { tailLines: 10 }, 'a\nb\nc\nd\n'],
    ['at most 3 bytes', { limitBytes: 3 }, 'a\nb'],
    ['timestamps', { tailLines: 1, timestamps: true }, '2025-01-02T03:04:05.678000000Z d\n'],
    ['lines since a later time: none', { sinceTime: T0 + 1 }, ''],
  ])('%s', async (_name, opts, want) => {
    const file = write(['a\n', 'b\n', 'c\n', 'd\n']);
    expect(await collect(readLog([`${file}.1`, file], opts))).toBe(want);
  });

  it('tails across the rotated file', async () => {
    const file = join(dir, '0.log');
    const w = new LogWriter(file, 100, () => T0);
    for (let i = 0; i < 5; i++) w.write('stdout', Buffer.from(`line ${i}\n`));
    w.close();
    // Two rotations: lines 0 and 1 are gone, 2 and 3 are in the rotated file.
    expect(await collect(readLog([`${file}.1`, file], { tailLines: 2 }))).toBe('line 3\nline 4\n');
    expect(await collect(readLog([`${file}.1`, file], {}))).toBe('line 2\nline 3\nline 4\n');
  });

  it('follows new lines until the writer closes', async () => {
    const file = join(dir, '0.log');
    const w = new LogWriter(file);
    w.write('stdout', Buffer.from('first\n'));
    const seen: string[] = [];
    const done = (async () => {
      for await (const chunk of readLog([file], { follow: true }, w)) {
        seen.push(chunk.toString());
        if (seen.length === 1) w.write('stdout', Buffer.from('second\n'));
        else if (seen.length === 2) w.close();
      }
    })();
    await done;
    expect(seen.join('')).toBe('first\nsecond\n');
  });

  it('stops following when aborted', async () => {
    const file = join(dir, '0.log');
    const w = new LogWriter(file);
    w.write('stdout', Buffer.from('x\n'));
    const abort = new AbortController();
    const out: string[] = [];
    for await (const chunk of readLog([file], { follow: true }, w, abort.signal)) {
      out.push(chunk.toString());
      abort.abort();
    }
    expect(out).toEqual(['x\n']);
    w.close();
  });

  it('reads a log of several MiB back exactly, long and partial lines included, with and without timestamps', async () => {
    const file = join(dir, '0.log');
    const w = new LogWriter(file, 64 * 1024 * 1024, () => T0);
    const parts: string[] = [];
    for (let i = 0; i < 40_000; i++) parts.push(i % 1000 === 7 ? `${'y'.repeat(40_000)}\n` : `line ${i} ${'x'.repeat(i % 90)}\n`);
    parts.push('unfinished');
    for (const p of parts) w.write('stdout', Buffer.from(p));
    w.close();
    const text = parts.join('');
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(await collect(readLog([file], {}))).toBe(text);
    const stamped = await collect(readLog([file], { timestamps: true }));
    expect(stamped.split('\n').filter((l) => !l.startsWith('2025-01-02T03:04:05.678000000Z '))).toEqual([]);
    expect(stamped.replaceAll('2025-01-02T03:04:05.678000000Z ', '')).toBe(text);
  });

  it('formatEntry drops what is not a CRI entry', () => {
    expect(formatEntry(Buffer.from('garbage'), {})).toBeUndefined();
    expect(formatEntry(criLine(T0, 'stdout', false, 'part').subarray(0, -1), {})?.toString()).toBe('part');
  });
});

describe('parseLogQuery', () => {
  const q = (s: string) => parseLogQuery(new URLSearchParams(s), T0);
  it.each<[string, unknown]>([
    ['', { follow: false, previous: false, timestamps: false }],
    ['follow=true&tailLines=5&timestamps=true&limitBytes=10', { follow: true, previous: false, timestamps: true, tailLines: 5, limitBytes: 10 }],
    ['previous=true&sinceSeconds=10', { follow: false, previous: true, timestamps: false, sinceTime: T0 - 10_000 }],
    ['sinceTime=2025-01-01T00:00:00Z', { follow: false, previous: false, timestamps: false, sinceTime: Date.parse('2025-01-01T00:00:00Z') }],
  ])('%s', (query, want) => expect(q(query)).toEqual(want));
  it.each(['tailLines=-1', 'limitBytes=0', 'sinceSeconds=x', 'sinceTime=never', 'sinceSeconds=1&sinceTime=2025-01-01T00:00:00Z'])('rejects %s', (query) =>
    expect(() => q(query)).toThrow(),
  );
});
