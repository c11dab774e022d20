// Resource limits of process containers with cgroups: one cgroup per container under
// `<daemon's own cgroup>/mini-kube/`, memory (OOM kill at the limit, exit 137), cpu quota (CFS) and
// pids. Without writable cgroups (not root, no Linux) nothing is enforced: one warning, and
// createCgroup returns false so the caller can say so on the node.
import { milliValue, scaledValue } from '@mini-kube/machinery';
import type { Container } from 'kubernetes-types/core/v1';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from './volumes-mounts.js';
import { CONTROLLERS, parseFlatKeyed, readLayout, type CgroupController, type CgroupLayout } from './cgroups-fs.js';

export interface CgroupLimits {
  cpuLimitMilli?: number;
  memoryLimitBytes?: number;
  pidsLimit?: number;
}

export interface CgroupUsage {
  /** CPU time used since the cgroup was created. */
  cpuNanos: number;
  /** The working set: usage without inactive file cache, as the kubelet reports it. */
  memoryBytes: number;
}

const CFS_PERIOD_US = 100_000;
const BASE = 'mini-kube';
const safeId = (id: string): string => id.replace(/^[a-z]+:\/\//, '').replace(/[^A-Za-z0-9_.-]/g, '_');

export class Cgroups {
  private warned = false;
  private usable: boolean | undefined;
  private reason: string | undefined;

  private readonly layout: CgroupLayout | undefined;

  /**
   * `layout`: null for none (tests), by default the one of this process. `disabledBy`: a reason to
   * enforce nothing even where cgroups are usable (MINI_KUBE_CGROUPS=off, to test that case as root).
   */
  constructor(
    layout?: CgroupLayout | null,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
    private readonly disabledBy?: string,
  ) {
    this.layout = layout === null || disabledBy ? undefined : (layout ?? readLayout());
  }

  /** Whether limits can be enforced (checked once, by creating the base directory). */
  available(): boolean {
    if (this.usable !== undefined) return this.usable;
    this.usable = false;
    if (this.disabledBy) return this.disable(this.disabledBy);
    if (!this.layout) return this.disable('no cgroup hierarchy with the memory controller is mounted');
    try {
      for (const dir of this.baseDirs()) mkdirSync(dir, { recursive: true });
      if (this.layout.version === 2) this.enableV2Controllers();
      this.usable = true;
    } catch (err) {
      this.disable(`cgroups are not writable (${err instanceof Error ? err.message : String(err)})`);
    }
    return this.usable;
  }

  /** Creates the container's cgroup with its limits; false when limits cannot be enforced. */
  create(id: string, limits: CgroupLimits): boolean {
    if (!this.available()) return false;
    for (const dir of this.dirs(id)) mkdirSync(dir, { recursive: true });
    const v2 = this.layout!.version === 2;
    const { memoryLimitBytes: mem, cpuLimitMilli: cpu, pidsLimit: pids } = limits;
    if (mem !== undefined) {
      if (v2) {
        this.write(id, 'memory', 'memory.max', mem);
        this.writeIfExists(id, 'memory', 'memory.swap.max', 0);
      } else {
        this.write(id, 'memory', 'memory.limit_in_bytes', mem);
        this.writeIfExists(id, 'memory', 'memory.memsw.limit_in_bytes', mem); // no escape into swap
      }
    }
    if (cpu !== undefined) {
      const quota = Math.max(1000, Math.round((cpu * CFS_PERIOD_US) / 1000));
      if (v2) this.write(id, 'cpu', 'cpu.max', `${quota} ${CFS_PERIOD_US}`);
      else {
        this.write(id, 'cpu', 'cpu.cfs_period_us', CFS_PERIOD_US);
        this.write(id, 'cpu', 'cpu.cfs_quota_us', quota);
      }
    }
    if (pids !== undefined) this.write(id, 'pids', 'pids.max', pids);
    return true;
  }

  /** Moves `pid` into the container's cgroup (children it forks later follow it). */
  addProcess(id: string, pid: number): void {
    for (const dir of this.dirs(id)) if (existsSync(dir)) writeFileSync(join(dir, 'cgroup.procs'), String(pid));
  }

  /** The cgroup.procs files to write a pid to: for a wrapper that joins the cgroup before exec. */
  procsFiles(id: string): string[] {
    return this.dirs(id).filter((d) => existsSync(d)).map((d) => join(d, 'cgroup.procs'));
  }

  /** Whether the kernel OOM-killed a process of the container. */
  oomKilled(id: string): boolean {
    const file = this.layout?.version === 2 ? 'memory.events' : 'memory.oom_control';
    return (parseFlatKeyed(this.read(id, 'memory', file) ?? '').get('oom_kill') ?? 0) > 0;
  }

  usage(id: string): CgroupUsage | undefined {
    if (!this.layout || !existsSync(this.dir(id, 'memory'))) return undefined;
    const v2 = this.layout.version === 2;
    const stat = parseFlatKeyed(this.read(id, 'memory', 'memory.stat') ?? '');
    const used = Number(this.read(id, 'memory', v2 ? 'memory.current' : 'memory.usage_in_bytes') ?? 0);
    const inactive = (v2 ? stat.get('inactive_file') : stat.get('total_inactive_file')) ?? 0;
    const cpuNanos = v2 ? (parseFlatKeyed(this.read(id, 'cpu', 'cpu.stat') ?? '').get('usage_usec') ?? 0) * 1000 : Number(this.read(id, 'cpuacct', 'cpuacct.usage') ?? 0);
    return { cpuNanos, memoryBytes: Math.max(0, used - inactive) };
  }

  /** Removes the container's cgroup; processes still in it are killed first. */
  remove(id: string): void {
    for (const dir of this.dirs(id)) {
      if (!existsSync(dir)) continue;
      for (const pid of (readFileSync(join(dir, 'cgroup.procs'), 'utf8').match(/\d+/g) ?? []).map(Number)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      try {
        rmdirSync(dir);
      } catch (err) {
        // EBUSY while the killed processes are being reaped; one retry later is the caller's call.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`cgroup ${dir} not removed: ${(err as Error).message}`);
      }
    }
  }

  /** Why limits are not enforced; undefined when they are. */
  unenforcedReason(): string | undefined {
    return this.available() ? undefined : this.reason;
  }

  private disable(reason: string): boolean {
    this.reason = reason;
    if (!this.warned) this.warn(`mini-kube: ${reason}: container resource limits are not enforced`);
    this.warned = true;
    return false;
  }

  /** v2 has no per-controller trees: controllers must be enabled for the children of our base. */
  private enableV2Controllers(): void {
    const base = this.baseDirs()[0]!;
    writeFileSync(join(base, 'cgroup.subtree_control'), '+memory +cpu +pids');
  }

  private baseDirs(): string[] {
    return [...new Set([...this.layout!.own.values()].map((own) => join(own, BASE)))];
  }

  private dir(id: string, c: CgroupController): string {
    return join(this.layout!.own.get(c)!, BASE, safeId(id));
  }

  private dirs(id: string): string[] {
    if (!this.layout) return [];
    return [...new Set(CONTROLLERS.filter((c) => this.layout!.own.has(c)).map((c) => this.dir(id, c)))];
  }

  private write(id: string, c: CgroupController, file: string, value: string | number): void {
    writeFileSync(join(this.dir(id, c), file), String(value));
  }

  private writeIfExists(id: string, c: CgroupController, file: string, value: number): void {
    if (existsSync(join(this.dir(id, c), file))) this.write(id, c, file, value);
  }

  private read(id: string, c: CgroupController, file: string): string | undefined {
    if (!this.layout?.own.has(c)) return undefined;
    try {
      return readFileSync(join(this.dir(id, c), file), 'utf8');
    } catch {
      return undefined;
    }
  }
}

let shared: Cgroups | undefined;
const disabledBy = (): string | undefined => (process.env.MINI_KUBE_CGROUPS === 'off' ? 'cgroups are turned off (MINI_KUBE_CGROUPS=off)' : undefined);
const cgroups = (): Cgroups => (shared ??= new Cgroups(undefined, undefined, disabledBy()));

export const cgroupsAvailable = (): boolean => cgroups().available();
export const createCgroup = (id: string, limits: CgroupLimits): boolean => cgroups().create(id, limits);
export const addProcess = (id: string, pid: number): void => cgroups().addProcess(id, pid);
export const oomKilled = (id: string): boolean => cgroups().oomKilled(id);
export const usage = (id: string): CgroupUsage | undefined => cgroups().usage(id);
export const removeCgroup = (id: string): void => cgroups().remove(id);

/**
 * `argv` wrapped so that the process joins the container's cgroup before it execs (no child can
 * escape by forking before addProcess): `sh -c 'echo $$ > .../cgroup.procs; exec "$@"'`.
 */
export function wrapForCgroup(id: string, argv: string[]): string[] {
  const files = cgroups().procsFiles(id);
  if (files.length === 0) return argv;
  const joins = files.map((f) => `echo $$ > ${shellQuote(f)}`).join('; ');
  return ['/bin/sh', '-c', `${joins}; exec "$@"`, 'mini-kube-cgroup', ...argv];
}

/** The limits of a container's `resources.limits` (cpu, memory). */
export function limitsOf(container: Container): CgroupLimits {
  const cpu = container.resources?.limits?.cpu;
  const mem = container.resources?.limits?.memory;
  return {
    ...(cpu !== undefined ? { cpuLimitMilli: milliValue(String(cpu)) } : {}),
    ...(mem !== undefined ? { memoryLimitBytes: Number(scaledValue(String(mem), 0)) } : {}),
  };
}

/** The limiter the process runtime takes (its ContainerLimiter), with usage for the metrics. */
export const cgroupLimiter = {
  create: (id: string, container: Container): void => void createCgroup(id, limitsOf(container)),
  addProcess,
  oomKilled,
  remove: removeCgroup,
  usage,
  unenforcedReason: (): string | undefined => cgroups().unenforcedReason(),
};
