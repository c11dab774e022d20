// How a process sees its mounts. As root on Linux each container runs in a private mount namespace
// where every volume is bind-mounted at its mountPath, so `/data` really is the volume (mount points
// missing on the host are created there, empty). Elsewhere the mounts are symlinks under a per-container
// root directory the process learns from MINI_KUBE_ROOT (`$MINI_KUBE_ROOT/data`).
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Mount } from './volumes.js';

export const ROOT_ENV = 'MINI_KUBE_ROOT';

const UNSHARE = ['/usr/bin/unshare', '/bin/unshare'].find((p) => existsSync(p));

/** Whether containers get a private mount namespace: root on Linux with util-linux's unshare. */
export function canUseMountNamespace(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && UNSHARE !== undefined;
}

export const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** The shell script that bind-mounts `mounts`, then execs its arguments. */
export function mountScript(mounts: readonly Mount[]): string {
  const lines = ['set -e'];
  // Parents before children, so that a mount inside another volume's mountPath stays visible.
  for (const m of [...mounts].sort((a, b) => a.mountPath.length - b.mountPath.length)) {
    const host = shellQuote(m.hostPath);
    const target = shellQuote(m.mountPath);
    // A subPath may name a file: the mount point must then be a file too.
    lines.push(`[ -e ${host} ] || mkdir -p ${host}`);
    lines.push(`if [ -d ${host} ]; then mkdir -p ${target}; else mkdir -p "$(dirname ${target})"; [ -e ${target} ] || : > ${target}; fi`);
    lines.push(`mount --bind ${host} ${target}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
  }
  lines.push('exec "$@"');
  return lines.join('\n');
}

/**
 * `argv` wrapped so that it runs with `mounts` in place: `unshare --mount --propagation private sh -c
 * <script> mini-kube-mounts argv...` (unshare and sh exec, so the pid is the container's). Without a
 * mount namespace, or without mounts, argv is returned as is (see mountRootView).
 */
export function wrapForMounts(argv: string[], mounts: readonly Mount[], useNamespace = canUseMountNamespace()): string[] {
  if (!useNamespace || mounts.length === 0) return argv;
  return [UNSHARE ?? 'unshare', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', mountScript(mounts), 'mini-kube-mounts', ...argv];
}

/**
 * The fallback view: `<rootDir>/<mountPath>` is a symlink to each mount's host path. Returns the
 * directory to pass in MINI_KUBE_ROOT.
 */
export async function mountRootView(rootDir: string, mounts: readonly Mount[]): Promise<string> {
  await rm(rootDir, { recursive: true, force: true });
  await mkdir(rootDir, { recursive: true });
  for (const m of mounts) {
    const link = join(rootDir, m.mountPath);
    await mkdir(dirname(link), { recursive: true });
    await symlink(m.hostPath, link);
  }
  return rootDir;
}
