// The verbs of the second CLI milestone against the real kubectl on one daemon with two simulated
// nodes: identical stdout, stderr and exit codes (ages, temp paths and generated names normalised)
// for events, run, expose, set, edit, diff, explain, autoscale, top, cordon/uncordon/taint/drain
// and apply --prune; mini-kubectl run as an executable; completion scripts that bash accepts.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, makeTempDir, REPO_ROOT, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';
import { miniKubectl, normaliseAges, type MiniOptions } from './mini.js';

const SCENARIO = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 80}], env: [{name: A, value: "1"}]}]
`;

const deployment = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "${image}"}]
`;

/** A pod bound straight to a node, named after it so that each CLI drains its own node. */
const boundPod = (name: string, node: string, controlled: boolean) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${controlled ? '  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: fake, uid: 00000000-0000-0000-0000-000000000001, controller: true}]\n' : ''}spec:
  nodeName: ${node}
  containers: [{name: c, image: busybox}]
`;

describe.skipIf(!hasKubectl())('new verbs match kubectl', () => {
  let daemon: Daemon;
  let cacheDir: string;
  let nodes: string[];
  const k = (args: string[], stdin?: string, env?: NodeJS.ProcessEnv) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, env });
  const m = (args: string[], stdin?: string, options?: MiniOptions) => miniKubectl(args, daemon.kubeconfig, cacheDir, stdin, options);
  const norm = (s: string) =>
    // uids first: a random uid can end like an age (a last group such as 12345678d901) that normaliseAges cuts.
    normaliseAges(s.replace(/uid: [0-9a-f-]{36}/g, 'uid: X'))
      .replace(/\/tmp\/(LIVE|MERGED)-\w+/g, '$1')
      .replace(/\t\d{4}-\d\d-\d\d [\d:.]+ [+-]\d{4}/g, '')
      // Two server dry runs of a create, a second apart, differ in their timestamps only.
      .replace(/creationTimestamp: "[^"]+"/g, 'creationTimestamp: T');
  const same = async (args: string[], stdin?: string, env?: NodeJS.ProcessEnv) => {
    const [mine, real] = [await m(args, stdin, { env }), await k(args, stdin, env)];
    expect({ args, code: mine.code, stdout: norm(mine.stdout), stderr: norm(mine.stderr) }).toEqual({ args, code: real.code, stdout: norm(real.stdout), stderr: norm(real.stderr) });
    return mine;
  };

  beforeAll(async () => {
    cacheDir = makeTempDir('mini-kubectl-cache-');
    daemon = await startDaemon({ args: ['--nodes', '2'] });
    expect((await k(['apply', '-f', '-'], SCENARIO)).code).toBe(0);
    await waitFor(async () => JSON.parse((await k(['get', 'nodes', '-o', 'json'])).stdout).items.length === 2, { timeoutMs: 20_000 });
    nodes = JSON.parse((await k(['get', 'nodes', '-o', 'json'])).stdout).items.map((n: any) => n.metadata.name).sort();
  }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
  });

  it('explain, events and top', async () => {
    for (const what of ['deploy', 'deploy.spec', 'pods.spec.containers.ports', 'svc.spec.type', 'nosuchkind', 'deploy.spec.nope']) await same(['explain', what]);
    await waitFor(async () => (await k(['get', 'events', '-o', 'name'])).stdout.trim() !== '', { timeoutMs: 20_000 });
    for (const args of [['events'], ['events', '-A'], ['events', '--for', 'deploy/web'], ['events', '--types=Warning'], ['events', '-n', 'kube-public']]) await same(args);
    // kubectl events -o name prints nothing (its list items lack a kind); mini-kubectl names them.
    expect((await m(['events', '-o', 'name'])).stdout).toMatch(/^(event\/\S+\n)+$/);
    // Usage changes from one call to the next: compare the layout, not the figures.
    // Usage moves between the two calls, and with it the width of the columns: compare cells, not spacing.
    const usage = (s: string) => s.replace(/\b\d+(m|Mi|%)(?=\s)/g, 'N$1').replace(/ +/g, ' ');
    for (const args of [['top', 'pods'], ['top', 'nodes'], ['top', 'pods', '-A', '--containers'], ['top', 'pods', '-n', 'kube-public']]) {
      const [mine, real] = [await m(args), await k(args)];
      expect({ args, code: mine.code, stdout: usage(mine.stdout), stderr: mine.stderr }).toEqual({ args, code: real.code, stdout: usage(real.stdout), stderr: real.stderr });
    }
  });

  it('events -w prints new events as they happen', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'mini-kubectl'), '--kubeconfig', daemon.kubeconfig, '--cache-dir', cacheDir, 'events', '-w'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      // The deployment's events are listed first; the pod's can then only arrive through the watch.
      await waitFor(() => /Deployment\/web/.test(out), { timeoutMs: 20_000 });
      expect(out).not.toContain('Pod/watched');
      expect((await k(['run', 'watched', '--image=busybox', '--', 'sleep', '1000'])).code).toBe(0);
      await waitFor(() => /^\S+\s+Normal\s+Scheduled\s+Pod\/watched\s/m.test(out), { timeoutMs: 20_000 });
      expect(out.match(/^LAST SEEN/gm)).toHaveLength(1);
    } finally {
      child.kill();
    }
    expect((await k(['delete', 'pod', 'watched', '--wait=false'])).code).toBe(0);
  });

  it('run, expose and autoscale', async () => {
    await same(['run', 'r0', '--image=nginx', '--port=80', '--env=A=1', '--labels=x=y', '--dry-run=client', '-o', 'yaml', '--', 'sh', '-c', 'echo hi']);
    await same(['expose', 'deploy', 'web', '--port=8080', '--target-port=80', '--type=NodePort', '--dry-run=client', '-o', 'yaml']);
    await same(['autoscale', 'deploy/web', '--max=5', '--cpu-percent=80', '--dry-run=client', '-o', 'yaml']);
    expect((await m(['run', 'r1', '--image=nginx', '--port=80'])).stdout).toBe('pod/r1 created\n');
    expect((await k(['run', 'r2', '--image=nginx', '--port=80'])).stdout).toBe('pod/r2 created\n');
    const spec = async (name: string) => (await k(['get', 'pod', name, '-o', 'jsonpath={.spec.containers}{.metadata.labels.run}'])).stdout.replaceAll(name, 'NAME');
    expect(await spec('r1')).toBe(await spec('r2'));
    for (const [type, name] of [['ClusterIP', 'e1'], ['LoadBalancer', 'e2']]) {
      expect((await m(['expose', 'deploy/web', '--port=80', `--type=${type}`, `--name=${name}`])).stdout).toBe(`service/${name} exposed\n`);
      expect((await k(['get', 'svc', name, '-o', 'jsonpath={.spec.type} {.spec.ports[0].targetPort} {.spec.selector}'])).stdout).toBe(`${type} 80 {"app":"web"}`);
    }
    await same(['expose', 'deploy/web', '--port=80', '--name=e1']); // AlreadyExists
    // kubectl reports this one through klog (timestamp, pid): compare the message only.
    expect(await m(['run', 'noimage'])).toMatchObject({ code: 1, stderr: 'error: required flag(s) "image" not set\n' });
    expect((await k(['run', 'noimage'])).stderr).toContain('required flag(s) \\"image\\" not set');
    expect((await k(['delete', 'pod', 'r1', 'r2', '--wait=false'])).code).toBe(0);
    // The daemon serves autoscaling/v2 only, where kubectl 1.32 fails; mini-kubectl creates a v2 autoscaler.
    expect((await m(['autoscale', 'deploy/web', '--max=4', '--cpu-percent=70'])).stdout).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
    expect((await k(['get', 'hpa', 'web', '-o', 'jsonpath={.spec.maxReplicas} {.spec.metrics[0].resource.target.averageUtilization}'])).stdout).toBe('4 70');
  });

  it('set image|env|resources', async () => {
    await same(['set', 'image', 'deploy/web', 'web=nginx:1.28', '--dry-run=server']);
    await same(['set', 'image', 'deploy/web', 'nope=nginx:1.28']);
    await same(['set', 'env', 'deploy/web', 'B=2', 'A-', '--dry-run=server']);
    await same(['set', 'resources', 'deploy/web', '--limits=cpu=200m,memory=128Mi', '--dry-run=server']);
    expect((await m(['set', 'image', 'deploy/web', 'web=nginx:1.28'])).stdout).toBe('deployment.apps/web image updated\n');
    expect((await m(['set', 'image', 'deploy/web', 'web=nginx:1.28'])).stdout).toBe(''); // unchanged: no patch, no line
    expect((await k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout).toBe('nginx:1.28');
  });

  it('edit through $KUBE_EDITOR, diff with exit codes', async () => {
    const dir = makeTempDir('mini-kubectl-edit-');
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/^  replicas: .*/  replicas: 3/" "$1"\n');
    chmodSync(editor, 0o755);
    await same(['edit', 'deploy/web'], '', { EDITOR: 'true', KUBE_EDITOR: '' });
    const edited = await m(['edit', 'deploy/web'], '', { env: { KUBE_EDITOR: editor } });
    expect(edited.stdout).toBe('deployment.apps/web edited\n');
    expect((await k(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('3');
    await same(['edit', 'deploy/web'], '', { KUBE_EDITOR: editor }); // already 3: no change
    const manifest = join(dir, 'web.yaml');
    writeFileSync(manifest, deployment('nginx:1.29', 5));
    expect((await same(['diff', '-f', manifest])).code).toBe(1);
    writeFileSync(manifest, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: brand-new}\ndata: {a: "1"}\n`);
    expect((await same(['diff', '-f', manifest])).code).toBe(1);
    writeFileSync(manifest, (await k(['get', 'deploy', 'web', '-o', 'yaml'])).stdout);
    expect((await same(['diff', '-f', manifest])).code).toBe(0);
    expect((await same(['diff', '-f', join(dir, 'missing.yaml')])).code).toBe(2);
  });

  it('apply --prune -l deletes what left the manifests', async () => {
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, labels: {set: p}}\n`;
    expect((await m(['apply', '-f', '-'], `${cm('p1')}---\n${cm('p2')}`)).stdout).toBe('configmap/p1 created\nconfigmap/p2 created\n');
    expect((await m(['apply', '-f', '-', '--prune', '-l', 'set=p'], cm('p1'))).stdout).toBe('configmap/p1 unchanged\nconfigmap/p2 pruned\n');
    expect((await k(['get', 'cm', '-l', 'set=p', '-o', 'name'])).stdout).toBe('configmap/p1\n');
    await same(['apply', '-f', '-', '--prune'], cm('p1'));
  });

  it('cordon, uncordon, taint and drain', async () => {
    const [a, b] = nodes as [string, string];
    const swap = (s: string, from: string, to: string) => s.replaceAll(from, to);
    /** mini-kubectl on node a, kubectl on node b: the same output once names are swapped. */
    const pair = async (args: (node: string) => string[]) => {
      const [mine, real] = [await m(args(a)), await k(args(b))];
      expect({ code: mine.code, stdout: mine.stdout, stderr: mine.stderr }).toEqual({ code: real.code, stdout: swap(real.stdout, b, a), stderr: swap(real.stderr, b, a) });
    };
    await pair((n) => ['cordon', n]);
    await pair((n) => ['cordon', n]);
    await same(['get', 'nodes']);
    await pair((n) => ['uncordon', n]);
    await pair((n) => ['uncordon', n]);
    await pair((n) => ['taint', 'nodes', n, 'dedicated=x:NoSchedule']);
    await pair((n) => ['taint', 'nodes', n, 'dedicated=y:NoSchedule']);
    await pair((n) => ['taint', 'nodes', n, 'dedicated:NoSchedule-']);
    await pair((n) => ['taint', 'nodes', n, 'dedicated-']);
    await same(['taint', 'nodes', 'no-such-node', 'k=v:NoSchedule']);
    // Drain: with the deployment's pods gone, each node runs one bare pod: refused without --force.
    expect((await k(['scale', 'deploy/web', '--replicas=0'])).code).toBe(0);
    await waitFor(async () => (await k(['get', 'pods', '-o', 'name'])).stdout === '', { timeoutMs: 20_000 });
    for (const n of nodes) expect((await k(['apply', '-f', '-'], boundPod(`bare-${n}`, n, false))).code).toBe(0);
    const drainPair = async (flags: string[]) => {
      const [mine, real] = [await m(['drain', a, ...flags]), await k(['drain', b, ...flags])];
      const fix = (s: string) => s.replaceAll(b, a);
      expect({ code: mine.code, stdout: mine.stdout, stderr: mine.stderr }).toEqual({ code: real.code, stdout: fix(real.stdout), stderr: fix(real.stderr) });
    };
    await drainPair(['--timeout=20s']);
    await drainPair(['--force', '--timeout=20s']);
    expect((await k(['get', 'pods', '-o', 'name'])).stdout).not.toMatch(/bare-/);
    await pair((n) => ['uncordon', n]);
  }, 60_000);

  it('runs as an executable and prints completion scripts bash accepts', async () => {
    const direct = await m(['get', 'deploy', 'web', '-o', 'name'], '', { direct: true });
    expect(direct).toEqual({ code: 0, stdout: 'deployment.apps/web\n', stderr: '' });
    const fast = await m(['get', 'nodes', '--no-headers'], '', { direct: true });
    expect(fast.stdout.trim().split('\n')).toHaveLength(2);
    for (const shell of ['bash', 'zsh']) {
      const script = (await m(['completion', shell])).stdout;
      expect(script).toContain('complete -F _mini_kubectl mini-kubectl');
      if (shell === 'bash') expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    }
    expect(await m(['completion', 'fish'])).toMatchObject({ code: 1, stderr: 'error: Unsupported shell type "fish".\n' });
  });
});
