// The HPA end to end: the real kubectl against `mini-kubed --nodes 2 --runtime sim`, whose sim pods
// report their `sim.mini-kube.io/usage-cpu` annotation through the resource metrics API.
import { findResource, type KObject } from '@mini-kube/api';
import { hasKubectl, kubectl, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: {sim.mini-kube.io/usage-cpu: 200m}
    spec:
      containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]
`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 4
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
`;

describe.skipIf(!hasKubectl())('HorizontalPodAutoscaler on simulated nodes', () => {
  let daemon: Daemon;
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };

  beforeAll(async () => {
    daemon = await startDaemon({ args: ['--nodes', '2', '--runtime', 'sim'] });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  it('scales a Deployment using twice its cpu request up to the maximum', async () => {
    await ok(['apply', '-f', '-'], DEPLOYMENT);
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000);
    // An autoscaling/v2 manifest (daemon/test/e2e-hpa.test.ts covers `kubectl autoscale`, which posts v1).
    expect(await ok(['apply', '-f', '-'], HPA)).toContain('horizontalpodautoscaler.autoscaling/web created');

    const replicas = async (): Promise<number> => ((await daemon.client.get(DEPLOYMENTS, 'web', { namespace: 'default' })) as KObject & { spec: { replicas: number } }).spec.replicas;
    await waitFor(async () => (await replicas()) === 4, { timeoutMs: 90_000, intervalMs: 500 });
    await waitFor(async () => /^web\s+Deployment\/web\s+cpu: 200%\/50%\s+1\s+4\s+4\s+/m.test(await ok(['get', 'hpa'])), { timeoutMs: 45_000, intervalMs: 1000 });
    const described = await ok(['describe', 'hpa', 'web']);
    expect(described).toContain('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    expect(described).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
  }, 180_000);
});
