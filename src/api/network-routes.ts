// /v2.0/networks and /v2.0/subnets: the part of the network API that ports need.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/index.js';
import { asBoolean, asInteger, asString } from './filter-converters.js';
import { selectFields } from './list-query.js';
import { readCreateBody, readUpdateBody, refuseBody, type ResourceShape } from './request-body.js';
import { idParam, listQuery, query, refuseMethods, sendList } from './route-helpers.js';
import { networkToWire, subnetToWire } from './wire-mappers.js';

const NETWORK: ResourceShape = {
  singular: 'network',
  plural: 'networks',
  attributes: {
    post: ['name', 'description', 'admin_state_up', 'port_security_enabled', 'shared', 'router:external', 'project_id', 'tenant_id'],
    put: ['name', 'description', 'admin_state_up', 'port_security_enabled', 'router:external'],
    readOnly: [
      'id', 'status', 'subnets', 'revision_number', 'created_at', 'updated_at', 'mtu', 'l2_adjacency', 'availability_zone_hints',
      'availability_zones', 'ipv4_address_scope', 'ipv6_address_scope',
    ],
  },
};

const SUBNET: ResourceShape = {
  singular: 'subnet',
  plural: 'subnets',
  attributes: {
    post: ['network_id', 'cidr', 'ip_version', 'name', 'description', 'gateway_ip', 'enable_dhcp', 'project_id', 'tenant_id'],
    put: ['name', 'description', 'enable_dhcp'],
    readOnly: ['id', 'revision_number', 'created_at', 'updated_at'],
  },
};

const NETWORK_LIST = {
  collection: 'networks',
  filters: {
    id: asString, name: asString, description: asString, project_id: asString, tenant_id: asString, shared: asBoolean, admin_state_up: asBoolean,
    port_security_enabled: asBoolean, status: asString, revision_number: asInteger, 'router:external': asBoolean, mtu: asInteger,
  },
  sortable: ['id', 'name', 'project_id', 'tenant_id', 'status', 'mtu'],
};

const SUBNET_LIST = {
  collection: 'subnets',
  filters: { id: asString, name: asString, description: asString, network_id: asString, cidr: asString, ip_version: asInteger, gateway_ip: asString, enable_dhcp: asBoolean, project_id: asString, tenant_id: asString, revision_number: asInteger },
  sortable: ['id', 'name', 'network_id', 'cidr', 'ip_version', 'project_id', 'tenant_id'],
};

function networkDraft(i: Record<string, unknown>) {
  return {
    name: i['name'], description: i['description'], adminStateUp: i['admin_state_up'], portSecurityEnabled: i['port_security_enabled'],
    shared: i['shared'], routerExternal: i['router:external'], projectId: i['project_id'], tenantId: i['tenant_id'],
  };
}

function subnetDraft(i: Record<string, unknown>) {
  return {
    networkId: i['network_id'], cidr: i['cidr'], ipVersion: i['ip_version'], name: i['name'], description: i['description'],
    gatewayIp: i['gateway_ip'], enableDhcp: i['enable_dhcp'], projectId: i['project_id'], tenantId: i['tenant_id'],
  };
}

export function registerNetworkRoutes(app: FastifyInstance, services: Services): void {
  const nets = services.networks;
  const netTags = { tags: ['networks'] };

  app.get('/v2.0/networks', { schema: { ...netTags, summary: 'List networks' } }, async (request, reply) => {
    const parsed = listQuery(request, NETWORK_LIST);
    const page = await nets.listNetworks(request.palisade, parsed);
    return sendList(request, reply, { ...page, items: page.items.map((l) => networkToWire(l.network, l.subnetIds)) }, parsed, NETWORK_LIST);
  });
  app.post('/v2.0/networks', { schema: { ...netTags, summary: 'Create a network' } }, async (request, reply) => {
    const { items, bulk } = readCreateBody(NETWORK, request.body);
    const created = (await nets.createNetworks(request.palisade, items.map(networkDraft))).map((n) => networkToWire(n, []));
    void reply.status(201).send(bulk ? { networks: created } : { network: created[0] });
  });
  app.get('/v2.0/networks/:id', { schema: { ...netTags, summary: 'Show a network' } }, async (request) => {
    const n = await nets.getNetwork(request.palisade, idParam(request));
    return { network: selectFields(networkToWire(n, await nets.subnetIdsOf(n)), query(request)) };
  });
  app.put('/v2.0/networks/:id', { schema: { ...netTags, summary: 'Update a network' } }, async (request) => {
    const n = await nets.updateNetwork(request.palisade, idParam(request), networkDraft(readUpdateBody(NETWORK, request.body)));
    return { network: networkToWire(n, await nets.subnetIdsOf(n)) };
  });
  app.delete('/v2.0/networks/:id', { schema: { ...netTags, summary: 'Delete a network' } }, async (request, reply) => {
    refuseBody(request.body);
    await nets.deleteNetwork(request.palisade, idParam(request));
    void reply.status(204).send();
  });
  refuseMethods(app, '/v2.0/networks/:id', ['POST', 'PATCH']);

  const subTags = { tags: ['subnets'] };
  app.get('/v2.0/subnets', { schema: { ...subTags, summary: 'List subnets' } }, async (request, reply) => {
    const parsed = listQuery(request, SUBNET_LIST);
    const page = await nets.listSubnets(request.palisade, parsed);
    return sendList(request, reply, { ...page, items: page.items.map(subnetToWire) }, parsed, SUBNET_LIST);
  });
  app.post('/v2.0/subnets', { schema: { ...subTags, summary: 'Create a subnet' } }, async (request, reply) => {
    const { items, bulk } = readCreateBody(SUBNET, request.body);
    const created = (await nets.createSubnets(request.palisade, items.map(subnetDraft))).map(subnetToWire);
    void reply.status(201).send(bulk ? { subnets: created } : { subnet: created[0] });
  });
  app.get('/v2.0/subnets/:id', { schema: { ...subTags, summary: 'Show a subnet' } }, async (request) => ({
    subnet: selectFields(subnetToWire(await nets.getSubnet(request.palisade, idParam(request))), query(request)),
  }));
  app.put('/v2.0/subnets/:id', { schema: { ...subTags, summary: 'Update a subnet' } }, async (request) => ({
    subnet: subnetToWire(await nets.updateSubnet(request.palisade, idParam(request), subnetDraft(readUpdateBody(SUBNET, request.body)))),
  }));
  app.delete('/v2.0/subnets/:id', { schema: { ...subTags, summary: 'Delete a subnet' } }, async (request, reply) => {
    refuseBody(request.body);
    await nets.deleteSubnet(request.palisade, idParam(request));
    void reply.status(204).send();
  });
  refuseMethods(app, '/v2.0/subnets/:id', ['POST', 'PATCH']);
}
