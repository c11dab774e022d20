// How a simulated container behaves, read from the pod's `sim.mini-kube.io/*` annotations. Each key
// may be narrowed to one container with a `.<container>` suffix (`sim.mini-kube.io/exit-code.web`),
// which wins over the pod-wide key. See the package README for the list.
import type { Container, Pod } from 'kubernetes-types/core/v1';

export const SIM_PREFIX = 'sim.mini-kube.io/';

/** Job pods' containers exit 0 after this long unless told otherwise, as kwok's pod-complete stage does. */
const JOB_RUN_SECONDS = 1;

export interface SimBehaviour {
  /** Exits this long after starting; undefined: runs until stopped. */
  runSeconds?: number;
  exitCode: number;
  neverReady: boolean;
  /** Becomes ready this long after starting (a readinessProbe's initialDelaySeconds). */
  readyAfterSeconds: number;
  /** Takes this long to stop after SIGTERM; past the grace period it is killed (exit code 137). */
  stopSeconds: number;
  usage?: { cpu?: string; memory?: string };
}

function lookup(pod: Pod, container: string, key: string): string | undefined {
  const annotations = pod.metadata?.annotations ?? {};
  return annotations[`${SIM_PREFIX}${key}.${container}`] ?? annotations[`${SIM_PREFIX}${key}`];
}

function number(pod: Pod, container: string, key: string): number | undefined {
  const raw = lookup(pod, container, key);
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

const ownedByJob = (pod: Pod): boolean => (pod.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Job' && o.controller);

export function simBehaviour(pod: Pod, container: Container, init: boolean): SimBehaviour {
  const name = container.name;
  const exitCode = number(pod, name, 'exit-code');
  const runSeconds = number(pod, name, 'run-seconds');
  const crashAfter = number(pod, name, 'crash-after-seconds');
  const usageCpu = lookup(pod, name, 'usage-cpu');
  const usageMemory = lookup(pod, name, 'usage-memory');
  const behaviour: SimBehaviour = {
    exitCode: exitCode ?? 0,
    neverReady: lookup(pod, name, 'never-ready') === 'true',
    readyAfterSeconds: container.readinessProbe?.initialDelaySeconds ?? 0,
    stopSeconds: number(pod, name, 'stop-seconds') ?? 0,
    ...(usageCpu || usageMemory ? { usage: { ...(usageCpu ? { cpu: usageCpu } : {}), ...(usageMemory ? { memory: usageMemory } : {}) } } : {}),
  };
  if (crashAfter !== undefined) return { ...behaviour, runSeconds: crashAfter, exitCode: exitCode || 1 };
  if (runSeconds !== undefined) return { ...behaviour, runSeconds };
  if (exitCode !== undefined) return { ...behaviour, runSeconds: 0 };
  // An init container must finish for the pod to start; a sidecar keeps running.
  if (init && container.restartPolicy !== 'Always') return { ...behaviour, runSeconds: 0 };
  if (ownedByJob(pod)) return { ...behaviour, runSeconds: JOB_RUN_SECONDS };
  return behaviour;
}
