// pods/log served by the node's kubelet: the Node object gives its InternalIP and the kubelet's
// port (status.daemonEndpoints.kubeletEndpoint.Port); the log is fetched over plain HTTP and its
// body streamed through. A kubelet's error is its Status, passed on as such.
import { request, type IncomingMessage } from 'node:http';
import { findResource, type KObject } from '@mini-kube/api';
import { StatusError } from '@mini-kube/machinery';
import type { Registry } from '../registry/registry.js';
import type { PodLogSource } from './pods.js';

const NODES = findResource('', 'v1', 'nodes')!;

interface NodeLike {
  status?: { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
}

/** `http://<InternalIP>:<port>` of the kubelet of `nodeName`. */
export async function kubeletAddress(registry: Registry, nodeName: string): Promise<string> {
  const node = (await registry.get(NODES, undefined, nodeName)) as KObject & NodeLike;
  const ip = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!ip || !port) throw new StatusError(503, 'ServiceUnavailable', `node "${nodeName}" has no kubelet endpoint`);
  return `http://${ip}:${port}`;
}

function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET' }, resolve);
    req.on('error', (err) => reject(new StatusError(500, 'InternalError', `Get "${url}": ${err.message}`)));
    req.end();
  });
}

async function errorOf(res: IncomingMessage): Promise<StatusError> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  try {
    const status = JSON.parse(text) as { code?: number; reason?: string; message?: string };
    return new StatusError(status.code ?? res.statusCode ?? 500, (status.reason ?? 'InternalError'), status.message ?? text);
  } catch {
    return new StatusError(res.statusCode ?? 500, 'InternalError', text);
  }
}

/** The PodLogSource that asks the kubelet of the pod's node. */
export function kubeletLogSource(registry: Registry): PodLogSource {
  return async (pod, options) => {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    const base = await kubeletAddress(registry, nodeName);
    const query = new URLSearchParams(Object.entries(options).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'container'));
    const path = ['containerLogs', pod.metadata.namespace ?? '', pod.metadata.name ?? '', options.container ?? ''].map(encodeURIComponent).join('/');
    const res = await get(`${base}/${path}?${query}`);
    if (res.statusCode !== 200) throw await errorOf(res);
    return res;
  };
}
