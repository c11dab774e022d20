// computeReplicasForMetrics (horizontal.go): one replica proposal per metric of the spec, the
// largest wins; the metric statuses, ScalingActive condition and warning events that go with it.
// Metrics are read through `fetch`, pods through `listPods`, so tests can feed both.
import { formatQuantity, milliValue, parseSelector, type Selector } from '@mini-kube/machinery';
import type { MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2';
import { rawResourceReplicas, resourceReplicas, type CalculatorConfig } from './replica-calculator.js';
import type { HpaObject, PlannedCondition, PlannedEvent, PodMetrics, PodObject } from './types.js';

export interface MetricSources {
  /** The usage of `resource` by the pods `selector` matches (throws with the metrics client's wording). */
  fetch(resource: string, selector: string): Promise<PodMetrics>;
  listPods(selector: Selector): PodObject[];
}

export interface MetricsResult {
  /** The largest proposal of the valid metrics; -1 when there is nothing to act on. */
  replicas: number;
  /** What the winning metric is called in events: "cpu resource utilization (percentage of request)". */
  metricName: string;
  /** One per metric of the spec, by position; `{type: ''}` where a metric could not be read. */
  statuses: MetricStatus[];
  conditions: PlannedCondition[];
  events: PlannedEvent[];
  /** Set when some metric failed (replicas may still be usable, see above). */
  error?: string;
}

interface Proposal {
  replicas: number;
  name: string;
  status: MetricStatus;
}

/** A metric that could not be computed: the ScalingActive condition and the event it raises. */
class MetricFailure extends Error {
  constructor(
    message: string,
    readonly condition: PlannedCondition,
    readonly event?: PlannedEvent,
  ) {
    super(message);
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
/** resource.NewMilliQuantity(milli, DecimalSI).String() */
const milliQuantity = (milli: number): string => formatQuantity({ mantissa: BigInt(milli), exponent: -3, format: 'DecimalSI' });

export async function computeReplicasForMetrics(hpa: HpaObject, specReplicas: number, selectorText: string, sources: MetricSources, cfg: CalculatorConfig): Promise<MetricsResult> {
  const specs = hpa.spec?.metrics ?? [];
  const failed = (reason: string, condition: string, event: string): MetricsResult => ({
    replicas: -1,
    metricName: '',
    statuses: [],
    conditions: [{ type: 'ScalingActive', status: 'False', reason: 'InvalidSelector', message: condition }],
    events: [{ type: 'Warning', reason, message: event }],
    error: event,
  });
  if (!selectorText) return failed('SelectorRequired', "the HPA target's scale is missing a selector", 'selector is required');
  let selector: Selector;
  try {
    selector = parseSelector(selectorText);
  } catch (err) {
    return failed('InvalidSelector', `the HPA target's pod selector could not be parsed: ${errorText(err)}`, `couldn't convert selector into a corresponding internal selector object: ${errorText(err)}`);
  }

  const statuses: MetricStatus[] = specs.map(() => ({ type: '' }));
  const events: PlannedEvent[] = [];
  let best: Proposal | undefined;
  let firstFailure: MetricFailure | undefined;
  let invalid = 0;
  for (const [i, spec] of specs.entries()) {
    try {
      const proposal = await computeForMetric(spec, specReplicas, selectorText, selector, sources, cfg);
      statuses[i] = proposal.status;
      if (!best || proposal.replicas > best.replicas) best = proposal;
    } catch (err) {
      const failure = err instanceof MetricFailure ? err : new MetricFailure(errorText(err), unableToCompute('FailedGetMetric', errorText(err)));
      if (failure.event) events.push(failure.event);
      firstFailure ??= failure;
      invalid++;
    }
  }
  const error = firstFailure && `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstFailure.message}`;
  // With every metric invalid, or some invalid while the rest would scale down, nothing is done.
  if (!best || invalid >= specs.length || (invalid > 0 && best.replicas < specReplicas)) {
    const conditions = firstFailure ? [firstFailure.condition] : [];
    return { replicas: -1, metricName: '', statuses, conditions, events, error: error ?? 'no metrics are specified' };
  }
  const active: PlannedCondition = { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${best.name}` };
  return { replicas: best.replicas, metricName: best.name, statuses, conditions: [active], events, error };
}

function unableToCompute(reason: string, message: string): PlannedCondition {
  return { type: 'ScalingActive', status: 'False', reason, message: `the HPA was unable to compute the replica count: ${message}` };
}

async function computeForMetric(spec: MetricSpec, specReplicas: number, selectorText: string, selector: Selector, sources: MetricSources, cfg: CalculatorConfig): Promise<Proposal> {
  if (spec.type !== 'Resource' || !spec.resource) {
    const kind = spec.type.toLowerCase();
    const message = `the ${spec.type} metric source type is not supported by this controller`;
    throw new MetricFailure(`failed to get ${kind} metric value: ${message}`, unableToCompute(`FailedGet${spec.type}Metric`, message), { type: 'Warning', reason: `FailedGet${spec.type}Metric`, message });
  }
  const { name: resource, target } = spec.resource;
  try {
    const { replicas, name, current } = await resourceProposal(resource, target, specReplicas, selectorText, selector, sources, cfg);
    return { replicas, name, status: { type: 'Resource', resource: { name: resource, current } } };
  } catch (err) {
    const message = errorText(err);
    throw new MetricFailure(`failed to get ${resource} resource metric value: ${message}`, unableToCompute('FailedGetResourceMetric', message), {
      type: 'Warning',
      reason: 'FailedGetResourceMetric',
      message,
    });
  }
}

/** computeStatusForResourceMetricGeneric: an AverageValue target, else an AverageUtilization one. */
async function resourceProposal(
  resource: string,
  target: MetricTarget,
  specReplicas: number,
  selectorText: string,
  selector: Selector,
  sources: MetricSources,
  cfg: CalculatorConfig,
): Promise<{ replicas: number; name: string; current: MetricValueStatus }> {
  const metrics = async (): Promise<PodMetrics> => {
    try {
      return await sources.fetch(resource, selectorText);
    } catch (err) {
      throw new Error(`unable to get metrics for resource ${resource}: ${errorText(err)}`);
    }
  };
  if (target.averageValue !== undefined) {
    try {
      const podMetrics = await metrics();
      const { replicas, usage } = rawResourceReplicas(specReplicas, milliValue(String(target.averageValue)), resource, sources.listPods(selector), podMetrics, cfg);
      return { replicas, name: `${resource} resource`, current: { averageValue: milliQuantity(usage) } };
    } catch (err) {
      throw new Error(`failed to get ${resource} usage: ${errorText(err)}`);
    }
  }
  if (target.averageUtilization === undefined) {
    throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
  }
  try {
    const podMetrics = await metrics();
    const proposal = resourceReplicas(specReplicas, target.averageUtilization, resource, sources.listPods(selector), podMetrics, cfg);
    return {
      replicas: proposal.replicas,
      name: `${resource} resource utilization (percentage of request)`,
      current: { averageUtilization: proposal.utilization, averageValue: milliQuantity(proposal.rawAverage) },
    };
  } catch (err) {
    throw new Error(`failed to get ${resource} utilization: ${errorText(err)}`);
  }
}
