// /v2.0/ports and NHN's /v2.0/security-group-ports (neutron-api.md §4.7, §13).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInputError, type Port } from '../domain/index.js';
import type { ListQuery, Services } from '../service/index.js';
import { asBoolean, asInteger, asString } from './filter-converters.js';
import { selectFields, values } from './list-query.js';
import { readCreateBody, readIfMatch, readUpdateBody, refuseBody, type ResourceShape } from './request-body.js';
import { idParam, listQuery, query, refuseMethods, sendList } from './route-helpers.js';
import type { PortWire } from '../contract/index.js';
import { portToWire } from './wire-mappers.js';

const UPDATABLE = [
  'name', 'description', 'fixed_ips', 'device_id', 'device_owner', 'binding:host_id', 'binding:profile', 'admin_state_up',
  'security_groups', 'port_security_enabled', 'allowed_address_pairs',
];

const SHAPE: ResourceShape = {
  singular: 'port',
  plural: 'ports',
  attributes: {
    post: [...UPDATABLE, 'network_id', 'mac_address', 'project_id', 'tenant_id'],
    put: UPDATABLE,
    readOnly: ['id', 'status', 'revision_number', 'created_at', 'updated_at'],
  },
};

const FILTERS = {
  id: asString, name: asString, description: asString, network_id: asString, mac_address: asString,
  device_id: asString, device_owner: asString, 'binding:host_id': asString, admin_state_up: asBoolean,
  status: asString, security_groups: asString, port_security_enabled: asBoolean,
  project_id: asString, tenant_id: asString, revision_number: asInteger,
};
const SORTABLE = ['id', 'name', 'network_id', 'mac_address', 'device_id', 'device_owner', 'project_id', 'tenant_id', 'status'];
const PORT_LIST = { collection: 'ports', filters: FILTERS, sortable: SORTABLE };
const GROUP_PORT_LIST = { collection: 'security_group_ports', filters: FILTERS, sortable: SORTABLE };
const TAGS = { tags: ['ports'] };

function draftOf(i: Record<string, unknown>) {
  return {
    networkId: i['network_id'], name: i['name'], description: i['description'], macAddress: i['mac_address'],
    fixedIps: i['fixed_ips'], deviceId: i['device_id'], deviceOwner: i['device_owner'], hostId: i['binding:host_id'], bindingProfile: i['binding:profile'],
    adminStateUp: i['admin_state_up'], securityGroups: i['security_groups'], portSecurityEnabled: i['port_security_enabled'],
    allowedAddressPairs: i['allowed_address_pairs'], projectId: i['project_id'], tenantId: i['tenant_id'],
  };
}

/** Neutron's `get_port:binding:host_id` and `get_port:binding:profile` are admin-only: a member sees (and filters on) no binding. */
function portView(request: FastifyRequest): (port: Port) => PortWire {
  if (request.palisade.isAdmin) return portToWire;
  return (port) => {
    const { 'binding:host_id': _host, 'binding:profile': _profile, ...rest } = portToWire(port);
    return rest;
  };
}

/** A member cannot see bindings, so a filter on one matches none of its ports (the id filter below is never an id). */
function memberSafe(request: FastifyRequest, parsed: ListQuery): ListQuery {
  if (request.palisade.isAdmin || !parsed.filters.some((f) => f.key === 'binding:host_id')) return parsed;
  return { ...parsed, filters: [...parsed.filters, { key: 'id', values: [] }] };
}

export function registerPortRoutes(app: FastifyInstance, services: Services): void {
  const ports = services.ports;

  app.get('/v2.0/ports', { schema: { ...TAGS, summary: 'List ports' } }, async (request, reply) => {
    const parsed = memberSafe(request, listQuery(request, PORT_LIST));
    const page = await ports.list(request.palisade, parsed);
    return sendList(request, reply, { ...page, items: page.items.map(portView(request)) }, parsed, PORT_LIST);
  });

  app.post('/v2.0/ports', { schema: { ...TAGS, summary: 'Create a port' } }, async (request, reply) => {
    const { items, bulk } = readCreateBody(SHAPE, request.body);
    const created = (await ports.createMany(request.palisade, items.map(draftOf))).map(portView(request));
    void reply.status(201).send(bulk ? { ports: created } : { port: created[0] });
  });

  app.get('/v2.0/ports/:id', { schema: { ...TAGS, summary: 'Show a port' } }, async (request) => ({
    port: selectFields(portView(request)(await ports.get(request.palisade, idParam(request))), query(request)),
  }));

  app.put('/v2.0/ports/:id', { schema: { ...TAGS, summary: 'Update a port' } }, async (request) => {
    const body = readUpdateBody(SHAPE, request.body);
    const port = await ports.update(request.palisade, idParam(request), draftOf(body), readIfMatch(request.headers['if-match']));
    return { port: portView(request)(port) };
  });

  app.delete('/v2.0/ports/:id', { schema: { ...TAGS, summary: 'Delete a port' } }, async (request, reply) => {
    refuseBody(request.body);
    await ports.delete(request.palisade, idParam(request), readIfMatch(request.headers['if-match']));
    void reply.status(204).send();
  });
  refuseMethods(app, '/v2.0/ports/:id', ['POST', 'PATCH']);

  app.get('/v2.0/security-group-ports', { schema: { tags: ['security-groups'], summary: 'Ports using a security group (NHN)' } }, async (request, reply) => {
    const q = query(request);
    const groupIds = values(q, 'security_group_id');
    if (groupIds.length === 0) {
      throw InvalidInputError.of('HTTPBadRequest', "Failed to parse request. Required query parameter 'security_group_id' not specified");
    }
    // Only whether the caller sees the group: its rules are not part of this answer.
    await services.securityGroups.find(request.palisade, groupIds[0]!);
    // The group is the path's subject, not a filter: links repeat the other parameters only.
    const { security_group_id: _ignored, ...rest } = q;
    const parsed = memberSafe(request, listQuery(request, GROUP_PORT_LIST, rest));
    const page = await ports.list(request.palisade, parsed, groupIds);
    return sendList(request, reply, { ...page, items: page.items.map(portView(request)) }, parsed, GROUP_PORT_LIST, rest);
  });
}
