// Starting one planned container (kuberuntime's startContainer, reduced): a failure with a reason
// (ErrImagePull, CreateContainerConfigError...) becomes a wait with back-off, and the events a real
// kubelet records go out: Pulled, Created, Started, or Failed and BackOff.
import type { Pod } from 'kubernetes-types/core/v1';
import type { BackoffLimits } from './backoff.js';
import type { BackoffWait, ContainerStart } from './pod-plan.js';
import type { Runtime } from './types.js';

export interface StartFailure {
  reason: string;
  message: string;
  delayMs: number;
  until: number;
}

/** What the pod's record keeps between starts. */
export interface StartState {
  /** Containers that could not be created, with their reason and retry back-off. */
  startFailures: Map<string, StartFailure>;
  /** The back-off wait each container last had a BackOff event for. */
  announced: Map<string, number>;
}

export interface StarterDeps {
  runtime: Runtime;
  limits: BackoffLimits;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

/**
 * Starts a container, unless it failed to be created and waits out its back-off. A failure with a
 * reason becomes a wait with that reason; another one is thrown (the pod is retried with the
 * queue's back-off).
 */
export async function startContainer(deps: StarterDeps, pod: Pod, state: StartState, { container, init, attempt }: ContainerStart, now: number): Promise<BackoffWait | undefined> {
  const { event } = deps;
  const image = container.image ?? '';
  const failure = state.startFailures.get(container.name);
  if (failure && now < failure.until) {
    const reason = failure.reason === 'ErrImagePull' ? 'ImagePullBackOff' : failure.reason;
    if (reason === 'ImagePullBackOff' && state.announced.get(container.name) !== failure.until) {
      event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`);
      event(pod, 'Warning', 'Failed', `Error: ${reason}`);
    }
    return { until: failure.until, reason, message: reason === 'ImagePullBackOff' ? `Back-off pulling image "${image}": ${failure.message}` : failure.message };
  }
  try {
    await deps.runtime.startContainer(pod, container, { attempt, init });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reason = (err as { reason?: unknown }).reason;
    if (reason === 'ErrImagePull') event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    event(pod, 'Warning', 'Failed', `Error: ${typeof reason === 'string' ? reason : message}`);
    if (typeof reason !== 'string') throw err;
    const { baseMs, maxMs } = deps.limits;
    const delayMs = failure ? Math.min(failure.delayMs * 2, maxMs) : baseMs;
    state.startFailures.set(container.name, { reason, message, delayMs, until: now + delayMs });
    return { until: now + delayMs, reason, message };
  }
  state.startFailures.delete(container.name);
  event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
  event(pod, 'Normal', 'Created', `Created container: ${container.name}`);
  event(pod, 'Normal', 'Started', `Started container ${container.name}`);
  return undefined;
}
