// The changes a what-if proposes, in the change log's shape, checked as the API would check each one and turned into engine changes.
import { ConflictError, InUseError, InvalidInputError, OverLimitError, parseAddressList, type Port } from '../domain/index.js';
import type { PolicyChange } from '../engine/index.js';
import type { StoreSession } from '../store/index.js';
import { assertWritable, visibleOrNotFound } from './access-policy.js';
import { visibleAddressGroup } from './address-group-service.js';
import { parseSecurityGroupList } from './port-fields.js';
import { resolveGroups } from './port-service.js';
import { groupHasPorts } from './port-usage.js';
import type { RequestContext } from './request-context.js';
import { previewRuleCreate, previewRuleDelete, type RuleRequest } from './security-group-rule-service.js';
import { loadVisibleGroup } from './security-group-service.js';

/** At most this many changes in one what-if. */
export const MAX_WHAT_IF_CHANGES = 100;

const CHANGE_KEYS = ['action', 'resource', 'id', 'object'];
/** A rule's POST attributes → the rule service's request fields. */
const RULE_FIELDS: Readonly<Record<string, keyof RuleRequest>> = {
  security_group_id: 'securityGroupId', direction: 'direction', ethertype: 'etherType', protocol: 'protocol',
  port_range_min: 'portRangeMin', port_range_max: 'portRangeMax', remote_ip_prefix: 'remoteIpPrefix', remote_group_id: 'remoteGroupId',
  remote_address_group_id: 'remoteAddressGroupId', description: 'description', project_id: 'projectId', tenant_id: 'tenantId',
};

function bad(message: string, path: string): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', message, path);
}

function unsupported(at: string, action: string, resource: string): InvalidInputError {
  return InvalidInputError.of('WhatIfChangeNotSupported', `A what-if cannot ${action} a ${resource}: it takes rule creates and deletes, port updates of security_groups, and group deletes.`, at);
}

function objectOf(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`Invalid input for ${at}. Reason: not an object.`, at);
  return value as Record<string, unknown>;
}

function idOf(change: Record<string, unknown>, at: string): string {
  const id = change['id'];
  if (typeof id !== 'string' || id === '') throw bad(`Failed to parse request. Required attribute 'id' not specified in ${at}`, `${at}.id`);
  return id;
}

function ruleRequest(object: Record<string, unknown>, at: string): RuleRequest {
  const unknown = Object.keys(object).filter((k) => !(k in RULE_FIELDS));
  if (unknown.length > 0) throw bad(`Unrecognized attribute(s) '${unknown.join(', ')}'`, `${at}.object`);
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [RULE_FIELDS[k]!, v])) as RuleRequest;
}

async function portChange(ctx: RequestContext, session: StoreSession, id: string, object: Record<string, unknown>, at: string): Promise<Port> {
  const unknown = Object.keys(object).filter((k) => k !== 'security_groups');
  if (unknown.length > 0) throw InvalidInputError.of('WhatIfChangeNotSupported', `A what-if changes only a port's security_groups, not '${unknown.join(', ')}'.`, `${at}.object`);
  const [found] = await session.listPorts({ ids: [id] });
  const port = visibleOrNotFound(ctx, found, 'PortNotFound', `Port ${id} could not be found.`);
  assertWritable(ctx, port.projectId);
  const groups = parseSecurityGroupList(object['security_groups']);
  if (!port.portSecurityEnabled && groups.length > 0) {
    throw InvalidInputError.of('PortSecurityAndIPRequiredForSecurityGroups', 'Port security must be enabled and port must have an IP address in order to use security groups.');
  }
  await resolveGroups(session, port.projectId, groups);
  return { ...port, securityGroupIds: groups };
}

/** An address group's `addresses` replaced, as add_addresses and remove_addresses together would leave them. */
async function addressGroupChange(ctx: RequestContext, session: StoreSession, id: string, object: Record<string, unknown>, path: string): Promise<PolicyChange> {
  const group = await visibleAddressGroup(ctx, session, id);
  assertWritable(ctx, group.projectId);
  const unknown = Object.keys(object).filter((k) => k !== 'addresses');
  if (unknown.length > 0 || object['addresses'] === undefined) throw bad(`Invalid input for ${path}.object: give only 'addresses', the group's addresses after the change.`, `${path}.object`);
  return { kind: 'address-group', addressGroup: { ...group, addresses: parseAddressList(object['addresses']).sort() } };
}

async function groupDelete(ctx: RequestContext, session: StoreSession, id: string): Promise<PolicyChange> {
  const group = await loadVisibleGroup(ctx, session, id);
  assertWritable(ctx, group.projectId);
  if (await groupHasPorts(session, id)) throw new InUseError('SecurityGroupInUse', `Security Group ${id} in use.`);
  if (group.isDefault && !ctx.isAdmin) throw new ConflictError('SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
  return { kind: 'group-deleted', groupId: id };
}

/**
 * Reads `{"changes": [...]}`: each change `{action, resource, id?, object?}` as the change log writes them, and
 * each checked as the API would check it now (visibility, ownership, validation, conflicts), in order. Checks
 * read the database as it is, not as the earlier changes of the list would leave it. Nothing is written.
 */
export async function proposedChanges(ctx: RequestContext, session: StoreSession, body: unknown, at: string): Promise<PolicyChange[]> {
  const raw = typeof body === 'object' && body !== null ? (body as { changes?: unknown }).changes : undefined;
  if (!Array.isArray(raw)) throw bad("Unable to find 'changes' in request body", 'changes');
  if (raw.length === 0) throw bad('Invalid input for changes. Reason: name at least one change.', 'changes');
  if (raw.length > MAX_WHAT_IF_CHANGES) throw new OverLimitError('AnalysisTooLarge', `A what-if takes at most ${MAX_WHAT_IF_CHANGES} changes, not ${raw.length}.`);
  const out: PolicyChange[] = [];
  for (const [i, item] of raw.entries()) {
    const path = `changes[${i}]`;
    const change = objectOf(item, path);
    const unknown = Object.keys(change).filter((k) => !CHANGE_KEYS.includes(k));
    if (unknown.length > 0) throw bad(`Unrecognized attribute(s) '${unknown.join(', ')}'`, path);
    const action = String(change['action'] ?? '');
    const resource = String(change['resource'] ?? '');
    if (!['create', 'update', 'delete'].includes(action)) throw bad(`Invalid input for action. Reason: '${action}' is not in ['create', 'update', 'delete'].`, `${path}.action`);
    if (resource === 'security_group_rule' && action === 'create') {
      out.push({ kind: 'rule', rule: await previewRuleCreate(ctx, session, ruleRequest(objectOf(change['object'], `${path}.object`), path), `proposed-${i}`, at) });
    } else if (resource === 'security_group_rule' && action === 'delete') {
      out.push({ kind: 'rule-deleted', ruleId: (await previewRuleDelete(ctx, session, idOf(change, path))).id });
    } else if (resource === 'port' && action === 'update') {
      out.push({ kind: 'port', port: await portChange(ctx, session, idOf(change, path), objectOf(change['object'], `${path}.object`), path) });
    } else if (resource === 'security_group' && action === 'delete') {
      out.push(await groupDelete(ctx, session, idOf(change, path)));
    } else if (resource === 'address_group' && action === 'update') {
      out.push(await addressGroupChange(ctx, session, idOf(change, path), objectOf(change['object'], `${path}.object`), path));
    } else throw unsupported(path, action, resource || 'resource');
  }
  return out;
}
