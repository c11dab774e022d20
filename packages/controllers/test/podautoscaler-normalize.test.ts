// Stabilisation and rate limits: from a proposal to the applied replica count, with its conditions.
import type { HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2';
import { describe, expect, it } from 'vitest';
import { completeBehavior, normalize, recordScaleEvent, type NormalizeInput, type ScaleHistory } from '../src/podautoscaler/normalize.js';

const NOW = 1_000_000_000;
const ago = (s: number): number => NOW - s * 1000;
const empty = (): ScaleHistory => ({ recommendations: [], scaleUps: [], scaleDowns: [] });
const base: NormalizeInput = { currentReplicas: 2, proposed: 2, minReplicas: 1, maxReplicas: 10, downscaleStabilizationMs: 300_000, nowMs: NOW };

const pods = (value: number, periodSeconds: number) => ({ type: 'Pods', value, periodSeconds });
const percent = (value: number, periodSeconds: number) => ({ type: 'Percent', value, periodSeconds });
const up = (rules: HorizontalPodAutoscalerBehavior['scaleUp']): HorizontalPodAutoscalerBehavior => ({ scaleUp: rules, scaleDown: { stabilizationWindowSeconds: 0 } });
const down = (rules: HorizontalPodAutoscalerBehavior['scaleDown']): HorizontalPodAutoscalerBehavior => ({ scaleDown: rules });

interface Case {
  name: string;
  input: Partial<NormalizeInput>;
  history?: Partial<ScaleHistory>;
  desired: number;
  able: string;
  limited: [string, string];
}

const cases: Case[] = [
  { name: 'within range', input: { currentReplicas: 2, proposed: 3 }, desired: 3, able: 'ReadyForNewScale', limited: ['False', 'DesiredWithinRange'] },
  { name: 'no behavior: at most ×2 or 4 per step', input: { currentReplicas: 2, proposed: 9 }, desired: 4, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
  { name: 'no behavior: ×2 of 3', input: { currentReplicas: 3, proposed: 9 }, desired: 6, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
  { name: 'no behavior: max below the rate limit', input: { currentReplicas: 5, proposed: 12, maxReplicas: 8 }, desired: 8, able: 'ReadyForNewScale', limited: ['True', 'TooManyReplicas'] },
  { name: 'no behavior: below min', input: { currentReplicas: 3, proposed: 1, minReplicas: 2 }, desired: 2, able: 'ReadyForNewScale', limited: ['True', 'TooFewReplicas'] },
  {
    name: 'no behavior: a higher recommendation within the window holds a scale-down',
    input: { currentReplicas: 5, proposed: 2 },
    history: { recommendations: [{ replicas: 5, atMs: ago(60) }, { replicas: 4, atMs: ago(30) }] },
    desired: 5,
    able: 'ScaleDownStabilized',
    limited: ['False', 'DesiredWithinRange'],
  },
  {
    name: 'no behavior: recommendations older than the window no longer count',
    input: { currentReplicas: 5, proposed: 2 },
    history: { recommendations: [{ replicas: 5, atMs: ago(301) }, { replicas: 3, atMs: ago(30) }] },
    desired: 3,
    able: 'ScaleDownStabilized',
    limited: ['False', 'DesiredWithinRange'],
  },
  { name: 'behavior defaults: +4 pods or +100% per 15 s, the larger', input: { currentReplicas: 1, proposed: 9, behavior: {} }, desired: 5, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
  { name: 'behavior defaults: +100% of 6', input: { currentReplicas: 6, proposed: 20, maxReplicas: 30, behavior: {} }, desired: 12, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
  { name: 'selectPolicy Min picks the smaller change', input: { currentReplicas: 2, proposed: 9, behavior: up({ selectPolicy: 'Min', policies: [pods(4, 15), percent(50, 15)] }) }, desired: 3, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
  { name: 'selectPolicy Disabled does not scale up', input: { currentReplicas: 2, proposed: 9, behavior: up({ selectPolicy: 'Disabled' }) }, desired: 2, able: 'ReadyForNewScale', limited: ['True', 'ScaleUpLimit'] },
  {
    name: 'additions within the period count against the policy',
    input: { currentReplicas: 4, proposed: 9, behavior: up({ policies: [pods(3, 60)] }) },
    history: { scaleUps: [{ change: 2, atMs: ago(30) }] },
    desired: 5,
    able: 'ReadyForNewScale',
    limited: ['True', 'ScaleUpLimit'],
  },
  {
    name: 'additions older than the period do not',
    input: { currentReplicas: 4, proposed: 9, behavior: up({ policies: [pods(3, 60)] }) },
    history: { scaleUps: [{ change: 2, atMs: ago(61) }] },
    desired: 7,
    able: 'ReadyForNewScale',
    limited: ['True', 'ScaleUpLimit'],
  },
  {
    name: 'scale-up stabilisation: the lowest recent recommendation',
    input: { currentReplicas: 2, proposed: 6, behavior: up({ stabilizationWindowSeconds: 60 }) },
    history: { recommendations: [{ replicas: 3, atMs: ago(30) }] },
    desired: 3,
    able: 'ScaleUpStabilized',
    limited: ['False', 'DesiredWithinRange'],
  },
  { name: 'scale-down limited to 1 pod per minute', input: { currentReplicas: 5, proposed: 1, behavior: down({ stabilizationWindowSeconds: 0, policies: [pods(1, 60)] }) }, desired: 4, able: 'ReadyForNewScale', limited: ['True', 'ScaleDownLimit'] },
  {
    name: 'scale-down with the period used up stays',
    input: { currentReplicas: 4, proposed: 1, behavior: down({ stabilizationWindowSeconds: 0, policies: [pods(1, 60)] }) },
    history: { scaleDowns: [{ change: 1, atMs: ago(20) }] },
    desired: 4,
    able: 'ReadyForNewScale',
    limited: ['True', 'ScaleDownLimit'],
  },
  { name: 'scale-down by percent rounds the floor down', input: { currentReplicas: 5, proposed: 1, behavior: down({ stabilizationWindowSeconds: 0, policies: [percent(50, 60)] }) }, desired: 2, able: 'ReadyForNewScale', limited: ['True', 'ScaleDownLimit'] },
  { name: 'scale-down to min', input: { currentReplicas: 5, proposed: 1, minReplicas: 3, behavior: down({ stabilizationWindowSeconds: 0 }) }, desired: 3, able: 'ReadyForNewScale', limited: ['True', 'TooFewReplicas'] },
  {
    name: 'behavior scale-down window from the spec',
    input: { currentReplicas: 5, proposed: 2, behavior: down({ stabilizationWindowSeconds: 10 }) },
    history: { recommendations: [{ replicas: 4, atMs: ago(5) }, { replicas: 5, atMs: ago(11) }] },
    desired: 4,
    able: 'ScaleDownStabilized',
    limited: ['False', 'DesiredWithinRange'],
  },
];

describe('normalize', () => {
  it.each(cases)('$name', (c) => {
    const result = normalize({ ...base, ...c.input }, { ...empty(), ...c.history });
    expect(result.desired).toBe(c.desired);
    expect(result.conditions[0]).toMatchObject({ type: 'AbleToScale', status: 'True', reason: c.able });
    expect(result.conditions[1]).toMatchObject({ type: 'ScalingLimited', status: c.limited[0], reason: c.limited[1] });
  });

  it('records the proposal and forgets recommendations older than the windows', () => {
    const history = { ...empty(), recommendations: [{ replicas: 9, atMs: ago(400) }, { replicas: 4, atMs: ago(100) }] };
    expect(normalize({ ...base, proposed: 3 }, history).recommendations).toEqual([
      { replicas: 4, atMs: ago(100) },
      { replicas: 3, atMs: NOW },
    ]);
  });

  it('uses the controller window for a behavior without a scale-down window', () => {
    expect(completeBehavior({ scaleUp: { policies: [pods(1, 30)] } }, 120_000)).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [pods(1, 30)] },
      scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Max', policies: [percent(100, 15)] },
    });
  });
});

describe('recordScaleEvent', () => {
  const behavior = completeBehavior({ scaleUp: { policies: [pods(4, 60)] } }, 300_000);
  it('keeps events for the longest policy period only', () => {
    const history = { ...empty(), scaleUps: [{ change: 1, atMs: ago(90) }, { change: 2, atMs: ago(30) }] };
    expect(recordScaleEvent(history, behavior, 3, 5, NOW).scaleUps).toEqual([
      { change: 2, atMs: ago(30) },
      { change: 2, atMs: NOW },
    ]);
    expect(recordScaleEvent(history, behavior, 5, 3, NOW).scaleDowns).toEqual([{ change: 2, atMs: NOW }]);
  });
  it('records nothing without behavior', () => {
    expect(recordScaleEvent(empty(), undefined, 1, 4, NOW)).toEqual(empty());
  });
});
