// How one container process is started: argv, environment and working directory, from the image's
// launch (catalogue.ts), the resolved env and the container's mounts. Processes share the host's
// filesystem; volumes-mounts.ts makes mounts visible (a private mount namespace as root, else a root
// view named by MINI_KUBE_ROOT). The termination message file is one more mount, of a file in the
// sandbox over the container's terminationMessagePath.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hostProgram, type Launch } from './catalogue.js';
import type { Mount } from './volumes.js';
import { ROOT_ENV, wrapForMounts } from './volumes-mounts.js';
import type { WebServerEnv } from './web-server.js';

export interface LaunchInput {
  launch: Launch;
  env: Record<string, string>;
  workingDir?: string;
  mounts: readonly Mount[];
  /** The container's terminationMessagePath and the host file standing in for it. */
  termination: { path: string; hostFile: string };
  podIP: string;
  hostname: string;
  /** `<sandbox>/root/<container>`: the cwd by default, and the root view without namespaces. */
  rootView: string;
  useNamespace: boolean;
  nodePath: string;
  webScript: string;
  /** The daemon's PATH: appended to the image's so host tools are found. */
  hostPATH: string;
}

export interface ProcessSpec {
  argv: string[];
  env: Record<string, string>;
  /** Where the process starts (inside the namespace, the script changes to workingDir after mounting). */
  cwd: string;
  /** Without a namespace: the mounts to show as symlinks under the root view (mountRootView). */
  rootViewMounts?: Mount[];
}

const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The host path of `path` as the container sees it, when a mount covers it. */
export function hostPathFor(path: string, mounts: readonly Mount[]): string | undefined {
  const covering = [...mounts]
    .filter((m) => path === m.mountPath || path.startsWith(m.mountPath.replace(/\/$/, '') + '/'))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  return covering && join(covering.hostPath, path.slice(covering.mountPath.length));
}

function imagePATH(hostPATH: string, nodePath: string): string {
  const dirs = [...IMAGE_PATH.split(':'), dirname(nodePath), ...hostPATH.split(':')].filter(Boolean);
  return [...new Set(dirs)].join(':');
}

export function processSpec(input: LaunchInput): ProcessSpec {
  const { launch, mounts, termination, useNamespace } = input;
  const env: Record<string, string> = {
    PATH: imagePATH(input.hostPATH, input.nodePath),
    HOSTNAME: input.hostname,
    HOME: '/root',
    ...(launch.kind === 'exec' ? launch.env : {}),
    ...input.env,
  };
  env.POD_IP ??= input.podIP;
  const workingDir = input.workingDir ?? (launch.kind === 'exec' ? launch.workingDir : undefined);

  if (launch.kind === 'builtin') {
    const web: WebServerEnv = {
      MINI_KUBE_WEB_MODE: launch.server,
      MINI_KUBE_WEB_HOST: input.podIP,
      MINI_KUBE_WEB_PORT: String(launch.port),
      ...(launch.text !== undefined ? { MINI_KUBE_WEB_TEXT: launch.text } : {}),
    };
    const root = launch.docRoot && hostPathFor(launch.docRoot, mounts);
    if (root) web.MINI_KUBE_WEB_ROOT = root;
    return { argv: [input.nodePath, input.webScript], env: { ...env, ...web }, cwd: input.rootView };
  }

  const argv = [hostProgram(launch.argv[0]!, input.nodePath), ...launch.argv.slice(1)];
  const all: Mount[] = [...mounts, { mountPath: termination.path, hostPath: termination.hostFile, readOnly: false }];
  if (useNamespace) {
    // The working dir is entered after the mounts are made, as it may lie in a volume.
    const inner = workingDir ? ['/bin/sh', '-c', 'mkdir -p "$0" && cd "$0" && exec "$@"', workingDir, ...argv] : argv;
    return { argv: wrapForMounts(inner, all, true), env, cwd: input.rootView };
  }
  env[ROOT_ENV] = input.rootView;
  // A working dir missing on the host is made inside the root view rather than on the host.
  const cwd = workingDir ? (hostPathFor(workingDir, mounts) ?? (existsSync(workingDir) ? workingDir : join(input.rootView, workingDir))) : input.rootView;
  return { argv, env, cwd, rootViewMounts: all };
}
