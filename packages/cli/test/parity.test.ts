// mini-kubectl against the real kubectl on the same daemon: identical stdout, stderr and exit
// codes for get in every format, the error cases, apply and shell round trips.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, makeTempDir, REPO_ROOT, startDaemon, type Daemon, type KubectlResult } from '@mini-kube/testing';

const SCENARIO = `apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 80}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: team}
data: {a: "1", b: "<x&y>"}
---
apiVersion: v1
kind: Pod
metadata: {name: solo, labels: {run: solo}}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "1000"]}]
`;

/** Runs bin/mini-kubectl to completion. */
function miniKubectl(args: string[], kubeconfig: string, cacheDir: string, stdin = ''): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'mini-kubectl'), '--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Ages change between two runs a second apart; compare them as a placeholder. */
const normalise = (s: string) => s.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)(?=\s|$)/gm, 'AGE');

describe.skipIf(!hasKubectl())('mini-kubectl matches kubectl', () => {
  let daemon: Daemon;
  let cacheDir: string;
  const k = (args: string[], stdin?: string) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin });
  const m = (args: string[], stdin?: string) => miniKubectl(args, daemon.kubeconfig, cacheDir, stdin);
  const same = async (args: string[], stdin?: string) => {
    const [mine, real] = [await m(args, stdin), await k(args, stdin)];
    expect({ args, code: mine.code, stdout: normalise(mine.stdout), stderr: normalise(mine.stderr) }).toEqual({ args, code: real.code, stdout: normalise(real.stdout), stderr: normalise(real.stderr) });
    return mine;
  };

  beforeAll(async () => {
    cacheDir = makeTempDir('mini-kubectl-cache-');
    daemon = await startDaemon();
    const res = await k(['apply', '-f', '-'], SCENARIO);
    expect(res.code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
  });

  it.each([
    ['get', 'pods'],
    ['get', 'pods', '-o', 'wide'],
    ['get', 'pods,deploy,svc'],
    ['get', 'pod/solo', 'deploy/web'],
    ['get', 'deploy', '-o', 'wide'],
    ['get', 'svc', '-A', '--show-labels'],
    ['get', 'pods', '-L', 'run'],
    ['get', 'cm', '-n', 'team', '--no-headers'],
    ['get', 'ns', '-o', 'name'],
    ['get', 'deploy', 'web', '-o', 'json'],
    ['get', 'pods', '-o', 'json'],
    ['get', 'cm', '-A', '-o', 'yaml'],
    ['get', 'svc', 'web', '-o', 'yaml'],
    ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'],
    ['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image'],
    ['get', 'svc', '--sort-by=.metadata.name'],
    ['get', 'secrets'],
    ['get', 'nodes'],
  ].map((args) => [args.join(' '), args] as const))('%s', async (_title, args) => {
    await same([...args]);
  });

  it('reports errors with the same text and exit codes', async () => {
    await same(['get', 'pod', 'nope']);
    await same(['get', 'pods', 'nope', 'solo']);
    await same(['delete', 'pod', 'nope']);
    await same(['get', 'flurbs']);
    const bad = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec: {replicas: -1, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x}]}}}\n`;
    expect((await same(['apply', '-f', '-'], bad)).code).toBe(1);
    expect((await same(['create', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u}\nfoo: 1\n`)).code).toBe(1);
    const dup = (await same(['create', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: team}\n`)).stderr;
    expect(dup).toContain('AlreadyExists');
    // A stale resourceVersion is a Conflict.
    const stale = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: team, resourceVersion: "1"}\ndata: {a: "2"}\n`;
    expect((await same(['replace', '-f', '-'], stale)).stderr).toMatch(/^Error from server \(Conflict\)/);
  });

  it('applies: created, unchanged, configured with a field removed through last-applied', async () => {
    const v1 = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied, labels: {a: "1", b: "2"}}\ndata: {x: "1", y: "2"}\n`;
    const v2 = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: applied, labels: {a: "1"}}\ndata: {x: "1"}\n`;
    expect((await m(['apply', '-f', '-'], v1)).stdout).toBe('configmap/applied created\n');
    expect((await m(['label', 'cm', 'applied', 'other=kept'])).code).toBe(0);
    expect((await m(['apply', '-f', '-'], v1)).stdout).toBe('configmap/applied unchanged\n');
    expect((await m(['apply', '-f', '-'], v2)).stdout).toBe('configmap/applied configured\n');
    const live = JSON.parse((await m(['get', 'cm', 'applied', '-o', 'json'])).stdout);
    expect(live.data).toEqual({ x: '1' });
    expect(live.metadata.labels).toEqual({ a: '1', other: 'kept' });
    // The real kubectl agrees the object matches its last-applied configuration.
    expect((await k(['apply', '-f', '-'], v2)).stdout).toBe('configmap/applied unchanged\n');
  });

  it('round-trips through shell pipelines', async () => {
    expect((await m(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('2');
    await m(['create', 'configmap', 'tmp1', '--from-literal=a=b']);
    await m(['create', 'configmap', 'tmp2', '--from-literal=a=b']);
    await m(['label', 'cm', 'tmp1', 'tmp2', 'purge=yes']);
    const names = (await m(['get', 'cm', '-l', 'purge=yes', '-o', 'name'])).stdout.trim().split('\n');
    expect(names).toEqual(['configmap/tmp1', 'configmap/tmp2']);
    const del = await m(['delete', ...names]);
    expect(del.stdout).toBe('configmap "tmp1" deleted\nconfigmap "tmp2" deleted\n');
    expect((await k(['get', 'cm', '-l', 'purge=yes', '-o', 'name'])).stdout).toBe('');
    const waited = await m(['wait', '--for=jsonpath={.spec.replicas}=2', 'deploy/web', '--timeout=5s']);
    expect(waited.stdout).toBe('deployment.apps/web condition met\n');
    const timedOut = await m(['wait', '--for=condition=Nope', 'deploy/web', '--timeout=1s']);
    expect([timedOut.code, timedOut.stderr]).toEqual([1, 'error: timed out waiting for the condition on deployments/web\n']);
  });
});
