// The daemon's in-process transport: an ApiClient over a MessagePort to a real API server (memory
// store) gets what it would get over HTTP — objects, Status errors, warnings, lists, watches that
// end on both sides, the paths Fastify routes (version, metrics).
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource, type KObject } from '@mini-kube/api';
import { ApiServer } from '@mini-kube/apiserver';
import { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import { openStore } from '@mini-kube/store';
import { waitFor } from '@mini-kube/testing';
import { ChannelDispatcher } from '../src/api-channel-client.js';
import { serveApiChannel, type ApiChannelServer } from '../src/api-channel-server.js';

const CONFIGMAPS = findResource('', 'v1', 'configmaps')!;
const configMap = (name: string, data: Record<string, string> = { a: '1' }): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data }) as KObject;

let server: ApiServer;
let channel: ApiChannelServer;
let client: ApiClient;
let http: ApiClient;
const warnings: string[] = [];

beforeAll(async () => {
  server = new ApiServer({ store: await openStore('memory') });
  const url = `http://${await server.listen('127.0.0.1', 0)}`;
  const { port1, port2 } = new MessageChannel();
  channel = serveApiChannel(port1, (ex) => server.serve(ex));
  client = new ApiClient({ server: url, userAgent: 'channel-test', dispatcher: new ChannelDispatcher(port2), onWarning: (w) => warnings.push(w) });
  http = new ApiClient({ server: url });
});

afterAll(async () => {
  await client.close();
  channel.close();
  await http.close();
  await server.close();
});

describe('the in-process transport', () => {
  it('creates, reads and updates objects as HTTP does, with the same stored result', async () => {
    const created = await client.create(CONFIGMAPS, configMap('one'));
    expect(created.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata.managedFields?.[0]?.manager).toBe('channel-test');
    const overHttp = await http.get(CONFIGMAPS, 'one');
    expect(await client.get(CONFIGMAPS, 'one')).toEqual(overHttp);
    const updated = await client.update(CONFIGMAPS, { ...overHttp, data: { a: '2' } } as KObject);
    expect((updated as KObject & { data: Record<string, string> }).data).toEqual({ a: '2' });
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
  });

  it('turns failures into the Status errors of HTTP: reason, code, causes', async () => {
    const missing = await client.get(CONFIGMAPS, 'absent').catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(StatusError);
    expect(missing).toMatchObject({ code: 404, reason: 'NotFound', message: 'configmaps "absent" not found' });
    const invalid = await client.create(CONFIGMAPS, configMap('Bad_Name')).catch((err: unknown) => err);
    expect(invalid).toMatchObject({ code: 422, reason: 'Invalid' });
    expect((invalid as StatusError).details?.causes?.[0]?.field).toBe('metadata.name');
    const conflict = await client.update(CONFIGMAPS, { ...configMap('one'), metadata: { name: 'one', namespace: 'default', resourceVersion: '1' } } as KObject).catch((err: unknown) => err);
    expect(conflict).toMatchObject({ code: 409, reason: 'Conflict' });
  });

  it('passes every Warning header on', async () => {
    warnings.length = 0;
    await client.create(CONFIGMAPS, { ...configMap('warned'), bogus: 1, extra: 2 } as KObject);
    expect(warnings.sort()).toEqual(['unknown field "bogus"', 'unknown field "extra"']);
  });

  it('answers a burst larger than one batch of messages, and lists in chunks: every item', async () => {
    // 150 requests in one tick: the outbox posts them in several batches, the answers come back so too.
    const created = await Promise.all(Array.from({ length: 150 }, (_, i) => client.create(CONFIGMAPS, configMap(`listed-${i}`))));
    expect(new Set(created.map((cm) => cm.metadata.name)).size).toBe(150);
    const list = await client.list(CONFIGMAPS, { namespace: 'default', labelSelector: '' });
    expect(list.items.filter((cm) => cm.metadata.name?.startsWith('listed-'))).toHaveLength(150);
    expect(list.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(channel.openStreams).toBe(0);
  });

  it('streams watch events, and a closed watch ends on the server too', async () => {
    const watch = client.watch(CONFIGMAPS, { namespace: 'default', fieldSelector: 'metadata.name=watched', omitManagedFields: true });
    await watch.ready;
    expect(channel.openStreams).toBe(1);
    await client.create(CONFIGMAPS, configMap('watched'));
    await client.patch(CONFIGMAPS, 'watched', { data: { a: 'patched' } });
    const seen: string[] = [];
    for await (const event of watch) {
      expect(event.object.metadata.managedFields).toBeUndefined();
      seen.push(`${event.type} ${(event.object as KObject & { data: Record<string, string> }).data.a}`);
      if (seen.length === 2) break; // leaving the loop closes the watch
    }
    expect(seen).toEqual(['ADDED 1', 'MODIFIED patched']);
    await waitFor(() => channel.openStreams === 0, { timeoutMs: 5000 });
  });

  it('ends a watch on the server when its signal aborts', async () => {
    const abort = new AbortController();
    const watch = client.watch(CONFIGMAPS, { namespace: 'default', signal: abort.signal });
    await watch.ready;
    expect(channel.openStreams).toBe(1);
    abort.abort();
    const events = [];
    for await (const event of watch) events.push(event); // ends quietly: an abort is no error
    expect(events).toEqual([]);
    await waitFor(() => channel.openStreams === 0, { timeoutMs: 5000 });
  });

  it('never starts a watch cancelled before the server answered it', async () => {
    const abort = new AbortController();
    const watch = client.watch(CONFIGMAPS, { namespace: 'default', signal: abort.signal });
    abort.abort(); // the cancel follows the request in the same batch of messages
    await expect(watch.ready).rejects.toThrow('aborted');
    // A round trip after: the server has handled both messages by then.
    await client.get(CONFIGMAPS, 'one');
    expect(channel.openStreams).toBe(0);
  });

  it('answers the paths Fastify routes (version, discovery, metrics) as over HTTP', async () => {
    for (const path of ['/version', '/apis', '/api/v1', '/apis/metrics.k8s.io/v1beta1/nodes']) {
      const [viaChannel, viaHttp] = await Promise.all([client.request('GET', path), http.request('GET', path)]);
      expect(viaChannel.statusCode).toBe(viaHttp.statusCode);
      expect(viaChannel.json()).toEqual(viaHttp.json());
    }
    const missing = await client.request('GET', '/nothing-here').catch((err: unknown) => err);
    expect(missing).toMatchObject({ code: 404 });
  });

  it('ends a stream whose writer fails after its head with that error', async () => {
    // A server of its own whose watch writes one event, then fails (as a store error would).
    const { port1, port2 } = new MessageChannel();
    const failing = serveApiChannel(port1, async () => ({
      code: 200,
      contentType: 'application/json',
      body: async (sink) => {
        sink.write('{"type":"ADDED","object":{"metadata":{"name":"first"}}}\n');
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('the store failed');
      },
    }));
    const short = new ApiClient({ server: 'http://in-process', dispatcher: new ChannelDispatcher(port2) });
    const seen: string[] = [];
    const iterate = async (): Promise<void> => {
      for await (const event of short.watch(CONFIGMAPS, { namespace: 'default' })) seen.push(event.object.metadata.name!);
    };
    await expect(iterate()).rejects.toThrow('the store failed');
    expect(seen).toEqual(['first']);
    expect(failing.openStreams).toBe(0);
    await short.close();
    failing.close();
  });

  it('refuses requests after close', async () => {
    const { port1, port2 } = new MessageChannel();
    const closing = serveApiChannel(port1, (ex) => server.serve(ex));
    const short = new ApiClient({ server: 'http://in-process', dispatcher: new ChannelDispatcher(port2) });
    expect((await short.get(CONFIGMAPS, 'one', { namespace: 'default' })).metadata.name).toBe('one');
    await short.close();
    await expect(short.get(CONFIGMAPS, 'one', { namespace: 'default' })).rejects.toThrow('the client is closed');
    closing.close();
  });
});
