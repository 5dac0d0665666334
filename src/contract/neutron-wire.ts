// Neutron wire objects (snake_case JSON): what the API sends and its clients (agent, CLI, console) read.

export interface SecurityGroupRuleWire {
  id: string;
  security_group_id: string;
  direction: 'ingress' | 'egress';
  ethertype: 'IPv4' | 'IPv6';
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  normalized_cidr: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  belongs_to_default_sg: boolean;
  description: string;
  project_id: string;
  tenant_id: string;
  revision_number: number;
  created_at: string;
  updated_at: string;
  /** Palisade's `palisade-rule-expiry` extension: when the rule is deleted by itself; null: never. */
  expires_at?: string | null;
}

export interface SecurityGroupWire {
  id: string;
  name: string;
  description: string;
  project_id: string;
  tenant_id: string;
  stateful: boolean;
  shared: boolean;
  tags: string[];
  revision_number: number;
  created_at: string;
  updated_at: string;
  security_group_rules?: SecurityGroupRuleWire[];
}

export interface FixedIpWire {
  subnet_id: string;
  ip_address: string;
}

export interface PortWire {
  id: string;
  name: string;
  description: string;
  network_id: string;
  project_id: string;
  tenant_id: string;
  mac_address: string;
  fixed_ips: FixedIpWire[];
  device_id: string;
  device_owner: string;
  /** Admin-only to read, as in Neutron (`get_port:binding:host_id`): absent from members' views. */
  'binding:host_id'?: string;
  /** Admin-only to read and set, as in Neutron (`get_port:binding:profile`). */
  'binding:profile'?: Record<string, unknown>;
  admin_state_up: boolean;
  status: string;
  security_groups: string[];
  port_security_enabled: boolean;
  allowed_address_pairs: { ip_address: string; mac_address: string }[];
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface NetworkWire {
  id: string;
  name: string;
  description: string;
  project_id: string;
  tenant_id: string;
  admin_state_up: boolean;
  port_security_enabled: boolean;
  shared: boolean;
  'router:external': boolean;
  mtu: number;
  l2_adjacency: boolean;
  availability_zone_hints: string[];
  availability_zones: string[];
  ipv4_address_scope: string | null;
  ipv6_address_scope: string | null;
  status: string;
  subnets: string[];
  revision_number: number;
  created_at: string;
  updated_at: string;
}

export interface SubnetWire {
  id: string;
  name: string;
  description: string;
  network_id: string;
  project_id: string;
  tenant_id: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  allocation_pools: { start: string; end: string }[];
  dns_nameservers: string[];
  host_routes: { destination: string; nexthop: string }[];
  service_types: string[];
  revision_number: number;
  created_at: string;
  updated_at: string;
}

/** One record of `GET /v2.0/palisade/changes`. */
/** Who made a change (Palisade's audit); null on records older than the audit. */
export interface ActorWire {
  user_id: string | null;
  user_name: string | null;
  project_id: string | null;
  roles: string[];
  request_id: string | null;
  source_address: string | null;
}

/** An identity object in the log: a user, project, role assignment or revoked token (never a secret). */
export type IdentityObjectWire = { id: string } & Record<string, unknown>;

export interface ChangeWire {
  seq: number;
  resource: 'security_group' | 'security_group_rule' | 'port' | 'network' | 'subnet' | 'address_group' | 'rbac_policy' | 'user' | 'project' | 'role_assignment' | 'token';
  action: 'create' | 'update' | 'delete';
  id: string;
  project_id: string;
  object: SecurityGroupWire | SecurityGroupRuleWire | PortWire | NetworkWire | SubnetWire | AddressGroupWire | RbacPolicyWire | IdentityObjectWire | null;
  at: string;
  actor?: ActorWire | null;
}

/** One record of a group's history or of the audit: the change, with the object before it. */
export interface HistoryEntryWire extends ChangeWire {
  before: ChangeWire['object'];
}

export interface ChangePageWire {
  changes: ChangeWire[];
  latest_seq: number;
}

/** `/v2.0/address-groups`: named CIDRs a rule names as `remote_address_group_id` (Neutron's address-group). */
export interface AddressGroupWire {
  id: string;
  name: string;
  description: string;
  /** Normalised CIDRs of both families. */
  addresses: string[];
  project_id: string;
  tenant_id: string;
  revision_number: number;
  created_at: string;
  updated_at: string;
}

/** `/v2.0/rbac-policies`: a security group shared with a project or with all (`*`). */
export interface RbacPolicyWire {
  id: string;
  object_type: string;
  object_id: string;
  action: string;
  target_tenant: string;
  project_id: string;
  tenant_id: string;
}
