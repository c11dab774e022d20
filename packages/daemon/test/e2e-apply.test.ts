// The real kubectl against bin/mini-kubed: apply, create, replace, delete of the example manifests.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, hasKubectl, kubectl, startDaemon, type Daemon } from '@mini-kube/testing';

const manifests = join(REPO_ROOT, 'manifests');

describe.skipIf(!hasKubectl())('kubectl apply, create, replace and delete', () => {
  let daemon: Daemon;
  const k = (args: string[], stdin?: string) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin });

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--store', 'sqlite', '--nodes', '0'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('applies a directory of several kinds, then says unchanged', async () => {
    const first = await k(['apply', '-f', manifests]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'configmap/web-config created',
      'cronjob.batch/tick created',
      'deployment.apps/web created',
      'job.batch/count created',
      'pod/hello created',
      'service/web created',
    ]);
    const again = await k(['apply', '-f', manifests]);
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n').filter(Boolean).every((l) => l.endsWith(' unchanged'))).toBe(true);
  });

  it('applies a changed field and changes exactly that field', async () => {
    const before = JSON.parse((await k(['get', 'deployment', 'web', '-o', 'json'])).stdout);
    const changed = (await import('node:fs')).readFileSync(join(manifests, 'web-deployment.yaml'), 'utf8').replace('replicas: 2', 'replicas: 5');
    const res = await k(['apply', '-f', '-'], changed);
    expect(res.stdout.trim()).toBe('deployment.apps/web configured');
    const after = JSON.parse((await k(['get', 'deployment', 'web', '-o', 'json'])).stdout);
    expect(after.spec.replicas).toBe(5);
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    // Everything else in the spec is as it was.
    expect({ ...after.spec, replicas: 2 }).toEqual(before.spec);
  });

  it('applies server-side, and reports a field-manager conflict', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n';
    const created = await k(['apply', '--server-side', '-f', '-'], cm);
    expect(created.stdout.trim()).toBe('configmap/ssa serverside-applied');
    const obj = JSON.parse((await k(['get', 'configmap', 'ssa', '-o', 'json', '--show-managed-fields'])).stdout);
    expect(obj.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`)).toEqual(['kubectl/Apply']);
    const other = await k(['apply', '--server-side', '--field-manager', 'other', '-f', '-'], cm.replace('"1"', '"2"'));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('conflict');
    const forced = await k(['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', '-'], cm.replace('"1"', '"2"'));
    expect(forced.code).toBe(0);
    expect(JSON.parse((await k(['get', 'configmap', 'ssa', '-o', 'json'])).stdout).data.a).toBe('2');
  });

  it('creates, replaces and deletes from files', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\n  labels: {tier: a}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n';
    expect((await k(['create', '-f', '-'], pod)).stdout.trim()).toBe('pod/solo created');
    const dup = await k(['create', '-f', '-'], pod);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/Error from server \(AlreadyExists\): error when creating "STDIN": pods "solo" already exists/);
    const replaced = await k(['replace', '-f', '-'], pod.replace('tier: a', 'tier: b'));
    expect(replaced.stdout.trim()).toBe('pod/solo replaced');
    expect((await k(['get', 'pod', 'solo', '-o', 'jsonpath={.metadata.labels.tier}'])).stdout).toBe('b');
    const deleted = await k(['delete', '-f', '-'], pod);
    expect(deleted.stdout.trim()).toBe('pod "solo" deleted');
    expect((await k(['get', 'pod', 'solo'])).code).toBe(1);
  });

  it('creates with generators that send protobuf bodies', async () => {
    expect((await k(['create', 'namespace', 'proto'])).stdout.trim()).toBe('namespace/proto created');
    expect((await k(['create', 'configmap', 'x', '--from-literal=a=b', '-n', 'proto'])).stdout.trim()).toBe('configmap/x created');
    expect((await k(['get', 'configmap', 'x', '-n', 'proto', '-o', 'jsonpath={.data.a}'])).stdout).toBe('b');
    expect((await k(['create', 'deployment', 'gen', '--image=nginx:1.27', '--replicas=2', '-n', 'proto'])).stdout.trim()).toBe('deployment.apps/gen created');
    const dep = JSON.parse((await k(['get', 'deploy', 'gen', '-n', 'proto', '-o', 'json'])).stdout);
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(dep.spec.strategy.rollingUpdate.maxSurge).toBe('25%');
  });
});
