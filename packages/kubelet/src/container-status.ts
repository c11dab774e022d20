// containerStatuses[] from the runtime's container instances (kubelet_pods.go
// convertToAPIContainerStatuses, reduced): the newest instance gives state, the one before lastState.
import type { Container, ContainerState, ContainerStateTerminated, ContainerStatus } from 'kubernetes-types/core/v1';
import type { BackoffWait } from './pod-plan.js';
import type { RuntimeContainer } from './types.js';
import { formatTime } from '@mini-kube/machinery';

function terminated(c: RuntimeContainer): ContainerStateTerminated {
  const exitCode = c.exitCode ?? 0;
  return {
    containerID: c.id,
    exitCode,
    reason: c.reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
    ...(c.message ? { message: c.message } : {}),
    startedAt: formatTime(c.startedAt ?? c.createdAt),
    finishedAt: formatTime(c.finishedAt ?? c.startedAt ?? c.createdAt),
  };
}

export interface ContainerStatusInput {
  spec: Container;
  /** This container's instances, any order. */
  instances: readonly RuntimeContainer[];
  waiting: BackoffWait | undefined;
  /** The waiting reason of a container not created yet: ContainerCreating, or PodInitializing. */
  defaultWaiting: string;
  init: boolean;
}

export function containerStatus({ spec, instances, waiting, defaultWaiting, init }: ContainerStatusInput): ContainerStatus {
  const sorted = [...instances].sort((a, b) => a.attempt - b.attempt);
  const last = sorted.at(-1);
  const previous = sorted.at(-2);
  if (!last) {
    return {
      name: spec.name,
      image: spec.image ?? '',
      imageID: '',
      lastState: {},
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: waiting?.reason ? { reason: waiting.reason, message: waiting.message } : { reason: defaultWaiting } },
    };
  }
  let state: ContainerState;
  let lastState: ContainerState = previous ? { terminated: terminated(previous) } : {};
  if (last.state === 'created') state = { waiting: { reason: 'ContainerCreating' } };
  else if (last.state === 'running') state = { running: { startedAt: formatTime(last.startedAt ?? last.createdAt) } };
  else if (waiting) {
    state = { waiting: { reason: waiting.reason ?? 'CrashLoopBackOff', message: waiting.message } };
    lastState = { terminated: terminated(last) };
  } else state = { terminated: terminated(last) };

  const running = last.state === 'running';
  // A completed init container counts as ready, as the kubelet reports it.
  const started = running && (last.started ?? true);
  const ready = init && spec.restartPolicy !== 'Always' ? last.state === 'exited' && last.exitCode === 0 : started && (last.ready ?? true);
  return {
    name: spec.name,
    image: last.image,
    imageID: last.imageID,
    containerID: last.id,
    lastState,
    ready,
    restartCount: last.attempt,
    started,
    state,
  };
}

/** Statuses of `specs` in spec order. Before any init container finished, the default waiting reason is PodInitializing. */
export function containerStatuses(
  specs: readonly Container[],
  instances: readonly RuntimeContainer[],
  waiting: ReadonlyMap<string, BackoffWait>,
  opts: { init: boolean; defaultWaiting: string },
): ContainerStatus[] {
  return specs.map((spec) =>
    containerStatus({
      spec,
      instances: instances.filter((c) => c.name === spec.name),
      waiting: waiting.get(spec.name),
      defaultWaiting: opts.defaultWaiting,
      init: opts.init,
    }),
  );
}
