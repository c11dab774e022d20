// A pod's volumes as host directories: emptyDir in the sandbox, hostPath as is, configMap / secret /
// downwardAPI / projected written as files (and rewritten by a periodic resync, so updates reach
// running pods), persistentVolumeClaim as a per-claim directory under the data dir that outlives pods.
import { findResource, type KObject } from '@mini-kube/api';
import type { ApiClient } from '@mini-kube/client';
import { StatusError } from '@mini-kube/machinery';
import type { Container, PersistentVolume, PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1';
import { existsSync, statSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigSource } from './env.js';
import { MountError, volumePayload } from './volumes-payload.js';
import { writePayload } from './volumes-writer.js';

export { MountError } from './volumes-payload.js';

const PODS = findResource('', 'v1', 'pods')!;
const PVCS = findResource('', 'v1', 'persistentvolumeclaims')!;
const PVS = findResource('', 'v1', 'persistentvolumes')!;

export interface VolumeOptions {
  /** The daemon's data dir (claims live under `<dataDir>/volumes/<ns>/<claim>`); default: two levels above the sandbox (`<data-dir>/pods/<uid>`). */
  dataDir?: string;
}

export interface Mount {
  mountPath: string;
  hostPath: string;
  readOnly: boolean;
  subPath?: string;
}

const netOf = (pod: Pod) => ({ podIP: pod.status?.podIP ?? '', hostIP: pod.status?.hostIP ?? '' });
const is404 = (err: unknown): boolean => err instanceof StatusError && err.code === 404;

async function hostPathDir(volume: Volume): Promise<string> {
  const { path, type } = volume.hostPath!;
  const stat = existsSync(path) ? statSync(path) : undefined;
  if (type === 'DirectoryOrCreate' && !stat) await mkdir(path, { recursive: true, mode: 0o755 });
  else if (type === 'FileOrCreate' && !stat) {
    await mkdir(dirname(path), { recursive: true });
    await (await open(path, 'a', 0o644)).close();
  } else if (type === 'Directory' && !stat?.isDirectory()) throw new MountError(`hostPath type check failed: ${path} is not a directory`);
  else if (type === 'File' && !stat?.isFile()) throw new MountError(`hostPath type check failed: ${path} is not a file`);
  return path;
}

async function claimDir(pod: Pod, volume: Volume, client: ApiClient, dataDir: string): Promise<string> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const claimName = volume.persistentVolumeClaim!.claimName;
  let claim: PersistentVolumeClaim;
  try {
    claim = await client.get<PersistentVolumeClaim & KObject>(PVCS, claimName, { namespace });
  } catch (err) {
    if (is404(err)) throw new MountError(`persistentvolumeclaim "${claimName}" not found`);
    throw err;
  }
  // A bound local or hostPath volume (the local-path provisioner's) gives the directory; else a per-claim one.
  if (claim.spec?.volumeName) {
    try {
      const pv = await client.get<PersistentVolume & KObject>(PVS, claim.spec.volumeName);
      const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
      if (path) {
        await mkdir(path, { recursive: true });
        return path;
      }
    } catch (err) {
      if (!is404(err)) throw err;
    }
  }
  const dir = join(dataDir, 'volumes', namespace, claimName);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Writes (or rewrites) the file-backed volumes of `pod`; the others are left alone. */
async function writeFileVolumes(pod: Pod, sandboxDir: string, source: ConfigSource, dirs: Map<string, string>): Promise<void> {
  for (const volume of pod.spec?.volumes ?? []) {
    let payload;
    try {
      payload = await volumePayload(volume, pod, netOf(pod), source);
    } catch (err) {
      if (err instanceof MountError) err.message = `MountVolume.SetUp failed for volume "${volume.name}" : ${err.message}`;
      throw err;
    }
    if (!payload) continue;
    const dir = join(sandboxDir, 'volumes', volume.name);
    await writePayload(dir, payload);
    dirs.set(volume.name, dir);
  }
}

/** Creates every volume of `pod`; returns volume name → host directory. Throws MountError when one cannot be set up. */
export async function prepareVolumes(pod: Pod, sandboxDir: string, client: ApiClient, opts: VolumeOptions = {}): Promise<Map<string, string>> {
  const dataDir = opts.dataDir ?? resolve(sandboxDir, '..', '..');
  const dirs = new Map<string, string>();
  await writeFileVolumes(pod, sandboxDir, new ConfigSource(client, pod.metadata?.namespace ?? 'default'), dirs);
  for (const volume of pod.spec?.volumes ?? []) {
    if (dirs.has(volume.name)) continue;
    if (volume.emptyDir) {
      const dir = join(sandboxDir, 'volumes', volume.name);
      await mkdir(dir, { recursive: true, mode: 0o777 });
      dirs.set(volume.name, dir);
    } else if (volume.hostPath) dirs.set(volume.name, await hostPathDir(volume));
    else if (volume.persistentVolumeClaim) dirs.set(volume.name, await claimDir(pod, volume, client, dataDir));
    // Other volume types (nfs, csi...) have no local meaning: the mount is skipped.
  }
  return dirs;
}

/**
 * Rewrites the configMap / secret / downwardAPI / projected volumes of a running pod from the
 * current objects (the pod itself is re-read for its labels and annotations). Errors are left to
 * the caller; a pod gone meanwhile is not an error.
 */
export async function refreshVolumes(pod: Pod, sandboxDir: string, client: ApiClient): Promise<void> {
  let current: Pod;
  try {
    current = await client.get<Pod & KObject>(PODS, pod.metadata!.name!, { namespace: pod.metadata?.namespace });
  } catch (err) {
    if (is404(err)) return;
    throw err;
  }
  if (current.metadata?.uid !== pod.metadata?.uid) return;
  await writeFileVolumes(current, sandboxDir, new ConfigSource(client, pod.metadata?.namespace ?? 'default'), new Map());
}

/** Calls refreshVolumes every `intervalMs` (the kubelet's sync period is about a minute) until stopped. */
export function startVolumeResync(pod: Pod, sandboxDir: string, client: ApiClient, intervalMs = 10_000): () => void {
  const hasFiles = (pod.spec?.volumes ?? []).some((v) => v.configMap || v.secret || v.downwardAPI || v.projected);
  if (!hasFiles) return () => {};
  // The timer holds the pod's identity only: refreshVolumes reads the current pod.
  const { name, namespace, uid } = pod.metadata ?? {};
  const identity: Pod = { metadata: { name, namespace, uid } };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    refreshVolumes(identity, sandboxDir, client)
      .catch((err: unknown) => console.error(`volume resync of pod ${namespace}/${name}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The container's volumeMounts resolved to host paths (mounts of unknown volumes are skipped). */
export function mountsFor(container: Container, volumes: ReadonlyMap<string, string>): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const dir = volumes.get(vm.name);
    if (!dir) continue;
    const subPath = vm.subPath || undefined;
    mounts.push({ mountPath: vm.mountPath, hostPath: subPath ? join(dir, subPath) : dir, readOnly: vm.readOnly ?? false, ...(subPath ? { subPath } : {}) });
  }
  return mounts;
}
