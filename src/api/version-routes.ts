// Version discovery (`GET /`, `GET /v2.0`) that keystoneauth-based clients read first, and health.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { publicUrl } from './public-url.js';

const RESOURCES = ['security-groups', 'security-group-rules', 'ports', 'networks', 'subnets', 'quotas', 'extensions'];


export function registerVersionRoutes(app: FastifyInstance): void {
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
}
