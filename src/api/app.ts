// Builds the Fastify application: Neutron body and error handling, auth, every route, OpenAPI.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { NotFoundError } from '../domain/index.js';
import type { Services } from '../service/index.js';
import { registerAddressGroupRoutes } from './address-group-routes.js';
import { registerAnalysisRoutes } from './analysis-routes.js';
import { DEFAULT_BODY_LIMIT, parseJsonBody } from './body-limits.js';
import { registerChangeRoutes } from './change-routes.js';
import { registerHostFeedRoutes } from './host-feed-routes.js';
import { registerDefaultRuleRoutes } from './default-rule-routes.js';
import { registerHistoryRoutes } from './history-routes.js';
import { registerCompression } from './compression.js';
import { registerExtensionRoutes } from './extension-routes.js';
import { registerMetrics, type MetricsOptions } from './metrics-routes.js';
import { registerNetworkRoutes } from './network-routes.js';
import { answerClientError, handleError, refuseConnect } from './neutron-errors.js';
import { registerPortRoutes } from './port-routes.js';
import { registerQuotaRoutes } from './quota-routes.js';
import { registerPublicUrl } from './public-url.js';
import { registerRbacPolicyRoutes } from './rbac-policy-routes.js';
import { methodNotAllowed } from './http-errors.js';
import { hasAnyRoute } from './route-helpers.js';
import { registerRequestContext, type Authenticator } from './request-context-plugin.js';
import { registerSecurityGroupRoutes } from './security-group-routes.js';
import { registerRuleSetRoutes } from './rule-set-routes.js';
import { registerSecurityGroupRuleRoutes } from './security-group-rule-routes.js';
import { registerUrlPolicy, rewriteRequestUrl } from './url-normalisation.js';
import { registerVersionRoutes } from './version-routes.js';

export interface AppOptions {
  readonly services: Services;
  readonly authenticate: Authenticator;
  readonly logger?: FastifyServerOptions['logger'];
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
  /** Base of every URL the API hands out (catalogs, links); see public-url.ts for the default. */
  readonly publicUrl?: () => string;
  /** Extra route plugins (the engine's analysis routes, the console) registered after the core. */
  readonly plugins?: readonly ((app: FastifyInstance) => Promise<void> | void)[];
  /** Request metrics and GET /metrics (admin or the metrics token); absent, neither. */
  readonly metrics?: MetricsOptions;
  /** /readyz fails while this replica's caches are more than this many changes behind the log. */
  readonly readyMaxLag?: number;
  /** PEM certificate and key: the listener speaks HTTPS. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.tls && { https: { cert: options.tls.cert, key: options.tls.key } }),
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // One canonical target for the router and the authenticator alike (url-normalisation.ts).
    rewriteUrl: rewriteRequestUrl,
    // Tags in paths may be 255 characters long; the router's default cap is 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    // Router-level refusals (malformed URL encoding, over-long path parameters) answer as Neutron errors too.
    frameworkErrors: handleError,
    // …and so do the HTTP parser's (oversized headers, garbage, unknown methods), written straight to the socket.
    clientErrorHandler: answerClientError,
    // Neutron's request ids (`req-<uuid>`): unique across replicas, so the audit can name a request.
    genReqId: () => `req-${randomUUID()}`,
  });
  registerUrlPolicy(app);
  registerPublicUrl(app, options.publicUrl);
  app.server.on('connect', refuseConnect);
  // Neutron does not rely on Content-Type: every body is JSON, whatever the client labels it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, parseJsonBody);
  // Route schemas document the API in OpenAPI; validation is done by the domain parsers, which
  // know Neutron's exact error types and wording (a generic schema error would not match them).
  app.setValidatorCompiler(() => () => true);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    const error = hasAnyRoute(app, request.url) ? methodNotAllowed(request.method) : new NotFoundError('HTTPNotFound', 'The resource could not be found.');
    handleError(error, request, reply);
  });
  // Fastify answers HEAD from every GET route; Neutron's API has no HEAD (neutron-api.md §1: 405).
  app.addHook('onRequest', async (request) => {
    if (request.method === 'HEAD' && request.url.startsWith('/v2.0/')) throw methodNotAllowed('HEAD');
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Palisade', description: 'Neutron-compatible security groups, policy engine and change feed', version: '0.1.0' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await registerCompression(app);
  registerRequestContext(app, options.authenticate);
  if (options.metrics) registerMetrics(app, options.metrics, options.authenticate);
  registerVersionRoutes(app, options.services, options.readyMaxLag);
  registerExtensionRoutes(app);
  registerSecurityGroupRoutes(app, options.services);
  registerRuleSetRoutes(app, options.services);
  registerSecurityGroupRuleRoutes(app, options.services);
  registerDefaultRuleRoutes(app, options.services);
  registerNetworkRoutes(app, options.services);
  registerPortRoutes(app, options.services);
  registerQuotaRoutes(app, options.services);
  registerRbacPolicyRoutes(app, options.services);
  registerAddressGroupRoutes(app, options.services);
  registerChangeRoutes(app, options.services);
  registerHostFeedRoutes(app, options.services);
  registerHistoryRoutes(app, options.services);
  registerAnalysisRoutes(app, options.services);
  for (const plugin of options.plugins ?? []) await plugin(app);
  return app;
}
