import { describe, expect, it } from 'vitest';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort, LineReader, makeTempDir, waitFor } from '../src/index.js';

describe('waitFor', () => {
  it('polls until the function returns a truthy value, treating errors as not yet', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls++;
        if (calls < 2) throw new Error('not yet');
        return calls >= 4 ? `done after ${calls}` : undefined;
      },
      { intervalMs: 5 },
    );
    expect(value).toBe('done after 4');
  });

  it('reports the last error on timeout', async () => {
    const started = Date.now();
    await expect(waitFor(() => { throw new Error('still broken'); }, { timeoutMs: 60, intervalMs: 10, message: 'the thing' })).rejects.toThrow(
      /timed out after 60ms waiting for the thing \(still broken\)/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('freePort and makeTempDir', () => {
  it('gives a port that can be listened on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('makes distinct existing directories', () => {
    const a = makeTempDir();
    const b = makeTempDir('other-');
    expect(a).not.toBe(b);
    expect(statSync(a).isDirectory() && existsSync(b)).toBe(true);
  });
});

describe('LineReader', () => {
  it('splits chunks into lines, keeps the partial last line until the end', async () => {
    const reader = new LineReader();
    reader.push('al');
    reader.push(Buffer.from('pha\nbeta\ngam'));
    reader.push('ma');
    setTimeout(() => reader.end(), 10);
    const lines: string[] = [];
    for await (const line of reader) lines.push(line);
    expect(lines).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('waits for a matching line, consuming the ones before it', async () => {
    const reader = new LineReader();
    setTimeout(() => reader.push('one\ntwo: 2\nthree\n'), 10);
    expect(await reader.waitForLine(/two: \d/)).toBe('two: 2');
    expect(await reader.next()).toBe('three');
    await expect(reader.waitForLine('four', 30)).rejects.toThrow(/no line matching four before 30ms passed/);
    reader.end();
    await expect(reader.waitForLine((l) => l === 'x')).rejects.toThrow(/the output ended/);
  });
});
