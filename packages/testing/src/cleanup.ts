// Whatever a test starts must not outlive the test process: child processes (and the process
// groups of daemons, which hold their pods) are killed and temp dirs removed on exit, including
// when vitest stops a worker with SIGTERM (which skips 'exit' handlers unless someone listens).
import { rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
const groups = new Set<number>();
const dirs = new Set<string>();
let installed = false;

export function trackChild(child: ChildProcess): void {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** A detached child leads its own process group; the whole group is killed at exit. */
export function trackGroup(pid: number): void {
  install();
  groups.add(pid);
}

export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  groups.delete(pid);
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

export function trackDir(dir: string): void {
  install();
  dirs.add(dir);
}

function cleanupNow(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const pid of [...groups]) killGroup(pid);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  children.clear();
  dirs.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', cleanupNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanupNow();
      // Keep the default behaviour (die by the signal) unless another listener decides otherwise.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
