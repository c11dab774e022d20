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
import { METRICS_GROUP, registerMetricsRoutes } from './metrics/routes.js';
import { toStatusError } from './http/errors.js';
import { jsonAnswer, type Answer, type Exchange } from './http/exchange.js';
import { exchangeOf, sendAnswer } from './http/fastify-answer.js';
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
const METRICS_PREFIX = `/apis/${METRICS_GROUP}`;

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

  /**
   * Answers a request that did not come over HTTP (the daemon's in-process transport), as the same
   * request over HTTP would be answered: failures as a Status. The resource and discovery paths go
   * straight to their handlers; the others (metrics, version, health) through Fastify's `inject`.
   */
  async serve(ex: Exchange): Promise<Answer> {
    if (!isApiPath(ex.path) || ex.path.startsWith(METRICS_PREFIX)) return this.inject(ex);
    try {
      return await this.answer(ex);
    } catch (err) {
      const status = this.failure(err);
      return jsonAnswer(status.code, JSON.stringify(status.toStatus()));
    }
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
      const status = this.failure(err);
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

    const dispatch = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => sendAnswer(reply, await this.answer(exchangeOf(req)));
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

  /** The answer to a request under /api or /apis; throws what fails. */
  private answer(ex: Exchange): Promise<Answer> | Answer {
    const info = parseRequestPath(ex.path);
    if (info.discovery) {
      if (ex.method !== 'GET') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return this.discovery(ex, info);
    }
    const deps = { registry: this.registry, podLogs: this.options.podLogs, bookmarkIntervalMs: this.options.watchBookmarkIntervalMs };
    return handleResource(deps, ex, info);
  }

  private discovery(ex: Exchange, info: DiscoveryRequest): Answer {
    const { group, version } = info.discovery;
    const path = ex.path.replace(/\/+$/, '');
    if (path === '/api' || path === '/apis') {
      const accept = ex.headers.accept;
      if (wantsAggregated(Array.isArray(accept) ? accept[0] : accept)) {
        // With a charset present Fastify sends the type verbatim; without, it re-serializes the
        // parameters quoted (g="apidiscovery.k8s.io"), which is not the media type clients compare.
        const body = JSON.stringify(aggregatedDiscovery(path === '/api'));
        return { code: 200, contentType: `${AGGREGATED_DISCOVERY_TYPE};charset=utf-8`, body };
      }
      return jsonAnswer(200, JSON.stringify(path === '/api' ? legacyApiVersions(this.address) : legacyGroupList()));
    }
    const doc = version === undefined ? legacyGroup(group!) : resourceList(group ?? '', version);
    if (!doc) throw notFound();
    return jsonAnswer(200, JSON.stringify(doc));
  }

  /** The Status of a failure; server errors are logged. */
  private failure(err: unknown): StatusError {
    const status = toStatusError(err);
    if (status.code >= 500) this.app.log.error(err);
    return status;
  }

  /** A request through Fastify's routes without a socket (the paths `serve` has no handler of its own for). */
  private async inject(ex: Exchange): Promise<Answer> {
    const res = await this.app.inject({
      method: ex.method as 'GET',
      url: ex.path,
      query: ex.query as Record<string, string | string[]>,
      headers: ex.headers as Record<string, string>,
      ...(ex.body !== undefined ? { payload: ex.body } : {}),
    });
    const { 'content-type': contentType, ...headers } = res.headers;
    return { code: res.statusCode, contentType: String(contentType ?? 'application/json'), headers: definedHeaders(headers), body: res.rawPayload };
  }
}

function isApiPath(path: string): boolean {
  return path === '/api' || path === '/apis' || path.startsWith('/api/') || path.startsWith('/apis/');
}

function definedHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'date') {
      out[name] = typeof value === 'number' ? String(value) : value;
    }
  }
  return out;
}
