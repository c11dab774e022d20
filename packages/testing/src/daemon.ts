// Starts bin/mini-kubed as a real process for end-to-end tests and waits until it serves /readyz.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ApiClient, loadKubeconfig } from '@mini-kube/client';
import { killGroup, trackChild, trackGroup } from './cleanup.js';
import { freePort } from './net.js';
import { exited, OutputTail } from './process.js';
import { makeTempDir } from './temp.js';
import { waitFor } from './wait.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface DaemonOptions {
  args?: string[];
  /** The daemon script run with node; defaults to `<repo>/bin/mini-kubed`. */
  bin?: string;
  /** Defaults to a fresh temp dir; pass the previous one to restart on the same state. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  port?: number;
  readyTimeoutMs?: number; // default 30 s
}

export interface Daemon {
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
  client: ApiClient;
  pid: number;
  /** Signals the daemon, waits for it to exit (SIGKILL after `graceMs`), kills leftovers of its process group. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number>;
  /** SIGKILL to the daemon alone, as in a crash: processes it started keep running until the test process exits. */
  kill(): Promise<void>;
  /** The last 64 KiB of stdout and stderr, interleaved. */
  output(): string;
}

const KUBECONFIG_LINE = /export KUBECONFIG=(\S+)/;

export async function startDaemon(options: DaemonOptions = {}): Promise<Daemon> {
  const dataDir = options.dataDir ?? makeTempDir('mini-kubed-');
  const port = options.port ?? (await freePort());
  const args = [options.bin ?? join(REPO_ROOT, 'bin', 'mini-kubed'), '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`, ...(options.args ?? [])];
  // Detached: the daemon leads a process group, so its pods can be killed with it at the end.
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  trackChild(child);
  if (child.pid !== undefined) trackGroup(child.pid);
  const tail = new OutputTail();
  let kubeconfig: string | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    tail.append(chunk);
    kubeconfig ??= KUBECONFIG_LINE.exec(tail.toString())?.[1];
  });
  child.stderr!.on('data', (chunk: Buffer) => tail.append(chunk));
  const exit = exited(child);
  let exitedEarly: number | undefined;
  void exit.then((code) => (exitedEarly = code));

  const fail = (why: string): Error => {
    if (child.pid !== undefined) killGroup(child.pid);
    return new Error(`mini-kubed ${why}\n--- output ---\n${tail.toString()}`);
  };
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const started = Date.now();
  const notExited = () => {
    if (exitedEarly !== undefined) throw fail(`exited with code ${exitedEarly} before it was ready`);
  };

  let client: ApiClient;
  try {
    const path = await waitFor(() => (notExited(), kubeconfig), { timeoutMs, intervalMs: 50, message: 'the KUBECONFIG line' });
    client = new ApiClient(loadKubeconfig(path));
    await waitFor(
      async () => {
        notExited();
        return (await client.request('GET', '/readyz')).text.trim() === 'ok';
      },
      { timeoutMs: Math.max(1_000, timeoutMs - (Date.now() - started)), intervalMs: 50, message: 'GET /readyz = ok' },
    );
  } catch (err) {
    throw exitedEarly !== undefined ? err : fail(`did not become ready: ${(err as Error).message}`);
  }

  const pid = child.pid!;
  return {
    url: client.config.server,
    port,
    dataDir,
    kubeconfig: kubeconfig!,
    client,
    pid,
    output: () => tail.toString(),
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      await client.close();
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exit.finally(() => clearTimeout(timer));
      killGroup(pid);
      return code;
    },
    async kill() {
      await client.close();
      child.kill('SIGKILL');
      await exit;
    },
  };
}
