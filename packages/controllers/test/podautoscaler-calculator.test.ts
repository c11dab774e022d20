// The replica arithmetic, with the cases of upstream's replica_calculator_test.go (one container per
// pod: per-pod values equal upstream's per-container ones).
import { describe, expect, it } from 'vitest';
import { rawResourceReplicas, resourceReplicas, type CalculatorConfig } from '../src/podautoscaler/replica-calculator.js';
import { podMetricsOf, parseGoDuration } from '../src/podautoscaler/metrics.js';
import type { PodMetrics, PodObject } from '../src/podautoscaler/types.js';

const NOW = Date.UTC(2024, 0, 1, 12);
const cfg: CalculatorConfig = { tolerance: 0.1, cpuInitializationPeriodMs: 120_000, initialReadinessDelayMs: 10_000, nowMs: NOW };
const COOL = NOW - 180_000; // started before the cpu initialisation period
const HOT = NOW; // started within it
const iso = (ms: number): string => new Date(ms).toISOString();

type Phase = 'Running' | 'Pending' | 'Failed';
interface PodSpec {
  request?: string;
  ready?: boolean;
  phase?: Phase;
  started?: number;
  deleting?: boolean;
}

function pods(specs: PodSpec[]): PodObject[] {
  return specs.map((s, i) => {
    const started = s.started ?? COOL;
    return {
      metadata: { name: `pod-${i}`, namespace: 'default', ...(s.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: s.request ?? '1' } } }] },
      status: {
        phase: s.phase ?? 'Running',
        startTime: iso(started),
        conditions: [{ type: 'Ready', status: s.ready === false ? 'False' : 'True', lastTransitionTime: iso(started) }],
      },
    };
  });
}

/** Levels by pod index; `undefined` means the pod has no metric. Samples are a minute old, over 30 s. */
function metrics(levels: (number | undefined)[], names?: string[]): PodMetrics {
  const m: PodMetrics = new Map();
  levels.forEach((v, i) => v !== undefined && m.set(names?.[i] ?? `pod-${i}`, { value: v, timestampMs: NOW - 60_000, windowMs: 30_000 }));
  return m;
}

const n = (count: number, spec: PodSpec = {}): PodSpec[] => Array.from({ length: count }, () => ({ ...spec }));

describe('resourceReplicas (utilization targets)', () => {
  const cases: { name: string; current: number; pods: PodSpec[]; levels: (number | undefined)[]; target: number; replicas: number; utilization: number; raw?: number }[] = [
    { name: 'scale up', current: 3, pods: n(3), levels: [300, 500, 700], target: 30, replicas: 5, utilization: 50, raw: 500 },
    { name: 'scale up, unready pod: less scale', current: 3, pods: [{ ready: false }, {}, {}], levels: [300, 500, 700], target: 30, replicas: 4, utilization: 60, raw: 600 },
    { name: 'scale up, hot cpu pod: less scale', current: 3, pods: [{ started: HOT }, {}, {}], levels: [300, 500, 700], target: 30, replicas: 4, utilization: 60 },
    { name: 'scale up, unready pods: no scale', current: 3, pods: [{}, { ready: false }, { ready: false }], levels: [400, 500, 700], target: 30, replicas: 3, utilization: 40 },
    { name: 'hot unready pods: no scale', current: 3, pods: [{}, { ready: false, started: HOT }, { ready: false, started: HOT }], levels: [400, 500, 700], target: 30, replicas: 3, utilization: 40 },
    { name: 'scale up ignores failed pods', current: 2, pods: [{}, {}, { phase: 'Failed', ready: false }, { phase: 'Failed', ready: false }], levels: [500, 700], target: 30, replicas: 4, utilization: 60 },
    { name: 'scale up ignores deleting pods', current: 2, pods: [{}, {}, { deleting: true, ready: false }, { deleting: true, ready: false }], levels: [500, 700], target: 30, replicas: 4, utilization: 60 },
    { name: 'scale down', current: 5, pods: n(5), levels: [100, 300, 500, 250, 250], target: 50, replicas: 3, utilization: 28, raw: 280 },
    { name: 'scale down excludes unready pods', current: 5, pods: [{}, {}, {}, { ready: false }, { ready: false }], levels: [100, 300, 500, 250, 250], target: 50, replicas: 2, utilization: 30 },
    { name: 'scale down excludes unscheduled pods', current: 5, pods: [{}, ...n(4, { phase: 'Pending', ready: false })], levels: [100], target: 50, replicas: 1, utilization: 10 },
    { name: 'tolerance: no change', current: 3, pods: [{ request: '900m' }, { request: '1' }, { request: '1100m' }], levels: [1010, 1030, 1020], target: 100, replicas: 3, utilization: 102 },
    { name: 'missing metrics, no change (equal)', current: 2, pods: n(2), levels: [1000], target: 100, replicas: 2, utilization: 100 },
    { name: 'missing metrics, no change (above): missing pod counts 0%', current: 2, pods: n(2), levels: [1900], target: 100, replicas: 2, utilization: 190 },
    { name: 'missing metrics, no change (below): missing pod counts 100%', current: 2, pods: n(2), levels: [600], target: 100, replicas: 2, utilization: 60 },
    { name: 'missing and unready: would flip direction', current: 3, pods: [{ ready: false }, {}, {}], levels: [100, 450], target: 50, replicas: 3, utilization: 45 },
    { name: 'missing and unready: scale up dampened', current: 3, pods: [{ ready: false }, {}, {}], levels: [100, 2000], target: 50, replicas: 4, utilization: 200 },
    { name: 'missing and unready: scale down dampened', current: 4, pods: [{ ready: false }, {}, {}, {}], levels: [100, 100, 100], target: 50, replicas: 3, utilization: 10 },
    { name: 'missing pod on scale down above 100% target uses the target', current: 4, pods: [{ ready: false, request: '2' }, ...n(3, { request: '2' })], levels: [200, 100, 100], target: 300, replicas: 2, utilization: 5 },
    { name: 'sim e2e: 200m of 100m against 50%', current: 1, pods: [{ request: '100m' }], levels: [200], target: 50, replicas: 4, utilization: 200, raw: 200 },
  ];
  it.each(cases)('$name', (c) => {
    const result = resourceReplicas(c.current, c.target, 'cpu', pods(c.pods), metrics(c.levels), cfg);
    expect(result.replicas).toBe(c.replicas);
    expect(result.utilization).toBe(c.utilization);
    if (c.raw !== undefined) expect(result.rawAverage).toBe(c.raw);
  });

  it('treats an unready pod as ready for memory', () => {
    expect(resourceReplicas(3, 30, 'memory', pods([{ ready: false }, {}, {}]).map(withMemory), metrics([300, 500, 700]), cfg).replicas).toBe(5);
  });

  const errors: { name: string; pods: PodSpec[]; levels: (number | undefined)[]; names?: string[]; message: string }[] = [
    { name: 'no pods', pods: [], levels: [], message: 'no pods returned by selector while calculating replica count' },
    { name: 'metrics of other pods only', pods: n(1), levels: [100], names: ['an-older-pod-name'], message: 'no metrics returned matched known pods' },
    { name: 'only unready pods', pods: n(2, { ready: false }), levels: [100, 100], message: 'did not receive metrics for targeted pods (pods might be unready)' },
  ];
  it.each(errors)('fails: $name', (c) => {
    expect(() => resourceReplicas(1, 100, 'cpu', pods(c.pods), metrics(c.levels, c.names), cfg)).toThrow(c.message);
  });

  it('fails on a container without a request', () => {
    const list = pods(n(1));
    list[0]!.spec!.containers[0]!.resources = {};
    expect(() => resourceReplicas(1, 50, 'cpu', list, metrics([100]), cfg)).toThrow('missing request for cpu in container c of Pod pod-0');
  });
});

function withMemory(pod: PodObject): PodObject {
  return { ...pod, spec: { containers: [{ name: 'c', resources: { requests: { memory: '1' } } }] } };
}

describe('rawResourceReplicas (average value targets)', () => {
  const cases: { name: string; current: number; pods: PodSpec[]; levels: number[]; target: number; replicas: number; usage: number }[] = [
    { name: 'scale up', current: 3, pods: n(3), levels: [20000, 10000, 30000], target: 15000, replicas: 4, usage: 20000 },
    { name: 'scale down', current: 5, pods: n(5), levels: [12000, 12000, 12000, 12000, 12000], target: 20000, replicas: 3, usage: 12000 },
    { name: 'within tolerance', current: 3, pods: n(3), levels: [100, 105, 95], target: 100, replicas: 3, usage: 100 },
    { name: 'scale up with an unready pod counted at 0', current: 3, pods: [{}, {}, { ready: false }], levels: [50000, 10000, 30000], target: 15000, replicas: 4, usage: 30000 },
  ];
  it.each(cases)('$name', (c) => {
    const result = rawResourceReplicas(c.current, c.target, 'cpu', pods(c.pods), metrics(c.levels), cfg);
    expect(result).toEqual({ replicas: c.replicas, usage: c.usage });
  });
});

describe('pod metrics from the metrics API', () => {
  it('sums containers in milli-units and leaves out pods lacking the resource', () => {
    const items = [
      { metadata: { name: 'a' }, timestamp: '2024-01-01T12:00:00Z', window: '10s', containers: [{ usage: { cpu: '150m', memory: '1Mi' } }, { usage: { cpu: '50000000n', memory: '1Mi' } }] },
      { metadata: { name: 'b' }, timestamp: '2024-01-01T12:00:00Z', window: '1m0s', containers: [{ usage: { memory: '1Mi' } }] },
      { metadata: { name: 'c' }, containers: [] },
    ];
    expect([...podMetricsOf(items, 'cpu')]).toEqual([['a', { value: 200, timestampMs: Date.UTC(2024, 0, 1, 12), windowMs: 10_000 }]]);
    expect(podMetricsOf(items, 'memory').get('b')?.value).toBe(1024 * 1024 * 1000);
  });

  it.each([
    ['30s', 30_000],
    ['1m0s', 60_000],
    ['1.5s', 1500],
    ['250ms', 250],
    ['bogus', 0],
  ])('reads the Go duration %s', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });
});
