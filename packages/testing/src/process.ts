// Small helpers shared by the daemon and kubectl runners.
import { constants } from 'node:os';
import type { ChildProcess } from 'node:child_process';

/** The shell's view of how a process ended: its code, or 128 + the signal that killed it. */
export function exitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? constants.signals[signal] : 0);
}

/** Resolves with the exit code once `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(exitCode(child.exitCode, child.signalCode));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(exitCode(code, signal))));
}

/**
 * Resolves with the exit code once `child` has exited and its stdio closed; 127 when it could
 * not be spawned at all (Node then emits 'close' with a negative errno and no 'exit').
 */
export function closed(child: ChildProcess): Promise<number> {
  return new Promise((resolve) =>
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve(code !== null && code < 0 ? 127 : exitCode(code, signal))),
  );
}

/** Keeps the last `limit` characters written to it. */
export class OutputTail {
  private text = '';

  constructor(private readonly limit = 64 * 1024) {}

  append(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.limit) this.text = this.text.slice(-this.limit);
  }

  toString(): string {
    return this.text;
  }
}
