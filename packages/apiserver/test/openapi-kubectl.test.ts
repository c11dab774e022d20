// Drives the real kubectl against a throwaway node:http server that serves legacy discovery and
// our /openapi/v3 documents, to prove `explain` and validated `apply` work from them.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupVersion, RESOURCES, servedGroupVersions } from '@mini-kube/api';
import { openapiV3DocumentJson, openapiV3IndexJson } from '../src/openapi/index.js';

const PINNED = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const KUBECTL = existsSync(PINNED) ? PINNED : existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : undefined;
const run = promisify(execFile);

const VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: '0'.repeat(40), gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64' };

function resourceList(gv: string): object {
  const resources = RESOURCES.filter((r) => groupVersion(r) === gv).flatMap((r) => [
    { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames },
    ...r.subresources.map((s) => ({ name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, group: s.group, version: s.version, kind: s.kind, verbs: s.verbs })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
}

function discovery(path: string): object | undefined {
  if (path === '/version') return VERSION;
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const groups = servedGroupVersions()
      .filter((gv) => gv.group)
      .map((gv) => {
        const version = { groupVersion: `${gv.group}/${gv.version}`, version: gv.version };
        return { name: gv.group, versions: [version], preferredVersion: version };
      });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const gv = path.match(/^\/api\/(v1)$|^\/apis\/([^/]+\/[^/]+)$/);
  return gv ? resourceList(gv[1] ?? gv[2]!) : undefined;
}

describe.skipIf(!KUBECTL)('real kubectl against our OpenAPI v3', () => {
  let server: Server;
  let dir: string;
  const requests: string[] = [];

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url!, 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (code: number, body: string): void => {
      res.writeHead(code, { 'Content-Type': 'application/json' }).end(body);
    };
    if (url.pathname === '/openapi/v3') return send(200, openapiV3IndexJson());
    if (url.pathname.startsWith('/openapi/v3/')) {
      const doc = openapiV3DocumentJson(url.pathname.slice('/openapi/v3/'.length));
      return doc ? send(200, doc) : send(404, '{}');
    }
    const body = discovery(url.pathname);
    if (body) return send(200, JSON.stringify(body));
    if (req.method === 'POST') {
      // Echo a create back, as a server that accepted it would.
      let data = '';
      req.on('data', (c) => (data += c)).on('end', () => send(201, data));
      return;
    }
    send(404, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  }

  const kubectl = (...args: string[]) =>
    run(KUBECTL!, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-kubectl-'));
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    writeFileSync(
      join(dir, 'kubeconfig'),
      `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]\n` +
        `users: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]\ncurrent-context: x\n`,
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('explains deployment.spec', async () => {
    const { stdout } = await kubectl('explain', 'deployment.spec');
    expect(stdout).toMatch(/^GROUP:\s+apps$/m);
    expect(stdout).toMatch(/^KIND:\s+Deployment$/m);
    expect(stdout).toMatch(/^VERSION:\s+v1$/m);
    expect(stdout).toMatch(/^FIELD: spec <DeploymentSpec>$/m);
    expect(stdout).toMatch(/^\s+replicas\s+<integer>$/m);
    expect(stdout).toMatch(/^\s+template\s+<PodTemplateSpec> -required-$/m);
  });

  it('explains pods.spec.containers', async () => {
    const { stdout } = await kubectl('explain', 'pods.spec.containers');
    expect(stdout).toMatch(/^KIND:\s+Pod$/m);
    expect(stdout).toMatch(/^DESCRIPTION:$/m);
    expect(stdout).toMatch(/^\s+image\s+<string>$/m);
    expect(stdout).toMatch(/^\s+ports\s+<\[\]ContainerPort>$/m);
  });

  it('lets apply hand field validation to the server', async () => {
    const manifest = join(dir, 'deploy.yaml');
    writeFileSync(manifest, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n');
    const { stdout } = await kubectl('apply', '-f', manifest);
    expect(stdout).toContain('deployment.apps/web created');
    expect(requests).toContainEqual(expect.stringMatching(/^POST \/apis\/apps\/v1\/namespaces\/default\/deployments\?.*fieldValidation=Strict/));
  });
});
