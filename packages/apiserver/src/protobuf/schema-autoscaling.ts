// Field numbers of the autoscaling/v1 messages `kubectl autoscale` sends (it posts a v1
// HorizontalPodAutoscaler), from k8s.io/api/autoscaling/v1/generated.proto. Notation: see schema.ts.
export const AUTOSCALING_V1: Record<string, string> = {
  HorizontalPodAutoscaler: 'metadata=1:ObjectMeta spec=2:HorizontalPodAutoscalerSpec status=3:HorizontalPodAutoscalerStatus',
  HorizontalPodAutoscalerSpec:
    'scaleTargetRef=1:CrossVersionObjectReference minReplicas=2:i32? maxReplicas=3:i32? targetCPUUtilizationPercentage=4:i32?',
  CrossVersionObjectReference: 'kind=1:s name=2:s apiVersion=3:s',
  HorizontalPodAutoscalerStatus:
    'observedGeneration=1:i64? lastScaleTime=2:Time currentReplicas=3:i32? desiredReplicas=4:i32? ' +
    'currentCPUUtilizationPercentage=5:i32?',
};
