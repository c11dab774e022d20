// Runs the real kubectl against a kubeconfig, with a discovery cache kept per kubeconfig so that
// repeated calls in one test process skip discovery.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { trackChild } from './cleanup.js';
import { LineReader } from './lines.js';
import { closed, OutputTail } from './process.js';
import { makeTempDir } from './temp.js';

export interface KubectlOptions {
  kubeconfig: string;
  stdin?: string;
  timeoutMs?: number; // default 30 s; the process is killed and the call rejects after it
  env?: NodeJS.ProcessEnv;
  /** kubectl's --cache-dir; by default one temp dir per kubeconfig path. */
  cacheDir?: string;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The kubectl binary: `$MINI_KUBE_KUBECTL`, else `kubectl` from PATH. */
export function kubectlBinary(): string {
  return process.env.MINI_KUBE_KUBECTL || 'kubectl';
}

let available: boolean | undefined;

/** Whether kubectl runs here; says once on stderr why e2e tests will be skipped when it does not. */
export function hasKubectl(): boolean {
  if (available === undefined) {
    const probe = spawnSync(kubectlBinary(), ['version', '--client'], { timeout: 10_000, stdio: 'ignore' });
    available = probe.status === 0;
    if (!available) console.warn(`kubectl not runnable as "${kubectlBinary()}" (set MINI_KUBE_KUBECTL); skipping kubectl tests`);
  }
  return available;
}

const cacheDirs = new Map<string, string>();

function cacheDirFor(kubeconfig: string): string {
  const key = resolve(kubeconfig);
  let dir = cacheDirs.get(key);
  if (!dir) cacheDirs.set(key, (dir = makeTempDir('kubectl-cache-')));
  return dir;
}

function spawnKubectl(args: string[], opts: KubectlOptions): ChildProcess {
  const fullArgs = ['--kubeconfig', opts.kubeconfig, '--cache-dir', opts.cacheDir ?? cacheDirFor(opts.kubeconfig), ...args];
  const child = spawn(kubectlBinary(), fullArgs, { env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  trackChild(child);
  child.stdin!.on('error', () => undefined); // kubectl may exit before reading its stdin
  child.stdin!.end(opts.stdin ?? '');
  return child;
}

function timedOut(args: string[], ms: number, stdout: string, stderr: string): Error {
  return new Error(`kubectl ${args.join(' ')} did not finish within ${ms}ms\nstdout:\n${stdout}\nstderr:\n${stderr}`);
}

/** Runs one kubectl command to completion. */
export async function kubectl(args: string[], opts: KubectlOptions): Promise<KubectlResult> {
  const child = spawnKubectl(args, opts);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => stdout.push(c));
  child.stderr!.on('data', (c: Buffer) => stderr.push(c));
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
  const ended = closed(child);
  const outcome = await Promise.race([ended, timeout, spawnFailed]).finally(() => clearTimeout(timer));
  const out = Buffer.concat(stdout).toString();
  const err = Buffer.concat(stderr).toString();
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    throw timedOut(args, timeoutMs, out, err);
  }
  return { code: outcome, stdout: out, stderr: err };
}

/** A long-running kubectl (`get -w`, `logs -f`): read its stdout line by line, then stop it. */
export class KubectlStream extends LineReader {
  /** Resolves when kubectl exits by itself or is stopped. */
  readonly done: Promise<KubectlResult>;
  private readonly stderrTail = new OutputTail();

  constructor(
    private readonly child: ChildProcess,
    readonly args: string[],
  ) {
    super();
    child.stdout!.on('data', (c: Buffer) => this.push(c));
    child.stderr!.on('data', (c: Buffer) => this.stderrTail.append(c));
    child.once('error', (err) => this.stderrTail.append(`spawn failed: ${err.message}\n`));
    this.done = closed(child).then((code) => {
      this.end();
      return { code, stdout: this.lines.join('\n'), stderr: this.stderr() };
    });
  }

  stderr(): string {
    return this.stderrTail.toString();
  }

  /** SIGTERM, then SIGKILL if kubectl has not exited within `graceMs`. */
  async stop(graceMs = 2_000): Promise<KubectlResult> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.done;
    } finally {
      clearTimeout(timer);
    }
  }
}

export function kubectlStream(args: string[], opts: Omit<KubectlOptions, 'timeoutMs'>): KubectlStream {
  return new KubectlStream(spawnKubectl(args, opts), args);
}
