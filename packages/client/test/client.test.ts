import { afterEach, describe, expect, it } from 'vitest';
import { OMIT_MANAGED_FIELDS_HEADER, findResource, type KObject } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import { ApiClient } from '../src/index.js';
import { echo, fakeServer, sendJSON, type FakeServer, type Handler } from './fake-server.js';

const pods = findResource('', 'v1', 'pods')!;
const deployments = findResource('apps', 'v1', 'deployments')!;
const namespaces = findResource('', 'v1', 'namespaces')!;

let server: FakeServer | undefined;
let client: ApiClient | undefined;

async function setup(handler: Handler, opts: { prefix?: string; token?: string; namespace?: string } = {}) {
  server = await fakeServer(handler);
  client = new ApiClient({ server: server.url + (opts.prefix ?? ''), token: opts.token, namespace: opts.namespace });
  return { server, client };
}

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = server = undefined;
});

const pod = (name: string, namespace?: string): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace } });

describe('ApiClient verbs', () => {
  it('gets, lists and creates with the right paths, queries and headers', async () => {
    const { server, client } = await setup(echo, { token: 'tok', namespace: 'team' });
    await client.get(pods, 'p1');
    await client.list(deployments, { labelSelector: 'app=web', limit: 2, continue: 'c1' });
    await client.list(pods, { namespace: 'ns2', fieldSelector: 'spec.nodeName=n1' });
    await client.create(pods, pod('p2', 'objns'), { dryRun: true, fieldManager: 'me', fieldValidation: 'Strict' });
    await client.create(namespaces, { metadata: { name: 'x' } });

    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/namespaces/team/pods/p1',
      'GET /apis/apps/v1/deployments?labelSelector=app%3Dweb&limit=2&continue=c1',
      'GET /api/v1/namespaces/ns2/pods?fieldSelector=spec.nodeName%3Dn1',
      'POST /api/v1/namespaces/objns/pods?dryRun=All&fieldManager=me&fieldValidation=Strict',
      'POST /api/v1/namespaces',
    ]);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok');
    expect(server.requests[3]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[3]!.body).metadata.name).toBe('p2');
  });

  it('updates, updates status and writes subresources', async () => {
    const { server, client } = await setup(echo);
    const res = await client.update(deployments, { metadata: { name: 'web', namespace: 'd' } });
    expect(res.method).toBe('PUT');
    await client.updateStatus(pods, pod('p1'));
    await client.createSubresource(pods, 'p1', 'binding', { target: { kind: 'Node', name: 'n1' } });
    await client.updateSubresource(deployments, 'web', 'scale', { spec: { replicas: 3 } }, { namespace: 'd' });
    await client.getSubresource(deployments, 'web', 'scale', { namespace: 'd' });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /apis/apps/v1/namespaces/d/deployments/web',
      'PUT /api/v1/namespaces/default/pods/p1/status',
      'POST /api/v1/namespaces/default/pods/p1/binding',
      'PUT /apis/apps/v1/namespaces/d/deployments/web/scale',
      'GET /apis/apps/v1/namespaces/d/deployments/web/scale',
    ]);
    await expect(client.update(pods, { metadata: {} })).rejects.toThrow(/no metadata.name/);
  });

  it('sends a /status write only the metadata and status, which is all the server takes of it', async () => {
    const { server, client } = await setup(echo);
    const running = { ...pod('p1'), spec: { containers: [{ name: 'c', image: 'i' }] }, status: { phase: 'Running' } };
    await client.updateStatus(pods, running);
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, status: { phase: 'Running' } });
  });

  it('sends each patch type with its content type', async () => {
    const { server, client } = await setup(echo);
    await client.patch(pods, 'p', { metadata: { labels: { a: 'b' } } });
    await client.patch(pods, 'p', [{ op: 'remove', path: '/metadata/labels' }], { type: 'json' });
    await client.patch(pods, 'p', { spec: {} }, { type: 'strategic', subresource: 'status' });
    await client.patch(pods, 'p', pod('p'), { type: 'apply', fieldManager: 'm', force: true });
    expect(server.requests.map((r) => r.headers['content-type'])).toEqual([
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    expect(server.requests[1]!.body).toBe('[{"op":"remove","path":"/metadata/labels"}]');
    expect(server.requests[2]!.url).toBe('/api/v1/namespaces/default/pods/p/status');
    expect(server.requests[3]!.url).toBe('/api/v1/namespaces/default/pods/p?fieldManager=m&force=true');
  });

  it('deletes with a DeleteOptions body and deletes collections by selector', async () => {
    const { server, client } = await setup(echo);
    await client.delete(pods, 'p', { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' } });
    await client.deleteCollection(pods, { namespace: 'n', labelSelector: 'a=b' });
    expect(server.requests[0]!.method).toBe('DELETE');
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
    });
    expect(server.requests[1]!.url).toBe('/api/v1/namespaces/n/pods?labelSelector=a%3Db');
  });

  it('reads logs as text and raw paths under a server path prefix', async () => {
    const { server, client } = await setup(
      (req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`\uFEFFline for ${req.url}\n`); // a byte-order mark stays in logs
      },
      { prefix: '/k8s/' },
    );
    expect(await client.getLog(pods, 'p', { container: 'c', tailLines: 10 })).toBe(
      '\uFEFFline for /k8s/api/v1/namespaces/default/pods/p/log?container=c&tailLines=10\n',
    );
    const raw = await client.request('GET', '/readyz', { query: { verbose: true } });
    expect(raw.statusCode).toBe(200);
    expect(raw.text).toBe('\uFEFFline for /k8s/readyz?verbose=true\n');
    expect(server.requests[0]!.headers.accept).toBe('*/*');
  });

  it('reports Warning headers', async () => {
    const warnings: string[] = [];
    server = await fakeServer((_req, res) => {
      res.setHeader('warning', ['299 - "unknown field \\"spec.foo\\""', '299 - "a", 299 - "b"']);
      sendJSON(res, 200, {});
    });
    client = new ApiClient({ server: server.url, onWarning: (w) => warnings.push(w) });
    await client.request('GET', '/x');
    expect(warnings).toEqual(['unknown field "spec.foo"', 'a', 'b']);
  });
});

describe('ApiClient errors', () => {
  it('turns a Status body into a StatusError', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' }, code: 404 };
    const { client } = await setup((_req, res) => sendJSON(res, 404, status));
    const err = await client.get(pods, 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(err).toMatchObject({ code: 404, reason: 'NotFound', message: 'pods "nope" not found', details: { name: 'nope' } });
  });

  it('synthesizes client-go style errors for bodies that are not a Status', async () => {
    const codes = [404, 409, 409, 500, 503];
    let i = 0;
    const { client } = await setup((_req, res) => {
      res.writeHead(codes[i++]!, { 'content-type': 'text/plain' });
      res.end('boom');
    });
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => { throw new Error('expected a failure'); },
        (e: unknown) => e as StatusError,
      );
    const errs = [
      await failure(client.get(pods, 'nope')),
      await failure(client.create(pods, pod('x'))),
      await failure(client.update(deployments, { metadata: { name: 'web' } })),
      await failure(client.get(pods, 'p')),
      await failure(client.list(pods)),
    ];
    expect(errs.every((e) => e instanceof StatusError)).toBe(true);
    expect(errs.map((e) => [e.code, e.reason, e.message])).toEqual([
      [404, 'NotFound', 'the server could not find the requested resource (get pods nope)'],
      [409, 'AlreadyExists', 'the server reported a conflict (post pods)'],
      [409, 'Conflict', 'the server reported a conflict (put deployments.apps web)'],
      [500, 'InternalError', 'an error on the server ("boom") has prevented the request from succeeding (get pods p)'],
      [503, 'ServiceUnavailable', 'the server is currently unable to handle the request (get pods)'],
    ]);
    expect(errs[0]!.details?.causes).toEqual([{ reason: 'UnexpectedServerResponse', message: 'boom' }]);
  });

  it('fails with a StatusError when a 2xx body is not JSON', async () => {
    const { client } = await setup((_req, res) => res.end('not json'));
    await expect(client.get(pods, 'p')).rejects.toMatchObject({ reason: 'InternalError' });
  });
});

describe('ApiClient writes whose result is discarded', () => {
  it('sends the same requests and resolves to undefined without decoding the answer', async () => {
    const { server, client } = await setup((req, res) => {
      if (req.url.includes('/events')) return res.end('not json: never decoded');
      echo(req, res);
    });
    const events = findResource('', 'v1', 'events')!;
    const discard = { discardResult: true } as const;
    const results = [
      await client.create(events, { metadata: { name: 'e1', namespace: 'ns' } }, discard),
      await client.patch(events, 'e1', { count: 2 }, { namespace: 'ns', ...discard }),
      await client.createSubresource(pods, 'p1', 'binding', { target: { kind: 'Node', name: 'n1' } }, discard),
      await client.updateStatus(pods, pod('p1'), { fieldManager: 'kubelet', ...discard }),
    ];
    expect(results).toEqual([undefined, undefined, undefined, undefined]);
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.headers['content-type']}`)).toEqual([
      'POST /api/v1/namespaces/ns/events application/json',
      'PATCH /api/v1/namespaces/ns/events/e1 application/merge-patch+json',
      'POST /api/v1/namespaces/default/pods/p1/binding application/json',
      'PUT /api/v1/namespaces/default/pods/p1/status?fieldManager=kubelet application/json',
    ]);
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ count: 2 });
    // A decoded call after them still gets its answer.
    expect(await client.get(pods, 'p1')).toMatchObject({ kind: 'Echo', method: 'GET' });
  });

  it('still throws the StatusError of a failed write', async () => {
    const { client } = await setup((_req, res) => sendJSON(res, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'events "e1" not found' }));
    const events = findResource('', 'v1', 'events')!;
    const err = await client.patch(events, 'e1', { count: 2 }, { namespace: 'ns', discardResult: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(err).toMatchObject({ code: 404, reason: 'NotFound', message: 'events "e1" not found' });
  });
});

describe('ApiClient with omitManagedFields', () => {
  it('decodes answers and watch events without managedFields, and asks the server to omit them; raw requests keep them', async () => {
    const managedFields = [{ manager: 'kubelet', operation: 'Update', fieldsV1: { 'f:status': {} } }];
    const object = { kind: 'Pod', metadata: { name: 'p', managedFields, resourceVersion: '7' }, status: { phase: 'Running' } };
    // This server ignores the header, as servers other than mini-kube do: the client cuts them itself.
    const asked: (string | string[] | undefined)[] = [];
    server = await fakeServer((req, res) => {
      asked.push(req.headers[OMIT_MANAGED_FIELDS_HEADER]);
      if (req.url.includes('watch=true')) return res.end(`${JSON.stringify({ type: 'ADDED', object })}\n`);
      sendJSON(res, 200, object);
    });
    client = new ApiClient({ server: server.url, omitManagedFields: true });
    const stripped = { kind: 'Pod', metadata: { name: 'p', resourceVersion: '7' }, status: { phase: 'Running' } };
    expect(await client.get(pods, 'p')).toEqual(stripped);
    expect(await client.updateStatus(pods, pod('p'))).toEqual(stripped);
    const events = [];
    for await (const e of client.watch(pods)) events.push(e.object);
    expect(events).toEqual([stripped]);
    expect((await client.request('GET', '/api/v1/namespaces/default/pods/p')).json()).toEqual(object);
    expect(asked).toEqual(['true', 'true', 'true', undefined]);
  });
});
