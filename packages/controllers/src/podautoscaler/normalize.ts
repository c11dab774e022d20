// From a metric-proposed replica count to the one applied (horizontal.go, normalizeDesiredReplicas*):
// stabilisation over recent recommendations, then the min/max bounds and the scale rate limits
// (the fixed ×2-or-4 rule without `behavior`, the Pods/Percent policies with it). Pure: the history
// of recommendations and scale events is passed in and the new entries are returned.
import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2';
import type { PlannedCondition } from './types.js';

export interface Recommendation {
  replicas: number;
  atMs: number;
}

export interface ScaleEvent {
  change: number;
  atMs: number;
}

export interface ScaleHistory {
  recommendations: Recommendation[];
  scaleUps: ScaleEvent[];
  scaleDowns: ScaleEvent[];
}

export interface NormalizeInput {
  currentReplicas: number;
  /** What the metrics propose, before stabilisation and limits. */
  proposed: number;
  minReplicas: number;
  maxReplicas: number;
  behavior?: HorizontalPodAutoscalerBehavior;
  /** Scale-down window of HPAs without one. */
  downscaleStabilizationMs: number;
  nowMs: number;
}

export interface Normalized {
  desired: number;
  /** The AbleToScale (stabilisation) and ScalingLimited conditions to set. */
  conditions: PlannedCondition[];
  /** The recommendations to keep, the new one included. */
  recommendations: Recommendation[];
}

/** A behavior with every rule filled in. */
export interface CompleteBehavior {
  scaleUp: Required<HPAScalingRules>;
  scaleDown: Required<HPAScalingRules>;
}

const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

const READY: PlannedCondition = { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const stabilized = (up: boolean): PlannedCondition =>
  up
    ? { type: 'AbleToScale', status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { type: 'AbleToScale', status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };

interface Limit {
  replicas: number;
  reason: string;
  message: string;
}
const WITHIN: Omit<Limit, 'replicas'> = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

export function normalize(input: NormalizeInput, history: ScaleHistory): Normalized {
  const behavior = input.behavior && completeBehavior(input.behavior, input.downscaleStabilizationMs);
  const { desired: stable, recommendations, up } = behavior
    ? stabilizeWithBehavior(input, history.recommendations, behavior)
    : stabilize(input, history.recommendations);
  const limit = behavior ? limitByPolicies({ ...input, proposed: stable }, history, behavior) : limitByRules({ ...input, proposed: stable });
  const conditions: PlannedCondition[] = [
    stable !== input.proposed ? stabilized(up) : READY,
    { type: 'ScalingLimited', status: limit.replicas === stable ? 'False' : 'True', reason: limit.reason, message: limit.message },
  ];
  return { desired: limit.replicas, conditions, recommendations };
}

/** Without behavior: the highest recommendation within the downscale window wins. */
function stabilize(input: NormalizeInput, recs: readonly Recommendation[]): { desired: number; recommendations: Recommendation[]; up: boolean } {
  const cutoff = input.nowMs - input.downscaleStabilizationMs;
  let desired = input.proposed;
  for (const r of recs) if (r.atMs >= cutoff && r.replicas > desired) desired = r.replicas;
  const kept = recs.filter((r) => r.atMs >= cutoff);
  return { desired, recommendations: [...kept, { replicas: input.proposed, atMs: input.nowMs }], up: false };
}

/** With behavior: scale up to at most the lowest recommendation of the up window, down to at least the highest of the down window. */
function stabilizeWithBehavior(
  input: NormalizeInput,
  recs: readonly Recommendation[],
  behavior: CompleteBehavior,
): { desired: number; recommendations: Recommendation[]; up: boolean } {
  const upCutoff = input.nowMs - 1000 * (behavior.scaleUp.stabilizationWindowSeconds);
  const downCutoff = input.nowMs - 1000 * (behavior.scaleDown.stabilizationWindowSeconds);
  let upLimit = input.proposed;
  let downLimit = input.proposed;
  for (const r of recs) {
    if (r.atMs > upCutoff) upLimit = Math.min(upLimit, r.replicas);
    if (r.atMs > downCutoff) downLimit = Math.max(downLimit, r.replicas);
  }
  const desired = Math.min(Math.max(input.currentReplicas, upLimit), downLimit);
  const kept = recs.filter((r) => r.atMs >= Math.min(upCutoff, downCutoff));
  return { desired, recommendations: [...kept, { replicas: input.proposed, atMs: input.nowMs }], up: input.proposed >= input.currentReplicas };
}

/** The default scaling rules (SetDefaults_HorizontalPodAutoscalerBehavior) over what is given. */
export function completeBehavior(behavior: HorizontalPodAutoscalerBehavior, downscaleStabilizationMs: number): CompleteBehavior {
  const rules = (given: HPAScalingRules | undefined, defaults: Required<HPAScalingRules>): Required<HPAScalingRules> => ({
    stabilizationWindowSeconds: given?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: given?.selectPolicy ?? defaults.selectPolicy,
    policies: given?.policies && given.policies.length > 0 ? given.policies : defaults.policies,
  });
  return {
    scaleUp: rules(behavior.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    }),
    scaleDown: rules(behavior.scaleDown, {
      stabilizationWindowSeconds: Math.round(downscaleStabilizationMs / 1000),
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    }),
  };
}

/** Without behavior: within [min, max], and at most doubling (or 4) in one step. */
function limitByRules(input: NormalizeInput): Limit {
  const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * input.currentReplicas, SCALE_UP_LIMIT_MINIMUM);
  const [maxAllowed, upReason] = input.maxReplicas > scaleUpLimit ? [scaleUpLimit, UP_LIMIT] : [input.maxReplicas, TOO_MANY];
  if (input.proposed < input.minReplicas) return { replicas: input.minReplicas, ...TOO_FEW };
  if (input.proposed > maxAllowed) return { replicas: maxAllowed, ...upReason };
  return { replicas: input.proposed, ...WITHIN };
}

/** With behavior: within [min, max] and the change the policies allow over their periods. */
function limitByPolicies(input: NormalizeInput, history: ScaleHistory, behavior: CompleteBehavior): Limit {
  const { currentReplicas: current, proposed } = input;
  if (proposed > current) {
    const rate = Math.max(scaleUpLimit(current, history, behavior.scaleUp, input.nowMs), current);
    const [maxAllowed, reason] = input.maxReplicas > rate ? [rate, UP_LIMIT] : [input.maxReplicas, TOO_MANY];
    if (proposed > maxAllowed) return { replicas: maxAllowed, ...reason };
  } else if (proposed < current) {
    const rate = Math.min(scaleDownLimit(current, history, behavior.scaleDown, input.nowMs), current);
    const [minAllowed, reason] = input.minReplicas < rate ? [rate, DOWN_LIMIT] : [input.minReplicas, TOO_FEW];
    if (proposed < minAllowed) return { replicas: minAllowed, ...reason };
  }
  return { replicas: proposed, ...WITHIN };
}

function changeWithin(periodSeconds: number, events: readonly ScaleEvent[], nowMs: number): number {
  const cutoff = nowMs - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.atMs > cutoff ? sum + e.change : sum), 0);
}

/** The replicas at the start of the policy's period: now, minus what was added, plus what was removed since. */
const periodStart = (current: number, periodSeconds: number, history: ScaleHistory, nowMs: number): number =>
  current - changeWithin(periodSeconds, history.scaleUps, nowMs) + changeWithin(periodSeconds, history.scaleDowns, nowMs);

export function scaleUpLimit(current: number, history: ScaleHistory, rules: HPAScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies ?? []) {
    const start = periodStart(current, p.periodSeconds, history, nowMs);
    // Rounded up, or a small percentage of few replicas would never add one.
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

export function scaleDownLimit(current: number, history: ScaleHistory, rules: HPAScalingRules, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies ?? []) {
    const start = periodStart(current, p.periodSeconds, history, nowMs);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** Records a rescale for the policies' periods, dropping events older than the longest period. */
export function recordScaleEvent(history: ScaleHistory, behavior: CompleteBehavior | undefined, from: number, to: number, nowMs: number): ScaleHistory {
  if (!behavior || from === to) return history;
  const up = to > from;
  const rules = up ? behavior.scaleUp : behavior.scaleDown;
  const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds));
  const keep = (events: ScaleEvent[]): ScaleEvent[] => [...events.filter((e) => e.atMs > nowMs - longest * 1000), { change: Math.abs(to - from), atMs: nowMs }];
  return up ? { ...history, scaleUps: keep(history.scaleUps) } : { ...history, scaleDowns: keep(history.scaleDowns) };
}
