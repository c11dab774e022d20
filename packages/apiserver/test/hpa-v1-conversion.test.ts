// autoscaling/v1 <-> v2 HorizontalPodAutoscaler conversion (pure), and the v1 view over HTTP:
// discovery, OpenAPI, reads and writes in either version of one stored object, tables, watch, SSA.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '@mini-kube/api';
import {
  BEHAVIOR_ANNOTATION,
  CONDITIONS_ANNOTATION,
  CURRENT_METRICS_ANNOTATION,
  METRICS_ANNOTATION,
  hpaV1ToV2,
  hpaV2ToV1,
} from '../src/registry/hpa-v1.js';
import { AGGREGATED_DISCOVERY_TYPE } from '../src/discovery.js';
import { TABLE_ACCEPT, deployment, startServer, type TestServer } from './server-harness.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });
const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };
const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
const external = { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'a' } } }, target: { type: 'Value', value: '30' } } };
const behavior = { scaleDown: { stabilizationWindowSeconds: 5, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } };
const conditions = [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z' }];
const cpuStatus = { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 120, averageValue: '24m' } } };

const v2 = (spec: Record<string, unknown>, status?: Record<string, unknown>, annotations?: Record<string, string>): KObject =>
  ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, ...spec },
    ...(status ? { status } : {}),
  }) as KObject;

describe('v2 -> v1 -> v2 keeps everything', () => {
  const cases: [string, KObject][] = [
    ['a cpu utilization target', v2({ metrics: [cpu(50)] })],
    ['other metrics, behavior, status and conditions', v2({ metrics: [memory, cpu(60), pods, external], behavior }, { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [cpuStatus], conditions, observedGeneration: 4 })],
    ['a user annotation next to them', v2({ metrics: [memory] }, undefined, { team: 'a' })],
  ];
  it.each(cases)('%s', (_name, obj) => {
    const back = hpaV1ToV2(hpaV2ToV1(obj)) as any;
    const want = obj as any;
    expect(back.metadata).toEqual(want.metadata);
    expect(back.status).toEqual(want.status);
    expect(back.spec.behavior).toEqual(want.spec.behavior);
    // The cpu target comes back first: v1 keeps it in its own field.
    const order = (ms: any[]) => [...ms].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(order(back.spec.metrics)).toEqual(order(want.spec.metrics));
  });
});

describe('the v1 view', () => {
  it('has the cpu target and current utilization in v1 fields, the rest in annotations', () => {
    const v1 = hpaV2ToV1(v2({ metrics: [cpu(50), memory], behavior }, { currentReplicas: 1, desiredReplicas: 2, currentMetrics: [cpuStatus], conditions })) as any;
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
    expect(v1.status).toEqual({ currentReplicas: 1, desiredReplicas: 2, currentCPUUtilizationPercentage: 120 });
    expect(JSON.parse(v1.metadata.annotations[METRICS_ANNOTATION])).toEqual([{ type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } }]);
    expect(JSON.parse(v1.metadata.annotations[CURRENT_METRICS_ANNOTATION])).toEqual([{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 120, currentAverageValue: '24m' } }]);
    expect(JSON.parse(v1.metadata.annotations[CONDITIONS_ANNOTATION])).toEqual(conditions);
    expect(JSON.parse(v1.metadata.annotations[BEHAVIOR_ANNOTATION])).toEqual(behavior);
  });

  it('defaults a v1 object without targets to 80% cpu in v2, as v1 always implied', () => {
    const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } } as KObject;
    expect((hpaV1ToV2(v1) as any).spec.metrics).toEqual([cpu(80)]);
  });

  it('ignores a malformed annotation instead of failing the read', () => {
    const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', annotations: { [METRICS_ANNOTATION]: '{nope' } }, spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 70 } } as KObject;
    const out = hpaV1ToV2(v1) as any;
    expect(out.spec.metrics).toEqual([cpu(70)]);
    expect(out.metadata.annotations).toBeUndefined();
  });
});

describe('autoscaling/v1 over HTTP', () => {
  let s: TestServer;
  const V1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
  const V2 = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
  const v1Body = (name: string, target = 50) => ({
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: target },
  });

  beforeAll(async () => {
    s = await startServer();
    await s.req('POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment('web') });
  });
  afterAll(() => s.close());

  it('lists v2 as the preferred version and v1 too, in both discovery forms', async () => {
    const group = (await s.req('GET', '/apis/autoscaling')).body;
    expect(group.preferredVersion.version).toBe('v2');
    expect(group.versions.map((v: any) => v.version)).toEqual(['v2', 'v1']);
    const aggregated = (await s.req('GET', '/apis', { accept: AGGREGATED_DISCOVERY_TYPE })).body;
    const autoscaling = aggregated.items.find((g: any) => g.metadata.name === 'autoscaling');
    expect(autoscaling.versions.map((v: any) => v.version)).toEqual(['v2', 'v1']);
    const v1 = autoscaling.versions[1].resources.find((r: any) => r.resource === 'horizontalpodautoscalers');
    expect(v1.responseKind).toEqual({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' });
    const list = (await s.req('GET', '/apis/autoscaling/v1')).body;
    expect(list.resources.map((r: any) => r.name)).toEqual(['horizontalpodautoscalers', 'horizontalpodautoscalers/status']);
  });

  it('publishes the v1 schema in OpenAPI v3', async () => {
    const index = (await s.req('GET', '/openapi/v3')).body;
    const url = index.paths['apis/autoscaling/v1'].serverRelativeURL;
    const doc = (await s.req('GET', url)).body;
    expect(doc.components.schemas['io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec'].properties.targetCPUUtilizationPercentage).toBeDefined();
  });

  it('creates through v1 and reads the one object through either version', async () => {
    const created = await s.req('POST', `${V1}?fieldValidation=Strict`, { body: v1Body('a') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 1, targetCPUUtilizationPercentage: 50 } });
    expect(created.body.spec.metrics).toBeUndefined();
    const asV2 = (await s.req('GET', `${V2}/a`)).body;
    expect(asV2.spec.metrics).toEqual([cpu(50)]);
    expect(asV2.metadata.uid).toBe(created.body.metadata.uid);
    const list = (await s.req('GET', V1)).body;
    expect(list.items.map((i: any) => [i.apiVersion ?? 'autoscaling/v1', i.spec.targetCPUUtilizationPercentage])).toEqual([['autoscaling/v1', 50]]);
  });

  it('keeps v2-only fields across a v1 read-modify-write', async () => {
    const body = { ...v2({ metrics: [cpu(60), memory], behavior }), metadata: { name: 'b' } };
    expect((await s.req('POST', V2, { body })).status).toBe(201);
    const asV1 = (await s.req('GET', `${V1}/b`)).body;
    asV1.spec.maxReplicas = 7;
    const put = await s.req('PUT', `${V1}/b`, { body: asV1 });
    expect(put.status).toBe(200);
    const after = (await s.req('GET', `${V2}/b`)).body;
    expect(after.spec.maxReplicas).toBe(7);
    expect(after.spec.metrics).toEqual([cpu(60), memory]);
    expect(after.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(5);
    expect(after.metadata.annotations).toBeUndefined();
  });

  it('merge-patches and server-side-applies v1 objects', async () => {
    const patched = await s.req('PATCH', `${V1}/a`, { body: { spec: { targetCPUUtilizationPercentage: 70 } }, contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    expect((await s.req('GET', `${V2}/a`)).body.spec.metrics).toEqual([cpu(70)]);
    const applied = await s.req('PATCH', `${V1}/c?fieldManager=test`, { body: v1Body('c', 40), contentType: 'application/apply-patch+yaml' });
    expect(applied.status).toBe(201);
    expect(applied.body.spec.targetCPUUtilizationPercentage).toBe(40);
    expect((await s.req('GET', `${V2}/c`)).body.spec.metrics).toEqual([cpu(40)]);
  });

  it('rejects a v1 target below 1', async () => {
    const res = await s.req('POST', V1, { body: v1Body('bad', 0) });
    expect(res.status).toBe(422);
    expect(res.body.message).toContain('spec.targetCPUUtilizationPercentage');
  });

  it('prints v1 objects with the v2 TARGETS column', async () => {
    const table = (await s.req('GET', `${V1}/a`, { accept: TABLE_ACCEPT })).body;
    expect(table.rows[0].cells.slice(0, 3)).toEqual(['a', 'Deployment/web', 'cpu: <unknown>/70%']);
  });

  it('converts watch events per watcher', async () => {
    const rv = (await s.req('GET', V2)).body.metadata.resourceVersion;
    const w1 = await s.watch(`${V1}?watch=true&resourceVersion=${rv}`);
    const w2 = await s.watch(`${V2}?watch=true&resourceVersion=${rv}`);
    const status = { currentReplicas: 1, desiredReplicas: 2, currentMetrics: [cpuStatus], conditions };
    const current = (await s.req('GET', `${V2}/a`)).body;
    expect((await s.req('PUT', `${V2}/a/status`, { body: { ...current, status } })).status).toBe(200);
    const e1 = await w1.next();
    const e2 = await w2.next();
    expect(e1.object.apiVersion).toBe('autoscaling/v1');
    expect(e1.object.status.currentCPUUtilizationPercentage).toBe(120);
    expect(JSON.parse(e1.object.metadata.annotations[CONDITIONS_ANNOTATION])).toEqual(conditions);
    expect(e2.object.apiVersion).toBe('autoscaling/v2');
    expect(e2.object.status.conditions).toEqual(conditions);
    expect(e2.object.metadata.annotations).toBeUndefined();
  });
});
