// Version discovery (`GET /`, `GET /v2.0`) that keystoneauth-based clients read first, and health.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../service/index.js';
import { publicUrl } from './public-url.js';

const RESOURCES = ['security-groups', 'security-group-rules', 'ports', 'networks', 'subnets', 'quotas', 'extensions'];


/** Default bound of /readyz on how far this replica's caches may trail the change log. */
export const DEFAULT_READY_MAX_LAG = 1000;

export function registerVersionRoutes(app: FastifyInstance, services: Services, readyMaxLag = DEFAULT_READY_MAX_LAG): void {
  const schema = { schema: { tags: ['meta'], summary: 'Version discovery' } };
  const versions = (request: FastifyRequest) => ({
    versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${publicUrl(request)}/v2.0/`, rel: 'self' }] }],
  });
  // Browsers asking for HTML at `/` get the console instead (see console-static.ts).
  app.get('/', schema, async (request) => versions(request));
  app.get('/v2.0', schema, async (request) => ({
    resources: RESOURCES.map((r) => ({
      name: r.replace(/-/g, '_').replace(/s$/, ''),
      collection: r.replace(/-/g, '_'),
      links: [{ href: `${publicUrl(request)}/v2.0/${r}`, rel: 'self' }],
    })),
  }));
  app.get('/healthz', { schema: { tags: ['meta'], summary: 'Liveness' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['meta'], summary: 'Readiness: database, migrations, change log' } }, async (_request, reply) => {
    const readiness = await services.readiness(readyMaxLag);
    reply.code(readiness.ready ? 200 : 503);
    return { status: readiness.ready ? 'ready' : 'not ready', ...readiness };
  });
}
