// The files of configMap, secret, downwardAPI and projected volumes (the kubelet's volume plugins'
// MakePayload): keys or items with their paths and modes, downward API fields rendered as text.
import type { Container, DownwardAPIVolumeFile, KeyToPath, Pod, Volume, VolumeProjection } from 'kubernetes-types/core/v1';
import type { ConfigSource } from './env.js';
import { fieldRefValue, resourceFieldValue, type PodNetwork } from './env-fieldpath.js';
import type { Payload } from './volumes-writer.js';

const DEFAULT_MODE = 0o644;

/** A failure the kubelet reports as FailedMount: `MountVolume.SetUp failed for volume "v" : ...`. */
export class MountError extends Error {}

async function keysPayload(
  payload: Payload,
  source: ConfigSource,
  kind: 'configmap' | 'secret',
  ref: { name?: string; items?: KeyToPath[]; optional?: boolean },
  defaultMode: number,
): Promise<void> {
  const data = await source.data(kind, ref.name ?? '');
  if (!data) {
    if (ref.optional) return;
    throw new MountError(`${kind} "${ref.name}" not found`);
  }
  if (!ref.items?.length) {
    for (const [key, value] of Object.entries(data)) payload.set(key, { content: Buffer.from(value), mode: defaultMode });
    return;
  }
  for (const item of ref.items) {
    if (!(item.key in data)) {
      if (ref.optional) continue;
      throw new MountError(`${kind} references non-existent config key: ${item.key}`);
    }
    payload.set(item.path, { content: Buffer.from(data[item.key]!), mode: item.mode ?? defaultMode });
  }
}

function downwardPayload(payload: Payload, items: DownwardAPIVolumeFile[], pod: Pod, net: PodNetwork, defaultMode: number): void {
  for (const item of items) {
    let value = '';
    if (item.fieldRef) value = fieldRefValue(item.fieldRef, pod, net);
    else if (item.resourceFieldRef) {
      const container: Container | undefined = pod.spec?.containers.find((c) => c.name === item.resourceFieldRef!.containerName);
      if (!container) throw new MountError(`container ${item.resourceFieldRef.containerName} not found in pod`);
      value = resourceFieldValue(item.resourceFieldRef, container);
    }
    payload.set(item.path, { content: Buffer.from(value), mode: item.mode ?? defaultMode });
  }
}

async function projectionPayload(payload: Payload, p: VolumeProjection, pod: Pod, net: PodNetwork, source: ConfigSource, defaultMode: number): Promise<void> {
  if (p.configMap) await keysPayload(payload, source, 'configmap', p.configMap, defaultMode);
  else if (p.secret) await keysPayload(payload, source, 'secret', p.secret, defaultMode);
  else if (p.downwardAPI) downwardPayload(payload, p.downwardAPI.items ?? [], pod, net, defaultMode);
  // serviceAccountToken and clusterTrustBundle sources are not served here.
}

/** The payload of a file-backed volume, or undefined for a volume of another type. */
export async function volumePayload(volume: Volume, pod: Pod, net: PodNetwork, source: ConfigSource): Promise<Payload | undefined> {
  const payload: Payload = new Map();
  if (volume.configMap) await keysPayload(payload, source, 'configmap', volume.configMap, volume.configMap.defaultMode ?? DEFAULT_MODE);
  else if (volume.secret) {
    const s = volume.secret;
    await keysPayload(payload, source, 'secret', { name: s.secretName, items: s.items, optional: s.optional }, s.defaultMode ?? DEFAULT_MODE);
  } else if (volume.downwardAPI) downwardPayload(payload, volume.downwardAPI.items ?? [], pod, net, volume.downwardAPI.defaultMode ?? DEFAULT_MODE);
  else if (volume.projected) {
    for (const p of volume.projected.sources ?? []) await projectionPayload(payload, p, pod, net, source, volume.projected.defaultMode ?? DEFAULT_MODE);
  } else return undefined;
  return payload;
}
