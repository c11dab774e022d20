// The pod status a kubelet reports (kubelet_pods.go generateAPIPodStatus and getPhase, status
// package's condition generators), as pure functions of the pod and its runtime containers.
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { containerStatuses } from './container-status.js';
import { isSidecar, type BackoffWait } from './pod-plan.js';
import type { RuntimeContainer } from './types.js';
import { formatTime } from '@mini-kube/machinery';

export const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

const byName = (statuses: readonly ContainerStatus[], name: string): ContainerStatus | undefined => statuses.find((s) => s.name === name);

/** getPhase: the pod phase from its container statuses. `terminal`: the pod is deleted and all stopped. */
export function podPhase(pod: Pod, initStatuses: readonly ContainerStatus[], statuses: readonly ContainerStatus[], terminal: boolean): string {
  const spec = pod.spec;
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of spec?.initContainers ?? []) {
    if (isSidecar(c)) continue;
    const s = byName(initStatuses, c.name);
    if (s?.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s?.state?.waiting && s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec?.containers ?? []) {
    const s = byName(statuses, c.name);
    if (!s) unknown++;
    else if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && spec?.restartPolicy === 'Never') return 'Failed';
  if (pendingInit > 0 || waiting > 0) return terminal ? 'Failed' : 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec?.restartPolicy === 'Never') return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec?.restartPolicy === 'OnFailure' && stopped === succeeded) return 'Succeeded';
    return 'Running'; // Always, or OnFailure with a failure to restart
  }
  return 'Pending';
}

interface ConditionInput {
  pod: Pod;
  phase: string;
  sandboxReady: boolean;
  initStatuses: readonly ContainerStatus[];
  statuses: readonly ContainerStatus[];
}

type Verdict = Pick<PodCondition, 'status' | 'reason' | 'message'>;

const list = (names: string[]): string => `[${names.join(' ')}]`;

function initialized({ pod, phase, initStatuses, statuses }: ConditionInput): Verdict {
  if (phase === 'Succeeded') return { status: 'True', reason: 'PodCompleted' };
  if (statuses.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return { status: 'True' };
  const incomplete = (pod.spec?.initContainers ?? [])
    .filter((c) => {
      const s = byName(initStatuses, c.name);
      return isSidecar(c) ? !s?.started : s?.state?.terminated?.exitCode !== 0;
    })
    .map((c) => c.name);
  if (incomplete.length === 0) return { status: 'True' };
  return { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: ${list(incomplete)}` };
}

function containersReady({ pod, phase, initStatuses, statuses }: ConditionInput): Verdict {
  if (phase === 'Succeeded') return { status: 'False', reason: 'PodCompleted' };
  const sidecars = (pod.spec?.initContainers ?? []).filter(isSidecar);
  const unready = [
    ...sidecars.filter((c) => !byName(initStatuses, c.name)?.ready),
    ...(pod.spec?.containers ?? []).filter((c) => !byName(statuses, c.name)?.ready),
  ].map((c) => c.name);
  if (unready.length === 0) return { status: 'True' };
  return { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${list(unready)}` };
}

function ready(input: ConditionInput, containers: Verdict): Verdict {
  if (containers.status !== 'True') return containers;
  for (const gate of input.pod.spec?.readinessGates ?? []) {
    const c = input.pod.status?.conditions?.find((x) => x.type === gate.conditionType);
    if (!c) return { status: 'False', reason: 'ReadinessGatesNotReady', message: `corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.` };
    if (c.status !== 'True') {
      return { status: 'False', reason: 'ReadinessGatesNotReady', message: `the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}` };
    }
  }
  return containers;
}

/**
 * The kubelet's conditions, then the others the pod has (PodScheduled, readiness gates...).
 * lastTransitionTime moves only when a condition's status changes.
 */
export function podConditions(input: ConditionInput, now: number): PodCondition[] {
  const containers = containersReady(input);
  const verdicts: [string, Verdict][] = [
    ['PodReadyToStartContainers', { status: input.sandboxReady ? 'True' : 'False' }],
    ['Initialized', initialized(input)],
    ['Ready', ready(input, containers)],
    ['ContainersReady', containers],
  ];
  const old = input.pod.status?.conditions ?? [];
  const ours = verdicts.map(([type, v]): PodCondition => {
    const prev = old.find((c) => c.type === type);
    const lastTransitionTime = prev && prev.status === v.status && prev.lastTransitionTime ? prev.lastTransitionTime : formatTime(now);
    return { type, status: v.status, ...(v.reason ? { reason: v.reason } : {}), ...(v.message ? { message: v.message } : {}), lastProbeTime: null as unknown as string, lastTransitionTime };
  });
  return [...ours, ...old.filter((c) => !KUBELET_CONDITIONS.includes(c.type))];
}

export interface PodStatusInput {
  pod: Pod;
  containers: readonly RuntimeContainer[];
  waiting: ReadonlyMap<string, BackoffWait>;
  sandboxReady: boolean;
  podIP: string | undefined;
  hostIP: string;
  /** The pod is being deleted and its containers are stopped. */
  terminal: boolean;
  now: number;
}

export function computePodStatus(input: PodStatusInput): PodStatus {
  const { pod, containers, waiting, now } = input;
  const old = pod.status ?? {};
  const initSpecs = pod.spec?.initContainers ?? [];
  const initDone = initSpecs.every((c) => isSidecar(c) || containers.some((x) => x.name === c.name && x.state === 'exited' && x.exitCode === 0));
  const initStatuses = containerStatuses(initSpecs, containers, waiting, { init: true, defaultWaiting: 'PodInitializing' });
  const statuses = containerStatuses(pod.spec?.containers ?? [], containers, waiting, {
    init: false,
    defaultWaiting: initSpecs.length > 0 && !initDone ? 'PodInitializing' : 'ContainerCreating',
  });
  const phase = podPhase(pod, initStatuses, statuses, input.terminal);
  const conditions = podConditions({ pod, phase, sandboxReady: input.sandboxReady, initStatuses, statuses }, now);
  const podIP = input.podIP ?? old.podIP;
  return {
    phase,
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: old.startTime ?? formatTime(now),
    ...(initSpecs.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    ...(old.qosClass ? { qosClass: old.qosClass } : {}),
    ...(old.reason ? { reason: old.reason } : {}),
    ...(old.message ? { message: old.message } : {}),
    ...(old.nominatedNodeName ? { nominatedNodeName: old.nominatedNodeName } : {}),
  };
}
