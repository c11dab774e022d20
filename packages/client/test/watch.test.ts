import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { findResource, type WatchEvent } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { ApiClient } from '../src/index.js';
import { fakeServer, sendJSON, type FakeServer, type Handler } from './fake-server.js';

const pods = findResource('', 'v1', 'pods')!;

let server: FakeServer | undefined;
let client: ApiClient | undefined;

async function setup(handler: Handler) {
  server = await fakeServer(handler);
  client = new ApiClient({ server: server.url });
  return { server, client };
}

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

const event = (type: string, name: string) =>
  JSON.stringify({ type, object: { kind: 'Pod', apiVersion: 'v1', metadata: { name, labels: { note: 'héllo' } } } });

async function collect(stream: AsyncIterable<WatchEvent>): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

describe('watch', () => {
  it('parses events split across chunks (even inside a UTF-8 character) and ends when the server closes', async () => {
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(`${event('ADDED', 'a')}\n${event('MODIFIED', 'b')}\n${event('DELETED', 'c')}`);
      const cut = bytes.indexOf(Buffer.from('é')) + 1; // splits the two bytes of "é"
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.end(bytes.subarray(cut)), 20);
    });
    const events = await collect(client.watch(pods, { namespace: 'ns', resourceVersion: '5', allowWatchBookmarks: true, timeoutSeconds: 30 }));
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'MODIFIED b', 'DELETED c']);
    expect(events[0]!.object.metadata.labels).toEqual({ note: 'héllo' });
    expect(server.requests[0]!.url).toBe('/api/v1/namespaces/ns/pods?resourceVersion=5&allowWatchBookmarks=true&timeoutSeconds=30&watch=true');
  });

  it('joins a line that spans many chunks, and lines that share one', async () => {
    const { client } = await setup(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(`${event('ADDED', 'a')}\n${event('MODIFIED', 'b')}\n\n${event('ADDED', 'c')}\n${event('DELETED', 'd')}`);
      const first = bytes.indexOf(Buffer.from('MODIFIED')) + 3; // a whole line and a piece in one chunk
      res.write(bytes.subarray(0, first));
      // The rest of the second line in 7-byte chunks (several of them within "héllo"), each sent apart.
      const second = bytes.indexOf(Buffer.from('ADDED'), first) + 2;
      for (let at = first; at < second; at += 7) {
        res.write(bytes.subarray(at, Math.min(at + 7, second)));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      res.end(bytes.subarray(second)); // ends without a newline
    });
    const events = await collect(client.watch(pods));
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'MODIFIED b', 'ADDED c', 'DELETED d']);
    expect(events.every((e) => e.object.metadata.labels?.note === 'héllo')).toBe(true);
  });

  it('is ready once headers arrive, and close() ends the iteration quietly', async () => {
    let open: ServerResponse | undefined;
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      open = res;
    });
    const stream = client.watch(pods);
    await stream.ready;
    open!.write(`${event('ADDED', 'a')}\n`);
    const seen: string[] = [];
    for await (const e of stream) {
      seen.push(e.object.metadata.name!);
      stream.close();
    }
    expect(seen).toEqual(['a']);
  });

  it('stops when the caller signal aborts', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`${event('ADDED', 'a')}\n`);
    });
    const ac = new AbortController();
    const seen: string[] = [];
    for await (const e of client.watch(pods, { signal: ac.signal })) {
      seen.push(e.type);
      setTimeout(() => ac.abort(), 10);
    }
    expect(seen).toEqual(['ADDED']);
  });

  it('yields ERROR events and throws StatusError when the watch is refused', async () => {
    let calls = 0;
    const { client } = await setup((_req, res) => {
      if (calls++ === 0) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', metadata: {} } })}\n`);
      } else {
        sendJSON(res, 403, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', message: 'no', code: 403 });
      }
    });
    const events = await collect(client.watch(pods));
    expect(events).toEqual([{ type: 'ERROR', object: expect.objectContaining({ code: 410, reason: 'Expired' }) }]);

    const refused = client.watch(pods);
    await expect(refused.ready).rejects.toBeInstanceOf(StatusError);
    await expect(collect(refused)).rejects.toMatchObject({ code: 403, reason: 'Forbidden' });
  });

  it('fails on a line that is not a watch event', async () => {
    const { client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"type":"ADDED"\n');
    });
    await expect(collect(client.watch(pods))).rejects.toThrow(/unable to decode watch event/);
  });

  it('omits managedFields when asked (client-side: not in the query), also for lines split across chunks', async () => {
    const managedFields = [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }];
    const line = (name: string) => JSON.stringify({ type: 'MODIFIED', object: { kind: 'Pod', metadata: { name, managedFields, labels: { note: 'héllo' } } } });
    const { server, client } = await setup((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(`${line('a')}\n${line('b')}\n`);
      const cut = bytes.indexOf(Buffer.from('manager'), bytes.indexOf(Buffer.from('"b"'))); // inside b's managedFields
      res.write(bytes.subarray(0, cut));
      setTimeout(() => res.end(bytes.subarray(cut)), 20);
    });
    const events = await collect(client.watch(pods, { omitManagedFields: true }));
    expect(events.map((e) => e.object.metadata)).toEqual([
      { name: 'a', labels: { note: 'héllo' } },
      { name: 'b', labels: { note: 'héllo' } },
    ]);
    expect(server.requests[0]!.url).toBe('/api/v1/pods?watch=true');
    await client.close();
    await server.close();
    const kept = await collect((await setup((_req, res) => res.end(`${line('c')}\n`))).client.watch(pods));
    expect(kept[0]!.object.metadata.managedFields).toEqual(managedFields);
  });
});

describe('watch over a dispatcher that gives text', () => {
  /** A dispatcher answering every request 200 with these chunks, as the daemon's in-process transport may. */
  const textDispatcher = (chunks: (string | Buffer)[]) => ({
    request: async () => ({
      statusCode: 200,
      headers: {},
      body: Object.assign(
        (async function* () {
          yield* chunks;
        })(),
        { destroy: () => undefined, text: async () => '', arrayBuffer: async () => new ArrayBuffer(0) },
      ),
    }),
    close: async () => undefined,
  });

  it('parses whole text lines as they are, a line continued in bytes, and cuts managedFields from text', async () => {
    const managedFields = [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }];
    const withFields = JSON.stringify({ type: 'MODIFIED', object: { kind: 'Pod', metadata: { name: 'd', managedFields } } });
    const split = event('ADDED', 'c');
    const chunks = [`${event('ADDED', 'a')}\n${event('MODIFIED', 'b')}\n${split.slice(0, 10)}`, Buffer.from(`${split.slice(10)}\n`), `${withFields}\n`];
    const textClient = new ApiClient({ server: 'http://127.0.0.1:1', dispatcher: textDispatcher(chunks), omitManagedFields: true });
    const events = await collect(textClient.watch(pods));
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'a'],
      ['MODIFIED', 'b'],
      ['ADDED', 'c'],
      ['MODIFIED', 'd'],
    ]);
    expect(events[0]!.object.metadata.labels).toEqual({ note: 'héllo' });
    expect(events[3]!.object.metadata).toEqual({ name: 'd' });
  });
});
