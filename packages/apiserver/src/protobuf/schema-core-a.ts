// Field numbers of k8s.io/api core/v1 messages (first half, A–Pod*), from its generated.proto.
// Notation: see schema.ts.
export const CORE_A: Record<string, string> = {
  AWSElasticBlockStoreVolumeSource: 'volumeID=1:s fsType=2:s partition=3:i32 readOnly=4:b',
  Affinity: 'nodeAffinity=1:NodeAffinity podAffinity=2:PodAffinity podAntiAffinity=3:PodAntiAffinity',
  AppArmorProfile: 'type=1:s localhostProfile=2:s?',
  AzureDiskVolumeSource: 'diskName=1:s diskURI=2:s cachingMode=3:s? fsType=4:s? readOnly=5:b? kind=6:s?',
  AzureFileVolumeSource: 'secretName=1:s shareName=2:s readOnly=3:b',
  CSIVolumeSource:
    'driver=1:s readOnly=2:b? fsType=3:s? volumeAttributes=4:map<s> nodePublishSecretRef=5:LocalObjectReference',
  Capabilities: 'add=1:s[] drop=2:s[]',
  CephFSVolumeSource:
    'monitors=1:s[] path=2:s user=3:s secretFile=4:s secretRef=5:LocalObjectReference readOnly=6:b',
  CinderVolumeSource: 'volumeID=1:s fsType=2:s readOnly=3:b secretRef=4:LocalObjectReference',
  ClientIPConfig: 'timeoutSeconds=1:i32?',
  ClusterTrustBundleProjection:
    'name=1:s? signerName=2:s? labelSelector=3:LabelSelector optional=5:b? path=4:s',
  ConfigMap: 'metadata=1:ObjectMeta immutable=4:b? data=2:map<s> binaryData=3:map<bytes>',
  ConfigMapEnvSource: '...=1:LocalObjectReference optional=2:b?',
  ConfigMapKeySelector: '...=1:LocalObjectReference key=2:s optional=3:b?',
  ConfigMapProjection: '...=1:LocalObjectReference items=2:KeyToPath[] optional=4:b?',
  ConfigMapVolumeSource: '...=1:LocalObjectReference items=2:KeyToPath[] defaultMode=3:i32? optional=4:b?',
  Container:
    'name=1:s image=2:s command=3:s[] args=4:s[] workingDir=5:s ports=6:ContainerPort[] ' +
    'envFrom=19:EnvFromSource[] env=7:EnvVar[] resources=8:ResourceRequirements ' +
    'resizePolicy=23:ContainerResizePolicy[] restartPolicy=24:s? restartPolicyRules=25:ContainerRestartRule[] ' +
    'volumeMounts=9:VolumeMount[] volumeDevices=21:VolumeDevice[] livenessProbe=10:Probe ' +
    'readinessProbe=11:Probe startupProbe=22:Probe lifecycle=12:Lifecycle terminationMessagePath=13:s ' +
    'terminationMessagePolicy=20:s imagePullPolicy=14:s securityContext=15:SecurityContext ' +
    'stdin=16:b stdinOnce=17:b tty=18:b',
  ContainerPort: 'name=1:s hostPort=2:i32 containerPort=3:i32 protocol=4:s hostIP=5:s',
  ContainerResizePolicy: 'resourceName=1:s restartPolicy=2:s',
  ContainerRestartRule: 'action=1:s exitCodes=2:ContainerRestartRuleOnExitCodes',
  ContainerRestartRuleOnExitCodes: 'operator=1:s values=2:i32[]',
  DownwardAPIProjection: 'items=1:DownwardAPIVolumeFile[]',
  DownwardAPIVolumeFile:
    'path=1:s fieldRef=2:ObjectFieldSelector resourceFieldRef=3:ResourceFieldSelector mode=4:i32?',
  DownwardAPIVolumeSource: 'items=1:DownwardAPIVolumeFile[] defaultMode=2:i32?',
  EmptyDirVolumeSource: 'medium=1:s sizeLimit=2:Quantity',
  EnvFromSource: 'prefix=1:s configMapRef=2:ConfigMapEnvSource secretRef=3:SecretEnvSource',
  EnvVar: 'name=1:s value=2:s valueFrom=3:EnvVarSource',
  EnvVarSource:
    'fieldRef=1:ObjectFieldSelector resourceFieldRef=2:ResourceFieldSelector ' +
    'configMapKeyRef=3:ConfigMapKeySelector secretKeyRef=4:SecretKeySelector fileKeyRef=5:FileKeySelector',
  EphemeralVolumeSource: 'volumeClaimTemplate=1:PersistentVolumeClaimTemplate',
  ExecAction: 'command=1:s[]',
  FCVolumeSource: 'targetWWNs=1:s[] lun=2:i32? fsType=3:s readOnly=4:b wwids=5:s[]',
  FileKeySelector: 'volumeName=1:s path=2:s key=3:s optional=4:b?',
  FlexVolumeSource:
    'driver=1:s fsType=2:s secretRef=3:LocalObjectReference readOnly=4:b options=5:map<s>',
  FlockerVolumeSource: 'datasetName=1:s datasetUUID=2:s',
  GCEPersistentDiskVolumeSource: 'pdName=1:s fsType=2:s partition=3:i32 readOnly=4:b',
  GRPCAction: 'port=1:i32 service=2:s?',
  GitRepoVolumeSource: 'repository=1:s revision=2:s directory=3:s',
  GlusterfsVolumeSource: 'endpoints=1:s path=2:s readOnly=3:b',
  HTTPGetAction: 'path=1:s port=2:IntOrString host=3:s scheme=4:s httpHeaders=5:HTTPHeader[]',
  HTTPHeader: 'name=1:s value=2:s?',
  HostAlias: 'ip=1:s hostnames=2:s[]',
  HostPathVolumeSource: 'path=1:s type=2:s?',
  ISCSIVolumeSource:
    'targetPortal=1:s iqn=2:s lun=3:i32? iscsiInterface=4:s fsType=5:s readOnly=6:b portals=7:s[] ' +
    'chapAuthDiscovery=8:b chapAuthSession=11:b secretRef=10:LocalObjectReference initiatorName=12:s?',
  ImageVolumeSource: 'reference=1:s pullPolicy=2:s',
  KeyToPath: 'key=1:s path=2:s mode=3:i32?',
  Lifecycle: 'postStart=1:LifecycleHandler preStop=2:LifecycleHandler stopSignal=3:s?',
  LifecycleHandler:
    'exec=1:ExecAction httpGet=2:HTTPGetAction tcpSocket=3:TCPSocketAction sleep=4:SleepAction',
  LoadBalancerIngress: 'ip=1:s hostname=2:s ipMode=3:s? ports=4:PortStatus[]',
  LoadBalancerStatus: 'ingress=1:LoadBalancerIngress[]',
  LocalObjectReference: 'name=1:s',
  NFSVolumeSource: 'server=1:s path=2:s readOnly=3:b',
  Namespace: 'metadata=1:ObjectMeta spec=2:NamespaceSpec status=3:NamespaceStatus',
  NamespaceCondition: 'type=1:s status=2:s lastTransitionTime=4:Time reason=5:s message=6:s',
  NamespaceSpec: 'finalizers=1:s[]',
  NamespaceStatus: 'phase=1:s conditions=2:NamespaceCondition[]',
  NodeAffinity:
    'requiredDuringSchedulingIgnoredDuringExecution=1:NodeSelector ' +
    'preferredDuringSchedulingIgnoredDuringExecution=2:PreferredSchedulingTerm[]',
  NodeSelector: 'nodeSelectorTerms=1:NodeSelectorTerm[]',
  NodeSelectorRequirement: 'key=1:s operator=2:s values=3:s[]',
  NodeSelectorTerm: 'matchExpressions=1:NodeSelectorRequirement[] matchFields=2:NodeSelectorRequirement[]',
  ObjectFieldSelector: 'apiVersion=1:s fieldPath=2:s',
  ObjectReference:
    'kind=1:s namespace=2:s name=3:s uid=4:s apiVersion=5:s resourceVersion=6:s fieldPath=7:s',
  PersistentVolumeClaimSpec:
    'accessModes=1:s[] selector=4:LabelSelector resources=2:VolumeResourceRequirements volumeName=3:s ' +
    'storageClassName=5:s? volumeMode=6:s? dataSource=7:TypedLocalObjectReference ' +
    'dataSourceRef=8:TypedObjectReference volumeAttributesClassName=9:s?',
  PersistentVolumeClaimTemplate: 'metadata=1:ObjectMeta spec=2:PersistentVolumeClaimSpec',
  PersistentVolumeClaimVolumeSource: 'claimName=1:s readOnly=2:b',
  PhotonPersistentDiskVolumeSource: 'pdID=1:s fsType=2:s',
  PodAffinity:
    'requiredDuringSchedulingIgnoredDuringExecution=1:PodAffinityTerm[] ' +
    'preferredDuringSchedulingIgnoredDuringExecution=2:WeightedPodAffinityTerm[]',
  PodAffinityTerm:
    'labelSelector=1:LabelSelector namespaces=2:s[] topologyKey=3:s namespaceSelector=4:LabelSelector ' +
    'matchLabelKeys=5:s[] mismatchLabelKeys=6:s[]',
  PodAntiAffinity:
    'requiredDuringSchedulingIgnoredDuringExecution=1:PodAffinityTerm[] ' +
    'preferredDuringSchedulingIgnoredDuringExecution=2:WeightedPodAffinityTerm[]',
  PodCertificateProjection:
    'signerName=1:s keyType=2:s maxExpirationSeconds=3:i32? credentialBundlePath=4:s keyPath=5:s ' +
    'certificateChainPath=6:s userAnnotations=7:map<s>',
  PodDNSConfig: 'nameservers=1:s[] searches=2:s[] options=3:PodDNSConfigOption[]',
  PodDNSConfigOption: 'name=1:s value=2:s?',
  PodOS: 'name=1:s',
  PodReadinessGate: 'conditionType=1:s',
  PodResourceClaim: 'name=1:s resourceClaimName=3:s? resourceClaimTemplateName=4:s?',
  PodSchedulingGate: 'name=1:s',
  PodSecurityContext:
    'seLinuxOptions=1:SELinuxOptions windowsOptions=8:WindowsSecurityContextOptions runAsUser=2:i64? ' +
    'runAsGroup=6:i64? runAsNonRoot=3:b? supplementalGroups=4:i64[] supplementalGroupsPolicy=12:s? ' +
    'fsGroup=5:i64? sysctls=7:Sysctl[] fsGroupChangePolicy=9:s? seccompProfile=10:SeccompProfile ' +
    'appArmorProfile=11:AppArmorProfile seLinuxChangePolicy=13:s?',
};
