// /v2.0/rbac-policies: sharing security groups with other projects (neutron-api.md §4.5, §12).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/index.js';
import { asString } from './filter-converters.js';
import { selectFields } from './list-query.js';
import { readCreateBody, readUpdateBody, refuseBody, type ResourceShape } from './request-body.js';
import { idParam, listQuery, query, refuseMethods, sendList } from './route-helpers.js';
import { rbacPolicyToWire } from './wire-mappers.js';

const SHAPE: ResourceShape = {
  singular: 'rbac_policy',
  plural: 'rbac_policies',
  attributes: {
    post: ['object_type', 'object_id', 'action', 'target_tenant', 'project_id', 'tenant_id'],
    put: ['target_tenant'],
    readOnly: ['id'],
  },
};

const LIST = {
  collection: 'rbac_policies',
  filters: {
    id: asString, object_type: asString, object_id: asString, action: asString,
    target_tenant: asString, project_id: asString, tenant_id: asString,
  },
  sortable: ['id', 'object_type', 'object_id', 'action', 'target_tenant', 'project_id', 'tenant_id'],
};

const TAGS = { tags: ['rbac-policies'] };

export function registerRbacPolicyRoutes(app: FastifyInstance, services: Services): void {
  const policies = services.rbacPolicies;

  app.get('/v2.0/rbac-policies', { schema: { ...TAGS, summary: 'List RBAC policies' } }, async (request, reply) => {
    const parsed = listQuery(request, LIST);
    const page = await policies.list(request.palisade, parsed);
    return sendList(request, reply, { ...page, items: page.items.map(rbacPolicyToWire) }, parsed, LIST);
  });

  app.post('/v2.0/rbac-policies', { schema: { ...TAGS, summary: 'Share a security group (single or bulk)' } }, async (request, reply) => {
    const { items, bulk } = readCreateBody(SHAPE, request.body);
    const created = await policies.create(request.palisade, items.map((i) => ({
      objectType: i['object_type'], objectId: i['object_id'], action: i['action'],
      targetTenant: i['target_tenant'], projectId: i['project_id'], tenantId: i['tenant_id'],
    })));
    const wire = created.map(rbacPolicyToWire);
    void reply.status(201).send(bulk ? { rbac_policies: wire } : { rbac_policy: wire[0] });
  });

  app.get('/v2.0/rbac-policies/:id', { schema: { ...TAGS, summary: 'Show an RBAC policy' } }, async (request) => ({
    rbac_policy: selectFields(rbacPolicyToWire(await policies.get(request.palisade, idParam(request))), query(request)),
  }));

  app.put('/v2.0/rbac-policies/:id', { schema: { ...TAGS, summary: 'Change the target project of an RBAC policy' } }, async (request) => {
    const body = readUpdateBody(SHAPE, request.body);
    return { rbac_policy: rbacPolicyToWire(await policies.update(request.palisade, idParam(request), body['target_tenant'])) };
  });

  app.delete('/v2.0/rbac-policies/:id', { schema: { ...TAGS, summary: 'Delete an RBAC policy' } }, async (request, reply) => {
    refuseBody(request.body);
    await policies.delete(request.palisade, idParam(request));
    void reply.status(204).send();
  });
  refuseMethods(app, '/v2.0/rbac-policies/:id', ['POST', 'PATCH']);
}
