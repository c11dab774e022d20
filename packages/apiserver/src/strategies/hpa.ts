// HorizontalPodAutoscaler: SetDefaults_HorizontalPodAutoscaler (min replicas, the default CPU metric,
// scaling behavior) and its main validation rules. One strategy serves both versions (strategies are
// keyed by group and kind): an autoscaling/v1 object (registry/hpa-v1.ts) gets v1's defaults, and
// v1's one field of its own is checked; v1 stays free of v2's defaulted metrics.
import type { HPAScalingRules, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec } from 'kubernetes-types/autoscaling/v2';
import { fieldErrors, type FieldError } from '@mini-kube/machinery';
import { fill, isSet } from './fields.js';
import { kindRules } from './kind.js';

const DEFAULT_CPU_UTILIZATION = 80;

interface V1Spec {
  minReplicas?: number;
  maxReplicas?: number;
  targetCPUUtilizationPercentage?: number;
  scaleTargetRef?: { kind?: string; name?: string };
}

const isV1 = (hpa: HorizontalPodAutoscaler): boolean => (hpa as { apiVersion?: string }).apiVersion === 'autoscaling/v1';

export const hpaRules = kindRules<HorizontalPodAutoscaler>({
  defaults(hpa) {
    if (isV1(hpa)) {
      fill((hpa.spec ??= {} as HorizontalPodAutoscalerSpec), 'minReplicas', 1);
      return;
    }
    const spec = (hpa.spec ??= {} as HorizontalPodAutoscalerSpec);
    fill(spec, 'minReplicas', 1);
    if ((spec.metrics ?? []).length === 0) {
      spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
    }
    // A behavior, when given, is completed with the default rules.
    if (spec.behavior) {
      spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
      });
      spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, {
        stabilizationWindowSeconds: 300,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      });
    }
  },
  validate(hpa) {
    const spec = hpa.spec;
    const errs: FieldError[] = [];
    const min = spec?.minReplicas;
    if (isSet(min) && min < 1) errs.push(fieldErrors.invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
    const max = spec?.maxReplicas;
    if (!isSet(max) || max < 1) errs.push(fieldErrors.invalid('spec.maxReplicas', max ?? 0, 'must be greater than 0'));
    else if (isSet(min) && max < min) errs.push(fieldErrors.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
    if (!spec?.scaleTargetRef?.kind) errs.push(fieldErrors.required('spec.scaleTargetRef.kind'));
    if (!spec?.scaleTargetRef?.name) errs.push(fieldErrors.required('spec.scaleTargetRef.name'));
    const cpu = isV1(hpa) ? (spec as V1Spec | undefined)?.targetCPUUtilizationPercentage : undefined;
    if (isSet(cpu) && cpu < 1) errs.push(fieldErrors.invalid('spec.targetCPUUtilizationPercentage', cpu, 'must be greater than 0'));
    return errs;
  },
});

function withDefaults(rules: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  return {
    ...rules,
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: (rules?.policies ?? []).length > 0 ? rules!.policies : defaults.policies,
  };
}
