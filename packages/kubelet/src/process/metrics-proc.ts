// CPU time and memory of a process group from /proc, for containers without a cgroup of their own
// (cgroups not writable): the sum over every process whose process group is the container's.
import { readdirSync, readFileSync } from 'node:fs';

export interface UsageSample {
  /** CPU time used so far (user + system), ns. */
  cpuNanos: number;
  /** Resident memory, bytes. */
  memoryBytes: number;
}

// USER_HZ is 100 on every Linux architecture Node runs on; the page size 4 KiB on x86-64 and arm64 (almost always).
const TICK_NS = 10_000_000;
const PAGE_BYTES = 4096;

/** Fields of /proc/<pid>/stat after the `(comm)`, which may itself hold spaces and parentheses. */
export function parseProcStat(text: string): { pgrp: number; cpuTicks: number; rssPages: number } | undefined {
  const end = text.lastIndexOf(')');
  if (end < 0) return undefined;
  const f = text.slice(end + 2).split(' ');
  // f[0] is field 3 (state): pgrp is field 5, utime 14, stime 15, rss 24.
  return { pgrp: Number(f[2]), cpuTicks: Number(f[11]) + Number(f[12]), rssPages: Number(f[21]) };
}

/** The usage of process group `pgid`; undefined when none of its processes is left. */
export function processGroupUsage(pgid: number, procDir = '/proc'): UsageSample | undefined {
  let found = false;
  let ticks = 0;
  let pages = 0;
  for (const entry of readdirSync(procDir)) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = parseProcStat(readFileSync(`${procDir}/${entry}/stat`, 'utf8'));
    } catch {
      continue; // exited meanwhile
    }
    if (stat?.pgrp !== pgid) continue;
    found = true;
    ticks += stat.cpuTicks;
    pages += stat.rssPages;
  }
  return found ? { cpuNanos: ticks * TICK_NS, memoryBytes: pages * PAGE_BYTES } : undefined;
}
