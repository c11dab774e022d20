// Dials one forwarded connection through the kubelet of the pod's node: an HTTP upgrade to
// `/portForward/{namespace}/{pod}?port=N` (`Upgrade: tcp`) whose socket then carries the raw bytes.
// The kubelet refuses with a Status when it cannot reach the port; its message is what kubectl
// prints for the forwarded connection.
import { request, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

async function statusMessage(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text || `the kubelet answered ${res.statusCode}`;
  }
}

/** Opens `port` of pod `namespace/name` via the kubelet at `kubeletBase` (`http://IP:PORT`). */
export function dialThroughKubelet(kubeletBase: string, namespace: string, name: string, port: number): Promise<Duplex> {
  const path = `/portForward/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}?port=${port}`;
  return new Promise((resolve, reject) => {
    const req = request(`${kubeletBase}${path}`, { method: 'GET', headers: { Connection: 'Upgrade', Upgrade: 'tcp' } });
    req.on('upgrade', (_res, socket, head) => {
      if (head.length > 0) socket.unshift(head);
      resolve(socket);
    });
    req.on('response', (res) => void statusMessage(res).then((m) => reject(new Error(m)), reject));
    req.on('error', (err) => reject(new Error(`error dialing backend: ${err.message}`)));
    req.end();
  });
}
