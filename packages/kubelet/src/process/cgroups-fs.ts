// Where the cgroup hierarchies are and which one this process sits in (/proc/mounts and
// /proc/self/cgroup), for v1 (one hierarchy per controller, as on this machine), hybrid and v2.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CgroupController = 'memory' | 'cpu' | 'cpuacct' | 'pids';
export const CONTROLLERS: readonly CgroupController[] = ['memory', 'cpu', 'cpuacct', 'pids'];

export interface CgroupLayout {
  version: 1 | 2;
  /** v1: the directory of the daemon's own cgroup in each controller's hierarchy; v2: one entry per controller, all the same. */
  own: Map<CgroupController, string>;
}

/** Parses /proc/mounts and /proc/self/cgroup contents; undefined when no usable hierarchy is mounted. */
export function parseCgroupLayout(mounts: string, selfCgroup: string): CgroupLayout | undefined {
  const ownPath = new Map<string, string>(); // controller (or '' for v2) → path
  for (const line of selfCgroup.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    for (const c of m[1]!.split(',')) ownPath.set(c, m[2]!);
  }
  const v1 = new Map<CgroupController, string>();
  let v2Mount: string | undefined;
  for (const line of mounts.split('\n')) {
    const [, dir, type, options] = line.split(' ');
    if (type === 'cgroup' && dir && options) {
      const opts = options.split(',');
      for (const c of CONTROLLERS) if (opts.includes(c) && ownPath.has(c)) v1.set(c, join(dir, ownPath.get(c)!).replace(/(.)\/$/, '$1'));
    } else if (type === 'cgroup2' && dir) v2Mount = dir;
  }
  if (v1.has('memory')) return { version: 1, own: v1 };
  // A v2 hierarchy with the memory controller: the unified mode of systemd machines.
  if (v2Mount && ownPath.has('')) {
    let controllers = '';
    try {
      controllers = readFileSync(join(v2Mount, 'cgroup.controllers'), 'utf8');
    } catch {
      return undefined;
    }
    if (!controllers.split(/\s+/).includes('memory')) return undefined;
    const own = join(v2Mount, ownPath.get('')!);
    return { version: 2, own: new Map(CONTROLLERS.map((c) => [c, own])) };
  }
  return undefined;
}

export function readLayout(): CgroupLayout | undefined {
  try {
    return parseCgroupLayout(readFileSync('/proc/mounts', 'utf8'), readFileSync('/proc/self/cgroup', 'utf8'));
  } catch {
    return undefined; // not Linux
  }
}

/** `key value` lines (memory.stat, memory.oom_control, cpu.stat, memory.events) as a map. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out.set(k, Number(v));
  }
  return out;
}
