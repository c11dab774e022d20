// Pod spec defaults from k8s.io/kubernetes pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec,
// _Container, _Probe, _Volume...). `defaultPodSpec` runs for pods and for every pod template;
// `defaultPodOnly` adds what the real server sets on Pod objects alone (SetDefaults_Pod and the
// ServiceAccount, Priority and DefaultTolerationSeconds admission plugins).
import type { Container, PodSpec, Probe, Toleration, Volume } from 'kubernetes-types/core/v1';
import { fill, isSet } from './fields.js';

export function defaultPodSpec(spec: PodSpec): void {
  fill(spec, 'dnsPolicy', 'ClusterFirst');
  fill(spec, 'restartPolicy', 'Always');
  fill(spec, 'securityContext', {});
  fill(spec, 'terminationGracePeriodSeconds', 30);
  fill(spec, 'schedulerName', 'default-scheduler');
  // The v1 conversion keeps the deprecated `serviceAccount` in step with `serviceAccountName`.
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else if (spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    defaultContainer(c as Container);
  }
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

function defaultContainer(c: Container): void {
  fill(c, 'imagePullPolicy', imageTag(c.image ?? '') === 'latest' ? 'Always' : 'IfNotPresent');
  fill(c, 'terminationMessagePath', '/dev/termination-log');
  fill(c, 'terminationMessagePolicy', 'File');
  fill(c, 'resources', {});
  for (const p of c.ports ?? []) fill(p, 'protocol', 'TCP');
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
  for (const handler of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (handler?.httpGet) defaultHttpGet(handler.httpGet);
  for (const e of c.env ?? []) if (e.valueFrom?.fieldRef) fill(e.valueFrom.fieldRef, 'apiVersion', 'v1');
}

/** The tag `ParseImageName` finds: the explicit one, none for a digest, else "latest". */
export function imageTag(image: string): string {
  const [name = '', digest] = image.split('@');
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  if (colon >= 0) return lastPart.slice(colon + 1);
  return digest ? '' : 'latest';
}

function defaultProbe(probe: Probe): void {
  fill(probe, 'timeoutSeconds', 1);
  fill(probe, 'periodSeconds', 10);
  fill(probe, 'successThreshold', 1);
  fill(probe, 'failureThreshold', 3);
  if (probe.httpGet) defaultHttpGet(probe.httpGet);
}

function defaultHttpGet(action: { path?: string; scheme?: string }): void {
  fill(action, 'path', '/');
  fill(action, 'scheme', 'HTTP');
}

const DEFAULT_MODE = 0o644; // 420, the mode secret/configMap/downwardAPI/projected files get

const VOLUME_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI',
  'emptyDir', 'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs',
  'hostPath', 'image', 'iscsi', 'nfs', 'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume',
  'projected', 'quobyte', 'rbd', 'scaleIO', 'secret', 'storageos', 'vsphereVolume',
] as const;

export const volumeSources = (v: Volume): string[] =>
  VOLUME_SOURCES.filter((k) => isSet((v as unknown as Record<string, unknown>)[k]));

function defaultVolume(v: Volume): void {
  if (volumeSources(v).length === 0) v.emptyDir = {};
  if (v.secret) fill(v.secret, 'defaultMode', DEFAULT_MODE);
  if (v.configMap) fill(v.configMap, 'defaultMode', DEFAULT_MODE);
  if (v.downwardAPI) {
    fill(v.downwardAPI, 'defaultMode', DEFAULT_MODE);
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) fill(item.fieldRef, 'apiVersion', 'v1');
  }
  if (v.projected) {
    fill(v.projected, 'defaultMode', DEFAULT_MODE);
    for (const s of v.projected.sources ?? []) if (s.serviceAccountToken) fill(s.serviceAccountToken, 'expirationSeconds', 3600);
  }
  if (v.hostPath) fill(v.hostPath, 'type', '');
}

export function defaultPodOnly(spec: PodSpec): void {
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) requestsFromLimits(c);
  fill(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
  // Admission plugins: ServiceAccount, Priority (DefaultTolerationSeconds is the registry's: it is configurable).
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount = 'default';
  if (!spec.priorityClassName) fill(spec, 'priority', 0);
  fill(spec, 'preemptionPolicy', 'PreemptLowerPriority');
}

/** A Pod's container with limits but no request for a resource requests its limit. */
function requestsFromLimits(c: Container): void {
  const limits = c.resources?.limits;
  if (!limits || !c.resources) return;
  const requests = (c.resources.requests ??= {});
  for (const [name, value] of Object.entries(limits)) if (!(name in requests)) requests[name] = value;
}
