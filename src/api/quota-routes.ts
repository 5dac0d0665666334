// /v2.0/quotas: limits per project for groups, rules, ports, networks, subnets, RBAC policies (neutron-api.md §4.6).
import type { FastifyInstance } from 'fastify';
import { InvalidInputError } from '../domain/index.js';
import type { Services } from '../service/index.js';
import { refuseBody } from './request-body.js';
import { idParam } from './route-helpers.js';

const TAGS = { tags: ['quotas'] };

function quotaBody(body: unknown): Record<string, unknown> {
  const quota = typeof body === 'object' && body !== null ? (body as { quota?: unknown }).quota : undefined;
  if (typeof quota !== 'object' || quota === null || Array.isArray(quota)) {
    throw InvalidInputError.of('HTTPBadRequest', "Unable to find 'quota' in request body");
  }
  return quota as Record<string, unknown>;
}

export function registerQuotaRoutes(app: FastifyInstance, services: Services): void {
  const quotas = services.quotas;
  app.get('/v2.0/quotas', { schema: { ...TAGS, summary: 'List non-default quotas' } }, async (request) => ({
    quotas: (await quotas.list(request.palisade)).map((q) => ({ ...q.quotas, project_id: q.projectId, tenant_id: q.projectId })),
  }));
  app.get('/v2.0/quotas/:id', { schema: { ...TAGS, summary: 'Show the quotas of a project' } }, async (request) => ({
    quota: await quotas.get(request.palisade, idParam(request)),
  }));
  app.get('/v2.0/quotas/:id/default', { schema: { ...TAGS, summary: 'Default quotas' } }, async (request) => ({
    quota: quotas.defaults(request.palisade, idParam(request)),
  }));
  app.get('/v2.0/quotas/:id/details', { schema: { ...TAGS, summary: 'Quota usage' } }, async (request) => ({
    quota: await quotas.details(request.palisade, idParam(request)),
  }));
  app.put('/v2.0/quotas/:id', { schema: { ...TAGS, summary: 'Update quotas (admin)' } }, async (request) => ({
    quota: await quotas.update(request.palisade, idParam(request), quotaBody(request.body)),
  }));
  app.delete('/v2.0/quotas/:id', { schema: { ...TAGS, summary: 'Reset quotas to defaults (admin)' } }, async (request, reply) => {
    refuseBody(request.body);
    await quotas.reset(request.palisade, idParam(request));
    void reply.status(204).send();
  });
}
