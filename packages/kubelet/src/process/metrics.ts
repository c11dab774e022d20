// The kubelet's `/stats/summary` (stats/v1alpha1, the fields metrics-server reads): per pod and
// container the CPU rate in nanocores and the memory working set, and the node's as their sum. CPU
// rates come from two samples of the cumulative CPU time the runtime measures; the sim runtime
// declares its usage instead (RuntimeContainer.usage).
import { parseQuantity, formatTime } from '@mini-kube/machinery';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Runtime, RuntimeContainer } from '../types.js';
import type { UsageSample } from './metrics-proc.js';

export { processGroupUsage, type UsageSample } from './metrics-proc.js';

export interface CpuStats {
  time: string;
  usageNanoCores: number;
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  workingSetBytes: number;
}

export interface ContainerStats {
  name: string;
  startTime: string;
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface PodStats {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStats[];
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface Summary {
  node: { nodeName: string; startTime: string; cpu: CpuStats; memory: MemoryStats };
  pods: PodStats[];
}

interface Sample extends UsageSample {
  at: number;
}

/** The shortest span a CPU rate is averaged over, once a container has run that long. */
export const RATE_WINDOW_MS = 10_000;

/**
 * CPU rates from cumulative samples of each container, averaged over at least RATE_WINDOW_MS (or
 * since the container started) so that scrapes close together still see a steady rate.
 */
export class CpuRates {
  private readonly windows = new Map<string, { older: Sample; newer: Sample }>();

  /** Nanocores over the window ending at `now`. */
  rate(id: string, sample: UsageSample, now: number, startedAt: number): number {
    const start: Sample = { cpuNanos: 0, memoryBytes: 0, at: startedAt };
    const w = this.windows.get(id) ?? { older: start, newer: start };
    const elapsedNs = (now - w.older.at) * 1e6;
    const rate = elapsedNs <= 0 ? 0 : Math.max(0, Math.round(((sample.cpuNanos - w.older.cpuNanos) / elapsedNs) * 1e9));
    if (now - w.newer.at >= RATE_WINDOW_MS) {
      w.older = w.newer;
      w.newer = { ...sample, at: now };
    }
    this.windows.set(id, w);
    return rate;
  }

  /** Drops the samples of containers not in `live`. */
  retain(live: ReadonlySet<string>): void {
    for (const id of this.windows.keys()) if (!live.has(id)) this.windows.delete(id);
  }
}

export interface SummaryInput {
  nodeName: string;
  nodeStartTime: number;
  /** The pods this kubelet runs. */
  pods: readonly Pod[];
  runtime: Runtime;
  rates: CpuRates;
  now: number;
}

function containerStats(c: RuntimeContainer, input: SummaryInput): ContainerStats | undefined {
  const time = formatTime(input.now);
  const startedAt = c.startedAt ?? c.createdAt;
  const measured = input.runtime.stats?.(c.id);
  let cpu: CpuStats;
  let memory: number;
  if (measured) {
    cpu = { time, usageNanoCores: input.rates.rate(c.id, measured, input.now, startedAt), usageCoreNanoSeconds: measured.cpuNanos };
    memory = measured.memoryBytes;
  } else if (c.usage) {
    cpu = { time, usageNanoCores: Math.round(parseQuantity(c.usage.cpu ?? '0') * 1e9) };
    memory = Math.round(parseQuantity(c.usage.memory ?? '0'));
  } else return undefined;
  return { name: c.name, startTime: formatTime(startedAt), cpu, memory: { time, workingSetBytes: memory } };
}

const sum = (list: readonly { cpu: CpuStats; memory: MemoryStats }[], time: string) => ({
  cpu: { time, usageNanoCores: list.reduce((n, x) => n + x.cpu.usageNanoCores, 0) },
  memory: { time, workingSetBytes: list.reduce((n, x) => n + x.memory.workingSetBytes, 0) },
});

/** The summary of the running containers of `pods`. */
export function statsSummary(input: SummaryInput): Summary {
  const time = formatTime(input.now);
  const pods: PodStats[] = [];
  const live = new Set<string>();
  for (const pod of input.pods) {
    const uid = pod.metadata?.uid ?? '';
    const containers: ContainerStats[] = [];
    for (const c of input.runtime.containers(uid)) {
      if (c.state !== 'running') continue;
      live.add(c.id);
      const stats = containerStats(c, input);
      if (stats) containers.push(stats);
    }
    if (containers.length === 0) continue;
    pods.push({
      podRef: { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '', uid },
      startTime: pod.status?.startTime ?? containers[0]!.startTime,
      containers,
      ...sum(containers, time),
    });
  }
  input.rates.retain(live);
  return { node: { nodeName: input.nodeName, startTime: formatTime(input.nodeStartTime), ...sum(pods, time) }, pods };
}
