// Starts bin/mini-kubed as a real process for end-to-end tests and waits until it serves /readyz.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
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

let daemonsStarted = 0;

/**
 * Address ranges of their own for each daemon, so that daemons of tests running in parallel never
 * bind the same address: vitest gives each concurrent worker its own VITEST_POOL_ID.
 */
function loopbackRanges(): string[] {
  const worker = Number(process.env.VITEST_POOL_ID ?? 0) % 14;
  const block = 100 + worker * 9 + (daemonsStarted++ % 9); // 127.100.x.x … 127.225.x.x
  return ['--node-cidr', `127.${block}.0.0/24`, '--pod-cidr', `127.${block}.0.0/16`, '--service-cidr', `127.${block}.255.0/24`];
}

const KUBECONFIG_LINE = /export KUBECONFIG=(\S+)\r?\n/; // only a complete line

export async function startDaemon(options: DaemonOptions = {}): Promise<Daemon> {
  const dataDir = options.dataDir ?? makeTempDir('mini-kubed-');
  const port = options.port ?? (await freePort());
  const args = [
    options.bin ?? join(REPO_ROOT, 'bin', 'mini-kubed'),
    '--data-dir',
    dataDir,
    '--listen',
    `127.0.0.1:${port}`,
    ...(options.args?.some((a) => a.endsWith('-cidr')) ? [] : loopbackRanges()),
    ...(options.args ?? []),
  ];
  // Detached: the daemon leads a process group, so its pods can be killed with it at the end.
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  trackChild(child);
  if (child.pid !== undefined) trackGroup(child.pid);
  const tail = new OutputTail();
  let kubeconfig: string | undefined;
  let stdoutHead = ''; // stdout up to the KUBECONFIG line
  child.stdout!.on('data', (chunk: Buffer) => {
    tail.append(chunk);
    if (kubeconfig) return;
    stdoutHead += chunk.toString();
    kubeconfig = KUBECONFIG_LINE.exec(stdoutHead)?.[1];
  });
  child.stderr!.on('data', (chunk: Buffer) => tail.append(chunk));
  const exit = exited(child);
  const stdioClosed = once(child, 'close').catch(() => undefined);

  const gaveUp = new AbortController();
  const readying = waitUntilReady(() => kubeconfig, options.readyTimeoutMs ?? 30_000, gaveUp.signal);
  const died = exit.then((code) => {
    throw new Error(`exited with code ${code} before it was ready`);
  });
  // Whichever loses the race below rejects later; that is expected, not unhandled.
  readying.catch(() => undefined);
  died.catch(() => undefined);
  let client: ApiClient;
  try {
    client = await Promise.race([readying, died]);
  } catch (err) {
    gaveUp.abort();
    if (child.pid !== undefined) killGroup(child.pid);
    await Promise.race([stdioClosed, sleep(500)]); // let the last output arrive
    throw new Error(`mini-kubed ${(err as Error).message}\n--- output ---\n${tail.toString()}`);
  }

  const pid = child.pid!;
  return {
    url: client.config.server,
    port,
    dataDir,
    kubeconfig: kubeconfig!,
    client: client,
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

/** Waits for the KUBECONFIG line, then for `GET /readyz` to answer `ok`; returns a client for it. */
async function waitUntilReady(kubeconfig: () => string | undefined, timeoutMs: number, signal: AbortSignal): Promise<ApiClient> {
  const deadline = Date.now() + timeoutMs;
  const path = await waitFor(kubeconfig, { timeoutMs, intervalMs: 50, signal, message: 'the KUBECONFIG line' });
  const client = new ApiClient(loadKubeconfig(path));
  const readyz = async () => (await client.request('GET', '/readyz')).text.trim() === 'ok';
  try {
    await waitFor(readyz, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 50, signal, message: 'GET /readyz = ok' });
    return client;
  } catch (err) {
    await client.close();
    throw err;
  }
}
