// /v2.0/extensions: the aliases of what Palisade really implements (neutron-api.md §14.2), nothing more.
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../domain/index.js';
import { idParam } from './route-helpers.js';

const UPDATED = '2026-11-28T00:00:00-00:00';

const EXTENSIONS: readonly [alias: string, name: string, description: string][] = [
  ['security-group', 'security-group', 'The security groups extension.'],
  ['standard-attr-description', 'standard-attr-description', 'Extension to add descriptions to standard attributes'],
  ['standard-attr-timestamp', 'Standard Attribute Timestamp', 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.'],
  ['standard-attr-revisions', 'Resource revision numbers', 'This extension will display the revision number of neutron resources.'],
  ['standard-attr-tag', 'Tag support for resources with standard attribute', 'Enables to set tag on resources with standard attribute.'],
  ['tag-creation', 'Tag creation extension', 'Allow to add multiple tags at once with POST.'],
  ['revision-if-match', 'If-Match constraints based on revision_number', "Extension indicating that If-Match based on revision_number is supported."],
  ['project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.'],
  ['pagination', 'Pagination support', 'Extension that indicates that pagination is enabled.'],
  ['sorting', 'Sorting support', 'Extension that indicates that sorting is enabled.'],
  ['sort-key-validation', 'Sort Key Validation', 'Extension that indicates that sort keys are validated.'],
  ['filter-validation', 'Filter parameters validation', 'Provides validation on filter parameters.'],
  ['empty-string-filtering', 'Empty String Filtering Extension', 'Allow filtering by attributes with empty string value'],
  ['quotas', 'Quota management support', 'Expose functions for quotas management per project'],
  ['quota_details', 'Quota details management support', 'Expose functions for quotas usage statistics per project'],
  ['stateful-security-group', 'Stateful security group', 'Indicates if the security group is stateful or not'],
  ['security-groups-shared-filtering', 'Security group filtering on the shared field', 'Support filtering security groups on the shared field'],
  ['rbac-policies', 'RBAC Policies', 'Allows creation and modification of policies that control tenant access to resources.'],
  ['rbac-security-groups', 'Add security_group type to network RBAC', 'Add security_group type to network RBAC'],
  ['security-groups-normalized-cidr', 'Normalized CIDR field for security group rules', 'Add new field with normalized remote_ip_prefix cidr in SG rule'],
  ['security-groups-rules-belongs-to-default-sg', 'Security group rule belongs to the project\'s default security group', 'Flag to determine if the security group rule belongs to the project\'s default security group'],
  ['port-security', 'Port Security', 'Provides port security'],
  ['allowed-address-pairs', 'Allowed Address Pairs', 'Provides allowed address pairs'],
  ['address-group', 'Address group', 'Support address group'],
  ['security-groups-remote-address-group', 'Remote address group id field for security group rules', 'Add new field of remote address group id in SG rules'],
  ['rbac-address-group', 'Add address_group type to RBAC', 'Add address_group type to network RBAC'],
  ['port-security-groups-filtering', 'Port filtering on security groups', 'Provides security groups filtering when listing ports'],
  ['security-groups-default-rules', 'Default rules for security groups', 'Configure set of security group rules used as default rules for every new security group'],
  ['external-net', 'Neutron external network', 'Adds external network attribute to network resource.'],
  ['net-mtu', 'Network MTU', 'Provides MTU attribute for a network resource.'],
  ['l2_adjacency', 'L2 Adjacency', 'Display L2 Adjacency for Neutron Networks.'],
  ['palisade-rule-expiry', 'Palisade rule expiry', 'Security group rules may carry expires_at; the server deletes each rule at that time (a Palisade extension).'],
];

function toWire([alias, name, description]: (typeof EXTENSIONS)[number]) {
  return { alias, name, description, updated: UPDATED, links: [] };
}

export function registerExtensionRoutes(app: FastifyInstance): void {
  const schema = { schema: { tags: ['meta'], summary: 'API extensions' } };
  app.get('/v2.0/extensions', schema, async () => ({ extensions: EXTENSIONS.map(toWire) }));
  app.get('/v2.0/extensions/:alias', schema, async (request) => {
    const found = EXTENSIONS.find((e) => e[0] === idParam(request, 'alias'));
    if (!found) throw new NotFoundError('ExtensionNotFound', `Extension with alias ${idParam(request, 'alias')} does not exist`);
    return { extension: toWire(found) };
  });
}
