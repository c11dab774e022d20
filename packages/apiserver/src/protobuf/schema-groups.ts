// Field numbers of the meta/v1, apps/v1, batch/v1 and networking/v1 messages reachable from the
// kinds kubectl's generators create, from k8s.io/api and k8s.io/apimachinery generated.proto files.
// Notation: see schema.ts.
export const META: Record<string, string> = {
  ObjectMeta:
    'name=1:s generateName=2:s namespace=3:s selfLink=4:s uid=5:s resourceVersion=6:s generation=7:i64 ' +
    'creationTimestamp=8:Time deletionTimestamp=9:Time deletionGracePeriodSeconds=10:i64? ' +
    'labels=11:map<s> annotations=12:map<s> ownerReferences=13:OwnerReference[] finalizers=14:s[] ' +
    'managedFields=17:ManagedFieldsEntry[]',
  OwnerReference:
    'apiVersion=5:s kind=1:s name=3:s uid=4:s controller=6:b? blockOwnerDeletion=7:b?',
  ManagedFieldsEntry:
    'manager=1:s operation=2:s apiVersion=3:s time=4:Time fieldsType=6:s fieldsV1=7:FieldsV1 subresource=8:s',
  LabelSelector: 'matchLabels=1:map<s> matchExpressions=2:LabelSelectorRequirement[]',
  LabelSelectorRequirement: 'key=1:s operator=2:s values=3:s[]',
  Condition:
    'type=1:s status=2:s observedGeneration=3:i64 lastTransitionTime=4:Time reason=5:s message=6:s',
};

export const APPS: Record<string, string> = {
  Deployment: 'metadata=1:ObjectMeta spec=2:DeploymentSpec status=3:DeploymentStatus',
  DeploymentSpec:
    'replicas=1:i32? selector=2:LabelSelector template=3:PodTemplateSpec strategy=4:DeploymentStrategy ' +
    'minReadySeconds=5:i32 revisionHistoryLimit=6:i32? paused=7:b progressDeadlineSeconds=9:i32? ' +
    'podReplacementPolicy=10:s?',
  DeploymentStrategy: 'type=1:s rollingUpdate=2:RollingUpdateDeployment',
  RollingUpdateDeployment: 'maxUnavailable=1:IntOrString maxSurge=2:IntOrString',
  DeploymentStatus:
    'observedGeneration=1:i64 replicas=2:i32 updatedReplicas=3:i32 readyReplicas=7:i32 ' +
    'availableReplicas=4:i32 unavailableReplicas=5:i32 terminatingReplicas=9:i32? ' +
    'conditions=6:DeploymentCondition[] collisionCount=8:i32?',
  DeploymentCondition:
    'type=1:s status=2:s lastUpdateTime=6:Time lastTransitionTime=7:Time reason=4:s message=5:s',
};

export const BATCH: Record<string, string> = {
  Job: 'metadata=1:ObjectMeta spec=2:JobSpec status=3:JobStatus',
  JobSpec:
    'parallelism=1:i32? completions=2:i32? activeDeadlineSeconds=3:i64? podFailurePolicy=11:PodFailurePolicy ' +
    'successPolicy=16:SuccessPolicy backoffLimit=7:i32? backoffLimitPerIndex=12:i32? maxFailedIndexes=13:i32? ' +
    'selector=4:LabelSelector manualSelector=5:b? template=6:PodTemplateSpec ttlSecondsAfterFinished=8:i32? ' +
    'completionMode=9:s? suspend=10:b? podReplacementPolicy=14:s? managedBy=15:s?',
  JobStatus:
    'conditions=1:JobCondition[] startTime=2:Time completionTime=3:Time active=4:i32 succeeded=5:i32 ' +
    'failed=6:i32 terminating=11:i32? completedIndexes=7:s failedIndexes=10:s? ' +
    'uncountedTerminatedPods=8:UncountedTerminatedPods ready=9:i32?',
  JobCondition:
    'type=1:s status=2:s lastProbeTime=3:Time lastTransitionTime=4:Time reason=5:s message=6:s',
  JobTemplateSpec: 'metadata=1:ObjectMeta spec=2:JobSpec',
  PodFailurePolicy: 'rules=1:PodFailurePolicyRule[]',
  PodFailurePolicyRule:
    'action=1:s onExitCodes=2:PodFailurePolicyOnExitCodesRequirement ' +
    'onPodConditions=3:PodFailurePolicyOnPodConditionsPattern[]',
  PodFailurePolicyOnExitCodesRequirement: 'containerName=1:s? operator=2:s values=3:i32[]',
  PodFailurePolicyOnPodConditionsPattern: 'type=1:s status=2:s',
  SuccessPolicy: 'rules=1:SuccessPolicyRule[]',
  SuccessPolicyRule: 'succeededIndexes=1:s? succeededCount=2:i32?',
  UncountedTerminatedPods: 'succeeded=1:s[] failed=2:s[]',
  CronJob: 'metadata=1:ObjectMeta spec=2:CronJobSpec status=3:CronJobStatus',
  CronJobSpec:
    'schedule=1:s timeZone=8:s? startingDeadlineSeconds=2:i64? concurrencyPolicy=3:s suspend=4:b? ' +
    'jobTemplate=5:JobTemplateSpec successfulJobsHistoryLimit=6:i32? failedJobsHistoryLimit=7:i32?',
  CronJobStatus: 'active=1:ObjectReference[] lastScheduleTime=4:Time lastSuccessfulTime=5:Time',
};

export const NETWORKING: Record<string, string> = {
  Ingress: 'metadata=1:ObjectMeta spec=2:IngressSpec status=3:IngressStatus',
  IngressSpec:
    'ingressClassName=4:s? defaultBackend=1:IngressBackend tls=2:IngressTLS[] rules=3:IngressRule[]',
  IngressBackend: 'service=4:IngressServiceBackend resource=3:TypedLocalObjectReference',
  IngressServiceBackend: 'name=1:s port=2:ServiceBackendPort',
  ServiceBackendPort: 'name=1:s number=2:i32',
  IngressTLS: 'hosts=1:s[] secretName=2:s',
  IngressRule: 'host=1:s ...=2:IngressRuleValue',
  IngressRuleValue: 'http=1:HTTPIngressRuleValue',
  HTTPIngressRuleValue: 'paths=1:HTTPIngressPath[]',
  HTTPIngressPath: 'path=1:s pathType=3:s? backend=2:IngressBackend',
  IngressStatus: 'loadBalancer=1:IngressLoadBalancerStatus',
  IngressLoadBalancerStatus: 'ingress=1:IngressLoadBalancerIngress[]',
  IngressLoadBalancerIngress: 'ip=1:s hostname=2:s ports=4:IngressPortStatus[]',
  IngressPortStatus: 'port=1:i32? protocol=2:s error=3:s?',
};
