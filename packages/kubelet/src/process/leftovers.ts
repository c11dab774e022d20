// Restart safety behind the watchdog (process-group.ts): each running container has a pid file in
// its sandbox, `pids/<container>-<attempt>`, written at launch and removed when the container has
// exited. A daemon killed together with its watchdog leaves its containers running; when a node's
// runtime starts again, it finds them by these files and kills their process groups before the
// kubelet syncs any pod, so each pod then runs once. A pid is trusted only while the process
// holding it started at the recorded time (/proc/<pid>/stat), so a recycled pid is never killed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signalGroup } from './process-group.js';

export interface PidRecord {
  node: string;
  pid: number;
  /** The process's start time, in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  start: number;
  /** The container id without its `process://` prefix (its cgroup's name). */
  id: string;
}

const pidDir = (sandbox: string): string => join(sandbox, 'pids');
export const pidFile = (sandbox: string, container: string, attempt: number): string => join(pidDir(sandbox), `${container}-${attempt}`);

/** State and start time of a live (not zombie) process, from its stat line; undefined if gone. */
export function parseStartTime(statLine: string): { state: string; start: number } | undefined {
  const end = statLine.lastIndexOf(')');
  if (end < 0) return undefined;
  const fields = statLine.slice(end + 2).split(' '); // fields[0] is field 3 (state); starttime is field 22
  const start = Number(fields[19]);
  return Number.isFinite(start) ? { state: fields[0]!, start } : undefined;
}

/** The start time of a running process; undefined when it is gone or a zombie. */
export function processStart(pid: number, procDir = '/proc'): number | undefined {
  let line: string;
  try {
    line = readFileSync(join(procDir, String(pid), 'stat'), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseStartTime(line);
  return parsed && parsed.state !== 'Z' && parsed.state !== 'X' ? parsed.start : undefined;
}

export function writePidFile(file: string, record: PidRecord): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(record));
}

export function removePidFile(file: string): void {
  rmSync(file, { force: true });
}

/** The pid files of `node` under `<dataDir>/pods/*`, with their records (unreadable ones as undefined). */
export function pidFilesOf(dataDir: string, node: string): { file: string; record: PidRecord | undefined }[] {
  const pods = join(dataDir, 'pods');
  if (!existsSync(pods)) return [];
  const found: { file: string; record: PidRecord | undefined }[] = [];
  for (const uid of readdirSync(pods)) {
    const dir = pidDir(join(pods, uid));
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      const record = readRecord(file);
      // A file half-written when the daemon died belongs to nobody in particular: any node drops it.
      if (!record || record.node === node) found.push({ file, record });
    }
  }
  return found;
}

function readRecord(file: string): PidRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<PidRecord>;
    return typeof r.pid === 'number' && typeof r.start === 'number' && typeof r.node === 'string' && typeof r.id === 'string' ? (r as PidRecord) : undefined;
  } catch {
    return undefined;
  }
}

export interface LeftoverOptions {
  procDir?: string;
  /** How long to wait for killed groups to be gone (default 5 s). */
  timeoutMs?: number;
  /** Called for each recorded container once its processes are gone, killed or not: its cgroup can go. */
  onGone?(record: PidRecord): void | Promise<void>;
}

/**
 * Kills the process groups of `node`'s containers left by an earlier run and removes every pid
 * file of the node. Returns the records of the containers that were still running.
 */
export async function killLeftovers(dataDir: string, node: string, opts: LeftoverOptions = {}): Promise<PidRecord[]> {
  const killed: PidRecord[] = [];
  const files = pidFilesOf(dataDir, node);
  for (const { file, record } of files) {
    if (record && processStart(record.pid, opts.procDir) === record.start && signalGroup(record.pid, 'SIGKILL')) killed.push(record);
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  const alive = (r: PidRecord): boolean => processStart(r.pid, opts.procDir) === r.start;
  while (killed.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const { record } of files) if (record) await opts.onGone?.(record);
  for (const { file } of files) removePidFile(file);
  return killed;
}
