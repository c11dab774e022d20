// Commands run in a container (kubectl exec, exec probes): collecting a command's output with a
// timeout, the pseudo-terminal wrapper for `exec -t` and its resizing, and the Status that ends an exec stream
// (remotecommand's error channel: Success, or NonZeroExitCode with the code as a cause).
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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

export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * `argv` under a pseudo-terminal (util-linux `script`), for `kubectl exec -t`: the program sees a
 * tty of the client's size with TERM set (xterm unless the container sets one, as container
 * runtimes do), and its output comes back on one stream as from a real terminal.
 */
export function ttyArgv(argv: string[], size?: TerminalSize): string[] {
  const setSize = size ? `stty cols ${size.width} rows ${size.height} 2>/dev/null; ` : '';
  const command = `${setSize}TERM="\${TERM:-xterm}"; export TERM; exec ${argv.map(shellQuote).join(' ')}`;
  return ['script', '--quiet', '--flush', '--return', '--command', command, '/dev/null'];
}

/** The pid → parent pid table of every process, from /proc. */
function parents(): Map<number, number> {
  const table = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (in parentheses) may hold spaces: the fields after it are what counts.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      table.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process exited meanwhile
    }
  }
  return table;
}

/**
 * A path that opens the pseudo-terminal of a `ttyArgv` session started as `rootPid`: the stdin of
 * the first descendant whose stdin is a pts (through /proc, so it works from any mount namespace).
 */
export function findSessionTty(rootPid: number): string | undefined {
  const table = parents();
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      if (pid !== rootPid && readlinkSync(`/proc/${pid}/fd/0`).startsWith('/dev/pts/')) return `/proc/${pid}/fd/0`;
    } catch {
      // gone, or not ours to read
    }
    for (const [child, parent] of table) if (parent === pid) queue.push(child);
  }
  return undefined;
}

/** Sets the size of a pseudo-terminal (the kernel sends SIGWINCH to its foreground process group). */
export function resizeTty(path: string, size: TerminalSize): Promise<void> {
  return new Promise((resolve) => {
    execFile('stty', ['-F', path, 'cols', String(size.width), 'rows', String(size.height)], () => resolve());
  });
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
