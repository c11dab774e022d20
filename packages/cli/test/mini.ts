// Runs bin/mini-kubectl as a process (rebuild with `node scripts/build.mjs` first).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, type KubectlResult } from '@mini-kube/testing';

export function miniKubectl(args: string[], kubeconfig: string, cacheDir: string, stdin = ''): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'mini-kubectl'), '--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
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
