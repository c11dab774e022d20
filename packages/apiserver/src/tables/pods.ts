// The pod printer: READY, the STATUS reason (the same walk over init and app containers as
// printPod in the real server), RESTARTS with the age of the last restart, and wide columns.
import { humanDuration, translateTimestampSince } from '@mini-kube/machinery';
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';
import { ageColumn, column, convertor, nameColumn, wide } from './columns.js';

// The reason the node lifecycle controller sets on pods of an unreachable node.
const NODE_UNREACHABLE_REASON = 'NodeLost';

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  lastRestart: number; // ms since the epoch; 0 when never
}

/** The STATUS, READY and RESTARTS figures of one pod. */
export function summarizePod(pod: Pod): PodSummary {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  const sidecars = new Set((spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const summary: PodSummary = {
    ready: 0,
    total: (spec.containers?.length ?? 0) + sidecars.size,
    reason: status.reason || status.phase || '',
    restarts: 0,
    lastRestart: 0,
  };
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    summary.reason = 'SchedulingGated';
  }

  const initializing = walkInitContainers(summary, status.initContainerStatuses ?? [], sidecars, spec.initContainers?.length ?? 0);
  if (!initializing.failedOrWaiting || conditionTrue(status.conditions, 'Initialized')) {
    summary.restarts = initializing.sidecarRestarts;
    summary.lastRestart = initializing.sidecarLastRestart;
    walkContainers(summary, status.containerStatuses ?? [], status.conditions);
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata?.deletionTimestamp && status.reason === NODE_UNREACHABLE_REASON) summary.reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && !terminal) summary.reason = 'Terminating';
  return summary;
}

/** Init containers run in order: the first one not done explains the status (`Init:1/2`, `Init:Error`...). */
function walkInitContainers(summary: PodSummary, statuses: ContainerStatus[], sidecars: Set<string>, initCount: number) {
  let sidecarRestarts = 0;
  let sidecarLastRestart = 0;
  let failedOrWaiting = false;
  for (const [i, cs] of statuses.entries()) {
    const isSidecar = sidecars.has(cs.name);
    summary.restarts += cs.restartCount ?? 0;
    summary.lastRestart = Math.max(summary.lastRestart, lastTerminated(cs));
    if (isSidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      sidecarLastRestart = Math.max(sidecarLastRestart, lastTerminated(cs));
    }
    const terminated = cs.state?.terminated;
    const waitingReason = cs.state?.waiting?.reason;
    if (terminated && terminated.exitCode === 0) continue;
    if (isSidecar && cs.started) {
      if (cs.ready) summary.ready++;
      continue;
    }
    if (terminated) {
      summary.reason = terminated.reason ? `Init:${terminated.reason}` : `Init:${exitDescription(terminated.signal, terminated.exitCode)}`;
    } else if (waitingReason && waitingReason !== 'PodInitializing') {
      summary.reason = `Init:${waitingReason}`;
    } else {
      summary.reason = `Init:${i}/${initCount}`;
    }
    failedOrWaiting = true;
    break;
  }
  return { failedOrWaiting, sidecarRestarts, sidecarLastRestart };
}

/** App containers, last to first so the first container's reason wins. */
function walkContainers(summary: PodSummary, statuses: ContainerStatus[], conditions: PodCondition[] | undefined): void {
  let hasRunning = false;
  for (const cs of [...statuses].reverse()) {
    summary.restarts += cs.restartCount ?? 0;
    summary.lastRestart = Math.max(summary.lastRestart, lastTerminated(cs));
    const terminated = cs.state?.terminated;
    if (cs.state?.waiting?.reason) {
      summary.reason = cs.state.waiting.reason;
    } else if (terminated) {
      summary.reason = terminated.reason || exitDescription(terminated.signal, terminated.exitCode);
    } else if (cs.ready && cs.state?.running) {
      hasRunning = true;
      summary.ready++;
    }
  }
  // A finished container beside a running one: the pod as a whole is still running.
  if (summary.reason === 'Completed' && hasRunning) {
    summary.reason = conditionTrue(conditions, 'Ready') ? 'Running' : 'NotReady';
  }
}

function exitDescription(signal: number | undefined, exitCode: number): string {
  return signal ? `Signal:${signal}` : `ExitCode:${exitCode}`;
}

function lastTerminated(cs: ContainerStatus): number {
  const finishedAt = cs.lastState?.terminated?.finishedAt;
  const at = finishedAt ? Date.parse(finishedAt) : NaN;
  return Number.isNaN(at) ? 0 : at;
}

function conditionTrue(conditions: PodCondition[] | undefined, type: string): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function restartsCell(summary: PodSummary, now: number): string {
  if (summary.restarts === 0 || summary.lastRestart === 0) return String(summary.restarts);
  return `${summary.restarts} (${humanDuration(now - summary.lastRestart)} ago)`;
}

function readinessGatesCell(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passed}/${gates.length}`;
}

export const podConvertor = convertor<Pod>(
  [
    nameColumn(),
    column('Ready', { description: 'The aggregate readiness state of this pod for accepting traffic.' }),
    column('Status', { description: 'The aggregate status of the containers in this pod.' }),
    column('Restarts', {
      description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    }),
    ageColumn(),
    wide('IP'),
    wide('Node'),
    wide('Nominated Node'),
    wide('Readiness Gates'),
  ],
  (pod, now) => {
    const summary = summarizePod(pod);
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP;
    return [
      pod.metadata?.name ?? '',
      `${summary.ready}/${summary.total}`,
      summary.reason,
      restartsCell(summary, now),
      translateTimestampSince(pod.metadata?.creationTimestamp, now),
      ip || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGatesCell(pod),
    ];
  },
);
