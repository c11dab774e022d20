// Live check against the real kubectl: capture the protobuf bodies its generators POST, decode them,
// and compare with what the same command prints under `--dry-run=client -o json`.
// Set UPDATE_PROTOBUF_FIXTURES=1 to rewrite the fixtures that protobuf.test.ts replays offline.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf } from '../src/protobuf/index.js';
import { FIXTURE_DIR, comparable, type ProtobufFixture } from './fixtures/protobuf/fixtures.js';
import { startKubectlStub } from './fixtures/protobuf/kubectl-stub.js';

const run = promisify(execFile);

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const CASES: Record<string, string[]> = {
  deployment: ['deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80'],
  namespace: ['namespace', 'x'],
  configmap: ['configmap', 'c', '--from-literal=a=b', '--from-literal=empty='],
  secret: ['secret', 'generic', 's', '--from-literal=k=v'],
  'secret-docker': ['secret', 'docker-registry', 'd', '--docker-server=r.io', '--docker-username=u', '--docker-password=p'],
  'service-clusterip': ['service', 'clusterip', 'svc', '--tcp=80:8080'],
  'service-nodeport': ['service', 'nodeport', 'np', '--tcp=5678:8080', '--node-port=30080'],
  'service-loadbalancer': ['service', 'loadbalancer', 'lb', '--tcp=5678:http'],
  job: ['job', 'j', '--image=busybox', '--', 'echo', 'hi'],
  cronjob: ['cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '--', 'echo', 'hi'],
  serviceaccount: ['serviceaccount', 'sa'],
  ingress: ['ingress', 'ing', '--rule=foo.com/bar=svc:80', '--annotation=a=b'],
};

const KUBECTL = hasKubectl();
if (!KUBECTL) console.warn('protobuf-kubectl.test.ts: kubectl not found on PATH; skipping the live capture test');

describe.skipIf(!KUBECTL)('kubectl protobuf bodies (live)', () => {
  let stub: Awaited<ReturnType<typeof startKubectlStub>>;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stub = await startKubectlStub();
    dir = mkdtempSync(join(tmpdir(), 'mk-protobuf-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: stub, cluster: {server: "${stub.url}"}}]`,
        'users: [{name: stub, user: {}}]',
        'contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]',
        'current-context: stub',
      ].join('\n'),
    );
    env = { ...process.env, KUBECONFIG: kubeconfig };
  });

  afterAll(async () => {
    await new Promise((resolve) => stub.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  // Flags go before a `--` that starts the container command.
  const kubectl = async (args: string[], flags: string[]): Promise<string> => {
    const end = args.includes('--') ? args.indexOf('--') : args.length;
    const all = ['--cache-dir', join(dir, 'cache'), 'create', ...args.slice(0, end), ...flags, ...args.slice(end)];
    return (await run('kubectl', all, { env })).stdout;
  };

  for (const [name, args] of Object.entries(CASES)) {
    it(`decodes \`kubectl create ${args.join(' ')}\` like its dry-run JSON`, async () => {
      const before = stub.posts.length;
      await kubectl(args, ['--validate=false']);
      const post = stub.posts[before];
      expect(post?.contentType).toBe('application/vnd.kubernetes.protobuf');
      const dryRun = JSON.parse(await kubectl(args, ['--dry-run=client', '-o', 'json'])) as Record<string, unknown>;

      expect(comparable(decodeKubernetesProtobuf(post!.body))).toEqual(comparable(dryRun));

      if (process.env.UPDATE_PROTOBUF_FIXTURES) {
        const fixture: ProtobufFixture = {
          name,
          args,
          url: post!.url,
          contentType: post!.contentType,
          bodyHex: post!.body.toString('hex'),
          dryRun,
        };
        writeFileSync(join(FIXTURE_DIR, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
      }
    });
  }
});
