// The HorizontalPodAutoscaler end to end: the real kubectl against `mini-kubed --nodes 1 --runtime
// process`, whose pods' cpu comes from their cgroups through the resource metrics API. The pods ask
// for 20m of cpu, are capped at 50m (CFS quota) and spin only while a file exists in a hostPath
// directory of the test, so "load" is one touch and costs the shared machine at most 50m a pod.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findResource, type KObject } from '@mini-kube/api';
import { hasKubectl, kubectl, makeTempDir, startDaemon, waitFor, type Daemon } from '@mini-kube/testing';

const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const HPAS = findResource('autoscaling', 'v2', 'horizontalpodautoscalers')!;

const deployment = (loadDir: string): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: burn
        image: busybox
        command: [sh, -c, 'while [ -f \${MINI_KUBE_ROOT:-}/load/on ]; do :; done; exec sleep 3600']
        resources:
          requests: { cpu: 20m }
          limits: { cpu: 50m }
        volumeMounts: [{ name: load, mountPath: /load }]
      volumes:
      - name: load
        hostPath: { path: ${loadDir}, type: Directory }
`;

describe.skipIf(!hasKubectl())('HorizontalPodAutoscaler on process nodes', () => {
  let daemon: Daemon;
  let loadDir: string;
  const ok = async (args: string[], stdin?: string, timeoutMs?: number): Promise<string> => {
    const res = await kubectl(args, { kubeconfig: daemon.kubeconfig, stdin, timeoutMs });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
    return res.stdout;
  };
  const replicas = async (): Promise<number> => ((await daemon.client.get(DEPLOYMENTS, 'web', { namespace: 'default' })) as KObject & { spec: { replicas: number } }).spec.replicas;
  const hpa = async (): Promise<any> => daemon.client.get(HPAS, 'web', { namespace: 'default' });

  beforeAll(async () => {
    loadDir = makeTempDir('mini-kube-hpa-load-');
    mkdirSync(loadDir, { recursive: true });
    writeFileSync(join(loadDir, 'on'), '');
    daemon = await startDaemon({ args: ['--nodes', '1', '--runtime', 'process'] });
  });
  afterAll(async () => {
    rmSync(join(loadDir, 'on'), { force: true });
    await daemon?.stop();
    rmSync(loadDir, { recursive: true, force: true });
  });

  it('kubectl autoscale creates an HPA that get and describe show as a real cluster does', async () => {
    await ok(['apply', '-f', '-'], deployment(loadDir));
    await ok(['rollout', 'status', 'deployment/web', '--timeout=60s'], undefined, 70_000);
    expect(await ok(['autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=3'])).toContain('horizontalpodautoscaler.autoscaling/web autoscaled');

    // The object kubectl posted as autoscaling/v1 reads back in either version.
    const v1 = JSON.parse(await ok(['get', 'horizontalpodautoscalers.v1.autoscaling', 'web', '-o', 'json']));
    expect(v1).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 } });
    const v2 = JSON.parse(await ok(['get', 'hpa', 'web', '-o', 'json']));
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);

    expect(await ok(['get', 'hpa'])).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nweb\s+Deployment\/web\s+cpu: (<unknown>|\d+%)\/50%\s+1\s+3\s+\d+\s+/m);
    const described = await ok(['describe', 'hpa', 'web']);
    expect(described).toMatch(/Reference:\s+Deployment\/web/);
    expect(described).toMatch(/Min replicas:\s+1/);
    expect(described).toMatch(/Max replicas:\s+3/);
  }, 120_000);

  it('scales busy processes up to the maximum, and back down once the load stops', async () => {
    // Scale down as soon as the recommendation drops (the "shortened stabilisation window").
    await ok(['patch', 'hpa', 'web', '--type=merge', '-p', '{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":0}}}}']);

    await waitFor(async () => (await replicas()) === 3, { timeoutMs: 75_000, intervalMs: 1000, message: 'scaled up to 3' });
    const up = await ok(['get', 'hpa', 'web']);
    expect(up).toMatch(/web\s+Deployment\/web\s+cpu: \d+%\/50%\s+1\s+3\s+/);
    // Above target, and no more than the 50m limit allows (250% of the request): the quota holds.
    const utilization = Number(/cpu: (\d+)%/.exec(up)![1]);
    expect(utilization).toBeGreaterThan(50);
    expect(utilization).toBeLessThanOrEqual(300);
    expect(await ok(['describe', 'hpa', 'web'])).toMatch(/New size: 3; reason: cpu resource utilization \(percentage of request\) above target/);

    rmSync(join(loadDir, 'on'));
    await waitFor(async () => (await replicas()) === 1, { timeoutMs: 90_000, intervalMs: 1000, message: 'scaled back down to 1' });
    const down = await hpa();
    expect(down.status.desiredReplicas).toBe(1);
    const described = await ok(['describe', 'hpa', 'web']);
    expect(described).toMatch(/New size: 1; reason: All metrics below target/);
    expect(described).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
  }, 200_000);
});
