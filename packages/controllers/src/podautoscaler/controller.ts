// The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go): every sync
// period each HPA reads its target's scale subresource and its pods' metrics, proposes a replica
// count, stabilises and limits it, rescales the target through the scale subresource and writes
// status, conditions and events. Recommendation and scale-event history live in memory, as upstream.
import { runWhenSynced } from '../run.js';
import { isDeepStrictEqual } from 'node:util';
import { findResourceByKind, type KObject } from '@mini-kube/api';
import { WorkQueue, objectKey, splitKey, type EventRecorder, type Informer } from '@mini-kube/runtime';
import type { MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { ControllerContext } from '../context.js';
import { computeReplicasForMetrics, type MetricSources } from './compute.js';
import { fetchPodMetrics } from './metrics.js';
import { completeBehavior, normalize, recordScaleEvent, type ScaleHistory } from './normalize.js';
import { buildStatus, withConditions } from './status.js';
import { DEFAULT_HPA_OPTIONS, HPAS, PODS, type Condition, type HpaObject, type HpaOptions, type PlannedCondition, type PlannedEvent, type PodObject } from './types.js';

interface Scale extends KObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** What one reconcile decided, before it is written. */
interface Outcome {
  currentReplicas: number;
  desiredReplicas: number;
  metrics: MetricStatus[];
  conditions: Condition[];
  rescaledAtMs?: number;
}

export class HorizontalPodAutoscalerController {
  readonly queue: WorkQueue;
  private readonly hpas: Informer<HpaObject>;
  private readonly pods: Informer<PodObject>;
  private readonly recorder: EventRecorder;
  private readonly options: HpaOptions;
  private readonly history = new Map<string, ScaleHistory>();

  constructor(
    private readonly ctx: ControllerContext,
    options: Partial<HpaOptions> = {},
  ) {
    this.options = { ...DEFAULT_HPA_OPTIONS, ...options };
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.recorder = ctx.recorder('horizontal-pod-autoscaler');
    this.hpas = ctx.informers.informer<HpaObject>(HPAS);
    this.pods = ctx.informers.informer<PodObject>(PODS);
    this.hpas.addEventHandler({
      onAdd: (hpa) => this.queue.add(objectKey(hpa)),
      // Status writes (ours included) wait for the next sync; a spec change is acted on at once.
      onUpdate: (old, cur) => {
        if (old.metadata.generation !== cur.metadata.generation) this.queue.add(objectKey(cur));
      },
      onDelete: (hpa) => this.history.delete(objectKey(hpa)),
    });
  }

  async run(): Promise<void> {
    await runWhenSynced(this.ctx, 'horizontal-pod-autoscaler', this.queue, (key) => this.reconcile(key));
  }

  /** One sync of one HPA; failures are reported on the HPA and retried at the next sync period, as upstream. */
  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const hpa = this.hpas.lister.get(namespace, name);
    if (!hpa) {
      this.history.delete(key);
      return;
    }
    this.queue.addAfter(key, this.options.syncPeriodMs);
    const outcome = await this.reconcileAutoscaler(key, hpa);
    const status = buildStatus({ previous: hpa.status, ...outcome });
    if (!isDeepStrictEqual(hpa.status ?? {}, status)) {
      try {
        await this.ctx.client.updateStatus(HPAS, { ...hpa, status });
      } catch (err) {
        // A conflict or a deleted HPA: the next sync starts from a fresh cache.
        if ((err as { code?: number }).code !== 409 && (err as { code?: number }).code !== 404) throw err;
      }
    }
  }

  private async reconcileAutoscaler(key: string, hpa: HpaObject): Promise<Outcome> {
    const now = this.ctx.clock.now();
    let conditions = hpa.status?.conditions ?? [];
    const set = (...planned: PlannedCondition[]): void => void (conditions = withConditions(conditions, planned, now));
    const emit = (e: PlannedEvent): void => this.recorder.event(hpa, e.type, e.reason, e.message);
    const unchanged = (metrics: MetricStatus[] = hpa.status?.currentMetrics ?? []): Outcome => ({
      currentReplicas: hpa.status?.currentReplicas ?? 0,
      desiredReplicas: hpa.status?.desiredReplicas ?? 0,
      metrics,
      conditions,
    });

    const spec = hpa.spec!;
    const ref = spec.scaleTargetRef;
    const resource = findResourceByKind(ref.apiVersion ?? '', ref.kind);
    let scale: Scale;
    try {
      if (!resource?.subresources.some((s) => s.name === 'scale')) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion ?? ''}" with a scale subresource`);
      scale = await this.ctx.client.getSubresource<Scale>(resource, ref.name, 'scale', { namespace: hpa.metadata.namespace });
    } catch (err) {
      emit({ type: 'Warning', reason: 'FailedGetScale', message: errorText(err) });
      set({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${errorText(err)}` });
      return unchanged();
    }
    set({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" });
    const currentReplicas = scale.spec?.replicas ?? 0;
    if (!this.history.has(key)) this.history.set(key, { recommendations: [{ replicas: currentReplicas, atMs: now }], scaleUps: [], scaleDowns: [] });
    const history = this.history.get(key)!;

    const minReplicas = spec.minReplicas ?? 1;
    let desired = currentReplicas;
    let reason = '';
    let metrics: MetricStatus[] = [];
    if (currentReplicas === 0 && minReplicas !== 0) {
      set({ type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
    } else if (currentReplicas > spec.maxReplicas) {
      [desired, reason] = [spec.maxReplicas, 'Current number of replicas above Spec.MaxReplicas'];
    } else if (currentReplicas < minReplicas) {
      [desired, reason] = [minReplicas, 'Current number of replicas below Spec.MinReplicas'];
    } else {
      const result = await computeReplicasForMetrics(hpa, currentReplicas, scale.status?.selector ?? '', this.sources(hpa.metadata.namespace!), { ...this.options, nowMs: now });
      result.events.forEach(emit);
      set(...result.conditions);
      metrics = result.statuses;
      if (result.replicas === -1) {
        emit({ type: 'Warning', reason: 'FailedComputeMetricsReplicas', message: result.error! });
        return { ...unchanged(metrics), currentReplicas };
      }
      desired = result.replicas;
      if (desired > currentReplicas) reason = `${result.metricName} above target`;
      if (desired < currentReplicas) reason = 'All metrics below target';
      const normalized = normalize(
        { currentReplicas, proposed: desired, minReplicas, maxReplicas: spec.maxReplicas, behavior: spec.behavior, downscaleStabilizationMs: this.options.downscaleStabilizationMs, nowMs: now },
        history,
      );
      history.recommendations = normalized.recommendations;
      set(...normalized.conditions);
      desired = normalized.desired;
    }

    if (desired === currentReplicas) return { currentReplicas, desiredReplicas: currentReplicas, metrics, conditions };
    try {
      await this.ctx.client.updateSubresource(resource, ref.name, 'scale', { ...scale, spec: { ...scale.spec, replicas: desired } }, { namespace: hpa.metadata.namespace });
    } catch (err) {
      emit({ type: 'Warning', reason: 'FailedRescale', message: `New size: ${desired}; reason: ${reason}; error: ${errorText(err)}` });
      set({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${errorText(err)}` });
      return { ...unchanged(metrics), currentReplicas };
    }
    set({ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` });
    emit({ type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desired}; reason: ${reason}` });
    const behavior = spec.behavior && completeBehavior(spec.behavior, this.options.downscaleStabilizationMs);
    Object.assign(history, recordScaleEvent(history, behavior, currentReplicas, desired, now));
    return { currentReplicas, desiredReplicas: desired, metrics, conditions, rescaledAtMs: now };
  }

  private sources(namespace: string): MetricSources {
    return {
      fetch: (resource, selector) => fetchPodMetrics(this.ctx.client, namespace, selector, resource),
      listPods: (selector) => this.pods.lister.list(namespace, selector),
    };
  }
}
