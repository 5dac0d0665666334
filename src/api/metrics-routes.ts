// Prometheus metrics on the API listener: request counts and latencies per route pattern, and GET /metrics behind a token.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../domain/index.js';
import type { ServerMetrics } from '../service/index.js';
import type { Authenticator } from './request-context-plugin.js';

export interface MetricsOptions {
  readonly metrics: ServerMetrics;
  /** PALISADE_METRICS_TOKEN: a bearer token a scraper sends instead of an admin's token. */
  readonly token?: string | undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The scrape token, or else a caller the API's authenticator finds to be an admin. */
async function mayScrape(request: FastifyRequest, authenticate: Authenticator, token: string | undefined): Promise<void> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (token !== undefined && bearer !== undefined && sameSecret(bearer, token)) return;
  if (bearer !== undefined && request.headers['x-auth-token'] === undefined) {
    throw new UnauthenticatedError('HTTPUnauthorized', 'The metrics token is not valid.');
  }
  const context = await authenticate(request);
  if (!context.isAdmin) throw new ForbiddenError('PolicyNotAuthorized', 'Rule:get_metrics is disallowed by policy');
}

export function registerMetrics(app: FastifyInstance, options: MetricsOptions, authenticate: Authenticator): void {
  const { metrics } = options;
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern (`/v2.0/ports/:id`), never the URL: one series per route, not per object.
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    metrics.httpRequests.inc({ route, method: request.method, status });
    metrics.httpDuration.observe({ route, method: request.method, status_class: `${status[0]}xx` }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) metrics.httpErrors.inc({ route, method: request.method, status });
  });
  app.get('/metrics', { schema: { tags: ['meta'], summary: 'Prometheus metrics (admin or the metrics token)' } }, async (request, reply) => {
    await mayScrape(request, authenticate, options.token);
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
