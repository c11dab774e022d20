// The HPA controller against a real in-process API server on a fake clock. The resource metrics API
// is served by a small HTTP front that answers metrics.k8s.io from the test's table and passes
// every other request through to the API server (until the API server serves metrics itself).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findResource, type KObject } from '@mini-kube/api';
import { ApiClient } from '@mini-kube/client';
import { FakeClock } from '@mini-kube/runtime';
import { hasKubectl, kubectl, waitFor } from '@mini-kube/testing';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import { afterEach, describe, expect, it } from 'vitest';
import { HorizontalPodAutoscalerController } from '../src/podautoscaler/index.js';
import { HPAS, PODS, type HpaObject } from '../src/podautoscaler/types.js';
import { startHarness, type Harness } from './manager-harness.js';

const DEPLOYMENTS = findResource('apps', 'v1', 'deployments')!;
const EVENTS = findResource('', 'v1', 'events')!;
const NS = 'default';

let h: Harness;
let front: Server;
let clock: FakeClock;
let controller: HorizontalPodAutoscalerController;
let running: Promise<void> | undefined;
/** Pod name → cpu usage served by the metrics front. */
const usage = new Map<string, string>();

afterEach(async () => {
  usage.clear();
  await h?.stop();
  await running;
  running = undefined;
  await new Promise((resolve) => front?.close(resolve));
});

/** Answers the pod metrics list from `usage`; proxies the rest to the API server at `target`. */
function metricsFront(target: URL): Promise<string> {
  front = createServer((req, res) => {
    if (req.url?.startsWith(`/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`)) {
      const items = [...usage].map(([name, cpu]) => ({
        metadata: { name, namespace: NS },
        timestamp: new Date(clock.now()).toISOString(),
        window: '10s',
        containers: [{ name: 'c', usage: { cpu, memory: '10Mi' } }],
      }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', items }));
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => front.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(front.address() as AddressInfo).port}`)));
}

async function setup(): Promise<void> {
  clock = new FakeClock(Date.now());
  h = await startHarness(clock);
  const url = await metricsFront(new URL(h.url));
  controller = new HorizontalPodAutoscalerController({ ...h.ctx, client: new ApiClient({ server: url }) }, { syncPeriodMs: 15_000 });
  await h.startInformers();
}

async function deployment(name: string, replicas: number): Promise<void> {
  await h.client.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
}

/** A running, ready pod of `app` (started ten minutes ago, past the cpu warm-up) using `cpu`. */
async function pod(app: string, name: string, cpu: string): Promise<void> {
  const created = await h.client.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app } },
    spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] },
  });
  const started = new Date(clock.now() - 600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await h.client.updateStatus(PODS, { ...created, status: { phase: 'Running', startTime: started, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: started }] } });
  usage.set(name, cpu);
}

async function hpa(name: string, spec: Partial<NonNullable<HorizontalPodAutoscaler['spec']>>): Promise<void> {
  await h.client.create(HPAS, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 1,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...spec,
    },
  });
  await waitFor(() => cached(name));
}

const cached = (name: string): HpaObject | undefined => h.informers.informer<HpaObject>(HPAS).lister.get(NS, name);
const replicasOf = async (name: string): Promise<number> => ((await h.client.get(DEPLOYMENTS, name, { namespace: NS })) as KObject & { spec: { replicas: number } }).spec.replicas;
const condition = (obj: HpaObject | undefined, type: string) => obj?.status?.conditions?.find((c) => c.type === type);

/** One sync of `name`; then waits until the informer has the status it wrote. */
async function sync(name: string): Promise<HpaObject> {
  await controller.reconcile(`${NS}/${name}`);
  const stored = await h.client.get<HpaObject>(HPAS, name, { namespace: NS });
  return waitFor(() => {
    const hpa = cached(name);
    return hpa?.metadata.resourceVersion === stored.metadata.resourceVersion ? hpa : undefined;
  });
}

async function eventsOf(name: string): Promise<string[]> {
  const list = await h.client.list<KObject & { reason: string; message: string; involvedObject: { name: string } }>(EVENTS, { namespace: NS });
  return list.items.filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
}

describe('HorizontalPodAutoscaler controller', () => {
  it('scales a Deployment up through its scale subresource and reports status, conditions and events', async () => {
    await setup();
    await deployment('web', 1);
    await pod('web', 'web-1', '200m');
    await hpa('web', {});

    const hpaNow = await sync('web');
    expect(await replicasOf('web')).toBe(4);
    expect(hpaNow.status).toMatchObject({
      currentReplicas: 1,
      desiredReplicas: 4,
      lastScaleTime: new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '200m' } } }],
    });
    expect(hpaNow.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['AbleToScale', 'True', 'SucceededRescale'],
      ['ScalingActive', 'True', 'ValidMetricFound'],
      ['ScalingLimited', 'False', 'DesiredWithinRange'],
    ]);
    expect(condition(hpaNow, 'ScalingActive')?.message).toBe('the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
    await waitFor(async () => (await eventsOf('web')).includes('SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target'));

    if (hasKubectl()) {
      const kubeconfig = h.kubeconfig();
      const get = await kubectl(['get', 'hpa', 'web'], { kubeconfig });
      expect(get.stdout).toMatch(/^web\s+Deployment\/web\s+cpu: 200%\/50%\s+1\s+4\s+1\s+/m);
      const describe = await kubectl(['describe', 'hpa', 'web'], { kubeconfig });
      expect(describe.stdout).toContain('New size: 4; reason: cpu resource utilization (percentage of request) above target');
      expect(describe.stdout).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
    }
  });

  it('holds a scale-down for the stabilisation window, then scales down', async () => {
    await setup();
    await deployment('api', 4);
    for (const i of [1, 2, 3, 4]) await pod('api', `api-${i}`, '10m');
    await hpa('api', { behavior: { scaleDown: { stabilizationWindowSeconds: 30 } } });

    let status = await sync('api');
    expect(condition(status, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'ScaleDownStabilized' });
    expect(status.status).toMatchObject({ currentReplicas: 4, desiredReplicas: 4 });
    await clock.advance(15_000);
    status = await sync('api');
    expect(await replicasOf('api')).toBe(4);

    await clock.advance(16_000); // the first recommendation (4) is now older than the 30 s window
    status = await sync('api');
    expect(await replicasOf('api')).toBe(1);
    expect(status.status).toMatchObject({ currentReplicas: 4, desiredReplicas: 1 });
    expect(condition(status, 'AbleToScale')).toMatchObject({ reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 1' });
    await waitFor(async () => (await eventsOf('api')).includes('SuccessfulRescale: New size: 1; reason: All metrics below target'));
  });

  it('reports metrics it cannot get and a target it cannot find', async () => {
    await setup();
    await deployment('idle', 2);
    await hpa('idle', {});
    let status = await sync('idle');
    expect(await replicasOf('idle')).toBe(2);
    expect(condition(status, 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'FailedGetResourceMetric',
      message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    });
    expect(status.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 0, currentMetrics: [{ type: '' }] });
    await waitFor(async () => {
      const events = await eventsOf('idle');
      return (
        events.includes('FailedGetResourceMetric: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API') &&
        events.includes(
          'FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
        )
      );
    });

    await hpa('ghost', {});
    status = await sync('ghost');
    expect(condition(status, 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetScale' });
    expect(condition(status, 'AbleToScale')?.message).toMatch(/^the HPA controller was unable to get the target's current scale: .*not found/);
  });

  it('re-syncs every sync period when running', async () => {
    await setup();
    await deployment('loop', 2);
    for (const i of [1, 2]) await pod('loop', `loop-${i}`, '50m');
    await hpa('loop', {});
    running = controller.run();
    await waitFor(() => condition(cached('loop'), 'ScalingActive')?.reason === 'ValidMetricFound');
    expect(await replicasOf('loop')).toBe(2); // 50% of requests: on target

    usage.set('loop-1', '150m');
    usage.set('loop-2', '150m');
    await clock.advance(15_000);
    await waitFor(async () => (await replicasOf('loop')) === 4);
  });
});
