// `kubectl top pods|nodes` against mini-kubed with sim nodes whose pods declare their usage: the
// API server's metrics.k8s.io reads each kubelet's /stats/summary.
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const manifest = (name: string, cpu: string, memory: string, app: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: { app: ${app} }
  annotations:
    sim.mini-kube.io/usage-cpu: "${cpu}"
    sim.mini-kube.io/usage-memory: "${memory}"
spec:
  containers:
  - { name: main, image: nginx }
  - { name: side, image: busybox }
`;

describe.skipIf(!hasKubectl())('kubectl top', () => {
  let daemon: Daemon;
  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '1', '--runtime', 'sim'] });
    const applied = await kubectl(['apply', '-f', '-'], { kubeconfig: daemon.kubeconfig, stdin: manifest('web', '100m', '32Mi', 'web') + '---\n' + manifest('db', '250m', '128Mi', 'db') });
    expect(applied.code).toBe(0);
    await waitFor(async () => (await kubectl(['get', 'pods', '--no-headers'], { kubeconfig: daemon.kubeconfig })).stdout.match(/Running/g)?.length === 2, { timeoutMs: 20_000 });
  }, 60_000);
  afterAll(() => daemon?.stop());

  it('lists cpu and memory per pod, per container, and by label', async () => {
    const pods = await kubectl(['top', 'pods'], { kubeconfig: daemon.kubeconfig });
    expect(pods.code).toBe(0);
    const rows = pods.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
    expect(rows).toEqual([
      ['NAME', 'CPU(cores)', 'MEMORY(bytes)'],
      ['db', '500m', '256Mi'],
      ['web', '200m', '64Mi'],
    ]);
    const containers = await kubectl(['top', 'pods', '--containers', '-l', 'app=web'], { kubeconfig: daemon.kubeconfig });
    expect(containers.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/))).toEqual([
      ['web', 'main', '100m', '32Mi'],
      ['web', 'side', '100m', '32Mi'],
    ]);
  });

  it('lists the node with its share of allocatable', async () => {
    const nodes = await kubectl(['top', 'nodes'], { kubeconfig: daemon.kubeconfig });
    expect(nodes.code).toBe(0);
    const [header, row] = nodes.stdout.trim().split('\n');
    expect(header).toMatch(/^NAME\s+CPU\(cores\)\s+CPU%?\(?%?\)?\s+MEMORY\(bytes\)\s+MEMORY%?/);
    expect(row!.split(/\s+/).slice(0, 2)).toEqual([expect.any(String), '700m']);
    expect(row).toContain('320Mi');
  });

  it('answers a single pod and a missing one', async () => {
    const one = await kubectl(['top', 'pod', 'web'], { kubeconfig: daemon.kubeconfig });
    expect(one.stdout).toMatch(/web\s+200m\s+64Mi/);
    const missing = await kubectl(['top', 'pod', 'nope'], { kubeconfig: daemon.kubeconfig });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('podmetrics.metrics.k8s.io "nope" not found');
  });
});
