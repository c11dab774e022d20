// The on-disk layout of a pod sandbox, `<data-dir>/pods/<uid>/`:
//   logs/<container>/<attempt>.log[.1]   CRI log files (kept until the pod is deleted)
//   term/<container>-<attempt>           the termination message file of each instance
//   root/<container>/                    cwd, and the root view of mounts without namespaces
//   volumes/<volume>/                    emptyDir and file volumes (volumes.ts)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

export const sandboxDir = (dataDir: string, podUid: string): string => join(dataDir, 'pods', podUid);
export const logDir = (sandbox: string, container: string): string => join(sandbox, 'logs', container);
export const logFile = (sandbox: string, container: string, attempt: number): string => join(logDir(sandbox, container), `${attempt}.log`);
export const terminationFile = (sandbox: string, container: string, attempt: number): string => join(sandbox, 'term', `${container}-${attempt}`);
export const rootView = (sandbox: string, container: string): string => join(sandbox, 'root', container);

/** The attempts that have a log file, in order. */
export function loggedAttempts(sandbox: string, container: string): number[] {
  const dir = logDir(sandbox, container);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^(\d+)\.log$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The files of one instance's log, oldest first. */
export const logFiles = (sandbox: string, container: string, attempt: number): string[] => {
  const file = logFile(sandbox, container, attempt);
  return [`${file}.1`, file];
};

/** Removes all but the logs: what a finished pod keeps until it is deleted. */
export async function cleanSandbox(sandbox: string): Promise<void> {
  if (!existsSync(sandbox)) return;
  for (const entry of readdirSync(sandbox)) {
    if (entry !== 'logs') await rm(join(sandbox, entry), { recursive: true, force: true });
  }
}

const MAX_MESSAGE = 4096;
const FALLBACK_LINES = 80;
const FALLBACK_BYTES = 2048;

/** The termination message: the file the process wrote, at most 4 KiB. */
export function readTerminationMessage(file: string): string {
  if (!existsSync(file) || !statSync(file).isFile()) return '';
  return readFileSync(file).subarray(0, MAX_MESSAGE).toString();
}

/** FallbackToLogsOnError: the last 80 lines of the log, at most 2 KiB (kuberuntime's tail). */
export function logTail(text: string): string {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const tail = lines.slice(-FALLBACK_LINES).join('\n');
  return tail.length > FALLBACK_BYTES ? tail.slice(tail.length - FALLBACK_BYTES) : tail;
}
