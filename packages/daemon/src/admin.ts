// Admin hooks of the daemon, beside the Kubernetes API (not part of it): used by tests and demos to
// simulate failures, e.g. a node that stops heartbeating.
import type { FastifyInstance } from 'fastify';
import type { ClusterHandle } from './cluster-thread.js';

export function registerAdminRoutes(app: FastifyInstance, cluster: () => ClusterHandle | undefined): void {
  // POST /debug/mini-kube/nodes/<name>/heartbeat?enabled=false stops the node's lease renewals and status
  // updates (the node goes NotReady after the grace period); enabled=true resumes them.
  app.post('/debug/mini-kube/nodes/:name/heartbeat', async (req, reply) => {
    const { name } = req.params as { name: string };
    const enabled = (req.query as { enabled?: string }).enabled !== 'false';
    const running = cluster();
    if (!running?.nodes.has(name)) return reply.code(404).send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `node "${name}" is not run by this daemon`, reason: 'NotFound', code: 404 });
    running.setHeartbeat(name, enabled);
    return { node: name, heartbeat: enabled };
  });
}
