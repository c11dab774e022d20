// `cluster-info`: the control plane address and services labelled as cluster services.
import type { Ctx } from '../context.js';

export async function run(ctx: Ctx): Promise<number> {
  const server = ctx.http.conn.server;
  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const paint = (code: number, s: string) => (color ? `\u001b[0;${code}m${s}\u001b[0m` : s);
  const services = await ctx.http.json('GET', '/api/v1/namespaces/kube-system/services', { query: { labelSelector: 'kubernetes.io/cluster-service=true' } });
  ctx.out(`${paint(32, 'Kubernetes control plane')} is running at ${paint(33, server)}\n`);
  for (const svc of services.items ?? []) {
    const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name;
    ctx.out(`${paint(32, name)} is running at ${paint(33, `${server}/api/v1/namespaces/kube-system/services/${svc.metadata.name}/proxy`)}\n`);
  }
  ctx.out("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n");
  return 0;
}
