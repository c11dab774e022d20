// The API server: Fastify routes for health, version, discovery, OpenAPI and every resource path.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Store } from '@mini-kube/store';
import { StatusError } from '@mini-kube/machinery';
import { bootstrap } from './bootstrap.js';
import {
  AGGREGATED_DISCOVERY_TYPE,
  aggregatedDiscovery,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  resourceList,
  wantsAggregated,
} from './discovery.js';
import { MAX_BODY_BYTES } from './http/body.js';
import { execUpgradeHandler, rejectUpgrade } from './exec/proxy.js';
import { portForwardUpgradeHandler } from './portforward/upgrade.js';
import { registerMetricsRoutes } from './metrics/routes.js';
import { toStatusError } from './http/errors.js';
import { parseRequestPath, type DiscoveryRequest } from './http/request-info.js';
import { handleResource } from './http/resources.js';
import { openapiV3DocumentJson, openapiV3IndexJson } from './openapi/index.js';
import { NamespaceFinalizer } from './registry/namespaces.js';
import type { AdmissionOptions } from './registry/admission.js';
import { DEFAULT_SERVICE_CIDR } from './registry/allocators.js';
import { Registry } from './registry/registry.js';
import type { PodLogSource } from './subresources/pods.js';
import { KUBERNETES_VERSION } from './version.js';

export interface ApiServerOptions {
  store: Store;
  /** Where pod logs are read from; absent until node agents run. */
  podLogs?: PodLogSource;
  now?: () => Date;
  /** The range cluster IPs are allocated from (default 127.96.0.0/12). */
  serviceCIDR?: string;
  /** Configurable admission (default tolerations). */
  admission?: Partial<AdmissionOptions>;
  /** How often a watch that allows bookmarks gets one (default 1 minute). */
  watchBookmarkIntervalMs?: number;
  /** Fastify's logger option (pino); off by default. */
  logger?: boolean | { level: string };
}

const notFound = (): StatusError => new StatusError(404, 'NotFound', 'the server could not find the requested resource');

export class ApiServer {
  readonly app: FastifyInstance;
  readonly registry: Registry;
  private readonly namespaces: NamespaceFinalizer;
  private ready = false;
  private address = '127.0.0.1:6443';
  private readonly serviceCIDR: string;

  constructor(private readonly options: ApiServerOptions) {
    this.serviceCIDR = options.serviceCIDR ?? DEFAULT_SERVICE_CIDR;
    this.registry = new Registry(options.store, { now: options.now, admission: options.admission, serviceCIDR: this.serviceCIDR });
    this.namespaces = new NamespaceFinalizer(this.registry);
    this.app = Fastify({
      logger: options.logger ?? false,
      bodyLimit: MAX_BODY_BYTES,
      // Watches and log streams stay open; closing the server must not wait for them.
      forceCloseConnections: true,
      return503OnClosing: true,
    });
    this.routes();
  }

  /** Listens, creates the system objects, and starts answering /readyz. Returns "host:port". */
  async listen(host: string, port: number): Promise<string> {
    await this.app.listen({ host, port });
    const bound = this.app.server.address();
    const actualPort = typeof bound === 'object' && bound ? bound.port : port;
    this.address = `${host}:${actualPort}`;
    await bootstrap(this.registry, { host, port: actualPort }, this.serviceCIDR);
    await this.namespaces.resume();
    this.ready = true;
    return this.address;
  }

  async close(): Promise<void> {
    this.ready = false;
    this.namespaces.stop();
    await this.app.close();
    this.registry.close();
  }

  private routes(): void {
    const app = this.app;
    app.removeAllContentTypeParsers();
    // Bodies are decoded per request (JSON, YAML, protobuf, patches); `PUT .../scale` comes with no
    // Content-Type at all, which the catch-all also takes.
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.setErrorHandler((err, _req, reply) => {
      const status = toStatusError(err);
      if (status.code >= 500) app.log.error(err);
      if (reply.raw.headersSent) return;
      void reply.code(status.code).type('application/json').send(status.toStatus());
    });
    app.setNotFoundHandler((_req, reply) => {
      void reply.code(404).type('application/json').send(notFound().toStatus());
    });

    app.get('/version', async () => KUBERNETES_VERSION);
    const health = async (_req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      if (!this.ready) return reply.code(503).type('text/plain').send('not ready: starting');
      return reply.type('text/plain').send('ok');
    };
    app.get('/healthz', health);
    app.get('/livez', async (_req, reply) => reply.type('text/plain').send('ok'));
    app.get('/readyz', health);

    app.get('/openapi/v3', async (_req, reply) => reply.type('application/json').send(openapiV3IndexJson()));
    app.get('/openapi/v3/*', async (req, reply) => {
      const doc = openapiV3DocumentJson((req.params as { '*': string })['*']);
      if (!doc) throw notFound();
      return reply.type('application/json').send(doc);
    });

    const dispatch = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const info = parseRequestPath(req.url.split('?')[0]!);
      if (info.discovery) {
        if (req.method !== 'GET') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
        return this.discovery(req, reply, info);
      }
      const deps = { registry: this.registry, podLogs: this.options.podLogs, bookmarkIntervalMs: this.options.watchBookmarkIntervalMs };
      return handleResource(deps, req, reply, info);
    };
    for (const url of ['/api', '/api/*', '/apis', '/apis/*']) app.all(url, dispatch);
    registerMetricsRoutes(app, this.registry, this.options.now);
    // Upgrades (kubectl exec's WebSocket) bypass the routes above.
    const exec = execUpgradeHandler(this.registry);
    const portForward = portForwardUpgradeHandler(this.registry);
    app.addHook('preClose', (done) => (portForward.closeAll(), done()));
    app.server.on('upgrade', (req, socket, head) => {
      if (!exec(req, socket, head) && !portForward(req, socket, head)) rejectUpgrade(socket, notFound());
    });
  }

  private discovery(req: FastifyRequest, reply: FastifyReply, info: DiscoveryRequest): unknown {
    const { group, version } = info.discovery;
    const url = req.url.split('?')[0]!.replace(/\/+$/, '');
    if (url === '/api' || url === '/apis') {
      if (wantsAggregated(req.headers.accept)) {
        // With a charset present Fastify sends the type verbatim; without, it re-serializes the
        // parameters quoted (g="apidiscovery.k8s.io"), which is not the media type clients compare.
        return reply.type(`${AGGREGATED_DISCOVERY_TYPE};charset=utf-8`).send(aggregatedDiscovery(url === '/api'));
      }
      return url === '/api' ? legacyApiVersions(this.address) : legacyGroupList();
    }
    const doc = version === undefined ? legacyGroup(group!) : resourceList(group ?? '', version);
    if (!doc) throw notFound();
    return doc;
  }
}
