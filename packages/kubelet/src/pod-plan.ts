// What one sync of a running pod does to its containers (kuberuntime's computePodActions, reduced):
// init containers one at a time in order, then every regular container; an exited container is
// restarted when the restart policy says so, once its back-off allows.
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { backoffUntil, goDuration, nextBackoff, type BackoffEntry, type BackoffLimits } from './backoff.js';
import type { RuntimeContainer } from './types.js';

export interface ContainerStart {
  container: Container;
  init: boolean;
  attempt: number;
}

export interface BackoffWait {
  until: number;
  /** The CrashLoopBackOff waiting message: `back-off 10s restarting failed container=web pod=web_default(uid)`. */
  message: string;
  /** A waiting reason other than CrashLoopBackOff: the container could not be created (ErrImagePull...). */
  reason?: string;
}

export interface PodPlan {
  start: ContainerStart[];
  /** Containers waiting out their back-off, by name. */
  waiting: Map<string, BackoffWait>;
  /** Back-off entries to record for the containers restarted by this plan. */
  backoff: Map<string, BackoffEntry>;
}

export interface PlanInput {
  pod: Pod;
  containers: readonly RuntimeContainer[];
  backoff: ReadonlyMap<string, BackoffEntry>;
  limits: BackoffLimits;
  now: number;
}

/** The newest instance of each container name. */
export function latestByName(containers: readonly RuntimeContainer[]): Map<string, RuntimeContainer> {
  const latest = new Map<string, RuntimeContainer>();
  for (const c of containers) {
    const seen = latest.get(c.name);
    if (!seen || c.attempt > seen.attempt) latest.set(c.name, c);
  }
  return latest;
}

/** A sidecar: an init container that keeps running beside the regular ones. */
export const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always';

export function shouldRestart(policy: string | undefined, exitCode: number | undefined): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true; // Always, the default
}

/** `name_namespace(uid)`, the way the kubelet names a pod in messages (format.Pod). */
export const podDescription = (pod: Pod): string => `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;

export function planPod({ pod, containers, backoff, limits, now }: PlanInput): PodPlan {
  const plan: PodPlan = { start: [], waiting: new Map(), backoff: new Map() };
  const latest = latestByName(containers);
  const policy = pod.spec?.restartPolicy;

  const restart = (c: Container, last: RuntimeContainer, init: boolean): void => {
    const entry = backoff.get(c.name);
    const until = backoffUntil(entry, last.finishedAt ?? now, now);
    if (until !== undefined) {
      const message = `back-off ${goDuration(entry!.delayMs)} restarting failed container=${c.name} pod=${podDescription(pod)}`;
      plan.waiting.set(c.name, { until, message });
      return;
    }
    plan.backoff.set(c.name, nextBackoff(entry, now, limits));
    plan.start.push({ container: c, init, attempt: last.attempt + 1 });
  };

  // Once a regular container has run, init containers are done for good; only sidecars restart.
  const initialized = (pod.spec?.containers ?? []).some((c) => latest.has(c.name));
  for (const c of pod.spec?.initContainers ?? []) {
    const last = latest.get(c.name);
    if (initialized) {
      if (isSidecar(c) && last?.state === 'exited') restart(c, last, true);
      continue;
    }
    if (!last) {
      plan.start.push({ container: c, init: true, attempt: 0 });
      return plan;
    }
    if (last.state === 'created') return plan;
    if (last.state === 'running') {
      if (isSidecar(c)) continue;
      return plan;
    }
    if (!isSidecar(c) && last.exitCode === 0) continue;
    // A failed init container fails the pod under restartPolicy Never (getPhase says so); a
    // sidecar always restarts.
    if (isSidecar(c) || policy !== 'Never') restart(c, last, true);
    return plan;
  }

  for (const c of pod.spec?.containers ?? []) {
    const last = latest.get(c.name);
    if (!last) plan.start.push({ container: c, init: false, attempt: 0 });
    else if (last.state === 'exited' && shouldRestart(policy, last.exitCode)) restart(c, last, false);
  }
  return plan;
}
