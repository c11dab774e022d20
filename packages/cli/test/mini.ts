// Runs bin/mini-kubectl as a process (rebuild with `node scripts/build.mjs` first).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, type KubectlResult } from '@mini-kube/testing';

export interface MiniOptions {
  env?: NodeJS.ProcessEnv;
  /** Run bin/mini-kubectl as an executable (its shell line) instead of `node bin/mini-kubectl`. */
  direct?: boolean;
}

export function miniKubectl(args: string[], kubeconfig: string, cacheDir: string, stdin = '', options: MiniOptions = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const bin = join(REPO_ROOT, 'bin', 'mini-kubectl');
    const argv = ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args];
    const [command, commandArgs] = options.direct ? [bin, argv] : [process.execPath, [bin, ...argv]];
    const child = spawn(command, commandArgs, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Ages and event intervals change between two runs; compare them as a placeholder. */
export const normaliseAges = (s: string): string => s.replace(/\b\d+(s|m\d*s?|h\d*m?|d\d*h?)(?=\s|\)|$)/gm, 'AGE');
