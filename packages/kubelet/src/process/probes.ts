// The kubelet's prober for runtimes whose containers are real (Runtime.probes): one worker per
// running container and probe kind, on the container's own schedule (initialDelaySeconds, then every
// periodSeconds). Results overlay the runtime's containers (ready, started); a failed liveness or
// startup probe is handed to the pod sync, which kills the container so that it is restarted.
import type { KObject } from '@mini-kube/api';
import type { Clock, EventRecorder } from '@mini-kube/runtime';
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1';
import type { Runtime, RuntimeContainer } from '../types.js';
import { collectExec } from './exec.js';
import { runProbe, type ExecHook } from './probes-check.js';
import { initialProbeState, nextProbeState, type ProbeKind, type ProbeState } from './probes-state.js';

export interface ProberOptions {
  runtime: Runtime;
  recorder: EventRecorder;
  clock: Clock;
  /** A probe result of one of the pod's containers changed. */
  onChange(podUid: string): void;
}

export interface ProbeFailure {
  containerId: string;
  name: string;
  kind: 'liveness' | 'startup';
  /** The probe's own terminationGracePeriodSeconds, if any. */
  gracePeriodSeconds?: number;
}

interface Worker {
  kind: ProbeKind;
  probe: Probe;
  state: ProbeState;
  timer?: { cancel(): void };
  stopped: boolean;
}

interface ContainerProbes {
  podUid: string;
  workers: Worker[];
}

const KIND_TITLE: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export class Prober {
  private readonly containers = new Map<string, ContainerProbes>(); // by container id
  private readonly failures = new Map<string, ProbeFailure[]>(); // by pod uid

  constructor(private readonly opts: ProberOptions) {}

  /** Starts workers for the pod's running containers that have probes; stops those of containers no longer running. */
  sync(pod: Pod, podIP: string, containers: readonly RuntimeContainer[]): void {
    const uid = pod.metadata?.uid ?? '';
    const running = new Set<string>();
    for (const c of containers) {
      if (c.state !== 'running') continue;
      running.add(c.id);
      if (this.containers.has(c.id)) continue;
      const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((x) => x.restartPolicy === 'Always')].find((x) => x.name === c.name);
      if (spec) this.start(pod, podIP, spec, c);
    }
    for (const [id, entry] of this.containers) if (entry.podUid === uid && !running.has(id)) this.stopContainer(id);
  }

  /** The container as the kubelet reports it: ready and started from the probes. */
  overlay(c: RuntimeContainer): RuntimeContainer {
    const entry = this.containers.get(c.id);
    if (!entry) return c;
    const result = (kind: ProbeKind) => entry.workers.find((w) => w.kind === kind)?.state.result;
    const started = entry.workers.some((w) => w.kind === 'startup') ? result('startup') === 'success' : true;
    const readiness = entry.workers.some((w) => w.kind === 'readiness') ? result('readiness') === 'success' : true;
    return { ...c, started, ready: started && readiness && (c.ready ?? true) };
  }

  /** The liveness and startup failures of the pod's containers not handed out yet. */
  takeFailures(podUid: string): ProbeFailure[] {
    const list = this.failures.get(podUid) ?? [];
    this.failures.delete(podUid);
    return list;
  }

  removePod(podUid: string): void {
    for (const [id, entry] of this.containers) if (entry.podUid === podUid) this.stopContainer(id);
    this.failures.delete(podUid);
  }

  stop(): void {
    for (const id of [...this.containers.keys()]) this.stopContainer(id);
  }

  private start(pod: Pod, podIP: string, spec: Container, c: RuntimeContainer): void {
    const probes: [ProbeKind, Probe | undefined][] = [
      ['startup', spec.startupProbe],
      ['liveness', spec.livenessProbe],
      ['readiness', spec.readinessProbe],
    ];
    const workers: Worker[] = probes.filter(([, p]) => p).map(([kind, probe]) => ({ kind, probe: probe!, state: initialProbeState(kind), stopped: false }));
    if (workers.length === 0) return;
    this.containers.set(c.id, { podUid: c.podUid, workers });
    const startedAt = c.startedAt ?? this.opts.clock.now();
    for (const w of workers) {
      const delay = Math.max(0, startedAt + (w.probe.initialDelaySeconds ?? 0) * 1000 - this.opts.clock.now());
      w.timer = this.opts.clock.setTimeout(() => void this.tick(pod, podIP, spec, c, w), delay);
    }
  }

  /** How exec probes run in the container: the runtime's exec, or its spawnExec with a timeout. */
  private execHook(containerId: string): ExecHook | undefined {
    const { runtime } = this.opts;
    if (runtime.exec) return (argv, timeoutMs) => runtime.exec!(containerId, argv, timeoutMs);
    if (runtime.spawnExec) return (argv, timeoutMs) => collectExec(runtime.spawnExec!(containerId, argv), argv, timeoutMs);
    return undefined;
  }

  private stopContainer(id: string): void {
    for (const w of this.containers.get(id)?.workers ?? []) {
      w.stopped = true;
      w.timer?.cancel();
    }
    this.containers.delete(id);
  }

  private async tick(pod: Pod, podIP: string, spec: Container, c: RuntimeContainer, w: Worker): Promise<void> {
    const entry = this.containers.get(c.id);
    if (w.stopped || !entry) return;
    const began = this.opts.clock.now();
    // Liveness and readiness wait for the startup probe to pass.
    const gated = w.kind !== 'startup' && entry.workers.some((x) => x.kind === 'startup' && x.state.result !== 'success');
    if (!gated && !w.state.onHold) {
      const outcome = await runProbe(w.probe, { podIP, container: spec, exec: this.execHook(c.id) });
      if (w.stopped) return;
      if (outcome.result === 'failure') {
        this.opts.recorder.event(pod as unknown as KObject, 'Warning', 'Unhealthy', `${KIND_TITLE[w.kind]} probe failed: ${outcome.output}`);
      }
      const before = w.state.result;
      w.state = nextProbeState(w.state, outcome.result, w.probe, w.kind);
      if (w.state.result === 'failure' && w.state.onHold && w.kind !== 'readiness') {
        const failures = this.failures.get(c.podUid) ?? [];
        failures.push({ containerId: c.id, name: c.name, kind: w.kind, gracePeriodSeconds: w.probe.terminationGracePeriodSeconds });
        this.failures.set(c.podUid, failures);
        this.opts.onChange(c.podUid);
      } else if (w.state.result !== before) this.opts.onChange(c.podUid);
    }
    const period = (w.probe.periodSeconds ?? 10) * 1000;
    w.timer = this.opts.clock.setTimeout(() => void this.tick(pod, podIP, spec, c, w), Math.max(0, began + period - this.opts.clock.now()));
  }
}
