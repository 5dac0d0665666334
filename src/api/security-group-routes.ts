// /v2.0/security-groups and its /tags sub-resource (neutron-api.md §4.1, §4.3).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/index.js';
import { asBoolean, asInteger, asString } from './filter-converters.js';
import { selectFields } from './list-query.js';
import { readCreateBody, readIfMatch, readUpdateBody, refuseBody, type ResourceShape } from './request-body.js';
import { idParam, listQuery, query, refuseMethods, sendList } from './route-helpers.js';
import { groupViewToWire } from './wire-mappers.js';

const SHAPE: ResourceShape = {
  singular: 'security_group',
  plural: 'security_groups',
  attributes: {
    post: ['name', 'description', 'stateful', 'project_id', 'tenant_id'],
    put: ['name', 'description', 'stateful'],
    readOnly: ['id', 'shared', 'tags', 'security_group_rules', 'revision_number', 'created_at', 'updated_at'],
  },
};

const LIST = {
  collection: 'security_groups',
  filters: {
    id: asString, name: asString, description: asString, project_id: asString, tenant_id: asString,
    stateful: asBoolean, shared: asBoolean, revision_number: asInteger,
  },
  sortable: ['id', 'name', 'project_id', 'tenant_id'],
  tagged: true,
};

const TAGS = { tags: ['security-groups'] };

export function registerSecurityGroupRoutes(app: FastifyInstance, services: Services): void {
  const groups = services.securityGroups;

  app.get('/v2.0/security-groups', { schema: { ...TAGS, summary: 'List security groups' } }, async (request, reply) => {
    const parsed = listQuery(request, LIST);
    const page = await groups.list(request.palisade, parsed);
    return sendList(request, reply, { ...page, items: page.items.map(groupViewToWire) }, parsed, LIST);
  });

  app.post('/v2.0/security-groups', { schema: { ...TAGS, summary: 'Create security groups (single or bulk)' } }, async (request, reply) => {
    const { items, bulk } = readCreateBody(SHAPE, request.body);
    const created = await groups.create(
      request.palisade,
      items.map((i) => ({ name: i['name'], description: i['description'], stateful: i['stateful'], projectId: i['project_id'], tenantId: i['tenant_id'] })),
    );
    const wire = created.map(groupViewToWire);
    void reply.status(201).send(bulk ? { security_groups: wire } : { security_group: wire[0] });
  });

  app.get('/v2.0/security-groups/:id', { schema: { ...TAGS, summary: 'Show a security group' } }, async (request) => {
    const view = await groups.get(request.palisade, idParam(request));
    return { security_group: selectFields(groupViewToWire(view), query(request)) };
  });

  app.put('/v2.0/security-groups/:id', { schema: { ...TAGS, summary: 'Update a security group' } }, async (request) => {
    const body = readUpdateBody(SHAPE, request.body);
    const view = await groups.update(
      request.palisade,
      idParam(request),
      { name: body['name'], description: body['description'], stateful: body['stateful'] },
      readIfMatch(request.headers['if-match']),
    );
    return { security_group: groupViewToWire(view) };
  });

  app.delete('/v2.0/security-groups/:id', { schema: { ...TAGS, summary: 'Delete a security group' } }, async (request, reply) => {
    refuseBody(request.body);
    await groups.delete(request.palisade, idParam(request), readIfMatch(request.headers['if-match']));
    void reply.status(204).send();
  });
  refuseMethods(app, '/v2.0/security-groups/:id', ['POST', 'PATCH']);
  registerTagRoutes(app, services);
}

function readTagsBody(body: unknown, services: Services): string[] {
  const tags = typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 1 ? (body as { tags?: unknown }).tags : undefined;
  return services.securityGroups.parseTags(tags);
}

function registerTagRoutes(app: FastifyInstance, services: Services): void {
  const groups = services.securityGroups;
  const base = '/v2.0/security-groups/:id/tags';
  const schema = { schema: { ...TAGS, summary: 'Tags of a security group' } };

  app.get(base, schema, async (request) => ({ tags: await groups.getTags(request.palisade, idParam(request)) }));
  app.put(base, schema, async (request) => {
    const tags = readTagsBody(request.body, services);
    return { tags: await groups.editTags(request.palisade, idParam(request), () => tags) };
  });
  app.post(base, schema, async (request) => {
    const tags = readTagsBody(request.body, services);
    await groups.editTags(request.palisade, idParam(request), (current) => [...current, ...tags.filter((t) => !current.includes(t))]);
    return { tags };
  });
  app.delete(base, schema, async (request, reply) => {
    await groups.editTags(request.palisade, idParam(request), () => []);
    void reply.status(204).send();
  });
  app.get(`${base}/:tag`, schema, async (request, reply) => {
    const tag = idParam(request, 'tag');
    const tags = await groups.getTags(request.palisade, idParam(request));
    if (!tags.includes(tag)) return reply.status(404).send(tagNotFound(tag, idParam(request)));
    void reply.status(204).send();
  });
  app.put(`${base}/:tag`, schema, async (request, reply) => {
    const tag = idParam(request, 'tag');
    await groups.editTags(request.palisade, idParam(request), (current) => (current.includes(tag) ? current : [...current, tag]));
    void reply.status(201).send();
  });
  app.delete(`${base}/:tag`, schema, async (request, reply) => {
    const tag = idParam(request, 'tag');
    const tags = await groups.getTags(request.palisade, idParam(request));
    if (!tags.includes(tag)) return reply.status(404).send(tagNotFound(tag, idParam(request)));
    await groups.editTags(request.palisade, idParam(request), (current) => current.filter((t) => t !== tag));
    void reply.status(204).send();
  });
}

function tagNotFound(tag: string, id: string) {
  return { NeutronError: { type: 'TagNotFound', message: `Tag ${tag} could not be found for resource ${id}.`, detail: '' } };
}
