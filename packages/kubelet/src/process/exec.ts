// Commands run in a container (kubectl exec, exec probes): collecting a command's output with a
// timeout, the pseudo-terminal wrapper for `exec -t`, and the Status that ends an exec stream
// (remotecommand's error channel: Success, or NonZeroExitCode with the code as a cause).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ExecResult } from '../types.js';

const MAX_OUTPUT = 10 * 1024; // the kubelet keeps 10 KiB of an exec probe's output

/** A container's execution context: its env, working dir, and how argv is wrapped to see its mounts. */
export interface ExecContext {
  env: Record<string, string>;
  cwd: string;
  wrap(argv: string[]): string[];
}

/** Starts `argv` as the container would run it, in a process group of its own (for Runtime.spawnExec). */
export function spawnInContainer(ctx: ExecContext, argv: string[]): ChildProcessWithoutNullStreams {
  const [file, ...args] = ctx.wrap(argv);
  return spawn(file!, args, { cwd: ctx.cwd, env: ctx.env, detached: true, stdio: 'pipe' });
}

/** Waits for `child` to exit, collecting stdout and stderr; kills its process group after `timeoutMs`. */
export function collectExec(child: ChildProcessWithoutNullStreams, argv: string[], timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    let output = '';
    const add = (chunk: Buffer): void => {
      if (output.length < MAX_OUTPUT) output += chunk.toString('utf8').slice(0, MAX_OUTPUT - output.length);
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    child.stdin.end();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill(child);
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`command "${argv.join(' ')}" timed out`));
      else resolve({ exitCode: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), output });
    });
  });
}

/** SIGKILL to the child's process group when it has one (spawned detached), else to the child. */
export function kill(child: ChildProcessWithoutNullStreams): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/**
 * `argv` under a pseudo-terminal (util-linux `script`), for `kubectl exec -t`: the program sees a
 * tty, and its output comes back on one stream as from a real terminal.
 */
export function ttyArgv(argv: string[]): string[] {
  return ['script', '--quiet', '--flush', '--return', '--command', argv.map(shellQuote).join(' '), '/dev/null'];
}

/** The Status written on the error channel when the command ends. */
export function exitStatus(exitCode: number, argv: readonly string[]): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: command '${argv.join(' ')}' exited with ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** A Status for an exec that could not run at all (the command was not found...). */
export function failureStatus(message: string): Record<string, unknown> {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}
