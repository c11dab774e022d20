// Lifecycle hook handlers (preStop, postStart): exec runs a command beside the container, in its
// environment; httpGet asks the pod (or the given host); sleep waits. A hook never runs longer than
// `timeoutMs` (what is left of the grace period); its failure is reported, not thrown.
import { spawn } from 'node:child_process';
import type { LifecycleHandler } from 'kubernetes-types/core/v1';

export interface HookContext {
  podIP: string;
  env: Record<string, string>;
  cwd: string;
  /** Turns the hook's command into the argv actually run (e.g. inside the container's mount namespace). */
  wrap(argv: string[]): string[];
  /** Container ports by name, for httpGet's named ports. */
  ports: Record<string, number>;
}

/** Runs the handler; resolves with an error message, or undefined on success. */
export async function runHook(handler: LifecycleHandler, ctx: HookContext, timeoutMs: number): Promise<string | undefined> {
  const signal = AbortSignal.timeout(Math.max(1, timeoutMs));
  try {
    if (handler.exec?.command?.length) return await execHook(ctx.wrap(handler.exec.command), ctx, signal);
    if (handler.httpGet) return await httpHook(handler.httpGet, ctx, signal);
    if (handler.sleep) await new Promise((r) => setTimeout(r, Math.min(handler.sleep!.seconds * 1000, timeoutMs)));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function execHook(argv: string[], ctx: HookContext, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: ctx.env, cwd: ctx.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const collect = (b: Buffer): void => {
      if (output.length < 4096) output += b.toString();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const kill = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    signal.addEventListener('abort', kill, { once: true });
    child.on('error', (err) => resolve(err.message));
    child.on('close', (code) => {
      signal.removeEventListener('abort', kill);
      kill(); // what the hook left behind
      resolve(code === 0 ? undefined : `command '${argv.join(' ')}' exited with ${code ?? 137}: ${output}`);
    });
  });
}

async function httpHook(get: NonNullable<LifecycleHandler['httpGet']>, ctx: HookContext, signal: AbortSignal): Promise<string | undefined> {
  const port = typeof get.port === 'number' ? get.port : (ctx.ports[get.port] ?? Number(get.port));
  const scheme = (get.scheme ?? 'HTTP').toLowerCase();
  const path = get.path?.startsWith('/') ? get.path : `/${get.path ?? ''}`;
  const headers = Object.fromEntries((get.httpHeaders ?? []).map((h) => [h.name, h.value]));
  const res = await fetch(`${scheme}://${get.host || ctx.podIP}:${port}${path}`, { headers, signal });
  await res.arrayBuffer();
  return res.status >= 200 && res.status < 400 ? undefined : `HTTP lifecycle hook (${path}) for Container in Pod failed with status ${res.status}`;
}
