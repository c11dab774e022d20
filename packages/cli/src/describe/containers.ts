// Containers, volumes and pod templates as kubectl's describe prints them.
import { printAnnotationsMultiline, printBool, printLabelsMultiline, printTolerationsMultiline, rfc1123z, stringOrNone } from './format.js';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './writer.js';

export function describeContainers(w: PrefixWriter, label: string, containers: any[] = [], statuses: any[] | undefined, pod: any | undefined, space: string): void {
  const byName = new Map<string, any>((statuses ?? []).map((s) => [s.name, s]));
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    basicInfo(w, c, status, space);
    command(w, c);
    if (status) state(w, status);
    describeResources(w, c.resources, LEVEL_2);
    probes(w, c);
    if (c.envFrom?.length) envFrom(w, c);
    envVars(w, c, pod);
    mounts(w, c);
  }
}

function ports(list: any[] | undefined, key: 'containerPort' | 'hostPort'): string {
  return (list ?? []).map((p) => `${p[key] ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
}

function basicInfo(w: PrefixWriter, c: any, status: any, space: string): void {
  w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(LEVEL_2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID ?? ''}\n`);
  const port = ports(c.ports, 'containerPort');
  w.write(LEVEL_2, port.includes(',') ? `Ports:\t${port}\n` : `Port:\t${stringOrNone(port)}\n`);
  const host = ports(c.ports, 'hostPort');
  w.write(LEVEL_2, host.includes(',') ? `Host Ports:\t${host}\n` : `Host Port:\t${stringOrNone(host)}\n`);
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${seccomp.localhostProfile}\n`);
  }
}

function command(w: PrefixWriter, c: any): void {
  for (const [title, list] of [['Command', c.command], ['Args', c.args]] as const) {
    if (!list?.length) continue;
    w.write(LEVEL_2, `${title}:\n`);
    for (const item of list as string[]) for (const s of item.split('\n')) w.write(LEVEL_3, `${s}\n`);
  }
}

function describeStatus(w: PrefixWriter, name: string, st: any): void {
  if (st?.running) {
    w.write(LEVEL_2, `${name}:\tRunning\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(st.running.startedAt)}\n`);
  } else if (st?.waiting) {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
    if (st.waiting.reason) w.write(LEVEL_3, `Reason:\t${st.waiting.reason}\n`);
  } else if (st?.terminated) {
    const t = st.terminated;
    w.write(LEVEL_2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(LEVEL_3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(LEVEL_3, `Message:\t${t.message}\n`);
    w.write(LEVEL_3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) w.write(LEVEL_3, `Signal:\t${t.signal}\n`);
    w.write(LEVEL_3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(LEVEL_3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(LEVEL_2, `${name}:\tWaiting\n`);
  }
}

function state(w: PrefixWriter, status: any): void {
  describeStatus(w, 'State', status.state);
  if (status.lastState?.terminated) describeStatus(w, 'Last State', status.lastState);
  w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`);
  w.write(LEVEL_2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

export function describeResources(w: PrefixWriter, resources: any, level: number): void {
  for (const [title, list] of [['Limits', resources?.limits], ['Requests', resources?.requests]] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length) w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${list[n]}\n`);
  }
}

export function describeProbe(p: any): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const host = g.port !== undefined && g.port !== '' ? `${g.host ?? ''}:${g.port}` : (g.host ?? '');
    return `http-get ${(g.scheme ?? '').toLowerCase()}://${host}${g.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function probes(w: PrefixWriter, c: any): void {
  if (c.livenessProbe) w.write(LEVEL_2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(LEVEL_2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(LEVEL_2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

function envFrom(w: PrefixWriter, c: any): void {
  w.write(LEVEL_2, 'Environment Variables from:\n');
  for (const e of c.envFrom) {
    const ref = e.configMapRef ?? e.secretRef ?? {};
    const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
    const optional = !!ref.optional;
    if (e.prefix) w.write(LEVEL_3, `${ref.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
    else w.write(LEVEL_3, `${ref.name ?? ''}\t${from}\tOptional: ${optional}\n`);
  }
}

/** The downward-API value of a fieldRef env var, for the few paths a pod object answers directly. */
function fieldValue(pod: any, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return pod?.metadata?.[m[1]!]?.[m[2]!] ?? '';
  const value = path.split('.').reduce((o: any, k) => o?.[k], pod);
  return value === undefined || value === null ? '' : String(value);
}

function envVars(w: PrefixWriter, c: any, pod: any): void {
  const env: any[] = c.env ?? [];
  w.write(LEVEL_2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? '').split('\n').forEach((s: string, i: number) => w.write(LEVEL_3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    } else if (from.fieldRef) {
      w.write(LEVEL_3, `${e.name}:\t${pod ? fieldValue(pod, from.fieldRef.fieldPath) : ''} (${from.fieldRef.apiVersion ?? 'v1'}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      w.write(LEVEL_3, `${e.name}:\t (${from.resourceFieldRef.resource})\n`);
    } else if (from.secretKeyRef) {
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${!!from.secretKeyRef.optional}\n`);
    } else if (from.configMapKeyRef) {
      w.write(LEVEL_3, `${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${!!from.configMapKeyRef.optional}\n`);
    }
  }
}

function mounts(w: PrefixWriter, c: any): void {
  const list: any[] = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  w.write(LEVEL_2, `Mounts:${list.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of list) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
}

export function describeVolumes(w: PrefixWriter, volumes: any[] | undefined, space: string): void {
  if (!volumes?.length) return w.write(LEVEL_0, `${space}Volumes:\t<none>\n`);
  w.write(LEVEL_0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${v.name}:\n`);
    if (v.hostPath) w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || '<none>'}\n`);
    else if (v.emptyDir) w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit && v.emptyDir.sizeLimit !== '0' ? v.emptyDir.sizeLimit : '<unset>'}\n`);
    else if (v.secret) w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${!!v.secret.optional}\n`);
    else if (v.configMap) w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${!!v.configMap.optional}\n`);
    else if (v.persistentVolumeClaim) w.write(LEVEL_2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${!!v.persistentVolumeClaim.readOnly}\n`);
    else if (v.projected) projected(w, v.projected);
    else if (v.downwardAPI) {
      w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const item of v.downwardAPI.items ?? []) {
        if (item.fieldRef) w.write(LEVEL_3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
        if (item.resourceFieldRef) w.write(LEVEL_3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
      }
    } else w.write(LEVEL_1, '<unknown>\n');
  }
}

function projected(w: PrefixWriter, p: any): void {
  w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
  for (const s of p.sources ?? []) {
    if (s.secret) w.write(LEVEL_2, `SecretName:\t${s.secret.name}\n    Optional:\t${!!s.secret.optional}\n`);
    else if (s.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n');
    else if (s.configMap) w.write(LEVEL_2, `ConfigMapName:\t${s.configMap.name}\n    Optional:\t${!!s.configMap.optional}\n`);
    else if (s.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds}\n`);
  }
}

export function describePodTemplate(w: PrefixWriter, template: any): void {
  w.write(LEVEL_0, 'Pod Template:\n');
  if (!template) return w.write(LEVEL_1, '<unset>');
  printLabelsMultiline(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length) printAnnotationsMultiline(w, '  Annotations', template.metadata.annotations);
  const spec = template.spec ?? {};
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ');
  describeContainers(w, 'Containers', spec.containers, undefined, undefined, '  ');
  describeVolumes(w, spec.volumes, '  ');
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations);
}
