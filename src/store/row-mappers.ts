// Rows to domain objects and back: the explicit snake_case ↔ camelCase mapping of the store.
import { sql, type InsertObject, type Selectable } from 'kysely';
import {
  normalizedCidrOf,
  type Direction,
  type EtherType,
  type IpVersion,
  type Network,
  type SecurityGroup,
  type SecurityGroupRule,
  type Subnet,
} from '../domain/index.js';
import type {
  Database,
  NetworkTable,
  SecurityGroupRuleTable,
  SecurityGroupTable,
  SubnetTable,
} from './database-schema.js';

export function groupToRow(g: SecurityGroup): SecurityGroupTable {
  return {
    id: g.id,
    project_id: g.projectId,
    name: g.name,
    description: g.description,
    stateful: g.stateful ? 1 : 0,
    is_default: g.isDefault ? 1 : 0,
    revision_number: g.revisionNumber,
    created_at: g.createdAt,
    updated_at: g.updatedAt,
  };
}

export function rowToGroup(r: Selectable<SecurityGroupTable>, tags: readonly string[]): SecurityGroup {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    description: r.description,
    stateful: Number(r.stateful) === 1,
    isDefault: Number(r.is_default) === 1,
    tags,
    revisionNumber: Number(r.revision_number),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * The row to insert. The group's project is `groupProjectId` when the caller knows it (bulk load, from the
 * groups of its batch), else read from the group's row in the same statement.
 */
export function ruleToRow(rule: SecurityGroupRule, identity: string, groupProjectId?: string): InsertObject<Database, 'security_group_rules'> {
  return {
    id: rule.id,
    security_group_id: rule.securityGroupId,
    project_id: rule.projectId,
    direction: rule.direction,
    ethertype: rule.etherType,
    protocol: rule.protocol,
    port_range_min: rule.portRangeMin,
    port_range_max: rule.portRangeMax,
    remote_ip_prefix: rule.remoteIpPrefix,
    normalized_cidr: normalizedCidrOf(rule),
    remote_group_id: rule.remoteGroupId,
    remote_address_group_id: rule.remoteAddressGroupId,
    description: rule.description,
    identity,
    group_project_id: groupProjectId ?? sql<string>`(select g.project_id from security_groups g where g.id = ${rule.securityGroupId})`,
    revision_number: rule.revisionNumber,
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
    expires_at: rule.expiresAt ?? null,
  };
}

function intOrNull(v: number | null): number | null {
  return v === null ? null : Number(v);
}

/** The columns a rule is made of (not its identity, group's project or normalized prefix: lists read fewer bytes). */
export const RULE_COLUMNS = [
  'id', 'security_group_id', 'project_id', 'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix',
  'remote_group_id', 'remote_address_group_id', 'description', 'revision_number', 'created_at', 'updated_at', 'expires_at',
] as const satisfies readonly (keyof SecurityGroupRuleTable)[];

export function rowToRule(r: Pick<Selectable<SecurityGroupRuleTable>, (typeof RULE_COLUMNS)[number]>): SecurityGroupRule {
  return {
    id: r.id,
    securityGroupId: r.security_group_id,
    projectId: r.project_id,
    direction: r.direction as Direction,
    etherType: r.ethertype as EtherType,
    protocol: r.protocol,
    portRangeMin: intOrNull(r.port_range_min),
    portRangeMax: intOrNull(r.port_range_max),
    remoteIpPrefix: r.remote_ip_prefix,
    remoteGroupId: r.remote_group_id,
    remoteAddressGroupId: r.remote_address_group_id,
    description: r.description,
    revisionNumber: Number(r.revision_number),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.expires_at !== null && { expiresAt: r.expires_at }),
  };
}

export function networkToRow(n: Network): NetworkTable {
  return {
    id: n.id,
    project_id: n.projectId,
    name: n.name,
    description: n.description,
    admin_state_up: n.adminStateUp ? 1 : 0,
    port_security_enabled: n.portSecurityEnabled ? 1 : 0,
    shared: n.shared ? 1 : 0,
    router_external: n.routerExternal ? 1 : 0,
    revision_number: n.revisionNumber,
    created_at: n.createdAt,
    updated_at: n.updatedAt,
  };
}

export function rowToNetwork(r: Selectable<NetworkTable>): Network {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    description: r.description,
    adminStateUp: Number(r.admin_state_up) === 1,
    portSecurityEnabled: Number(r.port_security_enabled) === 1,
    shared: Number(r.shared) === 1,
    routerExternal: Number(r.router_external) === 1,
    revisionNumber: Number(r.revision_number),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function subnetToRow(s: Subnet): SubnetTable {
  return {
    id: s.id,
    project_id: s.projectId,
    network_id: s.networkId,
    name: s.name,
    description: s.description,
    ip_version: s.ipVersion,
    cidr: s.cidr,
    gateway_ip: s.gatewayIp,
    enable_dhcp: s.enableDhcp ? 1 : 0,
    revision_number: s.revisionNumber,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

export function rowToSubnet(r: Selectable<SubnetTable>): Subnet {
  return {
    id: r.id,
    projectId: r.project_id,
    networkId: r.network_id,
    name: r.name,
    description: r.description,
    ipVersion: Number(r.ip_version) as IpVersion,
    cidr: r.cidr,
    gatewayIp: r.gateway_ip,
    enableDhcp: Number(r.enable_dhcp) === 1,
    revisionNumber: Number(r.revision_number),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
