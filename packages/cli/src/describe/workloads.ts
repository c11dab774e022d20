// describe for the workload kinds: deployments, replicasets, daemonsets, statefulsets, jobs, cronjobs.
import { humanDuration } from '@mini-kube/machinery';
import { describePodTemplate } from './containers.js';
import { describeEvents } from './events.js';
import { formatLabels, formatLabelSelector, intOrString, printAnnotationsMultiline, printController, printLabelsMultiline, rfc1123z, selectorString } from './format.js';
import { LEVEL_0, LEVEL_1, PrefixWriter } from './writer.js';

export interface PodCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

/** getPodStatusForController: phases of the pods the object controls. */
export function countPods(pods: any[], uid: string): PodCounts {
  const counts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    const ref = (p.metadata?.ownerReferences ?? []).find((r: any) => r.controller);
    if (!ref || ref.uid !== uid) continue;
    const phase = p.status?.phase;
    if (phase === 'Running') counts.running++;
    else if (phase === 'Pending') counts.waiting++;
    else if (phase === 'Succeeded') counts.succeeded++;
    else if (phase === 'Failed') counts.failed++;
  }
  return counts;
}

const podsStatus = (c: PodCounts) => `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;
const rsList = (list: any[]) => list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>';

function header(w: PrefixWriter, obj: any): void {
  w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
  w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
}

function conditionsWithReason(w: PrefixWriter, conditions: any[] | undefined): void {
  if (!conditions?.length) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

export function describeDeployment(d: any, oldRSs: any[], newRS: any | undefined, events: any[] | undefined): string {
  const w = new PrefixWriter();
  header(w, d);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', d.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
  const s = d.status ?? {};
  w.write(LEVEL_0, `Selector:\t${selectorString(d.spec.selector)}\n`);
  w.write(LEVEL_0, `Replicas:\t${d.spec.replicas ?? 0} desired | ${s.updatedReplicas ?? 0} updated | ${s.replicas ?? 0} total | ${s.availableReplicas ?? 0} available | ${s.unavailableReplicas ?? 0} unavailable\n`);
  w.write(LEVEL_0, `StrategyType:\t${d.spec.strategy?.type ?? ''}\n`);
  w.write(LEVEL_0, `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}\n`);
  const ru = d.spec.strategy?.rollingUpdate;
  if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`);
  describePodTemplate(w, d.spec.template);
  conditionsWithReason(w, s.conditions);
  if (oldRSs.length || newRS) {
    w.write(LEVEL_0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
    w.write(LEVEL_0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
  }
  describeEvents(w, events);
  return w.toString();
}

export function describeReplicaSet(rs: any, pods: PodCounts, events: any[] | undefined): string {
  const w = new PrefixWriter();
  header(w, rs);
  w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', rs.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', rs.metadata.annotations);
  const controlledBy = printController(rs);
  if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 0} desired\n`);
  w.write(LEVEL_0, `Pods Status:\t${podsStatus(pods)}\n`);
  describePodTemplate(w, rs.spec.template);
  conditionsWithReason(w, rs.status?.conditions);
  describeEvents(w, events);
  return w.toString();
}

export function describeDaemonSet(ds: any, pods: PodCounts, events: any[] | undefined): string {
  const w = new PrefixWriter();
  const s = ds.status ?? {};
  w.write(LEVEL_0, `Name:\t${ds.metadata.name}\n`); // kubectl 1.32 prints no Namespace line here
  w.write(LEVEL_0, `Selector:\t${selectorString(ds.spec.selector)}\n`);
  w.write(LEVEL_0, `Node-Selector:\t${formatLabels(ds.spec.template?.spec?.nodeSelector)}\n`);
  printLabelsMultiline(w, 'Labels', ds.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ds.metadata.annotations);
  w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${s.desiredNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${s.currentNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${s.updatedNumberScheduled ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${s.numberAvailable ?? 0}\n`);
  w.write(LEVEL_0, `Number of Nodes Misscheduled: ${s.numberMisscheduled ?? 0}\n`);
  w.write(LEVEL_0, `Pods Status:\t${podsStatus(pods)}\n`);
  describePodTemplate(w, ds.spec.template);
  describeEvents(w, events);
  return w.toString();
}

export function describeStatefulSet(ss: any, pods: PodCounts, events: any[] | undefined): string {
  const w = new PrefixWriter();
  header(w, ss);
  w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(ss.metadata.creationTimestamp)}\n`);
  w.write(LEVEL_0, `Selector:\t${selectorString(ss.spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', ss.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', ss.metadata.annotations);
  w.write(LEVEL_0, `Replicas:\t${ss.spec.replicas ?? 0} desired | ${ss.status?.replicas ?? 0} total\n`);
  w.write(LEVEL_0, `Update Strategy:\t${ss.spec.updateStrategy?.type ?? ''}\n`);
  const ru = ss.spec.updateStrategy?.rollingUpdate;
  if (ru?.partition !== undefined) {
    w.write(LEVEL_1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined) w.write(LEVEL_1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  w.write(LEVEL_0, `Pods Status:\t${podsStatus(pods)}\n`);
  describePodTemplate(w, ss.spec.template);
  const claims: any[] = ss.spec.volumeClaimTemplates ?? [];
  if (!claims.length) w.write(LEVEL_0, 'Volume Claims:\t<none>\n');
  else {
    w.write(LEVEL_0, 'Volume Claims:\n');
    for (const pvc of claims) {
      w.write(LEVEL_1, `Name:\t${pvc.metadata?.name ?? ''}\n`);
      w.write(LEVEL_1, `StorageClass:\t${pvc.spec?.storageClassName ?? ''}\n`);
      printLabelsMultiline(w, 'Labels', pvc.metadata?.labels, '  ');
      printLabelsMultiline(w, 'Annotations', pvc.metadata?.annotations, '  ');
      w.write(LEVEL_1, `Capacity:\t${pvc.spec?.resources?.requests?.storage ?? '<default>'}\n`);
      w.write(LEVEL_1, `Access Modes:\t[${(pvc.spec?.accessModes ?? []).join(' ')}]\n`);
    }
  }
  describeEvents(w, events);
  return w.toString();
}

export function describeJob(job: any, events: any[] | undefined): string {
  const w = new PrefixWriter();
  const spec = job.spec ?? {};
  const s = job.status ?? {};
  header(w, job);
  w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
  printLabelsMultiline(w, 'Labels', job.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', job.metadata.annotations);
  const controlledBy = printController(job);
  if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
  if (spec.parallelism !== undefined) w.write(LEVEL_0, `Parallelism:\t${spec.parallelism}\n`);
  w.write(LEVEL_0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
  if (spec.completionMode) w.write(LEVEL_0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend !== undefined) w.write(LEVEL_0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit !== undefined) w.write(LEVEL_0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished !== undefined) w.write(LEVEL_0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (s.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(s.startTime)}\n`);
  if (s.completionTime) w.write(LEVEL_0, `Completed At:\t${rfc1123z(s.completionTime)}\n`);
  if (s.startTime && s.completionTime) w.write(LEVEL_0, `Duration:\t${humanDuration(Date.parse(s.completionTime) - Date.parse(s.startTime))}\n`);
  if (spec.activeDeadlineSeconds !== undefined) w.write(LEVEL_0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  if (s.ready === undefined) w.write(LEVEL_0, `Pods Statuses:\t${s.active ?? 0} Active / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`);
  else w.write(LEVEL_0, `Pods Statuses:\t${s.active ?? 0} Active (${s.ready} Ready) / ${s.succeeded ?? 0} Succeeded / ${s.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') w.write(LEVEL_0, `Completed Indexes:\t${s.completedIndexes || '<none>'}\n`);
  describePodTemplate(w, spec.template);
  describeEvents(w, events);
  return w.toString();
}

export function describeCronJob(cj: any, events: any[] | undefined): string {
  const w = new PrefixWriter();
  const spec = cj.spec ?? {};
  header(w, cj);
  printLabelsMultiline(w, 'Labels', cj.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', cj.metadata.annotations);
  w.write(LEVEL_0, `Schedule:\t${spec.schedule ?? ''}\n`);
  w.write(LEVEL_0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
  w.write(LEVEL_0, `Suspend:\t${spec.suspend === undefined ? '<unset>' : spec.suspend ? 'True' : 'False'}\n`);
  w.write(LEVEL_0, `Successful Job History Limit:\t${spec.successfulJobsHistoryLimit ?? '<unset>'}\n`);
  w.write(LEVEL_0, `Failed Job History Limit:\t${spec.failedJobsHistoryLimit ?? '<unset>'}\n`);
  w.write(LEVEL_0, `Starting Deadline Seconds:\t${spec.startingDeadlineSeconds !== undefined ? `${spec.startingDeadlineSeconds}s` : '<unset>'}\n`);
  const jt = spec.jobTemplate?.spec ?? {};
  w.write(LEVEL_0, `Selector:\t${jt.selector ? selectorString(jt.selector) : '<unset>'}\n`);
  w.write(LEVEL_0, `Parallelism:\t${jt.parallelism ?? '<unset>'}\n`);
  w.write(LEVEL_0, `Completions:\t${jt.completions ?? '<unset>'}\n`);
  if (jt.activeDeadlineSeconds !== undefined) w.write(LEVEL_0, `Active Deadline Seconds:\t${jt.activeDeadlineSeconds}s\n`);
  describePodTemplate(w, jt.template);
  w.write(LEVEL_0, `Last Schedule Time:\t${cj.status?.lastScheduleTime ? rfc1123z(cj.status.lastScheduleTime) : '<unset>'}\n`);
  const active: any[] = cj.status?.active ?? [];
  w.write(LEVEL_0, 'Active Jobs:\t');
  w.line(active.length ? active.map((j) => j.name).join(', ') : '<none>');
  describeEvents(w, events);
  return w.toString();
}
