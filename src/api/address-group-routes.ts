// /v2.0/address-groups: Neutron's address-group extension, with its add_addresses and remove_addresses actions.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/index.js';
import { asInteger, asString } from './filter-converters.js';
import { selectFields } from './list-query.js';
import { readCreateBody, readIfMatch, readUpdateBody, refuseBody, type ResourceShape } from './request-body.js';
import { idParam, listQuery, query, refuseMethods, sendList } from './route-helpers.js';
import { addressGroupToWire } from './wire-mappers.js';

const SHAPE: ResourceShape = {
  singular: 'address_group',
  plural: 'address_groups',
  attributes: {
    post: ['name', 'description', 'addresses', 'project_id', 'tenant_id'],
    put: ['name', 'description'],
    readOnly: ['id', 'revision_number', 'created_at', 'updated_at'],
  },
};

/** Neutron's filters and sort keys for address groups (`addresses` is neither). */
const LIST = {
  collection: 'address_groups',
  filters: { id: asString, name: asString, description: asString, project_id: asString, tenant_id: asString, revision_number: asInteger },
  sortable: ['id', 'name', 'description', 'project_id', 'tenant_id'],
};

const TAGS = { tags: ['address-groups'] };

function draft(i: Record<string, unknown>) {
  return { name: i['name'], description: i['description'], addresses: i['addresses'], projectId: i['project_id'], tenantId: i['tenant_id'] };
}

export function registerAddressGroupRoutes(app: FastifyInstance, services: Services): void {
  const groups = services.addressGroups;

  app.get('/v2.0/address-groups', { schema: { ...TAGS, summary: 'List address groups' } }, async (request, reply) => {
    const parsed = listQuery(request, LIST);
    const page = await groups.list(request.palisade, parsed);
    return sendList(request, reply, { ...page, items: page.items.map(addressGroupToWire) }, parsed, LIST);
  });
  app.post('/v2.0/address-groups', { schema: { ...TAGS, summary: 'Create an address group (single or bulk)' } }, async (request, reply) => {
    const { items, bulk } = readCreateBody(SHAPE, request.body);
    const created = (await groups.create(request.palisade, items.map(draft))).map(addressGroupToWire);
    void reply.status(201).send(bulk ? { address_groups: created } : { address_group: created[0] });
  });
  app.get('/v2.0/address-groups/:id', { schema: { ...TAGS, summary: 'Show an address group' } }, async (request) => ({
    address_group: selectFields(addressGroupToWire(await groups.get(request.palisade, idParam(request))), query(request)),
  }));
  app.put('/v2.0/address-groups/:id', { schema: { ...TAGS, summary: 'Update an address group' } }, async (request) => ({
    address_group: addressGroupToWire(await groups.update(
      request.palisade, idParam(request), draft(readUpdateBody(SHAPE, request.body)), readIfMatch(request.headers['if-match']),
    )),
  }));
  app.delete('/v2.0/address-groups/:id', { schema: { ...TAGS, summary: 'Delete an address group' } }, async (request, reply) => {
    refuseBody(request.body);
    await groups.delete(request.palisade, idParam(request), readIfMatch(request.headers['if-match']));
    void reply.status(204).send();
  });
  refuseMethods(app, '/v2.0/address-groups/:id', ['POST', 'PATCH']);

  app.put('/v2.0/address-groups/:id/add_addresses', { schema: { ...TAGS, summary: 'Add addresses to an address group' } }, async (request) => ({
    address_group: addressGroupToWire(await groups.addAddresses(request.palisade, idParam(request), request.body)),
  }));
  app.put('/v2.0/address-groups/:id/remove_addresses', { schema: { ...TAGS, summary: 'Remove addresses from an address group' } }, async (request) => ({
    address_group: addressGroupToWire(await groups.removeAddresses(request.palisade, idParam(request), request.body)),
  }));
  for (const action of ['add_addresses', 'remove_addresses']) refuseMethods(app, `/v2.0/address-groups/:id/${action}`, ['POST', 'PATCH', 'DELETE']);
}
