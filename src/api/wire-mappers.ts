// Domain objects → Neutron wire objects: the explicit camelCase → snake_case mapping of the API.
import {
  allocationPool,
  type AddressGroup,
  NETWORK_MTU,
  tryParseCidr,
  type Actor,
  type Change,
  type HistoryEntry,
  type Network,
  type Port,
  type RbacPolicy,
  type SecurityGroup,
  type SecurityGroupRule,
  type Subnet,
} from '../domain/index.js';
import { ruleSpecToWire, type RuleView, type SecurityGroupView } from '../service/index.js';
import type {
  AddressGroupWire,
  ActorWire,
  ChangeWire,
  HistoryEntryWire,
  IdentityObjectWire,
  NetworkWire,
  PortWire,
  RbacPolicyWire,
  SecurityGroupRuleWire,
  SecurityGroupWire,
  SubnetWire,
} from '../contract/index.js';

export function ruleToWire(rule: SecurityGroupRule, belongsToDefaultGroup: boolean): SecurityGroupRuleWire {
  return {
    id: rule.id,
    security_group_id: rule.securityGroupId,
    ...ruleSpecToWire(rule),
    belongs_to_default_sg: belongsToDefaultGroup,
    project_id: rule.projectId,
    tenant_id: rule.projectId,
    revision_number: rule.revisionNumber,
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
    expires_at: rule.expiresAt ?? null,
  };
}

export function ruleViewToWire(view: RuleView): SecurityGroupRuleWire {
  return ruleToWire(view.rule, view.belongsToDefaultGroup);
}

/** `shared`: an RBAC policy shares the group with the caller's project (false where no caller is known). */
export function groupToWire(group: SecurityGroup, shared = false): SecurityGroupWire {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    project_id: group.projectId,
    tenant_id: group.projectId,
    stateful: group.stateful,
    shared,
    tags: [...group.tags],
    revision_number: group.revisionNumber,
    created_at: group.createdAt,
    updated_at: group.updatedAt,
  };
}

export function groupViewToWire(view: SecurityGroupView): SecurityGroupWire {
  return { ...groupToWire(view.group, view.shared), security_group_rules: view.rules.map((r) => ruleToWire(r, view.group.isDefault)) };
}

export function portToWire(port: Port): PortWire {
  return {
    id: port.id,
    name: port.name,
    description: port.description,
    network_id: port.networkId,
    project_id: port.projectId,
    tenant_id: port.projectId,
    mac_address: port.macAddress,
    fixed_ips: port.fixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
    device_id: port.deviceId,
    device_owner: port.deviceOwner,
    'binding:host_id': port.hostId,
    'binding:profile': { ...(port.bindingProfile ?? {}) },
    admin_state_up: port.adminStateUp,
    status: port.adminStateUp ? 'ACTIVE' : 'DOWN',
    security_groups: [...port.securityGroupIds],
    port_security_enabled: port.portSecurityEnabled,
    allowed_address_pairs: port.allowedAddressPairs.map((a) => ({ ip_address: a.ipAddress, mac_address: a.macAddress })),
    revision_number: port.revisionNumber,
    created_at: port.createdAt,
    updated_at: port.updatedAt,
  };
}

export function networkToWire(network: Network, subnetIds: readonly string[]): NetworkWire {
  return {
    id: network.id,
    name: network.name,
    description: network.description,
    project_id: network.projectId,
    tenant_id: network.projectId,
    admin_state_up: network.adminStateUp,
    port_security_enabled: network.portSecurityEnabled,
    shared: network.shared,
    'router:external': network.routerExternal,
    // Neutron's values for a network without segments, subnet pools or availability zones (neutron-api.md §15).
    mtu: NETWORK_MTU,
    l2_adjacency: true,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    status: 'ACTIVE',
    subnets: [...subnetIds],
    revision_number: network.revisionNumber,
    created_at: network.createdAt,
    updated_at: network.updatedAt,
  };
}

export function subnetToWire(subnet: Subnet): SubnetWire {
  return {
    id: subnet.id,
    name: subnet.name,
    description: subnet.description,
    network_id: subnet.networkId,
    project_id: subnet.projectId,
    tenant_id: subnet.projectId,
    ip_version: subnet.ipVersion,
    cidr: subnet.cidr,
    gateway_ip: subnet.gatewayIp,
    enable_dhcp: subnet.enableDhcp,
    // Clients (openstackclient's subnet view) iterate these; Palisade keeps Neutron's defaults.
    allocation_pools: [allocationPool(tryParseCidr(subnet.cidr)!, subnet.gatewayIp)].filter((p) => p !== null),
    dns_nameservers: [],
    host_routes: [],
    service_types: [],
    revision_number: subnet.revisionNumber,
    created_at: subnet.createdAt,
    updated_at: subnet.updatedAt,
  };
}

export function rbacPolicyToWire(policy: RbacPolicy): RbacPolicyWire {
  return {
    id: policy.id,
    object_type: policy.objectType,
    object_id: policy.objectId,
    action: policy.action,
    target_tenant: policy.targetProject,
    project_id: policy.projectId,
    tenant_id: policy.projectId,
  };
}

export function addressGroupToWire(group: AddressGroup): AddressGroupWire {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    addresses: [...group.addresses],
    project_id: group.projectId,
    tenant_id: group.projectId,
    revision_number: group.revisionNumber,
    created_at: group.createdAt,
    updated_at: group.updatedAt,
  };
}

/** Identity records hold camelCase domain fields; the wire shows them in snake_case like the rest. */
function snakeKeys(o: object): IdentityObjectWire {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v])) as IdentityObjectWire;
}

function objectToWire(resource: Change['resource'], o: unknown): ChangeWire['object'] {
  if (o === null || typeof o !== 'object') return null;
  switch (resource) {
    case 'security_group': return groupToWire(o as SecurityGroup);
    case 'security_group_rule': return ruleToWire(o as SecurityGroupRule, false);
    case 'port': return portToWire(o as Port);
    case 'network': return networkToWire(o as Network, []);
    case 'subnet': return subnetToWire(o as Subnet);
    case 'rbac_policy': return rbacPolicyToWire(o as RbacPolicy);
    case 'address_group': return addressGroupToWire(o as AddressGroup);
    default: return snakeKeys(o);
  }
}

function actorToWire(actor: Actor): ActorWire {
  return {
    user_id: actor.userId, user_name: actor.userName, project_id: actor.projectId, roles: [...actor.roles],
    request_id: actor.requestId, source_address: actor.sourceAddress,
  };
}

/** Change-log objects are domain objects; the feed shows them in wire form (groups without rules). */
export function changeToWire(change: Change): ChangeWire {
  return {
    seq: change.seq, resource: change.resource, action: change.action, id: change.id, project_id: change.projectId,
    object: objectToWire(change.resource, change.object), at: change.at, actor: change.actor ? actorToWire(change.actor) : null,
  };
}

/** A history or audit record: the change and the object before it, both in wire form. */
export function historyEntryToWire(entry: HistoryEntry): HistoryEntryWire {
  return { ...changeToWire(entry), before: objectToWire(entry.resource, entry.before) };
}
