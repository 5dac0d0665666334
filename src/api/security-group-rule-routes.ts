// /v2.0/security-group-rules: list, show, create (single and atomic bulk), delete; PUT is 405 (neutron-api.md §4.2).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../service/index.js';
import { asBoolean, asCidr, asEtherType, asInteger, asOptionalId, asProtocol, asString } from './filter-converters.js';
import { selectFields } from './list-query.js';
import { readCreateBody, readIfMatch, refuseBody, type ResourceShape } from './request-body.js';
import { idParam, listQuery, query, refuseMethods, sendList } from './route-helpers.js';
import { ruleViewToWire } from './wire-mappers.js';

const SHAPE: ResourceShape = {
  singular: 'security_group_rule',
  plural: 'security_group_rules',
  attributes: {
    post: [
      'security_group_id', 'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max',
      'remote_ip_prefix', 'remote_group_id', 'remote_address_group_id', 'description', 'project_id', 'tenant_id', 'expires_at',
    ],
    put: [],
    readOnly: ['id', 'normalized_cidr', 'belongs_to_default_sg', 'revision_number', 'created_at', 'updated_at'],
  },
};

const LIST = {
  collection: 'security_group_rules',
  filters: {
    id: asString, security_group_id: asString, direction: asString, ethertype: asEtherType, protocol: asProtocol,
    port_range_min: asInteger, port_range_max: asInteger, remote_ip_prefix: asCidr, normalized_cidr: asCidr,
    remote_group_id: asOptionalId, remote_address_group_id: asOptionalId, description: asString,
    project_id: asString, tenant_id: asString, revision_number: asInteger, belongs_to_default_sg: asBoolean,
  },
  sortable: [
    'id', 'security_group_id', 'remote_group_id', 'remote_address_group_id', 'direction', 'protocol', 'port_range_min',
    'port_range_max', 'ethertype', 'remote_ip_prefix', 'normalized_cidr', 'project_id', 'tenant_id',
  ],
};

const TAGS = { tags: ['security-group-rules'] };

export function registerSecurityGroupRuleRoutes(app: FastifyInstance, services: Services): void {
  const rules = services.rules;

  app.get('/v2.0/security-group-rules', { schema: { ...TAGS, summary: 'List security group rules' } }, async (request, reply) => {
    const parsed = listQuery(request, LIST);
    const page = await rules.list(request.palisade, parsed);
    return sendList(request, reply, { ...page, items: page.items.map(ruleViewToWire) }, parsed, LIST);
  });

  app.post('/v2.0/security-group-rules', { schema: { ...TAGS, summary: 'Create rules (single or atomic bulk)' } }, async (request, reply) => {
    const { items, bulk } = readCreateBody(SHAPE, request.body);
    const created = await rules.create(
      request.palisade,
      items.map((i) => ({
        securityGroupId: i['security_group_id'], direction: i['direction'], etherType: i['ethertype'], protocol: i['protocol'],
        portRangeMin: i['port_range_min'], portRangeMax: i['port_range_max'], remoteIpPrefix: i['remote_ip_prefix'],
        remoteGroupId: i['remote_group_id'], remoteAddressGroupId: i['remote_address_group_id'],
        description: i['description'], projectId: i['project_id'], tenantId: i['tenant_id'], expiresAt: i['expires_at'],
      })),
    );
    const wire = created.map(ruleViewToWire);
    void reply.status(201).send(bulk ? { security_group_rules: wire } : { security_group_rule: wire[0] });
  });

  app.get('/v2.0/security-group-rules/:id', { schema: { ...TAGS, summary: 'Show a rule' } }, async (request) => ({
    security_group_rule: selectFields(ruleViewToWire(await rules.get(request.palisade, idParam(request))), query(request)),
  }));

  app.delete('/v2.0/security-group-rules/:id', { schema: { ...TAGS, summary: 'Delete a rule' } }, async (request, reply) => {
    refuseBody(request.body);
    await rules.delete(request.palisade, idParam(request), readIfMatch(request.headers['if-match']));
    void reply.status(204).send();
  });
  // Rules have no update in Neutron; neutron-api.md §4.2 answers 405.
  refuseMethods(app, '/v2.0/security-group-rules/:id', ['PUT', 'POST', 'PATCH']);
}
