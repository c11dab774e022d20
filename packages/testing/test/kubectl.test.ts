// Runs the real kubectl against a throwaway HTTP server that answers /version and a few raw paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasKubectl, kubectl, kubectlStream, makeTempDir } from '../src/index.js';

const requests: string[] = [];
const held: ServerResponse[] = [];
const server = createServer((req, res) => {
  requests.push(`${req.method} ${req.url}`);
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '';
    if (url.startsWith('/version')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.7-testing', platform: 'linux/amd64' }));
    } else if (url === '/echo') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`got: ${Buffer.concat(chunks).toString()}`);
    } else if (url === '/lines') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('a\nb\n');
    } else if (url === '/held') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first\n');
      held.push(res);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('nothing here');
    }
  });
});

let kubeconfig = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  kubeconfig = join(makeTempDir(), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe.skipIf(!hasKubectl())('kubectl runner (real kubectl)', () => {
  it('runs a command with the kubeconfig and keeps the dispatcher cache between calls', async () => {
    const first = await kubectl(['version', '-o', 'json'], { kubeconfig });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).serverVersion.gitVersion).toBe('v1.32.7-testing');
    await kubectl(['version', '-o', 'json'], { kubeconfig });
    // The dispatcher asks /version?timeout=5s once, then answers from the (stable) cache dir.
    expect(requests.filter((r) => r === 'GET /version?timeout=5s').length).toBeLessThanOrEqual(1);
  });

  it('passes stdin and reports failures with their exit code and stderr', async () => {
    const echoed = await kubectl(['create', '--raw', '/echo', '-f', '-'], { kubeconfig, stdin: '{"hello":"world"}' });
    expect(echoed).toMatchObject({ code: 0, stdout: 'got: {"hello":"world"}' });
    const missing = await kubectl(['get', '--raw', '/missing'], { kubeconfig });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NotFound/);
  });

  it('streams lines as they arrive and can be stopped', async () => {
    const stream = kubectlStream(['get', '--raw', '/held'], { kubeconfig });
    expect(await stream.waitForLine('first', 15_000)).toBe('first');
    held.shift()!.write('second\n');
    expect(await stream.next(15_000)).toBe('second');
    const result = await stream.stop();
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('first\nsecond');
  });

  it('ends the stream when kubectl exits by itself', async () => {
    const stream = kubectlStream(['get', '--raw', '/lines'], { kubeconfig });
    const lines: string[] = [];
    for await (const line of stream) lines.push(line);
    expect(lines).toEqual(['a', 'b']);
    expect((await stream.done).code).toBe(0);
  });

  it('kills kubectl and rejects after timeoutMs', async () => {
    await expect(kubectl(['get', '--raw', '/held'], { kubeconfig, timeoutMs: 1_000 })).rejects.toThrow(/did not finish within 1000ms[\s\S]*first/);
  });
});
