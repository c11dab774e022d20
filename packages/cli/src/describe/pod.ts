// describe pod: kubectl's describePod.
import { describeContainers, describeResources, describeVolumes } from './containers.js';
import { describeEvents } from './events.js';
import { printAnnotationsMultiline, printController, printLabelsMultiline, printTolerationsMultiline, rfc1123z, since } from './format.js';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './writer.js';

const SUPPORTED_QOS = ['cpu', 'memory'];

/** qos.GetPodQOS: Guaranteed when every container limits cpu and memory with equal requests. */
export function podQOS(pod: any): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const requests: Record<string, boolean> = {};
  const limits: Record<string, boolean> = {};
  let guaranteed = true;
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const n of SUPPORTED_QOS) {
      if (req[n] !== undefined && !/^0+(\.0*)?[a-zA-Z]*$/.test(String(req[n]))) requests[n] = true;
      if (lim[n] !== undefined && !/^0+(\.0*)?[a-zA-Z]*$/.test(String(lim[n]))) limits[n] = true;
    }
    if (!SUPPORTED_QOS.every((n) => lim[n] !== undefined)) guaranteed = false;
    if (SUPPORTED_QOS.some((n) => req[n] !== undefined && lim[n] !== undefined && String(req[n]) !== String(lim[n]))) guaranteed = false;
  }
  if (!Object.keys(requests).length && !Object.keys(limits).length) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function describePod(pod: any, events: any[] | undefined): string {
  const w = new PrefixWriter();
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.write(LEVEL_0, `Name:\t${pod.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${pod.metadata.namespace}\n`);
  if (spec.priority !== undefined) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(LEVEL_0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  printLabelsMultiline(w, 'Labels', pod.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(pod.metadata.deletionTimestamp)})\n`);
    w.write(LEVEL_0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
  } else {
    w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
  }
  if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
  const seccomp = spec.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile}\n`);
  }
  w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
  if (!status.podIPs?.length) w.write(LEVEL_0, 'IPs:\t<none>\n');
  else {
    w.write(LEVEL_0, 'IPs:\n');
    for (const ip of status.podIPs) w.write(LEVEL_1, `IP:\t${ip.ip}\n`);
  }
  const controlledBy = printController(pod);
  if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.resources) {
    w.write(LEVEL_0, 'Resources:\n');
    describeResources(w, spec.resources, LEVEL_1);
  }
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, pod, '');
  describeContainers(w, 'Containers', spec.containers, status.containerStatuses, pod, '');
  if (spec.readinessGates?.length) {
    w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of spec.readinessGates) {
      const c = (status.conditions ?? []).find((x: any) => x.type === g.conditionType);
      w.write(LEVEL_1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if (status.conditions?.length) {
    w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, spec.volumes, '');
  w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
  printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
  printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
  describeEvents(w, events);
  return w.toString();
}
