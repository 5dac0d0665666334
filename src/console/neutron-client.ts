// The Neutron resources the console uses, one function per call (neutron-api.md §4).
import type { AddressGroupWire, NetworkWire, PortWire, SecurityGroupRuleWire, SecurityGroupWire, SubnetWire } from '../contract/index.js';
import { apiRequest } from './api-client.js';
import { getCredentials } from './auth.js';
import { groupPageParams, linkMarker, type GroupListState, type ListLink } from './group-list-query.js';
import type { RuleBody } from './rule-check.js';

const V2 = '/v2.0';
const q = encodeURIComponent;

/** An admin sees every project's objects in lists; the console shows the project it acts as. */
function scoped(params: string[] = []): string {
  const c = getCredentials();
  const all = c.role === 'admin' ? [...params, `project_id=${q(c.projectId)}`] : params;
  return all.length === 0 ? '' : `?${all.join('&')}`;
}

export async function listGroups(): Promise<SecurityGroupWire[]> {
  return (await apiRequest<{ security_groups: SecurityGroupWire[] }>('GET', `${V2}/security-groups${scoped(['sort_key=name', 'sort_dir=asc'])}`)).security_groups;
}

/** A group as the groups page lists it: no rules. */
export type GroupRow = Pick<SecurityGroupWire, 'id' | 'name' | 'description' | 'stateful' | 'project_id'>;

export interface GroupPage {
  readonly groups: GroupRow[];
  /** Markers of the API's next/previous links; null when there is no such page. */
  readonly next: string | null;
  readonly previous: string | null;
}

/** One page of groups, filtered, sorted and paged by the API. */
export async function listGroupPage(state: GroupListState): Promise<GroupPage> {
  const body = await apiRequest<{ security_groups: GroupRow[]; security_groups_links?: ListLink[] }>('GET', `${V2}/security-groups${scoped(groupPageParams(state))}`);
  return { groups: body.security_groups, next: linkMarker(body.security_groups_links, 'next'), previous: linkMarker(body.security_groups_links, 'previous') };
}

/** How many rules each of these groups has, from their rules' `security_group_id` only. */
export async function countRules(groupIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(groupIds.map((id) => [id, 0]));
  if (groupIds.length === 0) return counts;
  const filter = groupIds.map((id) => `security_group_id=${q(id)}`).join('&');
  const body = await apiRequest<{ security_group_rules: { security_group_id: string }[] }>('GET', `${V2}/security-group-rules?${filter}&fields=security_group_id`);
  for (const r of body.security_group_rules) counts.set(r.security_group_id, (counts.get(r.security_group_id) ?? 0) + 1);
  return counts;
}

/** A group as pages that only name groups need it: no rules, so a large project's rules are not downloaded. */
export type GroupRef = Pick<SecurityGroupWire, 'id' | 'name'>;

export async function listGroupRefs(): Promise<GroupRef[]> {
  return (await apiRequest<{ security_groups: GroupRef[] }>('GET', `${V2}/security-groups${scoped(['fields=id,name', 'sort_key=name', 'sort_dir=asc'])}`)).security_groups;
}

/** How many of the project's groups have exactly this name (for the duplicate-name warning). */
export async function countGroupsNamed(name: string): Promise<number> {
  return (await apiRequest<{ security_groups: unknown[] }>('GET', `${V2}/security-groups${scoped([`name=${q(name)}`, 'fields=id'])}`)).security_groups.length;
}

/** Rules of any group the caller can see (an admin: of every project) that name `groupId` as remote; deleting the group deletes them too. */
export async function listRulesNamingRemote(groupId: string): Promise<SecurityGroupRuleWire[]> {
  return (await apiRequest<{ security_group_rules: SecurityGroupRuleWire[] }>('GET', `${V2}/security-group-rules?remote_group_id=${q(groupId)}`)).security_group_rules;
}

export async function getGroup(id: string): Promise<SecurityGroupWire> {
  return (await apiRequest<{ security_group: SecurityGroupWire }>('GET', `${V2}/security-groups/${q(id)}`)).security_group;
}

export interface GroupAttrs {
  name?: string;
  description?: string;
  stateful?: boolean;
}

export async function createGroup(attrs: GroupAttrs): Promise<SecurityGroupWire> {
  return (await apiRequest<{ security_group: SecurityGroupWire }>('POST', `${V2}/security-groups`, { security_group: attrs })).security_group;
}

export async function updateGroup(id: string, attrs: GroupAttrs): Promise<SecurityGroupWire> {
  return (await apiRequest<{ security_group: SecurityGroupWire }>('PUT', `${V2}/security-groups/${q(id)}`, { security_group: attrs })).security_group;
}

/** A new group with exactly the same rules (no extra egress rules), named after the source unless `name` is given. */
export async function copyGroup(id: string, name?: string): Promise<SecurityGroupWire> {
  const body = { security_group: name === undefined ? {} : { name } };
  return (await apiRequest<{ security_group: SecurityGroupWire }>('POST', `${V2}/palisade/security-groups/${q(id)}/copy`, body)).security_group;
}

export async function deleteGroup(id: string): Promise<void> {
  await apiRequest('DELETE', `${V2}/security-groups/${q(id)}`);
}

export async function createRules(rules: readonly RuleBody[]): Promise<SecurityGroupRuleWire[]> {
  return (await apiRequest<{ security_group_rules: SecurityGroupRuleWire[] }>('POST', `${V2}/security-group-rules`, { security_group_rules: rules })).security_group_rules;
}

export async function createRule(rule: RuleBody): Promise<SecurityGroupRuleWire> {
  return (await apiRequest<{ security_group_rule: SecurityGroupRuleWire }>('POST', `${V2}/security-group-rules`, { security_group_rule: rule })).security_group_rule;
}

export async function deleteRule(id: string): Promise<void> {
  await apiRequest('DELETE', `${V2}/security-group-rules/${q(id)}`);
}

/** Every port of the project, or only those using any of `groupIds` (neutron-api.md §4.7 port-security-groups-filtering). */
export async function listPorts(...groupIds: string[]): Promise<PortWire[]> {
  const filter = groupIds.map((id) => `security_groups=${q(id)}`);
  return (await apiRequest<{ ports: PortWire[] }>('GET', `${V2}/ports${scoped(filter)}`)).ports;
}

export type PortAttrs = Partial<Pick<PortWire, 'name' | 'network_id' | 'device_id' | 'device_owner' | 'security_groups' | 'port_security_enabled'>> & {
  fixed_ips?: { subnet_id: string; ip_address?: string }[];
};

export async function createPort(attrs: PortAttrs): Promise<PortWire> {
  return (await apiRequest<{ port: PortWire }>('POST', `${V2}/ports`, { port: attrs })).port;
}

export async function updatePort(id: string, attrs: PortAttrs): Promise<PortWire> {
  return (await apiRequest<{ port: PortWire }>('PUT', `${V2}/ports/${q(id)}`, { port: attrs })).port;
}

export async function deletePort(id: string): Promise<void> {
  await apiRequest('DELETE', `${V2}/ports/${q(id)}`);
}

export async function listNetworks(): Promise<NetworkWire[]> {
  return (await apiRequest<{ networks: NetworkWire[] }>('GET', `${V2}/networks${scoped()}`)).networks;
}

export async function listSubnets(): Promise<SubnetWire[]> {
  return (await apiRequest<{ subnets: SubnetWire[] }>('GET', `${V2}/subnets${scoped()}`)).subnets;
}

export async function createNetwork(name: string): Promise<NetworkWire> {
  return (await apiRequest<{ network: NetworkWire }>('POST', `${V2}/networks`, { network: { name } })).network;
}

export async function deleteNetwork(id: string): Promise<void> {
  await apiRequest('DELETE', `${V2}/networks/${q(id)}`);
}

export interface QuotaUsage {
  readonly used: number;
  /** -1: no limit. */
  readonly limit: number;
}

/** The project's quota usage per resource (GET /v2.0/quotas/{project}/details). */
export async function quotaUsage(): Promise<Record<string, QuotaUsage>> {
  return (await apiRequest<{ quota: Record<string, QuotaUsage> }>('GET', `${V2}/quotas/${q(getCredentials().projectId)}/details`)).quota;
}

export async function createSubnet(networkId: string, cidr: string, name: string): Promise<SubnetWire> {
  const ipVersion = cidr.includes(':') ? 6 : 4;
  return (await apiRequest<{ subnet: SubnetWire }>('POST', `${V2}/subnets`, { subnet: { network_id: networkId, cidr, name, ip_version: ipVersion } })).subnet;
}

/** The caller's address as the server sees it, for the "My IP" shortcut (served by console-static.ts). */
export async function myIp(): Promise<string> {
  const res = await fetch('/_console/my-ip');
  if (!res.ok) throw new Error(`Cannot find your IP address (HTTP ${res.status}).`);
  return ((await res.json()) as { ip: string }).ip;
}

/** The project's address groups (and those shared with it), by name. */
export async function listAddressGroups(): Promise<AddressGroupWire[]> {
  return (await apiRequest<{ address_groups: AddressGroupWire[] }>('GET', `${V2}/address-groups${scoped(['sort_key=name', 'sort_dir=asc'])}`)).address_groups;
}

export async function createAddressGroup(name: string, description: string, addresses: readonly string[]): Promise<AddressGroupWire> {
  return (await apiRequest<{ address_group: AddressGroupWire }>('POST', `${V2}/address-groups`, { address_group: { name, description, addresses } })).address_group;
}

/** add_addresses or remove_addresses: one PUT each, as the openstack client does. */
export async function changeAddresses(id: string, action: 'add' | 'remove', addresses: readonly string[]): Promise<AddressGroupWire> {
  return (await apiRequest<{ address_group: AddressGroupWire }>('PUT', `${V2}/address-groups/${q(id)}/${action}_addresses`, { addresses })).address_group;
}

export async function deleteAddressGroup(id: string): Promise<void> {
  await apiRequest('DELETE', `${V2}/address-groups/${q(id)}`);
}
