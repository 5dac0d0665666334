// /v2.0/default-security-group-rules: rule templates for new groups; list, show, create, delete (neutron-api.md §4.4).
import type { FastifyInstance } from 'fastify';
import type { DefaultSecurityGroupRuleWire } from '../contract/index.js';
import type { DefaultRuleTemplate } from '../domain/index.js';
import type { Services } from '../service/index.js';
import { asBoolean, asCidr, asEtherType, asInteger, asOptionalId, asProtocol, asString } from './filter-converters.js';
import { selectFields } from './list-query.js';
import { readCreateBody, refuseBody, type ResourceShape } from './request-body.js';
import { idParam, listQuery, query, refuseMethods, sendList } from './route-helpers.js';

const SHAPE: ResourceShape = {
  singular: 'default_security_group_rule',
  plural: 'default_security_group_rules',
  attributes: {
    post: [
      'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id',
      'remote_address_group_id', 'description', 'used_in_default_sg', 'used_in_non_default_sg', 'project_id', 'tenant_id',
    ],
    put: [],
    readOnly: ['id'],
  },
};

/** Neutron's attribute map: what filters and sorts (not `description`, not the `used_in_*` flags, for sorting). */
const LIST = {
  collection: 'default_security_group_rules',
  filters: {
    id: asString, direction: asString, ethertype: asEtherType, protocol: asProtocol, port_range_min: asInteger, port_range_max: asInteger,
    remote_ip_prefix: asCidr, remote_group_id: asOptionalId, remote_address_group_id: asOptionalId, description: asString,
    used_in_default_sg: asBoolean, used_in_non_default_sg: asBoolean,
  },
  sortable: [
    'id', 'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id', 'remote_address_group_id',
  ],
};

export function defaultRuleToWire(t: DefaultRuleTemplate): DefaultSecurityGroupRuleWire {
  return {
    id: t.id, direction: t.direction, ethertype: t.etherType, protocol: t.protocol, port_range_min: t.portRangeMin,
    port_range_max: t.portRangeMax, remote_ip_prefix: t.remoteIpPrefix, remote_group_id: t.remoteGroupId,
    remote_address_group_id: t.remoteAddressGroupId, description: t.description, used_in_default_sg: t.usedInDefaultSg,
    used_in_non_default_sg: t.usedInNonDefaultSg,
  };
}

function draftOf(i: Record<string, unknown>) {
  return {
    direction: i['direction'], etherType: i['ethertype'], protocol: i['protocol'], portRangeMin: i['port_range_min'],
    portRangeMax: i['port_range_max'], remoteIpPrefix: i['remote_ip_prefix'], remoteGroupId: i['remote_group_id'],
    remoteAddressGroupId: i['remote_address_group_id'], description: i['description'], usedInDefaultSg: i['used_in_default_sg'],
    usedInNonDefaultSg: i['used_in_non_default_sg'],
  };
}

const TAGS = { tags: ['default-security-group-rules'] };

export function registerDefaultRuleRoutes(app: FastifyInstance, services: Services): void {
  const templates = services.defaultRules;
  const path = '/v2.0/default-security-group-rules';

  app.get(path, { schema: { ...TAGS, summary: 'List default rule templates' } }, async (request, reply) => {
    const parsed = listQuery(request, LIST);
    const page = await templates.list(request.palisade, parsed);
    return sendList(request, reply, { ...page, items: page.items.map(defaultRuleToWire) }, parsed, LIST);
  });

  app.post(path, { schema: { ...TAGS, summary: 'Create default rule templates (admin)' } }, async (request, reply) => {
    const { items, bulk } = readCreateBody(SHAPE, request.body);
    const wire = (await templates.create(request.palisade, items.map(draftOf))).map(defaultRuleToWire);
    void reply.status(201).send(bulk ? { default_security_group_rules: wire } : { default_security_group_rule: wire[0] });
  });

  app.get(`${path}/:id`, { schema: { ...TAGS, summary: 'Show a default rule template' } }, async (request) => ({
    default_security_group_rule: selectFields(defaultRuleToWire(await templates.get(request.palisade, idParam(request))), query(request)),
  }));

  app.delete(`${path}/:id`, { schema: { ...TAGS, summary: 'Delete a default rule template (admin)' } }, async (request, reply) => {
    refuseBody(request.body);
    await templates.delete(request.palisade, idParam(request));
    void reply.status(204).send();
  });
  // Templates have no update in Neutron.
  refuseMethods(app, `${path}/:id`, ['PUT', 'POST', 'PATCH']);
}
