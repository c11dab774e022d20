// kubectl's messages and exit codes for rejected requests, and nothing stored by them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, startDaemon, type Daemon } from '@mini-kube/testing';

describe.skipIf(!hasKubectl())('kubectl errors', () => {
  let daemon: Daemon;
  const k = (args: string[], stdin?: string) => kubectl(args, { kubeconfig: daemon.kubeconfig, stdin });
  const names = async (kind: string) => (await k(['get', kind, '-o', 'name'])).stdout.trim();

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--store', 'memory', '--nodes', '0'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('names an unknown field under strict validation', async () => {
    const bad = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typo}\nspec:\n  replicass: 2\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx}]}\n';
    const res = await k(['apply', '-f', '-'], bad);
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicass"',
    );
    expect(await names('deployments')).toBe('');
  });

  it('rejects an invalid name and a missing required field with the field path', async () => {
    const badName = await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n');
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain('The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of');
    const noImage = await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: noimage}\nspec:\n  containers: [{name: c}]\n');
    expect(noImage.code).toBe(1);
    expect(noImage.stderr).toContain('The Pod "noimage" is invalid: spec.containers[0].image: Required value');
    expect(await names('configmaps')).not.toContain('Bad_Name');
    expect(await names('pods')).toBe('');
  });

  it('reports AlreadyExists and NotFound', async () => {
    expect((await k(['create', 'configmap', 'once'])).code).toBe(0);
    const again = await k(['create', 'configmap', 'once']);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('error: failed to create configmap: configmaps "once" already exists');
    const missing = await k(['get', 'deployment', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    const missingNs = await k(['apply', '-n', 'ghost', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(missingNs.code).toBe(1);
    expect(missingNs.stderr).toContain('namespaces "ghost" not found');
  });

  it('refuses an update with a stale resourceVersion, storing nothing', async () => {
    await k(['create', 'configmap', 'cas', '--from-literal=v=1']);
    const live = JSON.parse((await k(['get', 'configmap', 'cas', '-o', 'json'])).stdout);
    await k(['patch', 'configmap', 'cas', '-p', '{"data":{"v":"2"}}']);
    live.data.v = '3';
    const res = await k(['replace', '-f', '-'], JSON.stringify(live));
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "cas": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await k(['get', 'configmap', 'cas', '-o', 'jsonpath={.data.v}'])).stdout).toBe('2');
  });

  it('rejects a change to an immutable field', async () => {
    const dep = (labels: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: imm}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;
    expect((await k(['apply', '-f', '-'], dep('{a: b}'))).code).toBe(0);
    const res = await k(['apply', '-f', '-'], dep('{a: c}'));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('spec.selector: Invalid value:');
    expect(res.stderr).toContain('field is immutable');
  });
});
